import { randomUUID } from 'node:crypto';
import type { EventStore, EventToAppend, Position, RecordedEvent } from '../event-store.port';
import { WrongExpectedRevisionError } from '../errors';
import { NonCanonicalStreamIdError } from '../canonical-stream-ids';

export interface ConformanceSubject {
  store: EventStore;
  cleanup(): Promise<void>;
}

/**
 * One suite for every adapter (architecture.md): append, concurrency, read
 * stream, read all, subscribe, catch-up after restart, ordering under
 * concurrent writers. Stream ids are fresh per test, so it can run against a
 * server that keeps data between runs.
 */
export function runEventStoreConformance(name: string, factory: () => Promise<ConformanceSubject>): void {
  describe(`event store conformance: ${name}`, () => {
    let subject: ConformanceSubject;
    let store: EventStore;
    let prefix: string;

    beforeAll(async () => {
      subject = await factory();
      store = subject.store;
    });
    afterAll(async () => {
      await subject?.cleanup();
    });
    beforeEach(() => {
      prefix = `conf${randomUUID().slice(0, 8)}-`;
    });

    const stream = (id: string) => `${prefix}${id}`;

    describe('append and read a stream', () => {
      it('numbers the events of a new stream from revision 0 and reads them back in order', async () => {
        const events = [testEvent('A'), testEvent('B'), testEvent('C')];
        const result = await store.append([{ streamId: stream('s'), expectedRevision: 'no_stream', events }]);
        expect(result.revisions[stream('s')]).toBe(2);
        const read = await store.readStream(stream('s'));
        expect(read.map((e) => [e.revision, e.type, e.data, e.metadata.eventId])).toEqual(
          events.map((e, i) => [i, e.type, e.data, e.metadata.eventId]),
        );
        expect(read.every((e) => e.streamId === stream('s'))).toBe(true);
      });

      it('reads an unknown stream as empty', async () => {
        expect(await store.readStream(stream('never-written'))).toEqual([]);
      });

      it('appends at the expected revision', async () => {
        await store.append([{ streamId: stream('s'), expectedRevision: 'no_stream', events: [testEvent('A')] }]);
        const result = await store.append([{ streamId: stream('s'), expectedRevision: 0, events: [testEvent('B')] }]);
        expect(result.revisions[stream('s')]).toBe(1);
        expect((await store.readStream(stream('s'))).map((e) => e.type)).toEqual(['A', 'B']);
      });

      it('refuses a stale expected revision and writes nothing', async () => {
        await store.append([{ streamId: stream('s'), expectedRevision: 'no_stream', events: [testEvent('A'), testEvent('B')] }]);
        await expect(
          store.append([{ streamId: stream('s'), expectedRevision: 0, events: [testEvent('stale')] }]),
        ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect((await store.readStream(stream('s'))).map((e) => e.type)).toEqual(['A', 'B']);
      });

      it('refuses no_stream on an existing stream (how reservations stay unique)', async () => {
        await store.append([{ streamId: stream('reservation'), expectedRevision: 'no_stream', events: [testEvent('Reserved')] }]);
        const second = store.append([{ streamId: stream('reservation'), expectedRevision: 'no_stream', events: [testEvent('Reserved')] }]);
        await expect(second).rejects.toMatchObject({ streamId: stream('reservation') });
        expect(await store.readStream(stream('reservation'))).toHaveLength(1);
      });

      it('refuses an organization stream named by a non-canonical (upper-case) id and writes nothing of the append', async () => {
        const id = randomUUID();
        const reservation = stream('reservation');
        const append = store.append([
          { streamId: reservation, expectedRevision: 'no_stream', events: [testEvent('Reserved')] },
          { streamId: `organization-${id.toUpperCase()}`, expectedRevision: 'no_stream', events: [testEvent('Registered')] },
        ]);
        await expect(append).rejects.toBeInstanceOf(NonCanonicalStreamIdError);
        expect(await store.readStream(reservation)).toEqual([]);
        expect(await store.readStream(`organization-${id.toUpperCase()}`)).toEqual([]);
      });

      it('refuses an expected revision on a stream that does not exist', async () => {
        await expect(
          store.append([{ streamId: stream('missing'), expectedRevision: 3, events: [testEvent('A')] }]),
        ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      });

      it('lets exactly one of many concurrent writers at the same revision win', async () => {
        await store.append([{ streamId: stream('contended'), expectedRevision: 'no_stream', events: [testEvent('A')] }]);
        const outcomes = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) =>
            store.append([{ streamId: stream('contended'), expectedRevision: 0, events: [testEvent(`W${i}`)] }]),
          ),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        for (const outcome of outcomes.filter((o) => o.status === 'rejected')) {
          expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
        }
        expect(await store.readStream(stream('contended'))).toHaveLength(2);
      });

      it('appends to several streams in the given order, each with its own expectation', async () => {
        const result = await store.append([
          { streamId: stream('first'), expectedRevision: 'no_stream', events: [testEvent('Reserved')] },
          { streamId: stream('second'), expectedRevision: 'no_stream', events: [testEvent('A'), testEvent('B')] },
        ]);
        expect(result.revisions).toEqual({ [stream('first')]: 0, [stream('second')]: 1 });
        const [first] = await store.readStream(stream('first'));
        const second = await store.readStream(stream('second'));
        expect(store.comparePositions(first.position, second[0].position)).toBeLessThan(0);
        expect(store.comparePositions(second[1].position, result.position)).toBe(0);
      });
    });

    describe('the global log', () => {
      it('reads events strictly after a position, in append order, filtered by stream prefix', async () => {
        await store.append([{ streamId: stream('one'), expectedRevision: 'no_stream', events: [testEvent('A')] }]);
        const mark = (await readEverything(store, prefix)).at(-1)!.position;
        await store.append([{ streamId: stream('two'), expectedRevision: 'no_stream', events: [testEvent('B'), testEvent('C')] }]);
        await store.append([{ streamId: `other${prefix}x`, expectedRevision: 'no_stream', events: [testEvent('hidden')] }]);
        const page = (await readEverything(store, prefix, 3)).filter((e) => store.comparePositions(e.position, mark) > 0);
        expect(page.map((e) => e.type)).toEqual(['B', 'C']);
        expect(await store.readAll({ after: mark, streamPrefixes: [prefix], limit: 100 })).toEqual(page);
      });

      it('reports the head position as the position of the last append', async () => {
        const result = await store.append([{ streamId: stream('head'), expectedRevision: 'no_stream', events: [testEvent('A')] }]);
        const head = await store.headPosition();
        expect(head).not.toBeNull();
        expect(store.comparePositions(head as Position, result.position)).toBeGreaterThanOrEqual(0);
      });
    });

    describe('subscriptions', () => {
      it('catches up with what is stored, then delivers what is appended live', async () => {
        await store.append([{ streamId: stream('sub'), expectedRevision: 'no_stream', events: [testEvent('old1'), testEvent('old2')] }]);
        const seen: RecordedEvent[] = [];
        const subscription = store.subscribe(async (batch) => void seen.push(...batch), { streamPrefixes: [prefix] });
        await waitFor(() => seen.length === 2);
        await store.append([{ streamId: stream('sub'), expectedRevision: 1, events: [testEvent('new1')] }]);
        await waitFor(() => seen.length === 3);
        await subscription.stop();
        expect(seen.map((e) => e.type)).toEqual(['old1', 'old2', 'new1']);
      });

      it('resumes after a restart from its saved position, without repeating or skipping', async () => {
        await store.append([{ streamId: stream('resume'), expectedRevision: 'no_stream', events: [testEvent('1'), testEvent('2')] }]);
        const firstRun: RecordedEvent[] = [];
        const first = store.subscribe(async (batch) => void firstRun.push(...batch), { streamPrefixes: [prefix] });
        await waitFor(() => firstRun.length === 2);
        await first.stop();
        const checkpoint = firstRun[1].position;

        await store.append([{ streamId: stream('resume'), expectedRevision: 1, events: [testEvent('3')] }]);
        const secondRun: RecordedEvent[] = [];
        const second = store.subscribe(async (batch) => void secondRun.push(...batch), {
          after: checkpoint,
          streamPrefixes: [prefix],
        });
        await waitFor(() => secondRun.length === 1);
        await store.append([{ streamId: stream('resume'), expectedRevision: 2, events: [testEvent('4')] }]);
        await waitFor(() => secondRun.length === 2);
        await second.stop();
        expect(secondRun.map((e) => e.type)).toEqual(['3', '4']);
      });

      it('ends with the handler error instead of skipping the event', async () => {
        await store.append([{ streamId: stream('poison'), expectedRevision: 'no_stream', events: [testEvent('bad')] }]);
        const subscription = store.subscribe(
          async () => {
            throw new Error('projection failed');
          },
          { streamPrefixes: [prefix] },
        );
        await expect(subscription.done).rejects.toThrow('projection failed');
      });

      it('delivers every event of concurrent writers exactly once, in one global order, streams in revision order', async () => {
        const writers = 8;
        const appendsPerWriter = 10;
        const seen: RecordedEvent[] = [];
        const subscription = store.subscribe(async (batch) => void seen.push(...batch), {
          streamPrefixes: [prefix],
          batchSize: 7,
        });
        await Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            for (let i = 0; i < appendsPerWriter; i++) {
              await store.append([
                { streamId: stream(`w${w}`), expectedRevision: i === 0 ? 'no_stream' : i - 1, events: [testEvent(`w${w}-${i}`)] },
              ]);
            }
          }),
        );
        await waitFor(() => seen.length >= writers * appendsPerWriter);
        await subscription.stop();
        expect(seen).toHaveLength(writers * appendsPerWriter);
        expect(new Set(seen.map((e) => e.metadata.eventId)).size).toBe(writers * appendsPerWriter);
        for (let i = 1; i < seen.length; i++) {
          expect(store.comparePositions(seen[i - 1].position, seen[i].position)).toBeLessThan(0);
        }
        for (let w = 0; w < writers; w++) {
          const revisions = seen.filter((e) => e.streamId === stream(`w${w}`)).map((e) => e.revision);
          expect(revisions).toEqual(Array.from({ length: appendsPerWriter }, (_, i) => i));
        }
      });
    });
  });
}

export function testEvent(type: string, data: Record<string, unknown> = { value: type }): EventToAppend {
  return {
    type,
    data,
    metadata: {
      eventId: randomUUID(),
      recordedAt: new Date().toISOString(),
      recordedBy: 'conformance-suite',
      correlationId: randomUUID(),
      causationId: null,
      schemaVersion: 1,
      previousHash: null,
      hash: 'not-checked-here',
    },
  };
}

/**
 * Everything under the prefix, waiting until at least `atLeast` events are
 * readable: an appended event becomes readable once no older transaction is
 * running anywhere on the server (on PostgreSQL the horizon is the cluster's,
 * so other databases' transactions count too).
 */
async function readEverything(store: EventStore, prefix: string, atLeast = 1): Promise<RecordedEvent[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const all: RecordedEvent[] = [];
    for (;;) {
      const page = await store.readAll({ after: all.at(-1)?.position, streamPrefixes: [prefix], limit: 500 });
      if (page.length === 0) break;
      all.push(...page);
    }
    if (all.length >= atLeast || Date.now() > deadline) return all;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function waitFor(condition: () => boolean, timeoutMs = 10_000, poll?: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await poll?.();
    if (condition()) return;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
