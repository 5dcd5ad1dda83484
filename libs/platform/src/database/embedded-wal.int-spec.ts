import { Client } from 'pg';

/**
 * The embedded server (the one the tests run on, started by startEmbeddedPostgres) keeps only the WAL
 * crash recovery needs: an index built after its table's load, in its own transaction, is not
 * written to the WAL as well (what a rebuild's index phase does, rebuild.ts).
 */
describe("the embedded server's WAL", () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ connectionString: process.env.TEST_DATABASE_ADMIN_URL });
    await client.connect();
  });
  afterAll(async () => {
    await client.query('DROP TABLE IF EXISTS embedded_wal_spec');
    await client.end();
  });

  it('is at wal_level minimal, with no WAL senders and checkpoints 8 GB of WAL apart', async () => {
    const { rows } = await client.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings WHERE name IN ('wal_level', 'max_wal_senders', 'max_wal_size') ORDER BY name`,
    );
    expect(rows).toEqual([
      { name: 'max_wal_senders', setting: '0', unit: null },
      { name: 'max_wal_size', setting: '8192', unit: 'MB' },
      { name: 'wal_level', setting: 'minimal', unit: null },
    ]);
  });

  it('writes an index built on a loaded table without logging its pages', async () => {
    await client.query('DROP TABLE IF EXISTS embedded_wal_spec');
    await client.query(`CREATE TABLE embedded_wal_spec AS SELECT i AS id, md5(i::text) AS label FROM generate_series(1, 200000) i`);
    // Its rows' hint bits set and frozen first: with data checksums on (initdb's default), the first scan setting
    // them logs each heap page, whatever the WAL level.
    await client.query('VACUUM (FREEZE) embedded_wal_spec');
    const before = (await client.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn() AS lsn')).rows[0].lsn;
    await client.query('CREATE INDEX embedded_wal_spec_label ON embedded_wal_spec (label)');
    const { rows } = await client.query<{ wal: string; index: string }>(
      `SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1)::bigint AS wal, pg_relation_size('embedded_wal_spec_label') AS index`,
      [before],
    );
    // At wal_level replica every page of the index is logged (10.7 MB of WAL for this 11.8 MB index).
    expect(Number(rows[0].index)).toBeGreaterThan(8_000_000);
    expect(Number(rows[0].wal)).toBeLessThan(Number(rows[0].index) / 10);
  });
});
