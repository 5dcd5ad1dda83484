export interface HttpAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** PostgreSQL positions are "<xid>.<global position>"; the greater pair is the later one. */
function later(a: string | null, b: string): string {
  if (!a) return b;
  const [ax, ap] = a.split('.').map(BigInt);
  const [bx, bp] = b.split('.').map(BigInt);
  return ax > bx || (ax === bx && ap >= bp) ? a : b;
}

/**
 * A small JSON client over fetch: real HTTP, no framework in between. Like
 * the admin UI, it reads its own writes: every GET under /api carries the
 * latest `position` it has seen in a command answer as `minPosition`
 * (api.md), unless the path sets one or `readYourWrites` is off.
 */
export function httpClient(baseUrl: string, options: { readYourWrites?: boolean; token?: string } = {}) {
  let lastPosition: string | null = null;
  async function call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer<T>> {
    let url = `${baseUrl}${path}`;
    if (method === 'GET' && options.readYourWrites !== false && lastPosition && path.startsWith('/api/') && !path.includes('minPosition=')) {
      url += `${path.includes('?') ? '&' : '?'}minPosition=${encodeURIComponent(lastPosition)}`;
    }
    const auth: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
    const response = await fetch(url, {
      method,
      headers: body === undefined ? { ...auth, ...headers } : { 'content-type': 'application/json', ...auth, ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    const position = (parsed as { position?: unknown } | null)?.position;
    if (response.ok && typeof position === 'string' && /^\d+\.\d+$/.test(position)) lastPosition = later(lastPosition, position);
    return { status: response.status, headers: response.headers, body: parsed as T };
  }
  return {
    get: <T = any>(path: string, headers?: Record<string, string>) => call<T>('GET', path, undefined, headers),
    post: <T = any>(path: string, body: unknown, headers?: Record<string, string>) => call<T>('POST', path, body, headers),
    lastPosition: () => lastPosition,
  };
}
