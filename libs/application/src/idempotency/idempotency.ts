import { canonicalJson, sha256, type EventStore, type RecordedEvent } from '@ktt/event-store';
import type { CommandResult } from '../commands/command-context';
import { IdempotencyKeyReusedError } from '../commands/application-errors';

/**
 * An idempotency record is a stream of its own, appended with "no stream"
 * together with the command's events: in one transaction on PostgreSQL, last
 * in the write order on EventStoreDB. So a key is claimed exactly when its
 * command's events are stored, and a second request with the key, even a
 * concurrent one, finds the first answer. Records are kept for ever (api.md
 * asks for at least 24 hours).
 *
 * Keys belong to the subject that sent them (api.md, "Commands"): the stream
 * is named by subject and key together, so another subject's identical key is
 * a different key — it neither sees the first answer nor gets a 422.
 */
export const IDEMPOTENCY_RECORDED = 'IdempotencyKeyRecorded';

export interface IdempotencyRequest {
  key: string;
  requestHash: string;
}

export function idempotencyStreamId(subject: string, key: string): string {
  // NUL cannot occur in a subject (TokenService) nor in a key (visible ASCII): the pair is unambiguous.
  return `idempotency-${sha256(`${subject}\u0000${key}`)}`;
}

/** Records written before keys were per subject: `idempotency-<sha256(key)>`, owned by their `recordedBy`. */
function legacyIdempotencyStreamId(key: string): string {
  return `idempotency-${sha256(key)}`;
}

/** The request as compared for reuse: method, path and canonical body. */
export function requestHash(method: string, path: string, body: unknown): string {
  return sha256(canonicalJson({ method: method.toUpperCase(), path, body: body ?? null }));
}

export interface IdempotencyRecordData {
  requestHash: string;
  response: { id: string; version: number; created: boolean };
  [key: string]: unknown;
}

/**
 * This subject's first answer for this key, or null; 422 when the subject used
 * the key with another request. Callers authorize the request first: a stored
 * answer is never a way around authorization.
 */
export async function findEarlierAnswer(
  store: EventStore,
  subject: string,
  idempotency: IdempotencyRequest | undefined,
): Promise<CommandResult | null> {
  if (!idempotency) return null;
  const [record] = await store.readStream(idempotencyStreamId(subject, idempotency.key));
  if (record) return replay(record, idempotency.requestHash);
  // A record from before keys were per subject counts only for the subject that wrote it (a demo rerun, a seed).
  const [legacy] = await store.readStream(legacyIdempotencyStreamId(idempotency.key));
  return legacy && legacy.metadata.recordedBy === subject ? replay(legacy, idempotency.requestHash) : null;
}

function replay(record: RecordedEvent, hash: string): CommandResult {
  const data = record.data as IdempotencyRecordData;
  if (data.requestHash !== hash) throw new IdempotencyKeyReusedError();
  // The record is the last event its command wrote, so its position is the command's position.
  return { ...data.response, position: record.position, replayed: true };
}
