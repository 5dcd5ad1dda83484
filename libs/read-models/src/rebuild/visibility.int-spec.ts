import type { PoolClient } from 'pg';
import { createMigratedDatabase, type MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { snapshotHeldBack, vacuumUntilAllVisible, visibilityOf } from './visibility';

const SCHEMA = 'replay_visibility_spec';

/**
 * A snapshot older than a table's rows keeps VACUUM from marking their pages all-visible; the rebuild
 * vacuums again after pauses while such a snapshot may still close, and says what stayed unmarked.
 */
describe('vacuuming a rebuilt table until its pages are all-visible', () => {
  let database: MigratedDatabase;
  let holder: PoolClient;

  beforeAll(async () => {
    database = await createMigratedDatabase('rebuild_visibility');
  });
  beforeEach(async () => {
    await database.pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await database.pool.query(`CREATE SCHEMA ${SCHEMA}`);
    await database.pool.query(`CREATE TABLE ${SCHEMA}.rows (id int, filler text)`);
    // A transaction whose snapshot predates the rows, as a reader's or an autovacuum ANALYZE's during a load.
    holder = await database.pool.connect();
    await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await holder.query('SELECT 1');
    await database.pool.query(`INSERT INTO ${SCHEMA}.rows SELECT i, repeat('x', 200) FROM generate_series(1, 5000) i`);
    await database.pool.query(`VACUUM ${SCHEMA}.rows`);
  });
  afterEach(async () => {
    await holder.query('ROLLBACK').catch(() => undefined);
    holder.release();
  });
  afterAll(async () => {
    await database?.dispose();
  });

  /** The pool's query, each VACUUM it sends counted. */
  function counting(): { client: { query: MigratedDatabase['pool']['query'] }; vacuums: () => number } {
    const sent: string[] = [];
    const query = ((text: string, values?: unknown[]) => (sent.push(text), database.pool.query(text, values))) as MigratedDatabase['pool']['query'];
    return { client: { query }, vacuums: () => sent.filter((text) => /^VACUUM /.test(text)).length };
  }

  it('marks every page once the older snapshot has closed during a pause', async () => {
    const [before] = await visibilityOf(database.pool, SCHEMA, ['rows']);
    expect(before.pages).toBeGreaterThan(10);
    expect(before.allVisible).toBe(0); // the first VACUUM could mark none of them

    setTimeout(() => void holder.query('COMMIT'), 50); // closes within the first pause (250 ms)
    const { client, vacuums } = counting();
    const [after] = await vacuumUntilAllVisible(client, SCHEMA, ['rows']);
    expect(after).toEqual({ table: 'rows', pages: before.pages, allVisible: before.pages });
    expect(vacuums()).toBe(1);
  });

  it('reports the pages a snapshot held past every pause kept unmarked', async () => {
    const { client, vacuums } = counting();
    const [after] = await vacuumUntilAllVisible(client, SCHEMA, ['rows']);
    expect(after.pages).toBeGreaterThan(10);
    expect(after.allVisible).toBe(0);
    expect(vacuums()).toBe(4); // once after each pause, then it gave up
  });

  it('does not vacuum again when the first VACUUM marked every page', async () => {
    await holder.query('COMMIT');
    await database.pool.query(`VACUUM ${SCHEMA}.rows`);
    const { client, vacuums } = counting();
    const [after] = await vacuumUntilAllVisible(client, SCHEMA, ['rows']);
    expect(after.pages).toBeGreaterThan(10);
    expect(after.allVisible).toBe(after.pages);
    expect(vacuums()).toBe(0);
  });

  it('takes a few unmarked pages for the zeroed ones a bulk load leaves, more than 1 % for a snapshot held back', () => {
    expect(snapshotHeldBack({ table: 'organization_timeline', pages: 77_883, allVisible: 77_829 })).toBe(false); // the national log's
    expect(snapshotHeldBack({ table: 'organization_timeline', pages: 73, allVisible: 0 })).toBe(true); // CI's
    expect(snapshotHeldBack({ table: 'organization_timeline', pages: 1_000, allVisible: 989 })).toBe(true);
    expect(snapshotHeldBack({ table: 'union_memberships', pages: 0, allVisible: 0 })).toBe(false);
  });
});
