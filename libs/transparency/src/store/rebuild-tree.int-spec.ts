import { createHash, randomUUID } from 'node:crypto';
import type { EventToAppend } from '@ktt/event-store';
import { createEventStoreDatabase, type EventStoreDatabase } from '@ktt/testing/postgres/event-store-database';
import { readWholeLog } from '@ktt/testing/postgres/whole-log';
import { refMth } from '@ktt/testing/rfc9162-reference';
import { rebuildTree } from './rebuild-tree';
import { TransparencyLog } from './transparency-log';

function anEvent(): EventToAppend {
  return {
    type: 'Appended',
    data: {},
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
}

describe('rebuilding the tree from the log (cli rebuild)', () => {
  let database: EventStoreDatabase;
  let hashes: Buffer[];
  beforeAll(async () => {
    database = await createEventStoreDatabase('tree_rebuild');
    for (let i = 0; i < 23; i += 1) await database.store.append([{ streamId: `s-${i % 4}-${randomUUID()}`, expectedRevision: 'no_stream', events: [anEvent()] }]);
    // readWholeLog: other test files share the server, and their open transactions can hide the newest events a moment (whole-log.ts).
    hashes = (await readWholeLog(database.store, database.pool)).map((event) => Buffer.from(event.metadata.hash, 'hex'));
  });
  afterAll(() => database.dispose());

  it('rebuilds every leaf in the log\'s order, in pages, whatever the stored tree held before', async () => {
    const log = new TransparencyLog(database.pool);
    await log.appendEvents((await database.store.readAll({ limit: 5 })).reverse()); // a wrong tree to begin with
    const seen: number[] = [];
    const result = await rebuildTree(database.pool, database.store, { pageSize: 10, onProgress: (leaves) => seen.push(leaves) });
    expect(result.leaves).toBe(23);
    expect(seen).toEqual([10, 20, 23]);
    expect(await log.size()).toBe(23);
    expect(await log.rootAt(23)).toEqual(refMth(hashes));
    expect(result.checkpoints).toEqual({ checked: 0, mismatches: [] });
  });

  it('keeps the checkpoints and names each whose signed root is not the rebuilt one, or whose size the log no longer reaches', async () => {
    const insert = (size: number, root: Buffer) =>
      database.pool.query('INSERT INTO transparency_checkpoints (tree_size, root_hash, note) VALUES ($1, $2, $3)', [size, root, `note ${size}`]);
    await insert(7, refMth(hashes, 7));
    const forged = [...hashes.slice(0, 12)];
    forged[3] = createHash('sha256').update('rewritten').digest();
    await insert(12, refMth(forged, 12));
    await insert(40, refMth(hashes, 23));
    const result = await rebuildTree(database.pool, database.store);
    expect(result.checkpoints).toEqual({
      checked: 3,
      mismatches: [
        { treeSize: 12, signedRoot: refMth(forged, 12).toString('hex'), rebuiltRoot: refMth(hashes, 12).toString('hex') },
        { treeSize: 40, signedRoot: refMth(hashes, 23).toString('hex'), rebuiltRoot: null },
      ],
    });
    const { rows } = await database.pool.query('SELECT count(*)::int AS n FROM transparency_checkpoints');
    expect(rows[0].n).toBe(3);
  });
});
