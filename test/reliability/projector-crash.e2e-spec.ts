import type { Pool } from 'pg';
import { createMigratedDatabase, type MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import {
  activeSchema,
  checkpoint,
  digest,
  headPosition,
  recordFigures,
  runCli,
  sleep,
  spawnNode,
  startProjector,
  waitFor,
  CLI_MAIN,
  type Child,
} from '../support/reliability';

const ROUNDS = 5;

/**
 * The projector (its own process) is killed with SIGKILL at random moments during a
 * catch-up and during rebuilds; after a restart the read models equal a clean rebuild's, row for row.
 */
describe('reliability: projector crashes', () => {
  let database: MigratedDatabase;
  let pool: Pool;
  let projector: Child | null = null;
  const figures: Record<string, unknown> = { rounds: ROUNDS };

  beforeAll(async () => {
    database = await createMigratedDatabase('rel_projector', 3);
    pool = database.pool;
    const started = Date.now();
    await runCli(['demo', '--scale', '0.05'], database.url, 240_000);
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM events');
    figures.events = rows[0].n;
    figures.demoSeconds = (Date.now() - started) / 1000;
  }, 300_000);
  afterAll(async () => {
    await projector?.kill();
    recordFigures('projectorCrash', figures);
    await database?.dispose();
  });

  const caughtUp = async () => {
    const head = await headPosition(pool);
    await waitFor(async () => (await checkpoint(pool)) === head, 60_000, 'the projector to catch up');
  };

  /** Stops the projector, then compares the active generation with a clean rebuild of the same log. */
  async function expectEqualToCleanRebuild(): Promise<string> {
    await projector?.stop();
    projector = null;
    const schema = await activeSchema(pool);
    const projected = await digest(pool, schema);
    await runCli(['rebuild'], database.url);
    const rebuilt = await activeSchema(pool);
    expect(rebuilt).not.toBe(schema);
    expect(await digest(pool, rebuilt)).toEqual(projected);
    return projected.organization_timeline;
  }

  it(`killed ${ROUNDS} times during a catch-up, it resumes to read models equal to a clean rebuild's`, async () => {
    const kills: { afterMs: number; checkpoint: string | null; head: string | null }[] = [];
    const head = await headPosition(pool);
    for (let round = 0; round < ROUNDS; round += 1) {
      const before = await checkpoint(pool);
      // A run that reached the head leaves nothing to catch up: the remaining rounds would wait for a batch that never comes.
      if (before === head) break;
      // Small batches make the catch-up last many commits, so the kills land between them.
      projector = startProjector(database.url, { PROJECTOR_BATCH_SIZE: '50' });
      // A random moment once this run has committed its first batch (so every round is mid catch-up).
      await waitFor(async () => (await checkpoint(pool)) !== before || projector!.process.exitCode !== null, 60_000, 'a batch');
      const delay = Math.floor(Math.random() * 150);
      await sleep(delay);
      await projector.kill();
      projector = null;
      kills.push({ afterMs: delay, checkpoint: await checkpoint(pool), head });
    }
    const midway = kills.filter((k) => k.checkpoint !== k.head).length;
    expect(kills.length).toBeGreaterThanOrEqual(2);
    projector = startProjector(database.url);
    const restarted = Date.now();
    await caughtUp();
    figures.catchUp = { kills, killedBeforeTheHead: midway, secondsToCatchUpAfterLastRestart: (Date.now() - restarted) / 1000 };
    expect(midway).toBeGreaterThanOrEqual(1);
    figures.catchUpTimeline = await expectEqualToCleanRebuild();
  }, 300_000);

  it(`killed ${ROUNDS} times during rebuilds (and the rebuild itself killed in some), it ends equal to a clean rebuild`, async () => {
    const rounds: { projectorKilledAfterMs: number; rebuildKilledAfterMs: number | null; rebuildExit: number | null }[] = [];
    projector = startProjector(database.url);
    await caughtUp();
    for (let round = 0; round < ROUNDS; round += 1) {
      const rebuild = spawnNode(CLI_MAIN, ['rebuild'], { DATABASE_URL: database.url, JWT_SECRET: 'x'.repeat(32) });
      const projectorDelay = 200 + Math.floor(Math.random() * 1500);
      const rebuildDelay = round % 2 === 1 ? 500 + Math.floor(Math.random() * 1500) : null;
      await sleep(projectorDelay);
      await projector!.kill();
      projector = startProjector(database.url);
      if (rebuildDelay !== null) {
        await sleep(Math.max(0, rebuildDelay - projectorDelay));
        await rebuild.kill();
      }
      const exit = await rebuild.exited;
      if (rebuildDelay === null) expect(exit).toBe(0);
      rounds.push({ projectorKilledAfterMs: projectorDelay, rebuildKilledAfterMs: rebuildDelay, rebuildExit: exit });
      await caughtUp();
    }
    figures.rebuild = { rounds };
    const { rows } = await pool.query(`SELECT state, count(*)::int AS n FROM read_model_generations GROUP BY state ORDER BY state`);
    figures.generations = rows;
    await expectEqualToCleanRebuild();
  }, 300_000);
});
