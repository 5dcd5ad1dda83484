import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { withClient } from './with-client';
import { MIGRATIONS, runMigrations } from './migrations';

const FLAG_COLUMNS = ['digital_adoption', 'director_trained', 'enterprise_linked', 'high_tech', 'value_chain'];

/**
 * Migration 1733400000000 on a database made by the release before it: the flag columns of every
 * existing read-model schema (a replay's too) and of every new generation hold NULL (unknown), and
 * the generation built with the old meaning (ratings that never lapse) is replaced by a fresh one.
 */
describe('migration 1733400000000 (unknown flags, lapsing ratings) on an existing database', () => {
  const name = `upgrade_${randomBytes(6).toString('hex')}`;
  const admin = process.env.TEST_DATABASE_ADMIN_URL!;
  const owner = new URL(process.env.TEST_DATABASE_OWNER_URL!);
  owner.pathname = `/${name}`;
  const ownerUrl = owner.toString();
  const nullable = (schema: string) =>
    withClient(ownerUrl, async (client) =>
      (
        await client.query<{ column_name: string; is_nullable: string }>(
          `SELECT column_name, is_nullable FROM information_schema.columns
            WHERE table_schema = $1 AND table_name = 'organization_timeline' AND column_name = ANY($2) ORDER BY column_name`,
          [schema, FLAG_COLUMNS],
        )
      ).rows.map((row) => [row.column_name, row.is_nullable]),
    );
  const activeGeneration = () =>
    withClient(ownerUrl, async (client) => (await client.query<{ schema_name: string }>(`SELECT schema_name FROM read_model_generations WHERE state = 'active'`)).rows[0].schema_name);

  beforeAll(async () => {
    await withClient(admin, (client) => client.query(`CREATE DATABASE ${name} OWNER "${owner.username}"`));
    const before = MIGRATIONS.slice(0, MIGRATIONS.findIndex((migration) => migration.name === 'UnknownFlagsAndLapsingRatings1733400000000'));
    const dataSource = new DataSource({ type: 'postgres', url: ownerUrl, migrations: before, migrationsTableName: 'schema_migrations', schema: 'public', logging: false });
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.destroy();
    await withClient(ownerUrl, (client) => client.query(`SELECT ktt_create_read_models('replay_before')`));
  });
  afterAll(() => withClient(admin, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));

  it('makes the flag columns nullable in existing schemas and new generations, and starts a fresh generation', async () => {
    const oldGeneration = await activeGeneration();
    expect(await nullable('replay_before')).toEqual(FLAG_COLUMNS.map((column) => [column, 'NO']));
    expect(await runMigrations(ownerUrl)).toContain('UnknownFlagsAndLapsingRatings1733400000000');
    expect(await nullable('replay_before')).toEqual(FLAG_COLUMNS.map((column) => [column, 'YES']));
    const fresh = await activeGeneration();
    expect(fresh).not.toBe(oldGeneration);
    expect(await nullable(fresh)).toEqual(FLAG_COLUMNS.map((column) => [column, 'YES']));
    const schemas = await withClient(ownerUrl, async (client) => (await client.query(`SELECT nspname FROM pg_namespace WHERE nspname = $1`, [oldGeneration])).rows);
    expect(schemas).toEqual([]);
    // And a generation made later by a rebuild: the function itself makes them nullable.
    await withClient(ownerUrl, (client) => client.query(`SELECT ktt_create_read_models('replay_after')`));
    expect(await nullable('replay_after')).toEqual(FLAG_COLUMNS.map((column) => [column, 'YES']));
  });
});
