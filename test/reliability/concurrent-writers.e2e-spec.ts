import type { Pool } from 'pg';
import type { ApiProcess } from '../support/api-process';
import { type TestApi, startTestApi } from '../support/test-api';
import { httpClient } from '../support/http';
import { cooperative } from '../support/fixtures';
import { recordFigures, startLoadWorker } from '../support/reliability';

/** Concurrent writers to one organization, and a few thousand commands from several processes. */
describe('reliability: concurrent writers', () => {
  let api: ApiProcess;
  let pool: Pool;
  let started: TestApi;
  let http: ReturnType<typeof httpClient>;
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    ({ api, pool } = started = await startTestApi('rel_writers', { SEED_PLANS: 'false' }));
    http = httpClient(api.baseUrl, { token: api.adminToken });
  });
  afterAll(async () => {
    recordFigures('concurrentWriters', figures);
    await started?.stop();
  });

  const CLIENTS = 50;

  async function registered() {
    const body = cooperative();
    expect((await http.post('/api/organizations', body)).status).toBe(201);
    return body.id as string;
  }

  async function revisions(id: string): Promise<number[]> {
    const { rows } = await pool.query('SELECT stream_revision FROM events WHERE stream_id = $1 ORDER BY stream_revision', [`organization-${id}`]);
    return rows.map((r) => Number(r.stream_revision));
  }

  it(`with If-Match, exactly one of ${CLIENTS} writers per version wins and the others get 412`, async () => {
    const id = await registered();
    // Three rounds: each round all clients write at the version the last round left.
    for (let version = 0; version < 3; version += 1) {
      const answers = await Promise.all(
        Array.from({ length: CLIENTS }, (_, i) =>
          httpClient(api.baseUrl, { token: api.adminToken }).post(
            `/api/organizations/${id}/membership`,
            { memberCount: 10 + i, effectiveOn: '2021-03-01' },
            { 'if-match': `"${version}"` },
          ),
        ),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 412)).toHaveLength(CLIENTS - 1);
      expect(answers.find((a) => a.status === 200)!.body.version).toBe(version + 1);
    }
    expect(await revisions(id)).toEqual([0, 1, 2, 3]);
    figures.ifMatch = { clients: CLIENTS, rounds: 3, winsPerRound: 1, preconditionFailedPerRound: CLIENTS - 1 };
  });

  it(`without If-Match, all ${CLIENTS} writers are stored exactly once and the revisions have no gap`, async () => {
    const id = await registered();
    const answers = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) =>
        httpClient(api.baseUrl, { token: api.adminToken }).post(`/api/organizations/${id}/membership`, { memberCount: 100 + i, effectiveOn: '2021-03-01' }),
      ),
    );
    const acknowledged = answers.filter((a) => a.status === 200);
    // Every writer is served: each decides again (with a short random wait) until its append lands.
    expect(answers.filter((a) => a.status !== 200).map((a) => a.body)).toEqual([]);
    expect(acknowledged).toHaveLength(CLIENTS);
    const versions = acknowledged.map((a) => a.body.version as number).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: acknowledged.length }, (_, i) => i + 1));
    expect(await revisions(id)).toEqual(Array.from({ length: acknowledged.length + 1 }, (_, i) => i));
    // Each acknowledged command's member count is stored exactly once.
    const { rows } = await pool.query(`SELECT (data->>'memberCount')::int AS n FROM events WHERE stream_id = $1 AND stream_revision > 0`, [`organization-${id}`]);
    const stored = rows.map((r) => r.n).sort((a, b) => a - b);
    const sent = acknowledged.map((a, i) => answers.indexOf(a)).map((i) => 100 + i).sort((a, b) => a - b);
    expect(stored).toEqual(sent);
    figures.withoutIfMatch = { clients: CLIENTS, acknowledged: acknowledged.length, contention503: CLIENTS - acknowledged.length, storedEvents: stored.length };
  });

  it('a load of 3,000 registrations from 4 processes: every acknowledged command is stored exactly once', async () => {
    const PROCESSES = 4;
    const PER_PROCESS = 750;
    const started = Date.now();
    const workers = Array.from({ length: PROCESSES }, (_, w) =>
      startLoadWorker({
        BASE_URL: api.baseUrl,
        TOKEN: api.token('registrar', ['91', '15'], `load-${w}`),
        COUNT: String(PER_PROCESS),
        CONCURRENCY: '8',
        PREFIX: `CW${w}-${Date.now().toString(36)}`,
        IDEMPOTENCY: w % 2 ? '1' : '0',
      }),
    );
    const reports = await Promise.all(workers.map((w) => w.report));
    const seconds = (Date.now() - started) / 1000;
    const sent = reports.reduce((n, r) => n + r.sent, 0);
    const acknowledged = reports.flatMap((r) => r.acknowledged);
    const failed = reports.reduce<Record<string, number>>((all, r) => {
      for (const [k, v] of Object.entries(r.failed)) all[k] = (all[k] ?? 0) + v;
      return all;
    }, {});
    expect(sent).toBe(PROCESSES * PER_PROCESS);
    expect(acknowledged.length).toBe(sent); // distinct organizations: nothing to refuse
    // The answer's position is that of the command's last event (the idempotency record when a key was sent);
    // all events of one command share its transaction id.
    const { rows } = await pool.query<{ stream_id: string; n: number; rn: string; xid: string; positions: string[] }>(
      `SELECT e.stream_id, count(*) OVER (PARTITION BY e.stream_id)::int AS n, e.data->>'registrationNumber' AS rn,
              e.transaction_id::text AS xid,
              (SELECT array_agg(t.transaction_id::text || '.' || t.global_position) FROM events t WHERE t.transaction_id = e.transaction_id) AS positions
         FROM events e WHERE e.event_type = 'OrganizationRegistered' AND e.stream_id = ANY($1)`,
      [acknowledged.map((a) => `organization-${a.id}`)],
    );
    const byStream = new Map(rows.map((r) => [r.stream_id, r]));
    let matched = 0;
    for (const ack of acknowledged) {
      const row = byStream.get(`organization-${ack.id}`);
      expect(row).toBeDefined();
      expect(row!.n).toBe(1);
      expect(row!.rn).toBe(ack.registrationNumber);
      expect(row!.positions).toContain(ack.position);
      matched += 1;
    }
    // Nothing stored that was not acknowledged: the load's registrations are exactly the acknowledged ones.
    const { rows: all } = await pool.query(`SELECT count(*)::int AS n FROM events WHERE event_type = 'OrganizationRegistered' AND data->>'registrationNumber' LIKE 'CW%'`);
    expect(all[0].n).toBe(acknowledged.length);
    figures.load = {
      processes: PROCESSES,
      commandsSent: sent,
      acknowledged: acknowledged.length,
      stored: all[0].n,
      matchedByPosition: matched,
      lost: acknowledged.length - matched,
      failed,
      seconds,
      commandsPerSecond: Math.round(sent / seconds),
    };
  }, 300_000);
});
