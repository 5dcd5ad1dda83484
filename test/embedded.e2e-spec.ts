import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { withClient } from '@ktt/platform/database/with-client';
import { freePort } from '@ktt/testing/free-port';
import { startApi, type ApiProcess } from './support/api-process';
import { httpClient } from './support/http';
import { cooperative } from './support/fixtures';
import { isAlive, postmasterPid, stopPostmaster } from './support/postmaster';

const SEEDED = ['kien-giang-251-kh-ubnd-2023', 'yen-bai-ctr-tu-20-nq-tw'];
const SLOW = 180_000;

/**
 * The embedded default (architecture.md, "Runtime modes"): no DATABASE_URL, the
 * api starts its own PostgreSQL under DATA_DIR; data survives a graceful stop
 * and a crash (SIGKILL, which leaves the server orphaned and holding the data).
 */
describe('the embedded PostgreSQL default', () => {
  let dataDir: string;
  let api: ApiProcess | undefined;
  let port: number;
  let http: ReturnType<typeof httpClient>;
  /** Every write the api acknowledged: organization id → the eventIds of its history, in order. */
  const acknowledged = new Map<string, string[]>();

  /** The admin token the first start printed: the signing secret it was made with stays in DATA_DIR. */
  let firstAdminToken: string | undefined;

  async function start(embeddedPort: number): Promise<void> {
    port = embeddedPort;
    // DATABASE_URL, EVENTSTORE_CONNECTION_STRING and JWT_SECRET unset: the embedded default.
    api = await startApi({ DATA_DIR: dataDir, EMBEDDED_POSTGRES_PORT: String(port), DATABASE_URL: '', EVENTSTORE_CONNECTION_STRING: '' }, { generatedSecret: true });
    if (firstAdminToken === undefined) {
      // Printed once, after the server listens: wait for it rather than race the health answer.
      for (let i = 0; i < 50 && !api.output().includes('First start'); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const printed = /^First start: open (http:\/\/\S+)\/ and sign in with this admin token[^\n]*\n(\S+)\n/m.exec(api.output());
    if (firstAdminToken === undefined) {
      // A plain line with the URL to open, then the token on a line of its own: not inside a JSON log line.
      expect(printed?.[1]).toBe(`http://127.0.0.1:${new URL(api.baseUrl).port}`);
      expect(printed?.[2]).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(api.output().split('\n').filter((line) => line.startsWith('{') && line.includes(printed![2]))).toEqual([]);
      expect(api.output()).toContain('npm run cli -- token --role');
      // A short plain block after the token: where it is kept, how to load the demo.
      const block = api.output().slice(api.output().indexOf('First start'));
      expect(block).toContain(`\n  The token is kept in ${path.join(dataDir, 'first-admin-token')} (readable only by you).\n`);
      expect(block).toContain('\n  Load the demo (Kiên Giang, Yên Bái and An Giang, 2018 to today): npm run cli -- demo\n');
      expect(block.indexOf('npm run cli -- demo')).toBeGreaterThan(block.indexOf(printed![2]));
      // Also in a file of the data directory that only its owner can read.
      const file = path.join(dataDir, 'first-admin-token');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await readFile(file, 'utf8')).trim()).toBe(printed![2]);
      firstAdminToken = printed![2];
    } else {
      expect(printed).toBeNull(); // printed once, on the first start only
    }
    http = httpClient(api.baseUrl, { token: firstAdminToken });
  }

  /**
   * Writes, kills the api (SIGKILL) and starts it again on the port `nextPort` gives: the embedded server
   * outlives its parent and holds the data directory until the new start stops it; nothing acknowledged is lost.
   */
  async function crashAndRestart(year: number, nextPort: () => Promise<number>): Promise<void> {
    const id = await register();
    await rate(id, year);
    const orphan = postmasterPid(dataDir)!;
    await api!.kill();
    api = undefined;
    expect(isAlive(orphan)).toBe(true);
    expect(postmasterPid(dataDir)).toBe(orphan);

    await start(await nextPort());
    expect(isAlive(orphan)).toBe(false);
    expect(postmasterPid(dataDir)).not.toBe(orphan);
    await expectEverythingKept();
    await register();
  }

  /** SQL on the embedded server itself (its password is kept in DATA_DIR). */
  async function sql<T = any>(text: string): Promise<T[]> {
    const password = (await readFile(path.join(dataDir, 'postgres-password'), 'utf8')).trim();
    return withClient(`postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/ktt`, async (client) => (await client.query(text)).rows as T[]);
  }

  async function register(): Promise<string> {
    const body = cooperative();
    const answer = await http.post('/api/organizations', body);
    expect(answer.status).toBe(201);
    await remember(body.id);
    return body.id;
  }

  async function rate(id: string, year: number): Promise<void> {
    const answer = await http.post(`/api/organizations/${id}/ratings`, { rating: 'good', year, ratedOn: `${year}-12-20` });
    expect(answer.status).toBe(200);
    await remember(id);
  }

  async function remember(id: string): Promise<void> {
    const history = await http.get(`/api/organizations/${id}/events`);
    expect(history.status).toBe(200);
    acknowledged.set(id, history.body.map((event: { eventId: string }) => event.eventId));
  }

  /** Every acknowledged event is still there, in order, and the seeded plans are there once. */
  async function expectEverythingKept(): Promise<void> {
    expect(acknowledged.size).toBeGreaterThan(0);
    for (const [id, eventIds] of acknowledged) {
      const state = await http.get(`/api/organizations/${id}`);
      expect(state.status).toBe(200);
      expect(state.body.version).toBe(eventIds.length - 1);
      const history = await http.get(`/api/organizations/${id}/events`);
      expect(history.status).toBe(200);
      expect(history.body.map((event: { eventId: string }) => event.eventId)).toEqual(eventIds);
      expect(history.body.map((event: { revision: number }) => event.revision)).toEqual(eventIds.map((_, index) => index));
    }
    await expectPlansOnce();
  }

  async function expectPlansOnce(): Promise<void> {
    const plans = await http.get('/api/plans');
    expect(plans.status).toBe(200);
    expect(plans.body.map((plan: { id: string }) => plan.id).sort()).toEqual(SEEDED);
    const streams = await sql<{ stream_id: string; n: number }>(`SELECT stream_id, count(*)::int AS n FROM events WHERE stream_id LIKE 'plan-%' GROUP BY 1 ORDER BY 1`);
    expect(streams).toEqual(SEEDED.map((id) => ({ stream_id: `plan-${id}`, n: 1 })));
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'ktt-e2e-embedded-'));
  });

  afterAll(async () => {
    await api?.kill();
    // A killed api leaves its PostgreSQL running: stop it by the pid it wrote.
    if (dataDir) {
      await stopPostmaster(dataDir);
      await rm(dataDir, { recursive: true, force: true });
    }
  }, SLOW);

  it(
    'starts without DATABASE_URL, answers /health, registers a cooperative and adopts the seeded plans',
    async () => {
      await start(await freePort());
      const health = await fetch(`${api!.baseUrl}/health`);
      expect(health.status).toBe(200);
      expect(postmasterPid(dataDir)).not.toBeNull();
      const id = await register();
      await rate(id, 2021);
      await expectEverythingKept();
    },
    SLOW,
  );

  it(
    'keeps the organization, its events and the plans (adopted once) across SIGTERM and a new start',
    async () => {
      const pid = postmasterPid(dataDir)!;
      await api!.stop();
      api = undefined;
      // A graceful stop stops the embedded server too.
      expect(isAlive(pid)).toBe(false);
      await start(await freePort());
      await expectEverythingKept();
      await register();
    },
    SLOW,
  );

  it(
    'comes up after SIGKILL on a new port, stopping the orphaned server, with every acknowledged event',
    () => crashAndRestart(2022, freePort),
    SLOW,
  );

  it(
    'comes up after SIGKILL on the same port (the orphan holds it until stopped), with every acknowledged event',
    async () => {
      const samePort = port;
      await crashAndRestart(2023, async () => samePort);

      const pid = postmasterPid(dataDir)!;
      await api!.stop();
      api = undefined;
      expect(isAlive(pid)).toBe(false);
    },
    SLOW,
  );
});
