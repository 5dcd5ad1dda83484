import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { testPool } from '@ktt/testing/postgres/test-database';
import { freePort } from '@ktt/testing/free-port';
import { startApi, type ApiProcess } from '../support/api-process';
import { cooperative } from '../support/fixtures';
import { stopPostmaster } from '../support/postmaster';
import { startPostgresProcess, type PostgresProcess } from '../support/embedded-postgres';
import { checkpoint, headPosition, recordFigures, sleep, waitFor } from '../support/reliability';

/**
 * PostgreSQL goes away mid-load and comes back. Meanwhile the api answers 503 with
 * Retry-After and /health names the failing check; afterwards the api and the projector recover by
 * themselves, and every acknowledged command is stored.
 */
describe('reliability: PostgreSQL goes away and comes back', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ktt-rel-pg-'));
  let port: number;
  let server: PostgresProcess | null = null;
  let url: string;
  let api: ApiProcess | null = null;
  const figures: Record<string, unknown> = {};

  async function startServer(): Promise<string> {
    server = await startPostgresProcess({ dataDir, port, database: 'ktt' });
    return server.url;
  }

  /** As an outage does: the server dies at once (no clean shutdown of the Node wrapper), then the postmaster stops fast. */
  async function killServer(): Promise<void> {
    await server?.kill();
    server = null;
    await stopPostmaster(dataDir);
  }

  beforeAll(async () => {
    port = await freePort();
    url = await startServer();
  }, 120_000);
  afterAll(async () => {
    await api?.kill();
    await killServer();
    recordFigures('databaseOutage', figures);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After while it is away, reports it on /health, and recovers by itself', async () => {
    api = await startApi({ DATABASE_URL: url, SEED_PLANS: 'false' });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${api.adminToken}` };
    const acknowledged: string[] = [];
    const statuses: Record<string, number> = {};
    const unavailableWithoutRetryAfter: number[] = [];
    let running = true;
    const lane = async () => {
      while (running) {
        const body = cooperative();
        try {
          const response = await fetch(`${api!.baseUrl}/api/organizations`, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
          await response.text();
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
          if (response.status === 201) acknowledged.push(body.registrationNumber as string);
          else if (response.status === 503) {
            if (!response.headers.get('retry-after')) unavailableWithoutRetryAfter.push(response.status);
            await sleep(200);
          }
        } catch {
          statuses.network = (statuses.network ?? 0) + 1;
          await sleep(200);
        }
      }
    };
    const lanes = Array.from({ length: 4 }, lane);
    try {
    await waitFor(() => acknowledged.length >= 40, 30_000, 'writes before the outage');
    const beforeOutage = acknowledged.length;

    await killServer();
    const downAt = Date.now();
    // /health: 503 naming the failing check; the projector waits for the database.
    const health = await waitFor(async () => {
      const response = await fetch(`${api!.baseUrl}/health`, { headers }); // an admin token: the details
      const body = (await response.json()) as any;
      return response.status === 503 && body.details?.database?.status === 'down' && body.details?.projector?.state === 'waiting-for-database'
        ? { status: response.status, retryAfter: response.headers.get('retry-after'), body }
        : null;
    }, 30_000, '/health to report the outage', 250);
    expect(health.retryAfter).toBeTruthy();
    expect(health.body.error.database.message).toMatch(/PostgreSQL/);
    // A write while it is away: 503 STORAGE_UNAVAILABLE with Retry-After.
    const during = await fetch(`${api.baseUrl}/api/organizations`, { method: 'POST', headers, body: JSON.stringify(cooperative()) });
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toBeTruthy();
    expect(((await during.json()) as any).code).toBe('STORAGE_UNAVAILABLE');
    const read = await fetch(`${api.baseUrl}/api/organizations/${randomUUID()}`, { headers });
    expect(read.status).toBe(503);
    expect(read.headers.get('retry-after')).toBeTruthy();
    await sleep(2000);

    const restartedServer = Date.now();
    const newUrl = await startServer();
    expect(newUrl).toBe(url);
    const serverBack = Date.now();
    await waitFor(async () => (await fetch(`${api!.baseUrl}/health`)).status === 200, 60_000, '/health to recover', 100);
    const healthBack = Date.now();
    const writesBefore = acknowledged.length;
    await waitFor(() => acknowledged.length > writesBefore + 10, 60_000, 'writes to succeed again', 50);
    const writesBack = Date.now();
    running = false;
    await Promise.all(lanes);

    // Every acknowledged command is stored; the projector resumed and caught up.
    const pool = testPool(url, 2);
    try {
      const { rows } = await pool.query(`SELECT data->>'registrationNumber' AS rn FROM events WHERE event_type = 'OrganizationRegistered'`);
      const stored = new Set(rows.map((r) => r.rn));
      const lost = acknowledged.filter((rn) => !stored.has(rn.toUpperCase()) && !stored.has(rn));
      expect(lost).toEqual([]);
      const head = await headPosition(pool);
      await waitFor(async () => (await checkpoint(pool)) === head, 30_000, 'the projector to catch up');
      const projector = (await (await fetch(`${api.baseUrl}/health`, { headers })).json()) as any;
      expect(projector.details.projector.state).toBe('running');
      expect(unavailableWithoutRetryAfter).toEqual([]);
      expect(statuses['500']).toBeUndefined(); // an outage is a 503, never an internal error
      expect(api.process.exitCode).toBeNull();
      figures.commandsSent = Object.values(statuses).reduce((a, b) => a + b, 0);
      figures.acknowledged = acknowledged.length;
      figures.acknowledgedBeforeOutage = beforeOutage;
      figures.stored = rows.length;
      figures.lost = lost.length;
      figures.statuses = statuses;
      figures.outageSeconds = (restartedServer - downAt) / 1000;
      figures.postgresRestartSeconds = (serverBack - restartedServer) / 1000;
      figures.secondsToHealthyAfterDatabaseBack = (healthBack - serverBack) / 1000;
      figures.secondsToWritesAfterDatabaseBack = (writesBack - serverBack) / 1000;
    } finally {
      await pool.end();
    }
    } finally {
      running = false;
    }
  }, 240_000);
});
