import type { Pool } from 'pg';
import { createMigratedDatabase, type MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { startApi, type ApiProcess } from '../support/api-process';
import { recordFigures, startLoadWorker, waitFor, type LoadReport } from '../support/reliability';

const ROUNDS = 3;
const WORKERS = 3;

/**
 * The api is killed (SIGKILL) under write load. Every command that got a 2xx is stored, and
 * no command is half-stored: a registration, its registration-number reservation and (when a key was
 * sent) its idempotency record are all there or none is.
 */
describe('reliability: api crash under write load', () => {
  let database: MigratedDatabase;
  let pool: Pool;
  let api: ApiProcess | null = null;
  const figures: Record<string, unknown> = { rounds: ROUNDS };

  beforeAll(async () => {
    database = await createMigratedDatabase('rel_api_crash', 2);
    pool = database.pool;
  });
  afterAll(async () => {
    await api?.kill();
    recordFigures('apiCrash', figures);
    await database?.dispose();
  });

  it(`SIGKILL under load, ${ROUNDS} times: every acknowledged command is stored, none half-stored`, async () => {
    const reports: { report: LoadReport; withKey: boolean; prefix: string }[] = [];
    const killedAfter: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      api = await startApi({ DATABASE_URL: database.url, SEED_PLANS: 'false' });
      const token = api.token('registrar', ['91', '15'], `crash-${round}`);
      const workers = Array.from({ length: WORKERS }, (_, w) => {
        const prefix = `AC${round}${w}-${Date.now().toString(36)}`;
        const withKey = w !== 0;
        return { prefix, withKey, ...startLoadWorker({ BASE_URL: api!.baseUrl, TOKEN: token, COUNT: '100000', CONCURRENCY: '6', PREFIX: prefix, IDEMPOTENCY: withKey ? '1' : '0' }) };
      });
      // A random moment of the load: once 50–250 of this round's registrations are stored.
      const threshold = 50 + Math.floor(Math.random() * 200);
      const since = Date.now();
      await waitFor(
        async () => (await pool.query(`SELECT count(*)::int AS n FROM events WHERE event_type = 'OrganizationRegistered' AND data->>'registrationNumber' LIKE $1`, [`AC${round}%`])).rows[0].n >= threshold,
        60_000,
        'the load to run',
        20,
      );
      await api.kill();
      api = null;
      killedAfter.push(Date.now() - since);
      for (const worker of workers) reports.push({ report: await worker.report, withKey: worker.withKey, prefix: worker.prefix });
    }

    const acknowledged = reports.flatMap((r) => r.report.acknowledged);
    const sent = reports.reduce((n, r) => n + r.report.sent, 0);
    const networkFailures = reports.reduce((n, r) => n + (r.report.failed.network ?? 0), 0);
    expect(acknowledged.length).toBeGreaterThan(50);
    expect(networkFailures).toBeGreaterThan(0); // the kill really cut requests in flight

    // 1. Every acknowledged command is stored (by its registration number and id).
    const { rows: registered } = await pool.query<{ id: string; rn: string }>(
      `SELECT data->>'organizationId' AS id, stream_id, data->>'registrationNumber' AS rn FROM events WHERE event_type = 'OrganizationRegistered' AND data->>'registrationNumber' LIKE 'AC%'`,
    );
    const storedNumbers = new Set(registered.map((r) => r.rn));
    const lost = acknowledged.filter((a) => !storedNumbers.has(a.registrationNumber));
    expect(lost).toEqual([]);

    // 2. Nothing half-stored: each registration's reservation and (when a key was sent) idempotency record are
    // in its transaction, and no reservation or record of the load is stored without its registration there.
    // A transaction may hold several commands (group commit, libs/event-store): commands are told apart by id.
    const { rows: commands } = await pool.query<{ rn: string; xid: string; reservations: number; records: number }>(
      `SELECT o.data->>'registrationNumber' AS rn, o.transaction_id::text AS xid,
              (SELECT count(*) FROM events v WHERE v.stream_id LIKE 'registration-number-%' AND v.data->>'organizationId' = o.data->>'organizationId' AND v.transaction_id = o.transaction_id)::int AS reservations,
              (SELECT count(*) FROM events k WHERE k.stream_id LIKE 'idempotency-%' AND k.data->'response'->>'id' = o.data->>'organizationId' AND k.transaction_id = o.transaction_id)::int AS records
         FROM events o WHERE o.event_type = 'OrganizationRegistered' AND o.data->>'registrationNumber' LIKE 'AC%'`,
    );
    const keyed = new Set(reports.filter((r) => r.withKey).map((r) => r.prefix.toUpperCase()));
    const halfStored = commands.filter((c) => c.reservations !== 1 || c.records !== (keyed.has(c.rn.split('-').slice(0, 2).join('-')) ? 1 : 0));
    expect(halfStored).toEqual([]);
    const { rows: orphans } = await pool.query<{ stream_id: string; xid: string }>(
      `SELECT e.stream_id, e.transaction_id::text AS xid FROM events e
        WHERE ((e.stream_id LIKE 'registration-number-%' AND e.data->>'registrationNumber' LIKE 'AC%' AND e.data ? 'organizationId')
               OR (e.stream_id LIKE 'idempotency-%' AND e.data->'response'->>'id' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'))
          AND NOT EXISTS (SELECT 1 FROM events o WHERE o.event_type = 'OrganizationRegistered' AND o.transaction_id = e.transaction_id
                             AND o.data->>'organizationId' = coalesce(e.data->>'organizationId', e.data->'response'->>'id'))`,
    );
    expect(orphans).toEqual([]);
    const { rows: reservations } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events WHERE stream_id LIKE 'registration-number-%' AND data->>'registrationNumber' LIKE 'AC%'`,
    );
    expect(reservations[0]!.n).toBe(registered.length);

    // 3. Each acknowledged keyed command's idempotency record answers what the client got.
    const keyedAcks = acknowledged.filter((a) => a.key);
    const { rows: records } = await pool.query<{ id: string }>(
      `SELECT data->'response'->>'id' AS id FROM events WHERE event_type = 'IdempotencyKeyRecorded'`,
    );
    const recorded = new Set(records.map((r) => r.id));
    expect(keyedAcks.filter((a) => !recorded.has(a.id))).toEqual([]);

    figures.commandsSent = sent;
    figures.acknowledged = acknowledged.length;
    figures.stored = registered.length;
    figures.storedButNotAcknowledged = registered.length - acknowledged.length; // in flight at the kill: committed, answer lost
    figures.lost = lost.length;
    figures.halfStored = halfStored.length;
    figures.cutByTheKill = networkFailures;
    figures.killedAfterMs = killedAfter;
  }, 300_000);
});
