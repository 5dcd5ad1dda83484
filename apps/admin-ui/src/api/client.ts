/**
 * The one way the UI talks to the server: the public API (the api.md contract, served as OpenAPI at /docs)
 * over fetch. Adds the bearer token, turns `application/problem+json` answers
 * into `ApiError` (with `errors[{path, message}]` for validation), and keeps
 * read-your-writes: after a command, the next queries carry the command's
 * `position` as `minPosition`, so the result of a form shows at once.
 */

import type { FieldError } from './types';

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: FieldError[];
  /** PROVINCE_NOT_IN_FORCE: the code in force on that date that took the territory (api.md). */
  successor?: string;
  /** FORMER_PROVINCE_REQUIRED, NOT_A_PREDECESSOR: the former provinces to choose among. */
  predecessors?: string[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
  get status(): number {
    return this.problem.status;
  }
  /** The server's message for one field (`path` as in problem+json, e.g. `memberCount` or `managers.total`). */
  fieldError(path: string): string | undefined {
    return this.problem.errors?.find((error) => error.path === path)?.message;
  }
}

export interface CommandResult {
  id: string;
  version: number;
  position: string;
}

export type Query = Record<string, string | number | undefined | null>;

export class ApiClient {
  /** The highest position this client wrote; queries wait for the read models to reach it. */
  private minPosition: string | null = null;

  constructor(
    private readonly token: string | null,
    private readonly onUnauthorized: () => void = () => undefined,
  ) {}

  get<T>(path: string, query: Query = {}): Promise<T> {
    const withPosition = this.minPosition ? { ...query, minPosition: this.minPosition } : query;
    return this.request<T>('GET', path + queryString(withPosition));
  }

  /** A command; remembers its position for the next queries. */
  async command(path: string, body: unknown, headers: Record<string, string> = {}): Promise<CommandResult> {
    const result = await this.request<CommandResult>('POST', path, body, headers);
    if (result && typeof result.position === 'string') this.minPosition = result.position;
    return result;
  }

  /** A write sent outside `command` (an import, sent with upload progress): the next queries wait for it too. */
  notePosition(position: string): void {
    this.minPosition = position;
  }

  /**
   * A file the API streams (an export): its bytes and the name its Content-Disposition gives. With
   * the token and `minPosition` like any query, so it cannot be a plain link.
   */
  async download(path: string, query: Query = {}): Promise<{ blob: Blob; fileName: string | null }> {
    const withPosition = this.minPosition ? { ...query, minPosition: this.minPosition } : query;
    const url = path + queryString(withPosition);
    assertApiPath(url);
    const response = await fetch(url, { headers: this.token ? { Authorization: `Bearer ${this.token}` } : {} });
    if (!response.ok) {
      const text = await response.text();
      if (response.status === 401) this.onUnauthorized();
      const payload = text ? safeJson(text) : null;
      throw new ApiError(
        payload && typeof payload === 'object' && 'status' in payload
          ? (payload as Problem)
          : { title: response.statusText || 'Request failed', status: response.status, detail: text.slice(0, 200) },
      );
    }
    const disposition = response.headers.get('content-disposition') ?? '';
    const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
    const plain = /filename="([^"]+)"/i.exec(disposition)?.[1];
    return { blob: await response.blob(), fileName: encoded ? decodeURIComponent(encoded) : (plain ?? null) };
  }

  private async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    assertApiPath(path);
    const response = await fetch(path, {
      method,
      headers: {
        Accept: 'application/json, application/problem+json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const payload = text ? safeJson(text) : null;
    if (!response.ok) {
      if (response.status === 401) this.onUnauthorized();
      const problem: Problem =
        payload && typeof payload === 'object' && 'status' in payload
          ? (payload as Problem)
          : { title: response.statusText || 'Request failed', status: response.status, detail: text.slice(0, 200) };
      throw new ApiError(problem);
    }
    return payload as T;
  }
}

/**
 * The token goes only to the API, to the path the caller meant: a path
 * outside `/api/`, or with a segment the URL parser would resolve (`.`, `..`,
 * also as `%2e`), is a bug of the caller (a value put into a path without
 * apiPath) and is never sent.
 */
function assertApiPath(path: string): void {
  const pathname = path.split(/[?#]/, 1)[0];
  const segments = pathname.split('/').slice(1);
  const moves = segments.some((segment) => /^(\.|%2e){1,2}$/i.test(segment));
  if (!pathname.startsWith('/api/') || moves || pathname.includes('\\')) throw new Error(`refused to request ${JSON.stringify(path)}: not a plain API path`);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
