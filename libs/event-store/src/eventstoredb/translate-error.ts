/**
 * Translation of `@eventstore/db-client` errors into the port's errors
 * (libs/event-store/src/errors.ts). Pure: no client, no I/O.
 *
 * - WrongExpectedVersionError → WrongExpectedRevisionError(stream, expected, actual)
 * - connection-level failures → EventStoreUnavailableError (callers answer 503):
 *   UnavailableError (gRPC UNAVAILABLE: refused, reset, server gone),
 *   DeadlineExceededError (gRPC DEADLINE_EXCEEDED, or the server's own Timeout),
 *   TimeoutError (gRPC ABORTED: the server gave up, e.g. commit timeout),
 *   NotLeaderError (the node we talk to is no longer leader: election in progress),
 *   CancelledError (cancelled by the server, e.g. shutting down; cancellations we
 *   asked for are swallowed by the client itself),
 *   the client's gossip discovery giving up ("Failed to discover after N attempts."),
 *   and raw gRPC ServiceErrors with those status codes should one escape unconverted.
 * - anything else (access denied, stream deleted, max append size, …) is returned
 *   unchanged, to be rethrown: those are bugs or configuration errors, not outages.
 *
 * Note: after a timeout an append may still have been committed; the caller's retry
 * carries the same expected revision, so it cannot be applied twice.
 */
import {
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../errors';
import type { ExpectedRevision } from '../event-store.port';

export interface ErrorContext {
  /** The stream the failed operation targeted, when there is one. */
  streamId?: string;
  /** The expected revision the caller passed (reported as given, not as the client spells it). */
  expectedRevision?: ExpectedRevision;
}

// gRPC status codes (@grpc/grpc-js `status`), for ServiceErrors that reach us unconverted.
const GRPC_CANCELLED = 1;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_ABORTED = 10;
const GRPC_UNAVAILABLE = 14;
const UNAVAILABLE_GRPC_CODES = new Set([GRPC_CANCELLED, GRPC_DEADLINE_EXCEEDED, GRPC_ABORTED, GRPC_UNAVAILABLE]);

/** Returns the port's error for `error`, or `error` itself when it has no port equivalent. */
export function translateError(error: unknown, context: ErrorContext = {}): unknown {
  if (error instanceof WrongExpectedVersionError) {
    const streamId = error.streamName || context.streamId || 'unknown';
    const expected =
      context.expectedRevision !== undefined ? String(context.expectedRevision) : String(error.expectedVersion);
    return new WrongExpectedRevisionError(streamId, expected, toActualRevision(error.actualVersion), { cause: error });
  }
  if (isUnavailable(error)) {
    const message = error instanceof Error && error.message ? error.message : String(error);
    return new EventStoreUnavailableError(`EventStoreDB unavailable: ${message}`, { cause: error });
  }
  return error;
}

export function isStreamNotFound(error: unknown): error is StreamNotFoundError {
  return error instanceof StreamNotFoundError;
}

export function isUnavailable(error: unknown): boolean {
  if (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof NotLeaderError ||
    error instanceof CancelledError
  ) {
    return true;
  }
  if (!(error instanceof Error)) return false;
  // Thrown as a plain Error by the client's cluster discovery (Client/discovery.js).
  if (/^Failed to discover after \d+ attempts\.?$/.test(error.message)) return true;
  // A raw gRPC ServiceError the client did not convert (it converts on most paths).
  const code = (error as { code?: unknown }).code;
  const isServiceError = typeof code === 'number' && 'details' in error && 'metadata' in error;
  return isServiceError && UNAVAILABLE_GRPC_CODES.has(code);
}

function toActualRevision(actual: unknown): number | 'no_stream' | 'unknown' {
  if (actual === 'no_stream') return 'no_stream';
  if (typeof actual === 'bigint') {
    // The server encodes "no stream" as ulong.MaxValue (-1) on some paths.
    if (actual === (1n << 64n) - 1n || actual === -1n) return 'no_stream';
    if (actual >= 0n && actual <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(actual);
  }
  return 'unknown';
}
