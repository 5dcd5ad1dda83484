import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { freePort, positiveInteger } from './knobs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { OrganizationCommandHandler, referenceAdministrativeMap, seedPlans, type CommandContext } from '@ktt/application';
import type { OrganizationCommand, OrganizationKind, OrganizationStatus } from '@ktt/domain';
import { PostgresEventStore } from '@ktt/event-store';
import { startEmbeddedPostgres } from '@ktt/platform/database/embedded-postgres';
import { prepareDatabase } from '@ktt/platform/database/prepare-database';
import { createLogger } from '@ktt/platform/logging/logger';
import { activeSchema, Generation, loadPopulationFigures, OrganizationQueries, PlanQueries, Projector, ProgressQueries, readModelDigest, rebuildReadModels } from '@ktt/read-models';
import { loadRun, startApi, waitForProjector, type LoadKind, type LoadRun } from './api-load';
import { runCliRebuild } from './cli-rebuild';
import { dataSetChoice, loadDataSet } from './dataset';
import { describeMachine } from './machine';
import {
  countEmmettEvents,
  countPositionInversions,
  EMMETT_DATABASE,
  emmettOrganizationCommands,
  importLog,
  openEmmett,
  projectionsAgree,
  rebuildControlProjection,
  rebuildEmmettProjection,
  type Emmett,
  type ProjectionRun,
} from './peer/emmett';
import { Bar, note } from './progress';
import { summaryLines, writeReport, type AppendRun, type BenchResults, type DigestCheck, type LatencyFigure, type SoakFigures } from './report';
import { msSince, percentile, pick, randomDate, seededRandom, spread } from './stats';
import { runSoak, soakSection } from './soak';
import { spreadsheetBench } from './spreadsheets';
import { transparencyBench } from './transparency';
import { systemPrincipal } from '@ktt/auth';

/**
 * `npm run bench`: builds the project, then measures the compiled code on a
 * fresh embedded PostgreSQL in a temporary directory and rewrites
 * bench/RESULTS.md. Knobs (environment, see bench/README.md):
 * BENCH_DATASET (demo | generate) and BENCH_SCALE (demo: a number, 0.25;
 * generate: national | province | small), BENCH_RUNS (repetitions of every
 * measurement, at least 3), BENCH_API_SECONDS (10) and BENCH_API_CONNECTIONS
 * (8) for the api load, BENCH_PEER=0 / BENCH_API=0 skip the peer comparison /
 * the api load, BENCH_LIVE=0 skips the live projection (and the digest check
 * against it), BENCH_SOAK=1 adds the soak (bench/src/soak.ts, BENCH_SOAK_MINUTES),
 * BENCH_KEEP=1 keeps the temporary cluster.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const DATASET = dataSetChoice();
const RUNS = Math.max(3, Math.floor(Number(process.env.BENCH_RUNS ?? 3)));
const PEER = process.env.BENCH_PEER !== '0';
const API = process.env.BENCH_API !== '0';
const LIVE = process.env.BENCH_LIVE !== '0';
const SOAK = process.env.BENCH_SOAK === '1';
const SOAK_MINUTES = positiveInteger('BENCH_SOAK_MINUTES', 10);
/** The live projector's batch: the api's default (PROJECTOR_BATCH_SIZE, libs/platform/src/config/app-config.ts), BENCH_LIVE_BATCH to try another. */
const LIVE_BATCH = positiveInteger('BENCH_LIVE_BATCH', 1000);
const API_SECONDS = positiveInteger('BENCH_API_SECONDS', 10);
const API_CONNECTIONS = positiveInteger('BENCH_API_CONNECTIONS', 8);
const API_WARM_UP_SECONDS = 2;
/** Cooperatives registered before the api starts; the membership load goes round them. */
const LOAD_COOPERATIVES = 2000;
/**
 * Events per page of Emmett's projection and of the control: the page size of our rebuild's default
 * (libs/read-models/src/rebuild/rebuild.ts), which the bench measures as the cli runs it.
 */
const REBUILD_BATCH = 5000;
const CONTROL_SCHEMA = 'bench_control';
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
  note(`bench: data set ${DATASET.kind} at scale ${DATASET.scale}, ${RUNS} runs per measurement, embedded PostgreSQL on 127.0.0.1:${port} in ${dataDir}`);
  const logger = createLogger('warn');
  const postgres = await startEmbeddedPostgres({ dataDir, port, database: 'ktt_bench', logger });
  const pool = new Pool({ connectionString: postgres.url, max: 20, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => undefined);
  const store = new PostgresEventStore({ pool, connectionString: postgres.url });
  let emmett: Emmett | null = null;
  try {
    // As the product runs: migrations as the owner role, everything else as the application role.
    await prepareDatabase({ ownerUrl: postgres.ownerUrl, appUrl: postgres.url, logger });
    const { rows: versionRows } = await pool.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    await seedPlans(store, path.join(ROOT, 'data', 'plans'));
    const commands = new OrganizationCommandHandler(store);

    // 0. The data set, through the command path, once (bench/src/dataset.ts).
    const dataset = await loadDataSet(DATASET, { commands, store, pool, root: ROOT });
    const logEvents = await countEvents(pool);
    const PROVINCES = dataset.queryProvinces;

    // The log projected once by the live projector (as the api's runs it), into the active generation the
    // migrations created: the first rebuild retires that generation, and the two are compared by digest.
    const live = LIVE ? await liveCatchUp(pool, store, logger, logEvents) : null;

    // The peer: Emmett in its own database on the same cluster, holding a copy of the same log.
    let peerCopy: { events: number; seconds: number } | null = null;
    if (PEER) {
      emmett = await openEmmett(postgres.adminUrl, postgres.url);
      peerCopy = await importLog(store, emmett, logEvents);
      const copied = await countEmmettEvents(emmett);
      if (copied !== logEvents) throw new Error(`Emmett's log holds ${copied} events after the copy, ours ${logEvents}`);
      const inversions = await countPositionInversions(emmett);
      if (inversions !== 0) throw new Error(`Emmett's copy of the log has ${inversions} events out of position order (the copy appends one at a time)`);
    }

    // 1. Rebuild of every read model from position 0; in the same rounds, Emmett's projection and the control.
    const rebuilds: BenchResults['rebuilds'] = [];
    let digest: DigestCheck | null = null;
    const peerProjection: ProjectionRun[] = [];
    const controlProjection: ProjectionRun[] = [];
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
      rebuilds.push({
        events: result.events,
        seconds,
        eventsPerSecond: result.events / seconds,
        peakRssMB: peakRss / 1e6,
        startRssMB: startRss / 1e6,
        phases: result.phases,
        factsInDatabase: result.factsInDatabase,
      });
      if (run === 1 && live) digest = await compareDigests(pool, result.schema, result.retired);
      if (emmett) {
        peerProjection.push(await rebuildEmmettProjection(emmett, String(run), REBUILD_BATCH, `Emmett projection ${run}/${RUNS}`));
        controlProjection.push(await rebuildControlProjection(pool, store, CONTROL_SCHEMA, REBUILD_BATCH, logEvents, `control projection ${run}/${RUNS}`));
      }
    }
    // The rebuild as an operator runs it: `cli rebuild` in its own Node process (its peak RSS is the goal's figure).
    const cliRebuild = await runCliRebuild(ROOT, postgres, path.join(dataDir, 'cli'));
    const agreement = emmett ? await projectionsAgree(emmett, pool, CONTROL_SCHEMA) : null;
    if (agreement && !agreement.agree) note('bench: Emmett\'s projection and the control do not hold the same rows (see RESULTS.md)');

    // 2. Queries on the last generation.
    const populations = loadPopulationFigures(path.join(ROOT, 'data', 'reference', 'province-population-figures.json'));
    const progress = new ProgressQueries(new PlanQueries(), populations);
    const organizationsQuery = new OrganizationQueries();
    // The map as the api answers with it: a province's territory on the boundaries of the date asked.
    const map = referenceAdministrativeMap();
    const territoryOf = (province: string, asOf: string) => map.territory(province, asOf) ?? map.territory(map.successorOn(province, asOf)!, asOf)!;
    const generation = await Generation.active(pool); // one generation for every question, as the api resolves it per request
    const known = await recordedRange(pool);
    const searchTerms = await sampleSearchTerms(pool);

    const progressNow = await latency('progress as of a date', PROGRESS_QUESTIONS, (random) => {
      const province = pick(random, PROVINCES);
      const asOf = randomDate(random, '2016-01-01', dataset.today);
      return () => progress.progress(generation, { map, territory: territoryOf(province, asOf), asOf });
    });
    const progressKnownAt = await latency('progress as of a date, knownAt', PROGRESS_QUESTIONS, (random) => {
      const province = pick(random, PROVINCES);
      const asOf = randomDate(random, '2016-01-01', dataset.today);
      const knownAt = new Date(known.from + random() * (known.to - known.from)).toISOString();
      return () => progress.progress(generation, { map, territory: territoryOf(province, asOf), asOf, knownAt });
    });
    const series: Record<string, LatencyFigure> = {};
    for (const province of PROVINCES) {
      series[province] = await latency(`series ${province} 2016-2025 monthly`, SERIES_RUNS, () => () => progress.series(generation, { map, code: province, from: '2016-01-01', to: '2025-12-31', step: 'month' }), 2);
    }
    const kinds: OrganizationKind[] = ['cooperative', 'cooperative_group', 'union'];
    const statuses: OrganizationStatus[] = ['active', 'active', 'dormant', 'suspended'];
    const list = await latency('organization list, filters', LIST_QUESTIONS, (random) => {
      const filter = {
        asOf: randomDate(random, '2016-01-01', dataset.today),
        provinceCode: pick(random, PROVINCES),
        kind: pick(random, kinds),
        status: pick(random, statuses),
        limit: 50,
      };
      return () => organizationsQuery.list(generation, filter);
    });
    const search = await latency('organization list, q search', SEARCH_QUESTIONS, (random) => {
      const filter = { asOf: randomDate(random, '2018-01-01', dataset.today), provinceCode: pick(random, PROVINCES), q: pick(random, searchTerms), limit: 50 };
      return () => organizationsQuery.list(generation, filter);
    });

    // 3. Appends through the domain (load, fold, decide, append), fresh organizations every run;
    //    Emmett gets the same commands in the same round, and the two take turns going first.
    const append: BenchResults['append'] = { 1: [], 8: [] };
    const peerAppend: BenchResults['append'] = { 1: [], 8: [] };
    const peerCommands = emmett ? emmettOrganizationCommands(emmett.store) : null;
    for (let run = 1; run <= RUNS; run++) {
      for (const writers of [1, 8] as const) {
        const tag = `${run}${writers}`;
        const lanes = appendWorkload(writers, APPEND_WORKLOAD[writers], tag);
        const label = `${writers} writer${writers > 1 ? 's' : ''} ${run}/${RUNS}`;
        const ours = () => appendRun(lanes, (command, context) => commands.execute({ command, context }), () => countEvents(pool), tag, `append ${label}`);
        const peer = peerCommands && emmett ? () => appendRun(lanes, peerCommands.execute, () => countEmmettEvents(emmett!), tag, `Emmett append ${label}`) : null;
        if (peer && run % 2 === 0) {
          peerAppend[writers].push(await peer());
          append[writers].push(await ours());
        } else {
          append[writers].push(await ours());
          if (peer) peerAppend[writers].push(await peer());
        }
      }
    }

    // Emmett's projector after concurrent appends: its log now holds the 8-writer rounds, appended at the same
    // time by 8 writers; rebuilt once more (not a timed figure), compared with the control on our log (the same
    // events: the copy of the data set plus the same append commands).
    let skipCheck: NonNullable<BenchResults['peer']>['skipCheck'] = null;
    if (emmett) {
      const total = await countEvents(pool);
      const inversions = await countPositionInversions(emmett);
      const rebuilt = await rebuildEmmettProjection(emmett, 'after_appends', REBUILD_BATCH, 'Emmett projection after appends');
      await rebuildControlProjection(pool, store, CONTROL_SCHEMA, REBUILD_BATCH, total, 'control after appends');
      const after = await projectionsAgree(emmett, pool, CONTROL_SCHEMA);
      skipCheck = { events: rebuilt.events, inversions, ...after };
      if (!after.agree) {
        note(
          `bench: after the concurrent appends Emmett's projection holds ${after.organizations} organizations, the control ${after.controlOrganizations}; ` +
            `${inversions} events of Emmett's log lie below the position of an earlier transaction's event (skipped by its processor)`,
        );
      }
    }

    // 4. The api under load, over HTTP.
    const api = API ? await apiLoad(postgres.url, pool, store, commands, dataset.today, PROVINCES[0]) : null;

    // 5. The soak (BENCH_SOAK=1): the api under a mixed load for BENCH_SOAK_MINUTES (bench/src/soak.ts).
    const soak = SOAK ? await soakRun(postgres.url, pool, store, dataset) : null;

    const results: BenchResults = {
      date: new Date().toISOString(),
      machine,
      postgresVersion: versionRows[0].v,
      runs: RUNS,
      dataset: { ...dataset, logEvents },
      rebuilds,
      rebuildBatch: REBUILD_BATCH,
      live,
      digest,
      cliRebuild,
      progressNow,
      progressKnownAt,
      knownAtWindow: { from: new Date(known.from).toISOString(), to: new Date(known.to).toISOString() },
      series,
      list,
      search,
      append,
      appendWorkload: { organizations: APPEND_WORKLOAD, memberChanges: MEMBER_CHANGES_PER_ORGANIZATION, now: APPEND_NOW.toISOString() },
      peer: emmett
        ? {
            database: EMMETT_DATABASE,
            copy: peerCopy!,
            append: peerAppend,
            projection: peerProjection,
            control: controlProjection,
            agreement: agreement!,
            skipCheck,
          }
        : null,
      api,
      soak,
      totalSeconds: 0,
      loadAverage: { before: loadBefore, after: os.loadavg()[0] },
    };
    results.totalSeconds = msSince(benchStarted) / 1000; // the build before this process is not included
    const file = await writeReport(ROOT, results);
    process.stdout.write(`${summaryLines(results).join('\n')}\n`);
    note(`bench: ${results.totalSeconds.toFixed(0)} s in this process; figures written to ${path.relative(process.cwd(), file)}`);
  } finally {
    await emmett?.close().catch(() => undefined);
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

/**
 * The append workload of one run: `organizations` fresh cooperatives, each
 * registered and then changed MEMBER_CHANGES_PER_ORGANIZATION times, split
 * among the writers (each organization's commands in order, on one writer).
 */
function appendWorkload(writers: number, organizations: number, tag: string): OrganizationCommand[][][] {
  const random = seededRandom(Number(tag));
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
  return lanes;
}

/** Runs a workload's lanes at once (one writer each) through `execute`; checks the log grew by exactly the expected events. */
async function appendRun(
  lanes: OrganizationCommand[][][],
  execute: (command: OrganizationCommand, context: CommandContext) => Promise<unknown>,
  count: () => Promise<number>,
  tag: string,
  label: string,
): Promise<AppendRun> {
  const organizations = lanes.reduce((sum, lane) => sum + lane.length, 0);
  const perOrganization = 1 + MEMBER_CHANGES_PER_ORGANIZATION;
  const bar = new Bar(label, organizations * perOrganization, 'commands');
  const before = await count();
  let sent = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    lanes.map(async (lane, writer) => {
      for (const sequence of lane) {
        for (const command of sequence) {
          const context: CommandContext = { principal: systemPrincipal('system:bench'), correlationId: `bench-${tag}-${writer}-${sent}`, now: APPEND_NOW };
          await execute(command, context);
          sent++;
          bar.update(sent);
        }
      }
    }),
  );
  const seconds = msSince(started) / 1000;
  bar.stop();
  const events = (await count()) - before;
  // A registration appends the organization's event and its registration-number reservation.
  const expected = organizations * (2 + MEMBER_CHANGES_PER_ORGANIZATION);
  if (events !== expected) throw new Error(`${label}: ${events} events stored, ${expected} expected`);
  return { events, commands: sent, seconds, eventsPerSecond: events / seconds, commandsPerSecond: sent / seconds };
}

/**
 * Starts the built api on the bench's database and measures it with
 * autocannon: commands (member-count changes round many cooperatives,
 * registrations with unique numbers) and a read (province progress as of a
 * date), RUNS rounds of API_SECONDS each after an unmeasured warm-up; after
 * each write load, waits for the api's projector to apply what it wrote.
 */
async function apiLoad(url: string, pool: Pool, store: PostgresEventStore, commands: OrganizationCommandHandler, today: string, province: string): Promise<NonNullable<BenchResults['api']>> {
  // The cooperatives the membership load writes to, registered through the library before the api starts
  // (8 writers, their own registration numbers); only their registrations are sent, not the workload's changes.
  const lanes = appendWorkload(8, LOAD_COOPERATIVES, '90').map((lane) =>
    lane.map(([registration]) => ({ ...(registration as Extract<OrganizationCommand, { type: 'RegisterOrganization' }>), registrationNumber: `LOAD-${registration.organizationId.slice(0, 13)}` })),
  );
  const cooperatives = lanes.flat().map((registration) => ({ id: registration.organizationId, registeredOn: registration.registeredOn }));
  const bar = new Bar('api: cooperatives for the load', cooperatives.length, 'commands');
  let done = 0;
  await Promise.all(
    lanes.map(async (lane) => {
      for (const registration of lane) {
        await commands.execute({ command: registration, context: { principal: systemPrincipal('system:bench'), correlationId: `bench-load-${done}`, now: APPEND_NOW } });
        bar.update(++done);
      }
    }),
  );
  bar.stop();

  const port = await freePort();
  note(`bench: starting the api (dist/apps/api/src/main.js) on 127.0.0.1:${port}`);
  const api = await startApi(ROOT, url, port);
  try {
    const startCatchUp = await waitForProjector(pool, store, 'api: projector catch-up at start');
    const runs: Record<LoadKind, LoadRun[]> = { membership: [], registration: [], progress: [] };
    const kinds: LoadKind[] = ['membership', 'registration', 'progress'];
    const base = { api, connections: API_CONNECTIONS, cooperatives, today, province };
    for (const kind of kinds) await loadRun(kind, { ...base, seconds: API_WARM_UP_SECONDS, tag: `w${kind[0]}`, label: `api warm-up: ${kind}` });
    await waitForProjector(pool, store, 'api: projector after warm-up');
    for (let run = 1; run <= RUNS; run++) {
      for (const kind of kinds) {
        const result = await loadRun(kind, { ...base, seconds: API_SECONDS, tag: `r${run}`, label: `api ${kind} ${run}/${RUNS}` });
        if (kind !== 'progress') result.catchUpSeconds = await waitForProjector(pool, store, `api: projector after ${kind} ${run}`);
        runs[kind].push(result);
      }
    }
    return {
      connections: API_CONNECTIONS,
      seconds: API_SECONDS,
      warmUpSeconds: API_WARM_UP_SECONDS,
      cooperatives: cooperatives.length,
      province,
      startCatchUpSeconds: startCatchUp,
      runs,
      nodeFlags: api.nodeFlags,
      // VmHWM: the peak of the api's whole life (start, catch-up, warm-up, every run), read before it stops.
      peakRssMB: api.peakRssMB(),
    };
  } finally {
    await api.stop();
  }
}

/**
 * The live projector (`Projector`, as the api and `npm run start:projector` run it, its default batch)
 * from the active generation's checkpoint to the head of the log; the time from its start until its
 * checkpoint reaches the head (polled every 100 ms).
 */
async function liveCatchUp(pool: Pool, store: PostgresEventStore, logger: ReturnType<typeof createLogger>, events: number): Promise<NonNullable<BenchResults['live']>> {
  (globalThis as { gc?: () => void }).gc?.();
  const projector = new Projector(pool, store, logger, LIVE_BATCH);
  const started = process.hrtime.bigint();
  await projector.start();
  try {
    await waitForProjector(pool, store, 'live projector: catch-up', 6 * 3600_000);
  } finally {
    await projector.stop();
  }
  const seconds = msSince(started) / 1000;
  const status = projector.status();
  if (status.state === 'failed') throw new Error(`the live projector failed at ${status.failedAt}: ${status.error}`);
  const schema = await activeSchema(pool);
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".quarantined_events`);
  return { events, seconds, eventsPerSecond: events / seconds, batchSize: LIVE_BATCH, quarantined: rows[0].n };
}

/**
 * The first rebuild's generation against the one it retired, which the live projector built: the same
 * log, so the same read models (`readModelDigest`, libs/read-models: every read-model table, independent
 * of physical order, ids and when it was built).
 */
async function compareDigests(pool: Pool, rebuilt: string, retired: string | null): Promise<DigestCheck> {
  if (!retired) return { rebuiltSchema: rebuilt, liveSchema: null, unavailable: 'the first rebuild retired no generation' };
  const bar = new Bar('digest: rebuilt and live generations', 2, 'generations');
  const started = process.hrtime.bigint();
  const ofRebuilt = await readModelDigest(pool, rebuilt);
  bar.update(1);
  const ofLive = await readModelDigest(pool, retired);
  bar.update(2);
  bar.stop();
  const names = [...new Set([...Object.keys(ofRebuilt.tables), ...Object.keys(ofLive.tables)])].sort();
  const tables = names.map((name) => ({
    name,
    rebuiltRows: ofRebuilt.tables[name]?.rows ?? null,
    liveRows: ofLive.tables[name]?.rows ?? null,
    same: ofRebuilt.tables[name] !== undefined && ofLive.tables[name] !== undefined && ofRebuilt.tables[name].digest === ofLive.tables[name].digest,
  }));
  const identical = ofRebuilt.digest === ofLive.digest;
  if (!identical) note(`bench: the rebuilt generation ${rebuilt} and the live one ${retired} differ in ${tables.filter((t) => !t.same).map((t) => t.name).join(', ')}`);
  return { rebuiltSchema: rebuilt, liveSchema: retired, identical, rebuiltDigest: ofRebuilt.digest, liveDigest: ofLive.digest, tables, seconds: msSince(started) / 1000 };
}

/**
 * The soak (bench/src/soak.ts): the api under a mixed load for SOAK_MINUTES on the bench's log; its
 * section of the report (verdicts, the plot it wrote to bench/) and the api's peak RSS during it.
 */
async function soakRun(databaseUrl: string, pool: Pool, store: PostgresEventStore, dataset: { description: string; today: string; queryProvinces: string[] }): Promise<SoakFigures> {
  note(`bench: soak of ${SOAK_MINUTES} min (BENCH_SOAK=1)`);
  const started = process.hrtime.bigint();
  const result = await runSoak({
    pool,
    store,
    databaseUrl,
    root: ROOT,
    minutes: SOAK_MINUTES,
    provinces: dataset.queryProvinces,
    today: dataset.today,
    dataset: dataset.description,
    svgPath: soakPlotPath(),
  });
  return { minutes: SOAK_MINUTES, seconds: msSince(started) / 1000, lines: soakSection(result), apiPeakRssMB: result.apiPeakRssMB, verdicts: { ...result.verdicts } };
}

/** The soak's plot beside its report: RESULTS.md → bench/soak.svg, RESULTS-national.md → bench/soak-national.svg. */
function soakPlotPath(): string {
  const report = path.basename(process.env.BENCH_OUTPUT || 'RESULTS.md');
  const suffix = /^RESULTS(.*)\.md$/i.exec(report)?.[1] ?? `-${report.replace(/\.[^.]*$/, '')}`;
  return path.join(ROOT, 'bench', `soak${suffix}.svg`);
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


// BENCH_ONLY=spreadsheets: the spreadsheet import and export alone (bench/src/spreadsheets.ts, its own clusters and RESULTS file);
// BENCH_ONLY=transparency: the verifiable log alone (bench/src/transparency.ts, its own cluster and RESULTS file).
const only = process.env.BENCH_ONLY ?? '';
if (only !== '' && only !== 'spreadsheets' && only !== 'transparency') throw new Error(`BENCH_ONLY must be spreadsheets, transparency or unset (got "${only}")`);
(only === 'spreadsheets' ? spreadsheetBench() : only === 'transparency' ? transparencyBench() : main()).then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
