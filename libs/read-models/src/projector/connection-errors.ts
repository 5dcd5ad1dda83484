// 53300: the server has no connection to give (max_connections, a role's or database's limit): it passes.
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '53300', '57P01', '57P02', '57P03']);

/** The database is unreachable or shutting down (not a bug): the projector waits for it, the api answers 503 STORAGE_UNAVAILABLE. */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: string; name?: string; message?: string } | null;
  if (!e) return false;
  if (e.name === 'EventStoreUnavailableError') return true;
  const code = e.code ?? '';
  return CONNECTION_CODES.has(code) || code.startsWith('08') || /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(e.message ?? '');
}

/**
 * Whether an event's own content can explain the failure, the only kind that
 * quarantines it: a PostgreSQL data exception (class 22: out of range,
 * invalid text) or integrity violation (class 23: unique, check, not null),
 * or an error of our own code folding it (the domain refusing a history).
 * Anything else (the connection, privileges, a missing table, a deadlock)
 * would be true of every event: the batch fails as a whole, loudly.
 */
export function isEventFailure(error: unknown): boolean {
  const e = error as { code?: unknown; severity?: unknown } | null;
  if (!e || isConnectionError(error)) return false;
  if (typeof e.severity === 'string' && typeof e.code === 'string') return /^(22|23)/.test(e.code);
  return true;
}
