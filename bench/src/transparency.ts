import { createHash, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { freePort, positiveInteger } from './knobs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { OrganizationCommandHandler, seedPlans } from '@ktt/application';
import { systemPrincipal } from '@ktt/auth';
import type { RecordedEvent } from '@ktt/event-store';
import { PostgresEventStore } from '@ktt/event-store';
import { startEmbeddedPostgres } from '@ktt/platform/database/embedded-postgres';
import { prepareDatabase } from '@ktt/platform/database/prepare-database';
import { createLogger } from '@ktt/platform/logging/logger';
import { TransparencyLog } from '@ktt/transparency';
import { loadRun, startApi, waitForProjector, type LoadKind, type LoadRun } from './api-load';
import { describeMachine } from './machine';
import { Bar, note } from './progress';
import { msSince, percentile, randomDate, seededRandom, spread, type Spread } from './stats';

/**
 * `BENCH_ONLY=transparency npm run bench`: the verifiable log of issue 18, written to
 * bench/RESULTS-transparency.md (BENCH_OUTPUT to name another file). On a fresh embedded PostgreSQL:
 *
 * 1. The tree's build rate: BENCH_TREE_LEAVES (1,000,000, about the national log) synthetic leaves
 *    appended through TransparencyLog.appendEvents in pages of BENCH_TREE_PAGE (5,000), as the tree
 *    builder appends the log's pages; leaves per second, per run of the whole build.
 * 2. Inclusion proofs at that size: BENCH_PROOF_QUESTIONS (1,000) per round, RUNS rounds, each a random
 *    event id → leafOf → inclusionProof(leaf, size), what the proof endpoint asks of the tree (the
 *    endpoint also reads the one stored event and answers JSON: not in this figure). p50/p95/max.
 * 3. Checkpoint lag under the api load: the tree is reset, the built api started on the same cluster
 *    (npm start's process: api + projector + tree builder + checkpoint issuer), the bench's api load
 *    (membership and registration commands, BENCH_API_CONNECTIONS connections, BENCH_API_SECONDS per
 *    run) sent at it; afterwards each event appended during the load is matched with the first
 *    checkpoint that covers it (tree size > its leaf index): lag = issued_at − recordedAt. The bound is
 *    TRANSPARENCY_CHECKPOINT_SECONDS + 1 s.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const RUNS = Math.max(3, Math.floor(Number(process.env.BENCH_RUNS ?? 3)));
const CHECKPOINT_SECONDS = positiveInteger('TRANSPARENCY_CHECKPOINT_SECONDS', 10);
const CHECKPOINT_EVENTS = positiveInteger('TRANSPARENCY_CHECKPOINT_EVENTS', 1000);
const APPEND_NOW = new Date('2026-01-15T03:00:00.000Z');
/** The knobs as given to this run (read before the bench passes the checkpoint settings on to the api). */
const GIVEN = ['BENCH_TREE_LEAVES', 'BENCH_TREE_PAGE', 'BENCH_PROOF_QUESTIONS', 'BENCH_RUNS', 'BENCH_API', 'BENCH_API_SECONDS', 'BENCH_API_CONNECTIONS', 'TRANSPARENCY_CHECKPOINT_SECONDS', 'TRANSPARENCY_CHECKPOINT_EVENTS']
  .filter((name) => process.env[name])
  .map((name) => `${name}=${process.env[name]}`);

interface TreeBuild {
  leaves: number;
  seconds: number;
  leavesPerSecond: number;
  peakRssMB: number;
}

interface ProofRound {
  p50: number;
  p95: number;
  max: number;
  n: number;
  pathLength: number;
}

interface LagRun {
  kind: LoadKind;
  load: LoadRun;
  events: number;
  uncovered: number;
  p50: number;
  p95: number;
  max: number;
  checkpoints: number;
}

export async function transparencyBench(): Promise<void> {
  const leaves = positiveInteger('BENCH_TREE_LEAVES', 1_000_000);
  const page = positiveInteger('BENCH_TREE_PAGE', 5000);
  const questions = positiveInteger('BENCH_PROOF_QUESTIONS', 1000);
  const apiSeconds = positiveInteger('BENCH_API_SECONDS', 10);
  const connections = positiveInteger('BENCH_API_CONNECTIONS', 8);
  const cooperativeCount = positiveInteger('BENCH_LOAD_COOPERATIVES', 2000);
  const output = process.env.BENCH_OUTPUT ?? 'RESULTS-transparency.md';
  const machine = describeMachine();
  const started = performance.now();
  const loadAverages: Record<string, number[]> = { before: os.loadavg() };
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ktt-bench-tlog-'));
  const port = await freePort();
  const logger = createLogger('warn');
  note(`transparency bench: ${leaves} leaves, ${RUNS} runs, embedded PostgreSQL on 127.0.0.1:${port} in ${dataDir}`);
  const postgres = await startEmbeddedPostgres({ dataDir, port, database: 'ktt_bench_tlog', logger });
  const pool = new Pool({ connectionString: postgres.url, max: 10, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => undefined);
  const store = new PostgresEventStore({ pool, connectionString: postgres.url });
  try {
    await prepareDatabase({ ownerUrl: postgres.ownerUrl, appUrl: postgres.url, logger });
    const { rows: versionRows } = await pool.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    const log = new TransparencyLog(pool);

    // 1. The tree's build rate, RUNS builds of the whole synthetic log (reset between them).
    const builds: TreeBuild[] = [];
    const ids: string[] = [];
    for (let run = 1; run <= RUNS; run++) {
      await log.reset();
      (globalThis as { gc?: () => void }).gc?.();
      builds.push(await buildTree(log, leaves, page, `tree build ${run}/${RUNS}`, run === RUNS ? ids : null));
    }
    loadAverages.afterBuild = os.loadavg();

    // 2. Inclusion proofs at that size.
    const size = await log.size();
    if (size !== leaves) throw new Error(`the tree holds ${size} leaves after the build, ${leaves} expected`);
    const rounds: ProofRound[] = [];
    const warm = seededRandom(7);
    for (let i = 0; i < 50; i++) await proveOne(log, ids[Math.floor(warm() * ids.length)], size);
    for (let round = 1; round <= RUNS; round++) {
      const random = seededRandom(100 + round);
      const bar = new Bar(`inclusion proofs ${round}/${RUNS}`, questions, 'proofs');
      const times: number[] = [];
      let pathLength = 0;
      for (let i = 0; i < questions; i++) {
        const t0 = process.hrtime.bigint();
        pathLength = Math.max(pathLength, await proveOne(log, ids[Math.floor(random() * ids.length)], size));
        times.push(msSince(t0));
        bar.update(times.length);
      }
      bar.stop();
      rounds.push({ p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times), n: times.length, pathLength });
    }
    loadAverages.afterProofs = os.loadavg();

    // 3. Checkpoint lag under the api load (the tree rebuilt by the api's own builder from the real log); BENCH_API=0 skips it.
    const lagPart = process.env.BENCH_API === '0' ? null : await checkpointLag({ log, pool, store, postgresUrl: postgres.url, apiSeconds, connections, cooperativeCount });
    const lag = lagPart?.lag ?? [];
    if (lagPart) loadAverages.afterLoad = os.loadavg();

    const report = {
      date: new Date().toISOString(),
      machine,
      postgresVersion: versionRows[0].v,
      runs: RUNS,
      leaves,
      page,
      builds,
      buildRate: spread(builds.map((b) => b.leavesPerSecond)),
      rounds,
      proofP50: spread(rounds.map((r) => r.p50)),
      proofP95: spread(rounds.map((r) => r.p95)),
      lag,
      startCoverSeconds: lagPart?.startCoverSeconds ?? NaN,
      apiSeconds,
      connections,
      cooperatives: lagPart?.cooperatives ?? 0,
      http: lagPart?.http ?? null,
      loadAverages,
      totalSeconds: (performance.now() - started) / 1000,
    };
    const file = path.resolve(ROOT, 'bench', output);
    writeFileSync(file, renderReport(report));
    const worstLag = lag.length ? Math.max(...lag.map((run) => run.max)) : NaN;
    process.stdout.write(
      [
        `tree build: ${fmt(report.buildRate.median, 0)} leaves/s (median of ${RUNS}, ${leaves.toLocaleString('en-US')} leaves)`,
        `inclusion proof at ${leaves.toLocaleString('en-US')} leaves: p95 ${fmt(report.proofP95.median, 2)} ms (max of rounds ${fmt(report.proofP95.max, 2)} ms)`,
        `checkpoint lag under the api load: max ${fmt(worstLag, 2)} s (bound ${CHECKPOINT_SECONDS + 1} s)`,
      ].join('\n') + '\n',
    );
    note(`transparency bench: ${report.totalSeconds.toFixed(0)} s; figures written to ${path.relative(process.cwd(), file)}`);
    if (lag.some((run) => run.uncovered > 0)) throw new Error('events appended during the load were not covered by a checkpoint (see the report)');
  } finally {
    await store.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await postgres.stop().catch(() => undefined);
    if (process.env.BENCH_KEEP !== '1') await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * Part 3: the tree reset, cooperatives registered through the library, the built api started (its tree
 * builder rebuilds the tree from the log, its issuer signs), then RUNS rounds of the membership and the
 * registration load; after each, the lag of every event recorded during it.
 */
async function checkpointLag(options: {
  log: TransparencyLog;
  pool: Pool;
  store: PostgresEventStore;
  postgresUrl: string;
  apiSeconds: number;
  connections: number;
  cooperativeCount: number;
}): Promise<{ lag: LagRun[]; startCoverSeconds: number; cooperatives: number; http: HttpProofs }> {
  const { log, pool, store } = options;
  await log.reset();
  await seedPlans(store, path.join(ROOT, 'data', 'plans'));
  const cooperatives = await registerCooperatives(new OrganizationCommandHandler(store), options.cooperativeCount);
  const apiPort = await freePort();
  // The api reads its settings from the environment the bench passes on.
  process.env.TRANSPARENCY_CHECKPOINT_SECONDS = String(CHECKPOINT_SECONDS);
  process.env.TRANSPARENCY_CHECKPOINT_EVENTS = String(CHECKPOINT_EVENTS);
  note(`transparency bench: starting the api on 127.0.0.1:${apiPort} (checkpoints every ${CHECKPOINT_EVENTS} events or ${CHECKPOINT_SECONDS} s)`);
  const api = await startApi(ROOT, options.postgresUrl, apiPort);
  const lag: LagRun[] = [];
  try {
    await waitForProjector(pool, store, 'api: projector catch-up at start');
    const startCoverSeconds = await waitForCoverage(pool, CHECKPOINT_SECONDS + 60, 'api: first checkpoint covering the log');
    const base = { api, connections: options.connections, cooperatives, today: '2026-01-15', province: '91' };
    for (let run = 1; run <= RUNS; run++) {
      for (const kind of ['membership', 'registration'] as const) {
        const from = new Date();
        const load = await loadRun(kind, { ...base, seconds: options.apiSeconds, tag: `t${run}`, label: `api ${kind} ${run}/${RUNS}` });
        await waitForCoverage(pool, CHECKPOINT_SECONDS + 30, `checkpoint after ${kind} ${run}`);
        lag.push({ kind, load, ...(await lagSince(pool, from)) });
      }
    }
    // The projector idle again, so that the requests measure the endpoint and not the catch-up beside it.
    await waitForProjector(pool, store, 'api: projector before the proofs');
    const http = await httpInclusionProofs(pool, api.baseUrl, api.authorization);
    return { lag, startCoverSeconds, cooperatives: cooperatives.length, http };
  } finally {
    await api.stop();
  }
}

/**
 * Appends `leaves` synthetic events (only their id and hash matter to the tree) in pages, as the tree
 * builder appends pages of the log. `keepIds` collects the ids for the proofs.
 */
async function buildTree(log: TransparencyLog, leaves: number, page: number, label: string, keepIds: string[] | null): Promise<TreeBuild> {
  const bar = new Bar(label, leaves, 'leaves');
  let peakRss = process.memoryUsage().rss;
  const t0 = process.hrtime.bigint();
  for (let start = 0; start < leaves; start += page) {
    const batch: RecordedEvent[] = [];
    for (let i = start; i < Math.min(leaves, start + page); i++) {
      const eventId = randomUUID();
      keepIds?.push(eventId);
      batch.push(syntheticEvent(i, eventId));
    }
    await log.appendEvents(batch);
    bar.update(Math.min(leaves, start + page));
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const seconds = msSince(t0) / 1000;
  bar.stop();
  return { leaves, seconds, leavesPerSecond: leaves / seconds, peakRssMB: peakRss / 1e6 };
}

function syntheticEvent(i: number, eventId: string): RecordedEvent {
  const hash = createHash('sha256').update(`bench leaf ${i} ${eventId}`).digest('hex');
  return {
    streamId: `bench-${i % 1000}`,
    revision: Math.floor(i / 1000),
    position: `1.${i + 1}` as RecordedEvent['position'],
    type: 'BenchLeaf',
    data: {},
    metadata: {
      eventId,
      recordedAt: APPEND_NOW.toISOString(),
      recordedBy: 'system:bench',
      correlationId: 'bench',
      causationId: null,
      schemaVersion: 1,
      previousHash: null,
      hash,
    },
  };
}

/** What the inclusion endpoint asks of the tree: the event's leaf, then its audit path at the size. */
async function proveOne(log: TransparencyLog, eventId: string, size: number): Promise<number> {
  const leaf = await log.leafOf(eventId);
  if (!leaf) throw new Error(`no leaf for ${eventId}`);
  return (await log.inclusionProof(leaf.leafIndex, size)).length;
}

async function registerCooperatives(commands: OrganizationCommandHandler, count: number): Promise<{ id: string; registeredOn: string }[]> {
  const random = seededRandom(90);
  const cooperatives = Array.from({ length: count }, (_, i) => ({ id: randomUUID(), registeredOn: randomDate(random, '2019-01-01', '2022-12-31'), i }));
  const bar = new Bar('cooperatives for the load', count, 'commands');
  let done = 0;
  const lanes = Array.from({ length: 8 }, (_, lane) => cooperatives.filter((c) => c.i % 8 === lane));
  await Promise.all(
    lanes.map(async (lane) => {
      for (const cooperative of lane) {
        await commands.execute({
          command: {
            type: 'RegisterOrganization',
            organizationId: cooperative.id,
            kind: 'cooperative',
            name: `HTX tải thử ${cooperative.i}`,
            registrationNumber: `TLOG-${cooperative.id.slice(0, 13)}`,
            provinceCode: '91',
            sector: 'agriculture',
            registeredOn: cooperative.registeredOn,
            memberCount: 10 + Math.floor(random() * 50),
          },
          context: { principal: systemPrincipal('system:bench'), correlationId: `bench-tlog-${cooperative.i}`, now: APPEND_NOW },
        });
        bar.update(++done);
      }
    }),
  );
  bar.stop();
  return cooperatives.map(({ id, registeredOn }) => ({ id, registeredOn }));
}

interface HttpProofs {
  treeSize: number;
  n: number;
  p50: number;
  p95: number;
  max: number;
  /** The same requests' baseline: GET /api/transparency/checkpoint with the same token (HTTP, authentication, one indexed read). */
  baseline: { p50: number; p95: number; max: number };
}

/**
 * GET /api/transparency/proof/inclusion over HTTP on the api's own tree (the log of part 3, every event
 * under a checkpoint): what the endpoint adds to the tree's work (the stored event's read, the JSON
 * answer, HTTP), one request at a time, random events, after 50 unmeasured.
 */
async function httpInclusionProofs(pool: Pool, baseUrl: string, authorization: string, count = 500): Promise<HttpProofs> {
  const { rows } = await pool.query<{ id: string }>('SELECT event_id::text AS id FROM transparency_leaves ORDER BY leaf_index');
  const random = seededRandom(11);
  const ask = async (): Promise<number> => {
    const id = rows[Math.floor(random() * rows.length)].id;
    const t0 = process.hrtime.bigint();
    const response = await fetch(`${baseUrl}/api/transparency/proof/inclusion?eventId=${id}`, { headers: { authorization } });
    const body = (await response.json()) as { treeSize?: number };
    if (response.status !== 200) throw new Error(`inclusion proof of ${id}: ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
    return msSince(t0);
  };
  const askBaseline = async (): Promise<number> => {
    const t0 = process.hrtime.bigint();
    const response = await fetch(`${baseUrl}/api/transparency/checkpoint`, { headers: { authorization } });
    await response.text();
    if (response.status !== 200) throw new Error(`checkpoint: ${response.status}`);
    return msSince(t0);
  };
  for (let i = 0; i < 50; i++) {
    await ask();
    await askBaseline();
  }
  const bar = new Bar('api: inclusion proofs over HTTP', count, 'requests');
  const times: number[] = [];
  const baseline: number[] = [];
  // Alternating, so that both see the same moments of the machine.
  for (let i = 0; i < count; i++) {
    times.push(await ask());
    baseline.push(await askBaseline());
    bar.update(times.length);
  }
  bar.stop();
  const { rows: size } = await pool.query<{ n: string }>('SELECT max(tree_size)::text AS n FROM transparency_checkpoints');
  return {
    treeSize: Number(size[0].n),
    n: count,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    max: Math.max(...times),
    baseline: { p50: percentile(baseline, 50), p95: percentile(baseline, 95), max: Math.max(...baseline) },
  };
}

/** Waits until the latest checkpoint covers every event of the log; the seconds it took. */
async function waitForCoverage(pool: Pool, timeoutSeconds: number, label: string): Promise<number> {
  const t0 = process.hrtime.bigint();
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
  const total = rows[0].n;
  const bar = new Bar(label, total, 'events', { rate: false });
  for (;;) {
    const { rows: latest } = await pool.query<{ n: string | null }>('SELECT max(tree_size)::text AS n FROM transparency_checkpoints');
    const covered = Number(latest[0].n ?? 0);
    bar.update(Math.min(total, covered));
    if (covered >= total) break;
    if (msSince(t0) > timeoutSeconds * 1000) {
      bar.stop();
      throw new Error(`${label}: the latest checkpoint covers ${covered} of ${total} events after ${timeoutSeconds} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  bar.stop();
  return msSince(t0) / 1000;
}

/**
 * Each event recorded since `from`: the first checkpoint covering it (tree size above its leaf index),
 * and its lag from the event's recordedAt (the server's clock at the append) to that checkpoint's issued_at.
 */
async function lagSince(pool: Pool, from: Date): Promise<Omit<LagRun, 'kind' | 'load'>> {
  const { rows } = await pool.query<{ lag: number | null }>(
    `SELECT extract(epoch FROM (c.issued_at - (e.metadata->>'recordedAt')::timestamptz))::float8 AS lag
       FROM events e
       LEFT JOIN transparency_leaves l ON l.event_id = e.event_id
       LEFT JOIN LATERAL (
         SELECT issued_at FROM transparency_checkpoints WHERE tree_size > l.leaf_index ORDER BY tree_size LIMIT 1
       ) c ON true
      WHERE (e.metadata->>'recordedAt')::timestamptz >= $1`,
    [from.toISOString()],
  );
  const lags = rows.filter((row) => row.lag !== null).map((row) => row.lag!);
  const { rows: checkpoints } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM transparency_checkpoints WHERE issued_at >= $1', [from.toISOString()]);
  return {
    events: rows.length,
    uncovered: rows.length - lags.length,
    p50: lags.length ? percentile(lags, 50) : NaN,
    p95: lags.length ? percentile(lags, 95) : NaN,
    max: lags.length ? Math.max(...lags) : NaN,
    checkpoints: checkpoints[0].n,
  };
}

function renderReport(r: {
  date: string;
  machine: ReturnType<typeof describeMachine>;
  postgresVersion: string;
  runs: number;
  leaves: number;
  page: number;
  builds: TreeBuild[];
  buildRate: Spread;
  rounds: ProofRound[];
  proofP50: Spread;
  proofP95: Spread;
  lag: LagRun[];
  startCoverSeconds: number;
  apiSeconds: number;
  connections: number;
  cooperatives: number;
  http: HttpProofs | null;
  loadAverages: Record<string, number[]>;
  totalSeconds: number;
}): string {
  const bound = CHECKPOINT_SECONDS + 1;
  const worst = r.lag.length ? Math.max(...r.lag.map((run) => run.max)) : NaN;
  const range = (s: Spread, digits: number) => `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
  const env = ['BENCH_ONLY=transparency', ...GIVEN];
  const loads = Object.entries(r.loadAverages)
    .map(([when, [one, five, fifteen]]) => `${when} ${fmt(one, 2)} / ${fmt(five, 2)} / ${fmt(fifteen, 2)}`)
    .join('; ');
  return `# Verifiable log (issue 18): tree build, inclusion proofs, checkpoint lag

Written by \`${env.join(' ')} npm run bench\` (bench/src/transparency.ts) on ${r.date}; ${fmt(r.totalSeconds, 0)} s in the bench process.

- Machine: ${r.machine.nproc} CPUs (${r.machine.cpuModel}), ${fmt(r.machine.memoryGiB, 1)} GiB, ${r.machine.kernel}, Node ${r.machine.node}, PostgreSQL ${r.postgresVersion} (embedded, one cluster, on the same machine).
- Load average (1 / 5 / 15 min): ${loads}. The machine is shared with other work; a load above the CPU count means the figures are slower than on an idle machine.

## Headline

| figure | value | goal |
|---|---|---|
| inclusion proof at ${r.leaves.toLocaleString('en-US')} leaves, p95 (median of ${r.runs} rounds) | ${fmt(r.proofP95.median, 2)} ms | ≤ 10 ms |
| checkpoint lag under the api load, worst event of every run | ${fmt(worst, 2)} s | < ${bound} s (interval ${CHECKPOINT_SECONDS} s + 1 s) |
| tree build rate (median of ${r.runs} builds of ${r.leaves.toLocaleString('en-US')} leaves) | ${fmt(r.buildRate.median, 0)} leaves/s | (its own figure, not the read models' rebuild) |
${r.http ? `| the inclusion proof endpoint over HTTP at ${r.http.treeSize.toLocaleString('en-US')} leaves, p95 (section 4) | ${fmt(r.http.p95, 2)} ms | |\n` : ''}
## 1. Tree build

${r.leaves.toLocaleString('en-US')} synthetic leaves (a random 32-byte hash each) through \`TransparencyLog.appendEvents\` in pages of ${r.page.toLocaleString('en-US')} events, the tree reset before each build; leaves/s median (min–max): ${range(r.buildRate, 0)}.

| run | seconds | leaves/s | peak RSS of the bench process (MB) |
|---|---|---|---|
${r.builds.map((b, i) => `| ${i + 1} | ${fmt(b.seconds, 1)} | ${fmt(b.leavesPerSecond, 0)} | ${fmt(b.peakRssMB, 0)} |`).join('\n')}

## 2. Inclusion proofs at ${r.leaves.toLocaleString('en-US')} leaves

Each question: a random event id of the tree → \`leafOf\` → \`inclusionProof(leafIndex, ${r.leaves.toLocaleString('en-US')})\`, one at a time, after 50 unmeasured; what \`GET /api/transparency/proof/inclusion\` asks of the tree (the endpoint's read of the one stored event and its JSON answer are not in the figure). p50 ${range(r.proofP50, 2)} ms, p95 ${range(r.proofP95, 2)} ms.

| round | questions | p50 (ms) | p95 (ms) | max (ms) | audit path length |
|---|---|---|---|---|---|
${r.rounds.map((round, i) => `| ${i + 1} | ${round.n} | ${fmt(round.p50, 2)} | ${fmt(round.p95, 2)} | ${fmt(round.max, 2)} | ${round.pathLength} |`).join('\n')}

## 3. Checkpoint lag under the api load

The tree reset, ${r.cooperatives.toLocaleString('en-US')} cooperatives registered through the library, then the built api started on the cluster (api, projector, tree builder and checkpoint issuer in one process, as \`npm start\`), checkpoints every ${CHECKPOINT_EVENTS.toLocaleString('en-US')} events or ${CHECKPOINT_SECONDS} s. The first checkpoint covering the whole log came ${fmt(r.startCoverSeconds, 1)} s after the projector had caught up. Each run: autocannon, ${r.connections} connections, ${r.apiSeconds} s; then, for every event recorded during the run, the first checkpoint whose tree size exceeds its leaf index: lag = its \`issued_at\` − the event's \`recordedAt\` (both the server's clock). While the load runs a checkpoint follows every ${CHECKPOINT_EVENTS.toLocaleString('en-US')} events (the p50); the last events of a run, fewer than that, wait for the ${CHECKPOINT_SECONDS}-second rule, which makes the p95 and the max.

| run | load | requests/s | events | checkpoints issued | lag p50 (s) | lag p95 (s) | lag max (s) | not covered |
|---|---|---|---|---|---|---|---|---|
${r.lag
  .map((run, i) => `| ${Math.floor(i / 2) + 1} | ${run.kind} | ${fmt(run.load.requestsPerSecond, 0)} | ${run.events.toLocaleString('en-US')} | ${run.checkpoints} | ${fmt(run.p50, 2)} | ${fmt(run.p95, 2)} | ${fmt(run.max, 2)} | ${run.uncovered} |`)
  .join('\n')}
${
  r.http
    ? `
## 4. The inclusion proof endpoint over HTTP

\`GET /api/transparency/proof/inclusion?eventId=\` on the api of part 3 (its tree: ${r.http.treeSize.toLocaleString('en-US')} leaves, every event under a checkpoint), ${r.http.n} random events one at a time after 50 unmeasured, an admin token: p50 ${fmt(r.http.p50, 2)} ms, p95 ${fmt(r.http.p95, 2)} ms, max ${fmt(r.http.max, 2)} ms. Alternating with them, the baseline \`GET /api/transparency/checkpoint\` with the same token (HTTP, authentication, one indexed read): p50 ${fmt(r.http.baseline.p50, 2)} ms, p95 ${fmt(r.http.baseline.p95, 2)} ms, max ${fmt(r.http.baseline.max, 2)} ms. What the endpoint adds to part 2's tree work (reading the event's stream, JSON, HTTP on the same machine) does not grow with the tree; the tree's part at 1,000,000 leaves is part 2's.
`
    : ''
}`;
}

function fmt(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '—';
}
