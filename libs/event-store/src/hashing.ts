import { createHash } from 'node:crypto';
import type { EventMetadata } from './event-store.port';

/**
 * Canonical JSON: object keys sorted, no whitespace, `undefined` members left
 * out. Two equal values always give the same text, so hashes and idempotency
 * comparisons do not depend on key order.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export interface HashableEvent {
  streamId: string;
  revision: number;
  type: string;
  data: unknown;
  metadata: Omit<EventMetadata, 'hash'> & { hash?: string };
}

/**
 * Tamper evidence: SHA-256 over the event's canonical content, including the
 * previous event's hash (in `metadata.previousHash`), so altering any stored
 * event breaks its own hash and every later link of its stream.
 */
export function hashEvent(event: HashableEvent): string {
  const { hash: _ignored, ...metadata } = event.metadata;
  return sha256(
    canonicalJson({ streamId: event.streamId, revision: event.revision, type: event.type, data: event.data, metadata }),
  );
}
