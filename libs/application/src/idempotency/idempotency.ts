import { canonicalJson, sha256, type EventStore, type RecordedEvent } from '@ktt/event-store';
import type { CommandResult } from '../commands/command-context';
import { IdempotencyKeyReusedError } from '../commands/application-errors';

/**
 * An idempotency record is a stream of its own (`idempotency-<sha256(key)>`),
 * appended with "no stream" together with the command's events: in one
 * transaction on PostgreSQL, last in the write order on EventStoreDB. So a
 * key is claimed exactly when its command's events are stored, and a second
 * request with the key, even a concurrent one, finds the first answer.
 * Records are kept for ever (api.md asks for at least 24 hours).
 */
export const IDEMPOTENCY_RECORDED = 'IdempotencyKeyRecorded';

export function idempotencyStreamId(key: string): string {
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

/** The first answer for this key, or null; 422 when the key was used with another request. */
export async function findEarlierAnswer(
  store: EventStore,
  idempotency: { key: string; requestHash: string } | undefined,
): Promise<CommandResult | null> {
  if (!idempotency) return null;
  const [record] = await store.readStream(idempotencyStreamId(idempotency.key));
  return record ? replay(record, idempotency.requestHash) : null;
}

function replay(record: RecordedEvent, hash: string): CommandResult {
  const data = record.data as IdempotencyRecordData;
  if (data.requestHash !== hash) throw new IdempotencyKeyReusedError();
  // The record is the last event its command wrote, so its position is the command's position.
  return { ...data.response, position: record.position, replayed: true };
}
