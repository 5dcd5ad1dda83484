import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Pool } from 'pg';
import { hashEvent, PostgresEventStore, type Position } from '@ktt/event-store';
import { createTestDatabase, type TestDatabase } from '@ktt/testing/postgres/test-database';
import { refLeafHash, refVerifyInclusion } from '@ktt/testing/rfc9162-reference';
import { formatCheckpoint, generateSignerKey, parseSignerKey, signNote, TransparencyLog } from '@ktt/transparency';
import { ROOT, startApi, type ApiProcess } from './support/api-process';
import { httpClient } from './support/http';
import { cooperative, union } from './support/fixtures';

const CLI_MAIN = path.join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');
const ORIGIN = 'tamper.test/log';

/** The built cli, as an auditor runs it: no database, no token. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI_MAIN, ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/**
 * Issue 18, "Done when", the tamper test: whoever runs the database rewrites one event past the
 * append-only trigger and recomputes its hash and its stream's chain, so the chain check alone says
 * ok; the verifiable log still gives it away.
 */
describe('verifiable log: an event rewritten by the database superuser', () => {
  let database: TestDatabase;
  let api: ApiProcess;
  let dir: string;
  const key = generateSignerKey(ORIGIN);
  const env = () => ({ DATABASE_URL: database.url, TRANSPARENCY_ORIGIN: ORIGIN, TRANSPARENCY_KEY: key, TRANSPARENCY_CHECKPOINT_SECONDS: '1', TRANSPARENCY_CHECKPOINT_EVENTS: '1000' });
  let admin: ReturnType<typeof httpClient>;
  let auditor: ReturnType<typeof httpClient>;
  let open: ReturnType<typeof httpClient>;
  let coopId: string;
  let unionId: string;
  let dissolvedId: string;
  let knownBeforeChange: string;
  let tampered: { eventId: string; revision: number };
  const files = { checkpoint: '', key: '', extract: '' };
  let saved: { note: string; size: number; root: Buffer };

  /** The latest checkpoint once it covers `size` leaves (checkpoints every second here). */
  async function checkpointCovering(size: number): Promise<{ note: string; size: number; root: Buffer }> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const answer = await open.get('/api/transparency/checkpoint');
      if (answer.status === 200) {
        const [, treeSize, root] = String(answer.body).split('\n');
        if (Number(treeSize) >= size) return { note: answer.body, size: Number(treeSize), root: Buffer.from(root, 'base64') };
      }
      if (Date.now() > deadline) throw new Error(`no checkpoint covering ${size} events within 20 s: ${answer.status} ${String(answer.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async function eventsStored(client: Client): Promise<number> {
    return (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0].n;
  }

  async function superuser<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ connectionString: database.adminUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ktt-tamper-'));
    files.checkpoint = path.join(dir, 'checkpoint.txt');
    files.key = path.join(dir, 'verifier-key.txt');
    files.extract = path.join(dir, 'extract.json');
    database = await createTestDatabase('e2e_tamper');
    api = await startApi(env());
    admin = httpClient(api.baseUrl, { token: api.adminToken });
    auditor = httpClient(api.baseUrl, { token: api.token('auditor') });
    open = httpClient(api.baseUrl, { readYourWrites: false });
    const coops = [cooperative(), cooperative(), cooperative()];
    for (const body of coops) expect((await admin.post('/api/organizations', body)).status).toBe(201);
    coopId = coops[0].id;
    unionId = (await admin.post('/api/organizations', union(coops.map((c) => c.id)))).body.id;
    knownBeforeChange = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await admin.post(`/api/organizations/${coopId}/membership`, { memberCount: 15, effectiveOn: '2021-06-01' })).status).toBe(200);
    expect((await admin.post(`/api/organizations/${coopId}/ratings`, { rating: 'good', year: 2025, ratedOn: '2026-01-10' })).status).toBe(200);
    // A member dissolved: the union's extract no longer lists it (the member's own stream says so).
    expect((await admin.post(`/api/organizations/${coops[2].id}/dissolution`, { effectiveOn: '2023-01-01', mode: 'voluntary', decisionRef: 'QĐ 7' })).status).toBe(200);
    dissolvedId = coops[2].id;
    // The auditor keeps a checkpoint and the verifier key, and an extract is handed to a bank.
    saved = await checkpointCovering(await superuser(eventsStored));
    await writeFile(files.checkpoint, saved.note);
    const verifierKey = await open.get('/api/transparency/key');
    expect(verifierKey.status).toBe(200);
    await writeFile(files.key, verifierKey.body);
    const extract = await auditor.get(`/api/organizations/${coopId}/extract`);
    expect(extract.status).toBe(200);
    expect(extract.body.state).toMatchObject({ id: coopId, memberCount: 15, unionIds: [unionId], rating: { rating: 'good', year: 2025 } });
    // The fold of the extract's events says what the read model says.
    expect(extract.body.state).toEqual((await auditor.get(`/api/organizations/${coopId}`)).body);
    await writeFile(files.extract, JSON.stringify(extract.body));
    // The log grows past the saved checkpoint: the next checkpoint must extend it.
    expect((await admin.post('/api/organizations', cooperative())).status).toBe(201);
    await checkpointCovering(saved.size + 1);
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('gives extracts to auditors, admins and registrars of the organization\'s province only', async () => {
    const as = (token?: string) => httpClient(api.baseUrl, { token }).get(`/api/organizations/${coopId}/extract?asOf=2024-12-31`);
    expect((await as(api.adminToken)).status).toBe(200);
    const registrar = await as(api.token('registrar', ['91']));
    expect(registrar.status).toBe(200);
    expect(registrar.body).toMatchObject({ organizationId: coopId, asOf: '2024-12-31', state: { provinceCode: '91' }, verifierKey: expect.stringMatching(/^tamper\.test\/log\+[0-9a-f]{8}\+/) });
    const elsewhere = await as(api.token('registrar', ['01']));
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.code).toBe('FORBIDDEN');
    expect((await as(api.token('analyst'))).status).toBe(403);
    expect((await as()).status).toBe(401);
    expect((await as(api.adminToken)).status).toBe(200);
    const unknown = await httpClient(api.baseUrl, { token: api.adminToken }).get(`/api/organizations/${coopId}/extract?asOf=2019-01-01`);
    expect(unknown.status).toBe(404);
  });

  it('makes extracts of a union and as known at an earlier time, each the read model\'s state and each verifying offline', async () => {
    const cases = [
      [`/api/organizations/${unionId}/extract`, `/api/organizations/${unionId}`],
      [`/api/organizations/${unionId}/extract?asOf=2022-12-31`, `/api/organizations/${unionId}?asOf=2022-12-31`],
      // Known before the membership change was recorded: the member count registered.
      [`/api/organizations/${coopId}/extract?knownAt=${encodeURIComponent(knownBeforeChange)}`, `/api/organizations/${coopId}?knownAt=${encodeURIComponent(knownBeforeChange)}`],
    ];
    for (const [extractPath, statePath] of cases) {
      const extract = await auditor.get(extractPath);
      expect({ extractPath, status: extract.status }).toEqual({ extractPath, status: 200 });
      expect(extract.body.state).toEqual((await auditor.get(statePath)).body);
      const file = path.join(dir, 'extract-case.json');
      await writeFile(file, JSON.stringify(extract.body));
      const report = await cli(['verify-extract', file, '--key', files.key]);
      expect({ extractPath, code: report.code, out: report.stdout }).toEqual({ extractPath, code: 0, out: expect.stringMatching(/^VERIFIED/m) });
    }
    const now = (await auditor.get(cases[0][0])).body.state.memberCooperativeIds;
    expect(now).not.toContain(dissolvedId);
    expect((await auditor.get(cases[1][0])).body.state.memberCooperativeIds).toContain(dissolvedId);
    expect((await auditor.get(cases[2][0])).body.state).toMatchObject({ memberCount: 12, version: 0 });
  });

  it('before the tampering, the extract verifies offline and the log extends the saved checkpoint', async () => {
    const extract = await cli(['verify-extract', files.extract, '--key', files.key]);
    expect(extract.stdout).toMatch(/^VERIFIED: extract of organization/m);
    expect(extract.code).toBe(0);
    const log = await cli(['verify-log', '--checkpoint', files.checkpoint, '--url', api.baseUrl, '--key', files.key]);
    expect(log.stdout).toMatch(/consistency proof from tree size \d+ to \d+ verified/);
    expect(log.code).toBe(0);
  });

  it('after the rewrite with its hash and chain recomputed, the chain check alone says ok, the tree names the event', async () => {
    // The membership change (revision 1): memberCount 15 becomes 150, then every hash of the stream from it on is recomputed.
    tampered = await superuser(async (client) => {
      const { rows } = await client.query<{ event_id: string; stream_revision: string; event_type: string; data: Record<string, unknown>; metadata: Record<string, unknown> }>(
        'SELECT event_id::text, stream_revision, event_type, data, metadata FROM events WHERE stream_id = $1 ORDER BY stream_revision',
        [`organization-${coopId}`],
      );
      await client.query('BEGIN');
      await client.query('SET LOCAL session_replication_role = replica'); // the append-only trigger no longer fires
      let previousHash: unknown = null;
      for (const [revision, row] of rows.entries()) {
        const data = revision === 1 ? { ...row.data, memberCount: 150 } : row.data;
        const metadata = { ...row.metadata, previousHash };
        const hash = hashEvent({ streamId: `organization-${coopId}`, revision, type: row.event_type, data, metadata: metadata as never });
        await client.query('UPDATE events SET data = $2, metadata = $3 WHERE event_id = $1', [row.event_id, data, { ...metadata, hash }]);
        previousHash = hash;
      }
      await client.query('COMMIT');
      // The chain alone holds again: every stored hash recomputes and links to the one before.
      const after = await client.query<{ stream_revision: string; event_type: string; data: Record<string, unknown>; metadata: Record<string, any> }>(
        'SELECT stream_revision, event_type, data, metadata FROM events WHERE stream_id = $1 ORDER BY stream_revision',
        [`organization-${coopId}`],
      );
      after.rows.forEach((row, revision) => {
        expect(hashEvent({ streamId: `organization-${coopId}`, revision, type: row.event_type, data: row.data, metadata: row.metadata as never })).toBe(row.metadata.hash);
        expect(row.metadata.previousHash).toBe(revision === 0 ? null : after.rows[revision - 1].metadata.hash);
      });
      return { eventId: rows[1].event_id, revision: 1 };
    });
    const chain = await auditor.get(`/api/audit/verify?streamId=organization-${coopId}`);
    expect(chain.body).toMatchObject({ ok: false, firstBrokenAt: { streamId: `organization-${coopId}`, revision: 1, eventId: tampered.eventId, reason: 'leaf' } });
    const all = await auditor.get('/api/audit/verify');
    expect(all.body).toMatchObject({ ok: false, firstBrokenAt: { eventId: tampered.eventId, reason: 'leaf' } });
  });

  it('the tampered event\'s inclusion proof does not verify against the saved checkpoint (checked by the test\'s own RFC 9162 verifier)', async () => {
    const proof = await auditor.get(`/api/transparency/proof/inclusion?eventId=${tampered.eventId}&treeSize=${saved.size}`);
    expect(proof.status).toBe(200);
    expect(proof.body.event.data.memberCount).toBe(150);
    const hash = hashEvent(proof.body.event);
    expect(hash).toBe(proof.body.event.metadata.hash); // rehashed: its own hash holds
    const path = proof.body.auditPath.map((hex: string) => Buffer.from(hex, 'hex'));
    expect(refVerifyInclusion(refLeafHash(Buffer.from(hash, 'hex')), proof.body.leafIndex, saved.size, path, saved.root)).toBe(false);
    // An untouched event of the same checkpoint still proves: the check can say yes.
    const union0 = (await admin.get(`/api/organizations/${unionId}/events`)).body[0];
    const good = await auditor.get(`/api/transparency/proof/inclusion?eventId=${union0.eventId}&treeSize=${saved.size}`);
    const goodPath = good.body.auditPath.map((hex: string) => Buffer.from(hex, 'hex'));
    expect(refVerifyInclusion(refLeafHash(Buffer.from(hashEvent(good.body.event), 'hex')), good.body.leafIndex, saved.size, goodPath, saved.root)).toBe(true);
  });

  it('an extract made before the tampering still verifies offline; one made after does not', async () => {
    const before = await cli(['verify-extract', files.extract, '--key', files.key]);
    expect(before.code).toBe(0);
    const after = await auditor.get(`/api/organizations/${coopId}/extract`);
    expect(after.status).toBe(200);
    const file = path.join(dir, 'extract-after.json');
    await writeFile(file, JSON.stringify(after.body));
    const report = await cli(['verify-extract', file, '--key', files.key]);
    expect(report.stdout).toMatch(new RegExp(`FAILED  event ${tampered.eventId} .*: its inclusion proof does not lead to the checkpoint's root`));
    expect(report.code).toBe(1);
  });

  it('verify-log with the saved checkpoint fails once the tamperer rebuilt the tree\'s stored nodes from the altered log and signs its root', async () => {
    await api.stop();
    await rebuildTreeAsTheTamperer();
    api = await startApi(env());
    admin = httpClient(api.baseUrl, { token: api.adminToken });
    open = httpClient(api.baseUrl, { readYourWrites: false });
    const before = await checkpointCovering(0);
    // The server itself refuses to sign a tree that does not extend its last checkpoint: the log stops being certified.
    expect((await admin.post('/api/organizations', cooperative())).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect((await checkpointCovering(0)).size).toBe(before.size);
    // Whoever holds the server's key signs the rebuilt tree's root by hand, as a log that goes on would publish it.
    await forgeCheckpointOverTheRebuiltTree();
    const forged = await checkpointCovering(before.size + 1);
    expect(forged.note).toMatch(/\n\u2014 tamper\.test\/log /);
    const log = await cli(['verify-log', '--checkpoint', files.checkpoint, '--url', api.baseUrl, '--key', files.key]);
    expect(log.stdout).toMatch(/FAILED  the consistency proof from tree size \d+ to \d+ does not hold/);
    expect(log.stdout).toMatch(/^NOT VERIFIED: log at /m);
    expect(log.code).toBe(1);
    // And the extract made before still verifies: it needs nothing of the server.
    expect((await cli(['verify-extract', files.extract, '--key', files.key])).code).toBe(0);
  }, 120_000);

  /** The tamperer signs a checkpoint of the whole rebuilt tree with the server's own key and stores it (as the superuser). */
  async function forgeCheckpointOverTheRebuiltTree(): Promise<void> {
    const pool = new Pool({ connectionString: database.adminUrl, max: 2 });
    try {
      const tree = new TransparencyLog(pool);
      // Past the last signed size: the event registered after the restart is in the tree (the builder follows the log).
      const signed = (await pool.query<{ n: string }>('SELECT max(tree_size)::text AS n FROM transparency_checkpoints')).rows[0].n;
      const deadline = Date.now() + 10_000;
      while ((await tree.size()) <= Number(signed) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      const size = await tree.size();
      const note = signNote(formatCheckpoint({ origin: ORIGIN, treeSize: size, rootHash: await tree.rootAt(size) }), parseSignerKey(key));
      await pool.query('INSERT INTO transparency_checkpoints (tree_size, root_hash, note, issued_at) VALUES ($1, $2, $3, now())', [size, await tree.rootAt(size), note]);
    } finally {
      await pool.end();
    }
  }

  /** The tamperer, as the superuser, rebuilds the tree from the altered log with the product's own code. */
  async function rebuildTreeAsTheTamperer(): Promise<void> {
    const pool = new Pool({ connectionString: database.adminUrl, max: 2 });
    try {
      const store = new PostgresEventStore({ pool, connectionString: database.adminUrl });
      const tree = new TransparencyLog(pool);
      await tree.reset();
      let after: Position | undefined;
      for (;;) {
        const page = await store.readAll({ after, limit: 1000 });
        if (page.length === 0) break;
        await tree.appendEvents(page);
        after = page[page.length - 1].position;
      }
      // The rebuilt tree no longer holds the signed root at the saved size.
      expect((await tree.rootAt(saved.size)).equals(saved.root)).toBe(false);
    } finally {
      await pool.end();
    }
  }
});
