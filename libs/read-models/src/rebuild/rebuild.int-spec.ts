import { digestSchema } from '@ktt/testing/postgres/digest';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { OrganizationCommandHandler } from '@ktt/application';
import { loadDemo } from '@ktt/datagen';
import type { PostgresEventStore } from '@ktt/event-store';
import type { MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { createEventStoreDatabase } from '@ktt/testing/postgres/event-store-database';
import { waitFor } from '@ktt/event-store/conformance/event-store.conformance';
import { activeSchema } from '../generations';
import { Projector } from '../projector/projector';
import { rebuildReadModels } from './rebuild';
import { systemPrincipal } from '@ktt/auth';

const digest = (database: MigratedDatabase, schema: string) => digestSchema(database.pool, schema);

describe('blue-green rebuild of the read models', () => {
  let database: MigratedDatabase;
  let store: PostgresEventStore;
  let commands: OrganizationCommandHandler;
  let projector: Projector;
  let first: number;
  const generationSchema = (n: number) => `rm_${n}`;

  beforeAll(async () => {
    ({ store } = database = await createEventStoreDatabase('rebuild'));
    commands = new OrganizationCommandHandler(store);
    const summary = await loadDemo(commands, { scale: 0.02, today: '2026-06-30' });
    expect(summary.refusals).toBe(0);
    first = Number((await activeSchema(database.pool)).slice(3));
    projector = new Projector(database.pool, store, pino({ level: 'silent' }));
    await projector.start();
  });
  afterAll(async () => {
    await projector?.stop();
    await database?.dispose();
  });

  /** A generation's indexes and constraints, as PostgreSQL describes them, its schema's name left out. */
  const indexes = async (schema: string) =>
    (
      await database.pool.query<{ table: string; definition: string }>(
        `SELECT t.relname AS table, replace(pg_get_indexdef(i.oid), $1, 'schema.') AS definition
           FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
          WHERE n.nspname = $2 ORDER BY 1, 2`,
        [`${schema}.`, schema],
      )
    ).rows;

  const caughtUp = async (schema: string) => {
    const head = await store.headPosition();
    await waitFor(() => projector.status().schema === schema && projector.status().position === head, 30_000);
  };

  it('builds a new generation equal, row for row, to the incrementally built one, then serves from it', async () => {
    await caughtUp(generationSchema(first));
    const incremental = await digest(database, generationSchema(first));
    expect(Number(incremental.organization_timeline.split(':')[0])).toBeGreaterThan(100);
    // The demo moves some seats: relocations (which open timeline rows in another unit) are rebuilt row for row too.
    const { rows: relocations } = await database.pool.query(`SELECT count(*)::int AS n FROM events WHERE event_type = 'OrganizationRelocated'`);
    expect(relocations[0].n).toBeGreaterThan(0);

    const phases: string[] = [];
    const result = await rebuildReadModels(database.pool, store, { batchSize: 500, onProgress: (p) => phases.push(p.phase) });
    expect(result).toMatchObject({ generation: first + 1, schema: generationSchema(first + 1), retired: generationSchema(first) });
    expect(phases.at(-1)).toBe('done');
    expect(await digest(database, generationSchema(first + 1))).toEqual(incremental);
    const { rows } = await database.pool.query(`SELECT schema_name, state FROM read_model_generations WHERE generation >= $1 ORDER BY generation`, [first]);
    expect(rows).toEqual([
      { schema_name: generationSchema(first), state: 'retired' },
      { schema_name: generationSchema(first + 1), state: 'active' },
    ]);
    // Every index the migrations gave the first generation is back, audit_events' (built during the timeline phase) included.
    expect(await indexes(generationSchema(first + 1))).toEqual(await indexes(generationSchema(first)));
    expect((await indexes(generationSchema(first + 1))).filter((index) => index.table === 'audit_events').length).toBeGreaterThan(2);
  });

  it('keeps the live projector going: writes during a rebuild end up in the new generation', async () => {
    let written = 0;
    const write = async () => {
      const id = randomUUID();
      await commands.execute({
        command: { type: 'RegisterOrganization', organizationId: id, kind: 'cooperative_group', name: 'Tổ hợp tác mới', registrationNumber: `RB-${id.slice(0, 8)}`, provinceCode: '91', sector: 'other', registeredOn: '2026-01-01', memberCount: 3 },
        context: { principal: systemPrincipal('test'), correlationId: id, now: new Date('2026-06-30T03:00:00Z') },
      });
      written += 1;
    };
    const writes: Promise<void>[] = [];
    const result = await rebuildReadModels(database.pool, store, {
      batchSize: 200,
      // All five start at the rebuild's first progress report: how many reports follow depends on the
      // log's size and on whether the writes commit before the switch (CI once saw four reports).
      onProgress: () => {
        while (writes.length < 5) writes.push(write());
      },
    });
    await Promise.all(writes);
    expect(written).toBe(5);
    expect(result.schema).toBe(generationSchema(first + 2));
    await caughtUp(generationSchema(first + 2));
    // The first was dropped (two generations back); the second is kept, retired.
    const { rows: schemas } = await database.pool.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rm\\_%' ORDER BY 1`);
    expect(schemas.map((s) => s.nspname)).toEqual([generationSchema(first + 1), generationSchema(first + 2)]);
    // And it equals a clean rebuild of everything, the five late writes included.
    const live = await digest(database, generationSchema(first + 2));
    await projector.stop();
    await rebuildReadModels(database.pool, store);
    expect(await digest(database, generationSchema(first + 3))).toEqual(live);
  });

  it('gives its connections back to the pool with synchronous_commit as the server has it', async () => {
    await rebuildReadModels(database.pool, store);
    const clients = await Promise.all(Array.from({ length: database.pool.totalCount }, () => database.pool.connect()));
    try {
      const settings = await Promise.all(clients.map(async (client) => (await client.query('SHOW synchronous_commit')).rows[0].synchronous_commit));
      expect(settings.length).toBeGreaterThan(1);
      expect(new Set(settings)).toEqual(new Set(['on']));
    } finally {
      for (const client of clients) client.release();
    }
  });
});
