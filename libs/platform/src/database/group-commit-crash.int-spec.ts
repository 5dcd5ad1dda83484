import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { Pool } from 'pg';
import { PostgresEventStore } from '@ktt/event-store';
import { testEvent } from '@ktt/event-store/conformance/event-store.conformance';
import { freePort } from '@ktt/testing/free-port';
import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres';
import { prepareDatabase } from './prepare-database';

/**
 * Group commit (libs/event-store, ktt_append_batch) answers an append only once
 * the transaction holding it has committed. PostgreSQL is killed (SIGKILL, every
 * process of the cluster: a crash, recovered from the WAL on the next start)
 * while 8 writers append; after the restart every acknowledged append is there,
 * whole, and the acknowledged ones had been written in shared transactions.
 */
describe('group commit: PostgreSQL crashes under 8 concurrent writers', () => {
  const logger = pino({ level: 'warn' });
  let dataDir: string;
  let server: RunningPostgres | null = null;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'ktt-group-commit-crash-'));
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged append after the crash, whole', async () => {
    const port = await freePort();
    server = await startEmbeddedPostgres({ dataDir, port, database: 'ktt', logger });
    await prepareDatabase({ ownerUrl: server.ownerUrl, appUrl: server.url, logger });
    const pool = new Pool({ connectionString: server.url, max: 10 });
    pool.on('error', () => undefined);
    const store = new PostgresEventStore({ pool, connectionString: server.url });
    const acknowledged: string[] = [];
    let crashed = false;
    const writer = async () => {
      while (!crashed) {
        const id = randomUUID();
        try {
          // As a registration: a reservation and an organization's first event, all or nothing.
          await store.append([
            { streamId: `reservation-${id}`, expectedRevision: 'no_stream', events: [testEvent('Reserved')] },
            { streamId: `organization-${id}`, expectedRevision: 'no_stream', events: [testEvent('Registered'), testEvent('Rated')] },
          ]);
          acknowledged.push(id);
        } catch {
          return; // the crash: this append's fate is unknown to its caller, as with any lost connection
        }
      }
    };
    const writers = Array.from({ length: 8 }, writer);
    while (acknowledged.length < 300) await new Promise((resolve) => setTimeout(resolve, 5));
    killCluster(server.clusterDir);
    crashed = true;
    await Promise.all(writers);
    await pool.end().catch(() => undefined);

    server = await startEmbeddedPostgres({ dataDir, port, database: 'ktt', logger });
    const after = new Pool({ connectionString: server.url, max: 2 });
    try {
      const { rows } = await after.query<{ stream_id: string; n: number; transactions: number }>(
        `SELECT stream_id, count(*)::int AS n, count(DISTINCT transaction_id)::int AS transactions FROM events GROUP BY stream_id`,
      );
      const stored = new Map(rows.map((row) => [row.stream_id, row.n]));
      const missing = acknowledged.filter((id) => stored.get(`reservation-${id}`) !== 1 || stored.get(`organization-${id}`) !== 2);
      expect(missing).toEqual([]);
      // Nothing half-stored either, acknowledged or not.
      const halves = rows.filter((row) => row.stream_id.startsWith('organization-') && !stored.has(row.stream_id.replace('organization-', 'reservation-')));
      expect(halves).toEqual([]);
      // The writes were grouped: fewer transactions than acknowledged appends.
      const { rows: shared } = await after.query<{ transactions: number }>(
        `SELECT count(DISTINCT transaction_id)::int AS transactions FROM events WHERE stream_id LIKE 'organization-%'`,
      );
      expect(shared[0]!.transactions).toBeLessThan(acknowledged.length);
    } finally {
      await after.end();
    }
  }, 120_000);
});

/** SIGKILL to the postmaster and every process it started, at once: no shutdown checkpoint, recovery from the WAL. */
function killCluster(clusterDir: string): void {
  const postmaster = Number(readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    })
    .map(Number);
  for (const pid of [postmaster, ...children]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
