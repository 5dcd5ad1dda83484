import { Pool } from 'pg';
import { PostgresEventStore } from '@ktt/event-store';
import { readModelDigest, rebuildReadModels } from '@ktt/read-models';
import { createTestDatabase, type TestDatabase } from '@ktt/testing/postgres/test-database';
import { runCli } from './support/reliability';

/**
 * The built cli folds the rebuild's timelines in worker threads (rebuild/timeline-thread.ts); the
 * tests' TypeScript folds them in the rebuild's own thread. Both, from the same log, must give the
 * same read models: the digest of every table of the generation, independent of row order.
 */
describe('cli rebuild with the timelines folded in worker threads', () => {
  let database: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    database = await createTestDatabase('e2e_rebuild_threads');
    await runCli(['demo', '--scale', '0.02'], database.url, 300_000);
    pool = new Pool({ connectionString: database.url, max: 4 });
  }, 320_000);
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('writes the same read models as a rebuild in one thread', async () => {
    const output = await runCli(['rebuild'], database.url, 300_000);
    expect(output).toContain('(timelines in worker threads)');
    const threaded = output.match(/read models rebuilt into (\S+) /)![1];

    const store = new PostgresEventStore({ pool, connectionString: database.url });
    const inThread = await rebuildReadModels(pool, store, { timelineThreads: false });
    expect(inThread.timelineThreads).toBe(false);
    const [a, b] = [await readModelDigest(pool, threaded), await readModelDigest(pool, inThread.schema)];
    expect(a.tables.organization_timeline.rows).toBeGreaterThan(1000);
    expect(a).toEqual(b);
  }, 600_000);
});
