import { ANY, NO_STREAM } from '@eventstore/db-client';
import { EventStoreError } from '../errors';
import type { ExpectedRevision } from '../event-store.port';
import { satisfiesExpectedRevision, toEsdbExpectedRevision } from './expected-revision';

describe('expected revision mapping (port → @eventstore/db-client)', () => {
  it('maps no_stream, any and numbers', () => {
    expect(toEsdbExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toEsdbExpectedRevision('any')).toBe(ANY);
    expect(toEsdbExpectedRevision(0)).toBe(0n);
    expect(toEsdbExpectedRevision(41)).toBe(41n);
    expect(toEsdbExpectedRevision(Number.MAX_SAFE_INTEGER)).toBe(BigInt(Number.MAX_SAFE_INTEGER));
  });

  it('refuses revisions that are not non-negative safe integers', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1, 'stream_exists', '3']) {
      expect(() => toEsdbExpectedRevision(bad as ExpectedRevision)).toThrow(EventStoreError);
    }
  });

  it('pre-checks a current revision like the server does', () => {
    expect(satisfiesExpectedRevision('any', 'no_stream')).toBe(true);
    expect(satisfiesExpectedRevision('any', 3)).toBe(true);
    expect(satisfiesExpectedRevision('no_stream', 'no_stream')).toBe(true);
    expect(satisfiesExpectedRevision('no_stream', 0)).toBe(false);
    expect(satisfiesExpectedRevision(3, 3)).toBe(true);
    expect(satisfiesExpectedRevision(3, 4)).toBe(false);
    expect(satisfiesExpectedRevision(0, 'no_stream')).toBe(false);
  });
});
