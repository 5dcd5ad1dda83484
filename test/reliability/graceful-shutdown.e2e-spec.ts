import type { Pool } from 'pg';
import { createTestDatabase, testPool, type TestDatabase } from '@ktt/testing/postgres/test-database';
import { startApi } from '../support/api-process';
import { cooperative } from '../support/fixtures';
import { activeSchema, checkpoint, digest, headPosition, recordFigures, runCli, waitFor } from '../support/reliability';

/**
 * SIGTERM during a burst of writes. Every request the server had
 * accepted gets its complete answer and is stored; the in-process projector
 * commits its last batch with its checkpoint; the process exits 0 having
 * closed its connections; a restart resumes to read models equal to a clean
 * rebuild's, row for row.
 */
describe('reliability: graceful shutdown on SIGTERM', () => {
  let database: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    database = await createTestDatabase('rel_sigterm');
    pool = testPool(database.url, 2);
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('finishes in-flight requests, commits the projector batch, exits cleanly and resumes', async () => {
    const api = await startApi({ DATABASE_URL: database.url, SEED_PLANS: 'false' });
    const token = api.adminToken;
    const REQUESTS = 60;
    const bodies = Array.from({ length: REQUESTS }, () => cooperative());
    // All requests are on the wire before the signal: each has its own connection.
    const inFlight = bodies.map((body) =>
      fetch(`${api.baseUrl}/api/organizations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, connection: 'close' },
        body: JSON.stringify(body),
      }).then(
        async (response) => ({ status: response.status, body: await response.json().catch(() => null), at: Date.now() }),
        (error: Error & { cause?: { code?: string } }) => ({ status: 0, body: error.cause?.code ?? error.message, at: Date.now() }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    const signalledAt = Date.now();
    api.process.kill('SIGTERM');
    const answers = await Promise.all(inFlight);
    const exitCode = await new Promise<number | null>((resolve) =>
      api.process.exitCode !== null ? resolve(api.process.exitCode) : api.process.once('exit', (code) => resolve(code)),
    );
    const shutdownMs = Date.now() - signalledAt;

    // The signal really came while requests were being handled.
    const answeredAfterSignal = answers.filter((a) => a.at >= signalledAt).length;
    expect(answeredAfterSignal).toBeGreaterThan(0);
    // Every request the server had begun to handle got its complete answer: nothing stored went
    // unanswered. Only connections still in the listen backlog when it stopped accepting are refused or
    // reset at the connection level (and wrote nothing).
    const refused = answers.filter((a) => a.status === 0);
    expect(refused.filter((a) => a.body !== 'ECONNREFUSED' && a.body !== 'ECONNRESET')).toEqual([]);
    const acknowledged = answers.filter((a) => a.status === 201);
    expect(acknowledged.length + refused.length).toBe(REQUESTS);
    expect(acknowledged.length).toBeGreaterThan(0);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM events WHERE event_type = 'OrganizationRegistered'`);
    expect(rows[0].n).toBe(acknowledged.length);
    expect(exitCode).toBe(0);
    // Its connections are closed: nothing of the api's is left on the server.
    const { rows: sessions } = await pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
    expect(sessions[0].n).toBeLessThanOrEqual(1); // this test's own second pooled connection at most

    // The projector committed whole batches only: whatever it checkpointed, a restart resumes to the head.
    const checkpointAtExit = await checkpoint(pool);
    const restarted = await startApi({ DATABASE_URL: database.url, SEED_PLANS: 'false' });
    try {
      const head = await headPosition(pool);
      await waitFor(async () => (await checkpoint(pool)) === head, 30_000, 'projector caught up after restart');
      const live = await digest(pool, await activeSchema(pool));
      await restarted.stop();
      await runCli(['rebuild'], database.url);
      expect(await digest(pool, await activeSchema(pool))).toEqual(live);
      recordFigures('gracefulShutdown', {
        requestsSent: REQUESTS,
        refusedAfterListenerClosed: refused.length,
        answeredComplete: answers.length,
        answeredAfterSigterm: answeredAfterSignal,
        acknowledged: acknowledged.length,
        stored: rows[0].n,
        lost: acknowledged.length - rows[0].n,
        exitCode,
        secondsFromSigtermToExit: shutdownMs / 1000,
        checkpointAtExitReachedHeadLater: checkpointAtExit !== null,
        readModelsAfterRestartEqualCleanRebuild: 'yes (asserted)',
      });
    } finally {
      await restarted.stop();
    }
  });
});
