import { createHash, randomUUID } from 'node:crypto';
import pino from 'pino';
import type { EventToAppend, Position, RecordedEvent } from '@ktt/event-store';
import { createEventStoreDatabase, type EventStoreDatabase } from '@ktt/testing/postgres/event-store-database';
import { refLeafHash, refMth, refPath, refProof, refVerifyConsistency, refVerifyInclusion } from '@ktt/testing/rfc9162-reference';
import { TransparencyLog, TreeRangeError, TreeResetError } from './transparency-log';
import { TreeBuilder } from './tree-builder';

const MAX = 300;
const hex = (list: Buffer[]): string[] => list.map((b) => b.toString('hex'));
const entryOf = (i: number, salt = ''): Buffer => createHash('sha256').update(`event ${i}${salt}`).digest();

/** Only the id, the hash and the position matter to the tree. */
function syntheticEvent(i: number, d: Buffer): RecordedEvent {
  return {
    streamId: `synthetic-${i % 7}`,
    revision: Math.floor(i / 7),
    position: `p${i}` as Position,
    type: 'Synthetic',
    data: {},
    metadata: {
      eventId: randomUUID(),
      recordedAt: new Date().toISOString(),
      recordedBy: 'spec',
      correlationId: randomUUID(),
      causationId: null,
      schemaVersion: 1,
      previousHash: null,
      hash: d.toString('hex'),
    },
  };
}

/** Runs `tasks` a few at a time: thousands of proofs, each a query. */
async function inParallel<T>(tasks: (() => Promise<T>)[], width = 16): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]!();
      }
    }),
  );
  return results;
}

describe('the stored Merkle tree (TransparencyLog, PostgreSQL)', () => {
  let database: EventStoreDatabase;
  beforeAll(async () => {
    database = await createEventStoreDatabase('transparency_tree');
  });
  afterAll(() => database.dispose());
  beforeEach(() => new TransparencyLog(database.pool).reset());

  it('answers every root, audit path and consistency proof of every size from 1 to 300 as the RFC 9162 reference does', async () => {
    const log = new TransparencyLog(database.pool);
    const entries = Array.from({ length: MAX }, (_, i) => entryOf(i));
    const events = entries.map((d, i) => syntheticEvent(i, d));
    // Uneven pages (1, 2, 3, …), as the builder gets them, so frontiers of every shape are resumed from the database.
    for (let start = 0, page = 1; start < MAX; start += page, page += 1) await log.appendEvents(events.slice(start, start + page));
    expect(await log.size()).toBe(MAX);

    const roots = await inParallel(Array.from({ length: MAX + 1 }, (_, n) => () => log.rootAt(n)));
    expect(hex(roots)).toEqual(hex(Array.from({ length: MAX + 1 }, (_, n) => refMth(entries, n))));

    const wrong: string[] = [];
    const inclusion: (() => Promise<void>)[] = [];
    const consistency: (() => Promise<void>)[] = [];
    for (let n = 1; n <= MAX; n += 1) {
      for (let i = 0; i < n; i += 1) {
        inclusion.push(async () => {
          const path = await log.inclusionProof(i, n);
          const leaf = refLeafHash(entries[i]!);
          if (!refVerifyInclusion(leaf, i, n, path, roots[n]!) || hex(path).join() !== hex(refPath(i, entries, n)).join()) {
            wrong.push(`inclusion ${i} in ${n}`);
          }
        });
      }
      for (let m = 0; m <= n; m += 1) {
        consistency.push(async () => {
          const proof = await log.consistencyProof(m, n);
          if (!refVerifyConsistency(m, n, roots[m]!, roots[n]!, proof) || hex(proof).join() !== hex(refProof(m, entries, n)).join()) {
            wrong.push(`consistency ${m} → ${n}`);
          }
        });
      }
    }
    await inParallel([...inclusion, ...consistency]);
    expect(inclusion.length).toBe((MAX * (MAX + 1)) / 2);
    expect(wrong).toEqual([]);

    const leaf = await log.leafOf(events[123]!.metadata.eventId);
    expect(leaf).toEqual({ leafIndex: 123, leafHash: refLeafHash(entries[123]!), streamId: events[123]!.streamId, revision: events[123]!.revision });
    expect(await log.leafOf(randomUUID())).toBeNull();
    // About 91,000 proofs, one query each: 50 s alone, over 120 s beside the full suite on 2 cores.
  }, 600_000);

  it('keeps one leaf per event when a batch comes again, whole or overlapping', async () => {
    const log = new TransparencyLog(database.pool);
    const entries = Array.from({ length: 20 }, (_, i) => entryOf(i, 'again'));
    const events = entries.map((d, i) => syntheticEvent(i, d));
    await log.appendEvents(events.slice(0, 12));
    expect(await log.appendEvents(events.slice(0, 12))).toBe(0);
    expect(await log.appendEvents(events.slice(8, 20))).toBe(8);
    expect(await log.size()).toBe(20);
    expect(await log.rootAt(20)).toEqual(refMth(entries));
    expect((await log.state()).lastPosition).toBe('p19');
  });

  it('refuses sizes beyond the tree and indexes outside it, naming the field', async () => {
    const log = new TransparencyLog(database.pool);
    await log.appendEvents([0, 1, 2].map((i) => syntheticEvent(i, entryOf(i))));
    await expect(log.rootAt(4)).rejects.toEqual(expect.objectContaining({ field: 'treeSize' }));
    await expect(log.inclusionProof(3, 3)).rejects.toEqual(expect.objectContaining({ field: 'leafIndex' }));
    await expect(log.consistencyProof(1, 4)).rejects.toEqual(expect.objectContaining({ field: 'to' }));
    await expect(log.consistencyProof(3, 2)).rejects.toBeInstanceOf(TreeRangeError);
    expect(await log.consistencyProof(0, 3)).toEqual([]);
  });

  it('stops an appender that started before a reset, so a stale builder cannot graft the old log onto the new tree', async () => {
    const builder = new TransparencyLog(database.pool);
    const rebuild = new TransparencyLog(database.pool);
    await builder.appendEvents([syntheticEvent(0, entryOf(0))]);
    await rebuild.reset();
    await expect(builder.appendEvents([syntheticEvent(1, entryOf(1))])).rejects.toBeInstanceOf(TreeResetError);
    expect(await rebuild.size()).toBe(0);
  });

  it('the builder follows the event store in its global order, resumes after a restart and after a reset', async () => {
    const logger = pino({ level: 'silent' });
    const log = new TransparencyLog(database.pool);
    const append = async (count: number) => {
      for (let i = 0; i < count; i += 1) {
        const event: EventToAppend = {
          type: 'Appended',
          data: { i },
          metadata: {
            eventId: randomUUID(),
            recordedAt: new Date().toISOString(),
            recordedBy: 'spec',
            correlationId: randomUUID(),
            causationId: null,
            schemaVersion: 1,
            previousHash: null,
            hash: createHash('sha256').update(randomUUID()).digest('hex'),
          },
        };
        await database.store.append([{ streamId: `builder-${i % 3}-${randomUUID()}`, expectedRevision: 'no_stream', events: [event] }]);
      }
    };
    const expectedRoot = async () => {
      const all = await database.store.readAll({ limit: 10_000 });
      return { size: all.length, root: refMth(all.map((event) => Buffer.from(event.metadata.hash, 'hex'))) };
    };
    // The log's readable horizon is the whole server's (other specs' transactions hold it back a moment):
    // caught up = the tree holds exactly what the log reads, root included.
    const caughtUp = async () => {
      const deadline = Date.now() + 10_000;
      let want = await expectedRoot();
      while ((await log.size()) !== want.size && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        want = await expectedRoot();
      }
      expect(await log.size()).toBe(want.size);
      expect(await log.rootAt(want.size)).toEqual(want.root);
    };

    await append(5);
    const first = new TreeBuilder(database.pool, database.store, new TransparencyLog(database.pool), logger, 2);
    first.start();
    await append(4);
    await caughtUp();
    await first.stop();

    await append(3);
    const second = new TreeBuilder(database.pool, database.store, new TransparencyLog(database.pool), logger, 2);
    second.start();
    await caughtUp();

    // A rebuild elsewhere: reset and rebuilt from the log; the running builder notices and carries on.
    await log.reset();
    await log.appendEvents(await database.store.readAll({ limit: 10_000 }));
    await append(2);
    await caughtUp();
    expect(second.status().state).toBe('running');
    await second.stop();
  });
});
