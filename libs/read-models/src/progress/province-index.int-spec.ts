import pino from 'pino';
import type { Pool } from 'pg';
import { OrganizationCommandHandler } from '@ktt/application';
import { loadDemo } from '@ktt/datagen';
import type { PostgresEventStore } from '@ktt/event-store';
import { createEventStoreDatabase, type EventStoreDatabase } from '@ktt/testing/postgres/event-store-database';
import { waitFor } from '@ktt/event-store/conformance/event-store.conformance';
import { Generation } from '../generations';
import { Projector } from '../projector/projector';
import { rebuildReadModels } from '../rebuild/rebuild';
import { snapshotHeldBack } from '../rebuild/visibility';
import { metricsAt } from './metrics-query';

const PROVINCE_INDEX = 'organization_timeline_province_until_idx';

/**
 * Migration 1733740000000: the timeline's province questions at an earlier `knownAt` are served by a
 * btree of every row (the GiST index on (province_code, valid, known) cost a rebuild 10-19 s). Every
 * generation, the one the migrations found and a rebuilt one, has the btree and no GiST index by
 * province, and a progress question at a past `knownAt` reads the btree alone.
 */
describe('the btree of every timeline row by province (instead of a GiST index)', () => {
  let database: EventStoreDatabase;
  let store: PostgresEventStore;
  let projector: Projector;

  beforeAll(async () => {
    ({ store } = database = await createEventStoreDatabase('province_btree'));
    expect((await loadDemo(new OrganizationCommandHandler(store), { scale: 0.02, today: '2026-06-30', store })).refusals).toBe(0);
    projector = new Projector(database.pool, store, pino({ level: 'silent' }));
    await projector.start();
    const head = await store.headPosition();
    await waitFor(() => projector.status().position === head, 30_000);
  }, 120_000);
  afterAll(async () => {
    await projector?.stop();
    await database?.dispose();
  });

  const provinceIndexes = async (schema: string) =>
    (
      await database.pool.query<{ name: string; method: string }>(
        `SELECT i.relname AS name, a.amname AS method FROM pg_index x
           JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
           JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_am a ON a.oid = i.relam
           JOIN pg_attribute c ON c.attrelid = t.oid AND c.attnum = x.indkey[0]
          WHERE n.nspname = $1 AND t.relname = 'organization_timeline' AND c.attname = 'province_code' ORDER BY 1`,
        [schema],
      )
    ).rows;

  it('is in the generation the migrations made, with no GiST index by province', async () => {
    const indexes = await provinceIndexes((await Generation.active(database.pool)).schema);
    expect(indexes).toContainEqual({ name: PROVINCE_INDEX, method: 'btree' });
    expect(indexes.filter((index) => index.method !== 'btree')).toEqual([]);
  });

  it('is in a rebuilt generation, and a progress question at a past knownAt reads it alone', async () => {
    const { schema, visibility } = await rebuildReadModels(database.pool, store);
    // What an index-only scan needs: its pages all-visible (visibility.ts).
    expect(visibility.filter(snapshotHeldBack)).toEqual([]);
    const indexes = await provinceIndexes(schema);
    expect(indexes).toContainEqual({ name: PROVINCE_INDEX, method: 'btree' });
    expect(indexes.filter((index) => index.method !== 'btree')).toEqual([]);

    const { rows } = await database.pool.query<{ unit: string; at: Date }>(
      `SELECT province_code AS unit, max(lower(known)) AS at FROM ${new Generation(database.pool, schema).identifier}.organization_timeline GROUP BY 1 ORDER BY 1 LIMIT 1`,
    );
    const statements: { text: string; values: unknown[] }[] = [];
    const recording = { query: (text: string, values: unknown[]) => (statements.push({ text, values }), database.pool.query(text, values)) } as unknown as Pool;
    await metricsAt(new Generation(recording, schema), [rows[0].unit], ['2024-06-30'], () => null, new Date(rows[0].at.getTime() - 86_400_000).toISOString());
    const counted = statements.find((statement) => /organization_timeline/.test(statement.text) && /known @>/.test(statement.text))!;
    expect(counted).toBeDefined();
    const client = await database.pool.connect();
    try {
      // The demo's tables are small enough for a sequential scan to win; the question is which index serves when one does.
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      await client.query('SET LOCAL enable_bitmapscan = off');
      const plan = JSON.stringify((await client.query(`EXPLAIN (FORMAT JSON) ${counted.text}`, counted.values)).rows[0]);
      expect(plan).toContain(`"Index Name":"${PROVINCE_INDEX}"`);
      expect(plan).toContain('"Node Type":"Index Only Scan"');
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }, 120_000);
});
