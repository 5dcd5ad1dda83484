import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { OrganizationCommands, seedPlans, type CommandContext } from '@ktt/application';
import { loadDemo } from '@ktt/application/demo/load-demo';
import type { LocalDate, OrganizationCommand, OrganizationKind, OrganizationStatus } from '@ktt/domain';
import { PostgresEventStore } from '@ktt/event-store';
import { startEmbeddedPostgres } from '@ktt/platform/database/embedded-postgres';
import { runMigrations } from '@ktt/platform/database/migrations';
import { createLogger } from '@ktt/platform/logging/logger';
import { loadPopulations, OrganizationQueries, ProgressQueries, rebuildReadModels } from '@ktt/read-models';
import { describeMachine } from './machine';
import { Bar, note } from './progress';
import { writeReport, type BenchResults, type LatencyFigure } from './report';
import { msSince, percentile, pick, randomDate, seededRandom, spread } from './stats';

/**
 * `npm run bench`: builds the project, then measures the compiled code on a
 * fresh embedded PostgreSQL in a temporary directory and rewrites
 * bench/RESULTS.md. Knobs (environment): BENCH_SCALE (demo size, 0.25),
 * BENCH_RUNS (repetitions of every measurement, 3), BENCH_KEEP=1 keeps the
 * temporary cluster.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const SCALE = Number(process.env.BENCH_SCALE ?? 0.25);
const RUNS = Math.max(3, Math.floor(Number(process.env.BENCH_RUNS ?? 3)));
/** The demo's history runs to this date whatever the day of the run: the same data set every time. */
const DEMO_TODAY: LocalDate = '2025-12-31';
const PROVINCES = ['91', '15'] as const;
const PROGRESS_QUESTIONS = 200;
const SERIES_RUNS = 10;
const LIST_QUESTIONS = 200;
const SEARCH_QUESTIONS = 100;
const WARM_UP = 20;
/** Fixed clock of the append benchmark's commands. */
const APPEND_NOW = new Date('2026-01-15T03:00:00.000Z');
const APPEND_WORKLOAD = { 1: 600, 8: 1600 } as const; // organizations per run, by writers
const MEMBER_CHANGES_PER_ORGANIZATION = 2;

async function main(): Promise<void> {
  const benchStarted = process.hrtime.bigint();
  const machine = describeMachine();
  const loadBefore = os.loadavg()[0];
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ktt-bench-'));
  const port = await freePort();
  note(`bench: scale ${SCALE}, ${RUNS} runs per measurement, embedded PostgreSQL on 127.0.0.1:${port} in ${dataDir}`);
  const logger = createLogger('warn');
  const postgres = await startEmbeddedPostgres({ dataDir, port, database: 'ktt_bench', logger });
  const pool = new Pool({ connectionString: postgres.url, max: 20, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => undefined);
  const store = new PostgresEventStore({ pool, connectionString: postgres.url });
  try {
    await runMigrations(postgres.url, logger);
    const { rows: versionRows } = await pool.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    await seedPlans(store, path.join(ROOT, 'data', 'plans'));
    const commands = new OrganizationCommands(store);

    // 0. The data set: the demo through the command path, once.
    const demoBar = new Bar('load demo (once)', 1, 'commands');
    const demoStarted = process.hrtime.bigint();
    const demo = await loadDemo(commands, { scale: SCALE, today: DEMO_TODAY, concurrency: 16, onProgress: (done, total) => demoBar.update(done, total) });
    const demoSeconds = msSince(demoStarted) / 1000;
    demoBar.stop();
    const logEvents = await countEvents(pool);
    const organizations = demo.organizations.reduce((sum, o) => sum + o.registered, 0);

    // 1. Rebuild of every read model from position 0.
    const rebuilds: { eventsPerSecond: number; seconds: number; peakRssMB: number; startRssMB: number; events: number }[] = [];
    for (let run = 1; run <= RUNS; run++) {
      (globalThis as { gc?: () => void }).gc?.();
      const bar = new Bar(`rebuild ${run}/${RUNS}`, logEvents, 'events');
      const startRss = process.memoryUsage().rss;
      let peakRss = startRss;
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }, 100);
      const started = process.hrtime.bigint();
      const result = await rebuildReadModels(pool, store, { onProgress: ({ events }) => bar.update(events, Math.max(logEvents, events)) });
      const seconds = msSince(started) / 1000;
      clearInterval(sampler);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      bar.stop();
      rebuilds.push({ events: result.events, seconds, eventsPerSecond: result.events / seconds, peakRssMB: peakRss / 1e6, startRssMB: startRss / 1e6 });
    }

    // 2. Queries on the last generation.
    const populations = loadPopulations(path.join(ROOT, 'data', 'reference', 'province-populations.json'));
    const progress = new ProgressQueries(pool, populations);
    const organizationsQuery = new OrganizationQueries(pool);
    const known = await recordedRange(pool);
    const searchTerms = await sampleSearchTerms(pool);

    const progressNow = await latency('progress as of a date', PROGRESS_QUESTIONS, (random) => {
      const province = pick(random, PROVINCES);
      const asOf = randomDate(random, '2016-01-01', DEMO_TODAY);
      return () => progress.progress(province, asOf);
    });
    const progressKnownAt = await latency('progress as of a date, knownAt', PROGRESS_QUESTIONS, (random) => {
      const province = pick(random, PROVINCES);
      const asOf = randomDate(random, '2016-01-01', DEMO_TODAY);
      const knownAt = new Date(known.from + random() * (known.to - known.from)).toISOString();
      return () => progress.progress(province, asOf, knownAt);
    });
    const series: Record<string, LatencyFigure> = {};
    for (const province of PROVINCES) {
      series[province] = await latency(`series ${province} 2016-2025 monthly`, SERIES_RUNS, () => () => progress.series(province, '2016-01-01', '2025-12-31', 'month'), 2);
    }
    const kinds: OrganizationKind[] = ['cooperative', 'cooperative_group', 'union'];
    const statuses: OrganizationStatus[] = ['active', 'active', 'dormant', 'suspended'];
    const list = await latency('organization list, filters', LIST_QUESTIONS, (random) => {
      const filter = {
        asOf: randomDate(random, '2016-01-01', DEMO_TODAY),
        provinceCode: pick(random, PROVINCES),
        kind: pick(random, kinds),
        status: pick(random, statuses),
        limit: 50,
      };
      return () => organizationsQuery.list(filter);
    });
    const search = await latency('organization list, q search', SEARCH_QUESTIONS, (random) => {
      const filter = { asOf: randomDate(random, '2018-01-01', DEMO_TODAY), provinceCode: pick(random, PROVINCES), q: pick(random, searchTerms), limit: 50 };
      return () => organizationsQuery.list(filter);
    });

    // 3. Appends through the domain (load, fold, decide, append), fresh organizations every run.
    const append: BenchResults['append'] = { 1: [], 8: [] };
    for (let run = 1; run <= RUNS; run++) {
      for (const writers of [1, 8] as const) {
        append[writers].push(await appendRun(pool, commands, writers, APPEND_WORKLOAD[writers], `${run}${writers}`, `append ${writers} writer${writers > 1 ? 's' : ''} ${run}/${RUNS}`));
      }
    }

    const results: BenchResults = {
      date: new Date().toISOString(),
      machine,
      postgresVersion: versionRows[0].v,
      scale: SCALE,
      runs: RUNS,
      demo: {
        today: DEMO_TODAY,
        organizations,
        commands: demo.commandsSent,
        refusals: demo.refusals,
        logEvents,
        seconds: demoSeconds,
      },
      rebuilds,
      progressNow,
      progressKnownAt,
      knownAtWindow: { from: new Date(known.from).toISOString(), to: new Date(known.to).toISOString() },
      series,
      list,
      search,
      append,
      appendWorkload: { organizations: APPEND_WORKLOAD, memberChanges: MEMBER_CHANGES_PER_ORGANIZATION, now: APPEND_NOW.toISOString() },
      totalSeconds: 0,
      loadAverage: { before: loadBefore, after: os.loadavg()[0] },
    };
    results.totalSeconds = msSince(benchStarted) / 1000; // the build before this process is not included
    const file = await writeReport(ROOT, results);
    note(`bench: ${results.totalSeconds.toFixed(0)} s in this process; figures written to ${path.relative(process.cwd(), file)}`);
  } finally {
    await store.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await postgres.stop().catch(() => undefined);
    if (process.env.BENCH_KEEP !== '1') await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * RUNS rounds of `count` questions (drawn by `make` from a seeded generator,
 * other questions every round, the same ones on every invocation), one at a
 * time, after WARM_UP unmeasured questions. p50 and p95 per round.
 */
async function latency(
  label: string,
  count: number,
  make: (random: () => number) => () => Promise<unknown>,
  warmUp = WARM_UP,
): Promise<LatencyFigure> {
  const warm = seededRandom(7);
  for (let i = 0; i < warmUp; i++) await make(warm)();
  const rounds: LatencyFigure['rounds'] = [];
  for (let round = 1; round <= RUNS; round++) {
    const random = seededRandom(1000 * round + count);
    const questions = Array.from({ length: count }, () => make(random));
    const bar = new Bar(`${label} ${round}/${RUNS}`, count, 'queries');
    const times: number[] = [];
    for (const ask of questions) {
      const started = process.hrtime.bigint();
      await ask();
      times.push(msSince(started));
      bar.update(times.length);
    }
    bar.stop();
    rounds.push({ p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times), n: times.length });
  }
  return { rounds, p50: spread(rounds.map((r) => r.p50)), p95: spread(rounds.map((r) => r.p95)), warmUp };
}

async function appendRun(
  pool: Pool,
  commands: OrganizationCommands,
  writers: number,
  organizations: number,
  tag: string,
  label: string,
): Promise<{ events: number; commands: number; seconds: number; eventsPerSecond: number; commandsPerSecond: number }> {
  const perOrganization = 1 + MEMBER_CHANGES_PER_ORGANIZATION;
  const bar = new Bar(label, organizations * perOrganization, 'commands');
  const random = seededRandom(Number(tag));
  // Each writer works through its own organizations, each organization's commands in order.
  const lanes: OrganizationCommand[][][] = Array.from({ length: writers }, () => []);
  for (let i = 0; i < organizations; i++) {
    const organizationId = randomUUID();
    const registeredOn = randomDate(random, '2019-01-01', '2022-12-31');
    lanes[i % writers].push([
      {
        type: 'RegisterOrganization',
        organizationId,
        kind: 'cooperative',
        name: `HTX bench ${tag} ${i}`,
        registrationNumber: `BENCH-${tag}-${i}`,
        provinceCode: pick(random, ['01', '31', '48', '79', '92']),
        sector: 'agriculture',
        registeredOn,
        memberCount: 10 + Math.floor(random() * 50),
      },
      ...Array.from({ length: MEMBER_CHANGES_PER_ORGANIZATION }, (_, n) => ({
        type: 'ChangeMemberCount' as const,
        organizationId,
        memberCount: 12 + Math.floor(random() * 50),
        effectiveOn: randomDate(random, `${2023 + n}-01-01`, `${2023 + n}-12-31`),
      })),
    ]);
  }
  const before = await countEvents(pool);
  let sent = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    lanes.map(async (lane, writer) => {
      for (const sequence of lane) {
        for (const command of sequence) {
          const context: CommandContext = { actor: 'system:bench', correlationId: `bench-${tag}-${writer}-${sent}`, now: APPEND_NOW };
          await commands.execute(command, context);
          sent++;
          bar.update(sent);
        }
      }
    }),
  );
  const seconds = msSince(started) / 1000;
  bar.stop();
  const events = (await countEvents(pool)) - before;
  // A registration appends the organization's event and its registration-number reservation.
  const expected = organizations * (2 + MEMBER_CHANGES_PER_ORGANIZATION);
  if (events !== expected) throw new Error(`append run ${tag}: ${events} events stored, ${expected} expected`);
  return { events, commands: sent, seconds, eventsPerSecond: events / seconds, commandsPerSecond: sent / seconds };
}

async function countEvents(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
  return rows[0].n;
}

/** When the demo's events were recorded (wall clock of the load): the window a knownAt is drawn from. */
async function recordedRange(pool: Pool): Promise<{ from: number; to: number }> {
  const { rows } = await pool.query<{ from: string; to: string }>(
    `SELECT min((metadata->>'recordedAt')::timestamptz) AS from, max((metadata->>'recordedAt')::timestamptz) AS to FROM events`,
  );
  return { from: new Date(rows[0].from).getTime(), to: new Date(rows[0].to).getTime() };
}

/** Two consecutive words of real organization names (lower case, as a user types them). */
async function sampleSearchTerms(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT data->>'name' AS name FROM events WHERE event_type = 'OrganizationRegistered' ORDER BY global_position LIMIT 400`,
  );
  const random = seededRandom(42);
  const terms = rows
    .map(({ name }) => name.split(/\s+/).filter(Boolean))
    .filter((words) => words.length >= 3)
    .map((words) => {
      const at = 1 + Math.floor(random() * (words.length - 2));
      return `${words[at]} ${words[at + 1]}`.toLowerCase();
    });
  if (terms.length === 0) throw new Error('no organization names to search for');
  return terms;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
