const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03']);

/** The database is unreachable or shutting down (not a projection bug): wait, never fail for it. */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: string; name?: string; message?: string } | null;
  if (!e) return false;
  if (e.name === 'EventStoreUnavailableError') return true;
  const code = e.code ?? '';
  return CONNECTION_CODES.has(code) || code.startsWith('08') || /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(e.message ?? '');
}

/**
 * Failures that say nothing about the event (the connection, a deadlock or serialization failure, lack
 * of resources, a cancelled statement): the batch is retried, the event is never quarantined for them.
 */
export function isTransientError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code ?? '';
  return isConnectionError(error) || /^(40|53|57)/.test(code);
}
