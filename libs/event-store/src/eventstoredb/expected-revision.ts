import { ANY, NO_STREAM, type ExpectedRevision as EsdbExpectedRevision } from '@eventstore/db-client';
import { EventStoreError } from '../errors';
import type { ExpectedRevision } from '../event-store.port';

/** The port's expected revision in the client's terms: `no_stream` → NO_STREAM, `any` → ANY, n → BigInt(n). */
export function toEsdbExpectedRevision(expected: ExpectedRevision): EsdbExpectedRevision {
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'any') return ANY;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return BigInt(expected);
  throw new EventStoreError(`invalid expected revision: ${JSON.stringify(expected)}`);
}

/** Whether a stream whose last event has revision `current` satisfies `expected` (used only as a pre-check). */
export function satisfiesExpectedRevision(expected: ExpectedRevision, current: number | 'no_stream'): boolean {
  if (expected === 'any') return true;
  return expected === current;
}
