import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@ktt/testing/postgres/test-database';
import { refMth } from '@ktt/testing/rfc9162-reference';
import { CLI_MAIN, runCli, spawnNode } from './support/reliability';

/**
 * `cli rebuild` rebuilds the verifiable log's tree (derived data) with a figure
 * of its own, keeps the signed checkpoints and checks each against the rebuilt
 * roots: a checkpoint the log no longer matches is a loud exit 1 (issue 18).
 */
describe('cli rebuild and the verifiable log', () => {
  let database: TestDatabase;
  let client: Client;
  let hashes: Buffer[];

  const insertCheckpoint = (size: number, root: Buffer) =>
    client.query('INSERT INTO transparency_checkpoints (tree_size, root_hash, note) VALUES ($1, $2, $3)', [size, root, `test note ${size}`]);

  beforeAll(async () => {
    database = await createTestDatabase('e2e_tree_rebuild');
    await runCli(['seed-plans'], database.url); // the map and the plans: events to build a tree of
    client = new Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ hash: string }>(`SELECT metadata->>'hash' AS hash FROM events ORDER BY transaction_id, global_position`);
    hashes = rows.map((row) => Buffer.from(row.hash, 'hex'));
    expect(hashes.length).toBeGreaterThan(2);
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('rebuilds the tree after the read models, with its own figure, and finds every kept checkpoint in it', async () => {
    await insertCheckpoint(hashes.length, refMth(hashes));
    await insertCheckpoint(2, refMth(hashes, 2));
    const output = await runCli(['rebuild'], database.url);
    expect(output).toMatch(/read models rebuilt into \S+ \(generation \d+\) from \d+ events/);
    expect(output).toContain(`verifiable log's tree rebuilt from ${hashes.length} events in`);
    expect(output).toMatch(/\d+ leaves\/s\)/);
    expect(output).toContain('2 signed checkpoints kept, each matching the rebuilt tree\'s root at its size');
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM transparency_leaves');
    expect(rows[0]!.n).toBe(hashes.length);
  });

  it('exits 1 naming a checkpoint whose signed root the rebuilt log does not have', async () => {
    const rewritten = [...hashes.slice(0, 3)];
    rewritten[1] = createHash('sha256').update('an event rewritten after it was signed').digest();
    await insertCheckpoint(3, refMth(rewritten));
    const rebuild = spawnNode(CLI_MAIN, ['rebuild'], { DATABASE_URL: database.url, JWT_SECRET: 'x'.repeat(32) });
    expect(await rebuild.exited).toBe(1);
    expect(rebuild.output()).toContain(`TAMPERED: the checkpoint of size 3 signed root ${refMth(rewritten).toString('hex')}, the log rebuilds to ${refMth(hashes, 3).toString('hex')}`);
    expect(rebuild.output()).toContain('1 of 3 signed checkpoints do not match the log');
  });
});
