import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { PostgresEventStore } from '@ktt/event-store';
import { rebuildReadModels } from '@ktt/read-models';
import { testEvent } from '@ktt/event-store/conformance/event-store.conformance';
import { createMigratedDatabase, type MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { runMigrations } from './migrations';

/**
 * Least privilege (architecture.md, "Runtime modes"): the
 * application connects as a role that appends and reads events and writes
 * read models, and can neither change history nor switch its guard off.
 */
describe('the application database role', () => {
  let database: MigratedDatabase;
  let app: Client;

  beforeAll(async () => {
    database = await createMigratedDatabase('roles');
    app = new Client({ connectionString: database.url });
    await app.connect();
  });
  afterAll(async () => {
    await app.end();
    await database.dispose();
  });

  it('is the application role, not a superuser, and not a member of the owner', async () => {
    const { rows } = await app.query(
      `SELECT current_user AS name, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls,
              pg_has_role(current_user, (SELECT tableowner FROM pg_tables WHERE tablename = 'events' AND schemaname = 'public'), 'MEMBER') AS owns_events
         FROM pg_roles WHERE rolname = current_user`,
    );
    expect(rows[0]).toEqual({ name: 'ktt_app', rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false, owns_events: false });
  });

  it.each([
    ['UPDATE', "UPDATE events SET event_type = 'Forged'"],
    ['DELETE', 'DELETE FROM events'],
    ['TRUNCATE', 'TRUNCATE events'],
  ])('may not %s events (permission denied, before the trigger is even asked)', async (_operation, sql) => {
    await expect(app.query(sql)).rejects.toMatchObject({ code: '42501', message: expect.stringMatching(/permission denied for table events/) });
  });

  it.each([
    ['an old transaction id', `INSERT INTO events (transaction_id, stream_id, stream_revision, event_id, event_type, data, metadata) VALUES ('9'::xid8, 'forged-1', 0, gen_random_uuid(), 'Forged', '{}', '{}')`],
    ['a global position of its choosing', `INSERT INTO events (global_position, stream_id, stream_revision, event_id, event_type, data, metadata) OVERRIDING SYSTEM VALUE VALUES (1, 'forged-2', 0, gen_random_uuid(), 'Forged', '{}', '{}')`],
  ])('may not insert an event at %s (behind every reader)', async (_what, sql) => {
    await expect(app.query(sql)).rejects.toMatchObject({ code: '42501' });
  });

  it.each([
    ['disable the append-only trigger', 'ALTER TABLE events DISABLE TRIGGER events_append_only'],
    ['disable every trigger', 'ALTER TABLE events DISABLE TRIGGER ALL'],
    ['drop the append-only trigger', 'DROP TRIGGER events_append_only ON events'],
    ['drop the truncate trigger', 'DROP TRIGGER events_no_truncate ON events'],
    ['replace the trigger function', `CREATE OR REPLACE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$`],
    ['drop the events table', 'DROP TABLE events'],
    ['take over the events table', 'ALTER TABLE events OWNER TO ktt_app'],
    ['skip ordinary triggers (replica mode)', 'SET session_replication_role = replica'],
  ])('may not %s', async (_what, sql) => {
    await expect(app.query(sql)).rejects.toMatchObject({ code: '42501' });
    const { rows } = await app.query(`SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'events'::regclass AND NOT tgisinternal ORDER BY tgname`);
    expect(rows).toEqual([
      { tgname: 'events_append_only', tgenabled: 'O' },
      { tgname: 'events_no_truncate', tgenabled: 'O' },
      { tgname: 'events_notify', tgenabled: 'O' },
    ]);
  });

  it('rebuilds the read models into new generations (twice: the migrations\' first one is dropped)', async () => {
    const store = new PostgresEventStore({ pool: database.pool, connectionString: database.url });
    const first = await rebuildReadModels(database.pool, store);
    const second = await rebuildReadModels(database.pool, store);
    expect(second.retired).toBe(first.schema);
    const { rows } = await app.query(`SELECT nspname, pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname ~ '^rm_' ORDER BY nspname`);
    // rm_1 (made by the migrations, as the owner) is gone: the application role dropped it.
    expect(rows).toEqual([
      { nspname: first.schema, owner: 'ktt_app' },
      { nspname: second.schema, owner: 'ktt_app' },
    ]);
  });

  it('cannot plant what the owner runs: a schema named after the owner is not on the owner\'s search path', async () => {
    // The owner's default search path is "$user", public: a schema of that name, which the application role may
    // create (it creates every generation's schema), would come first. A table there named schema_migrations,
    // with a trigger of the application role's, would run as the owner when the migrations record themselves.
    const { rows } = await app.query<{ owner: string }>(`SELECT tableowner AS owner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'events'`);
    const planted = `"${rows[0].owner}"`;
    await app.query(`CREATE SCHEMA ${planted}`);
    try {
      await app.query(`CREATE TABLE ${planted}.schema_migrations (id serial PRIMARY KEY, "timestamp" bigint NOT NULL, name varchar NOT NULL)`);
      await app.query(`CREATE FUNCTION ${planted}.escalate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN EXECUTE 'ALTER TABLE public.events DISABLE TRIGGER events_append_only'; RETURN NEW; END $$`);
      await app.query(`CREATE TRIGGER escalate BEFORE INSERT ON ${planted}.schema_migrations FOR EACH ROW EXECUTE FUNCTION ${planted}.escalate()`);

      await expect(runMigrations(database.ownerUrl)).resolves.toEqual([]);
      const { rows: triggers } = await app.query(`SELECT tgenabled FROM pg_trigger WHERE tgrelid = 'public.events'::regclass AND tgname = 'events_append_only'`);
      expect(triggers).toEqual([{ tgenabled: 'O' }]);
      expect((await app.query(`SELECT count(*)::int AS n FROM ${planted}.schema_migrations`)).rows[0].n).toBe(0);
    } finally {
      await app.query(`DROP SCHEMA ${planted} CASCADE`);
    }
  });

  it('appends and reads events', async () => {
    const store = new PostgresEventStore({ pool: database.pool, connectionString: database.url });
    const streamId = `probe-${randomUUID()}`;
    await store.append([{ streamId, expectedRevision: 'no_stream', events: [testEvent('Probed')] }]);
    expect((await store.readStream(streamId)).map((event) => event.type)).toEqual(['Probed']);
  });
});
