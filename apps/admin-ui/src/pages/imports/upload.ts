import { ApiError, queryString, type Problem } from '../../api/client';

/** `POST /api/imports`'s answer: the server's own types (libs/application/src/answers.ts), not a copy. */
import type { ImportReport } from '@ktt/application/answers';

export type { ImportDifference, ImportRefusal, ImportReport } from '@ktt/application/answers';

/** A cell's value in a difference (recorded or in the file), as the import compares it. */
export type ImportValue = string | number | boolean | null;

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv';
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

/**
 * The Content-Type to send: by the name's extension first (browsers label a CSV `text/csv`,
 * `application/vnd.ms-excel` or nothing depending on the system), else by the browser's type.
 * Null: neither XLSX nor CSV.
 */
export function mediaTypeOf(file: File): string | null {
  const name = file.name.toLowerCase();
  if (name.endsWith('.xlsx')) return XLSX_TYPE;
  if (name.endsWith('.csv')) return CSV_TYPE;
  if (file.type === XLSX_TYPE) return XLSX_TYPE;
  if (file.type === CSV_TYPE || file.type === 'application/csv') return CSV_TYPE;
  return null;
}

export interface UploadProgress {
  /** Bytes of the body sent so far, and its size. */
  sent: number;
  total: number;
  /** The body is all sent: the server is reading the rows. */
  processing: boolean;
}

export interface UploadOptions {
  token: string | null;
  dryRun: boolean;
  applyChanges?: boolean;
  effectiveOn?: string;
  onProgress(progress: UploadProgress): void;
  onUnauthorized(): void;
  signal?: AbortSignal;
}

/**
 * Sends the file as the body of `POST /api/imports` with its Content-Type. XMLHttpRequest rather
 * than fetch: only it reports how much of the body is sent (fetch has no upload progress), which is
 * what a registrar watches while a large workbook goes up. The file's name goes in `fileName`, so
 * the events name the file the registrar chose.
 */
export function uploadImport(file: File, options: UploadOptions): Promise<ImportReport> {
  const contentType = mediaTypeOf(file);
  if (!contentType) return Promise.reject(new Error(`not an XLSX or CSV file: ${file.name}`));
  const query = queryString({
    dryRun: options.dryRun ? 'true' : undefined,
    applyChanges: options.applyChanges ? 'true' : undefined,
    effectiveOn: options.applyChanges ? options.effectiveOn : undefined,
    fileName: file.name.slice(0, 200),
  });
  return new Promise<ImportReport>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/api/imports${query}`);
    request.setRequestHeader('Content-Type', contentType);
    request.setRequestHeader('Accept', 'application/json, application/problem+json');
    if (options.token) request.setRequestHeader('Authorization', `Bearer ${options.token}`);
    request.upload.onprogress = (event) => options.onProgress({ sent: event.loaded, total: event.lengthComputable ? event.total : file.size, processing: false });
    request.upload.onload = () => options.onProgress({ sent: file.size, total: file.size, processing: true });
    // As fetch reports it: the server could not be reached (worded by errorSentence as NETWORK).
    request.onerror = () => reject(new TypeError('network error'));
    request.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    request.onload = () => {
      const payload = safeJson(request.responseText);
      if (request.status >= 200 && request.status < 300 && payload && typeof payload === 'object') {
        resolve(payload as ImportReport);
        return;
      }
      if (request.status === 401) options.onUnauthorized();
      reject(
        new ApiError(
          payload && typeof payload === 'object' && 'status' in payload
            ? (payload as Problem)
            : { title: request.statusText || 'Request failed', status: request.status, detail: request.responseText.slice(0, 200) },
        ),
      );
    };
    options.signal?.addEventListener('abort', () => request.abort(), { once: true });
    request.send(file);
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A byte count as people read it (KB, MB), in the locale's digits. */
export function formatSize(bytes: number, locale: 'vi' | 'en'): string {
  const format = (value: number, unit: string) =>
    `${new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: value < 10 ? 1 : 0 }).format(value)} ${unit}`;
  if (bytes < 1024) return format(bytes, 'B');
  if (bytes < 1024 * 1024) return format(bytes / 1024, 'KB');
  return format(bytes / 1024 / 1024, 'MB');
}
