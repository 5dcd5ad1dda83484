import { OrganizationCommandHandler } from '@ktt/application';
import { loadDemo } from '@ktt/datagen';
import type { PostgresEventStore } from '@ktt/event-store';
import type { MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { createEventStoreDatabase } from '@ktt/testing/postgres/event-store-database';
import { rebuildReadModels } from './rebuild';

/** Each table of the schema with its storage options as PostgreSQL stores them (null: none). */
async function tableOptions(database: MigratedDatabase, schema: string): Promise<Record<string, string[] | null>> {
  const { rows } = await database.pool.query<{ table: string; options: string[] | null }>(
    `SELECT c.relname AS table, c.reloptions AS options FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY c.relname`,
    [schema],
  );
  return Object.fromEntries(rows.map((row) => [row.table, row.options]));
}

describe('autovacuum during a rebuild', () => {
  let database: MigratedDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    ({ store } = database = await createEventStoreDatabase('rebuild_autovacuum'));
    const summary = await loadDemo(new OrganizationCommandHandler(store), { scale: 0.005, today: '2026-06-30' });
    expect(summary.refusals).toBe(0);
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('is off on the building generation and on again once it is active', async () => {
    const whileBuilding: Record<string, string[] | null>[] = [];
    const seen = new Set<string>();
    const result = await rebuildReadModels(database.pool, store, {
      onProgress: ({ phase, schema }) => {
        // Read once per phase, while the rebuild goes on (its connection is its own).
        if (phase === 'done' || seen.has(phase)) return;
        seen.add(phase);
        whileBuilding.push({});
        const slot = whileBuilding.length - 1;
        void tableOptions(database, schema).then((options) => (whileBuilding[slot] = options));
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 200)); // the last read above settles
    const building = whileBuilding.find((options) => Object.keys(options).length > 0);
    expect(building).toBeDefined();
    for (const [table, options] of Object.entries(building!)) {
      // (toast.autovacuum_enabled is stored on the table's TOAST table.)
      expect({ table, options }).toEqual({ table, options: ['autovacuum_enabled=false'] });
    }
    const active = await tableOptions(database, result.schema);
    expect(Object.keys(active)).toEqual(expect.arrayContaining(['organization_facts', 'organization_timeline', 'audit_events']));
    for (const [table, options] of Object.entries(active)) expect({ table, options }).toEqual({ table, options: null });
  });
});
