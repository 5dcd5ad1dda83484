import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import { decodePostgresPosition, type EventStore } from '@ktt/event-store';
import { activeSchema, readCheckpoint } from '@ktt/read-models';
import { startApi, waitForProjector, type RunningApi } from './api-load';
import { freePort } from './knobs';
import { kibToMB } from './node-process';
import { Bar, note } from './progress';
import { percentile, pick, randomDate, seededRandom } from './stats';
import { svgPlot, type PlotSeries } from './svg-plot';

/**
 * The soak (issue 19): the built api as `npm start` runs it (startApi: the Node flags of package.json's
 * `start` script, api and projector in one process) on the bench's PostgreSQL, under a steady mixed load
 * for `minutes`: registrars writing (registrations, member-count and profile changes of existing
 * cooperatives), analysts reading province progress and 10-year series, auditors reading the trail.
 *
 * The load is open loop: every endpoint is sent requests at its own fixed rate whatever the answers take
 * (a slow answer does not slow the arrivals, so latency is not hidden by the load backing off); a request
 * that would exceed MAX_IN_FLIGHT outstanding ones of its endpoint is not sent and counted as `dropped`.
 * The rate is chosen for stability, not saturation: well under what the 2-core machine serves.
 *
 * Every second: the api process's RSS (VmRSS of /proc/<pid>/status), the projector's lag (the age of the
 * oldest event past the read models' checkpoint: how long the oldest write not yet visible has waited),
 * and the errors so far. Verdicts of the issue: p99 per endpoint in the last minute ≤ 1.5× the first
 * minute's; RSS at the end < 1.1× RSS after the first minute; 0 errors; lag never above 2 s.
 */
export type SoakEndpointName = 'registration' | 'membership' | 'profile' | 'progress' | 'series' | 'audit';

export interface SoakOptions {
  /** The bench's PostgreSQL holding the log (the soak reads the checkpoint, picks organizations). */
  pool: Pool;
  store: EventStore;
  /** Connection string the api child is given (DATABASE_URL). */
  databaseUrl: string;
  /** The project root (dist/, package.json). */
  root: string;
  minutes: number;
  /** Provinces the analysts and auditors ask about. */
  provinces: string[];
  /** Progress dates are drawn up to this date (the history's end). */
  today: string;
  /** Distinguishes the registration numbers of this run from any other's (default: the time, base 36). */
  tag?: string;
  /** Requests per second per endpoint (defaults: SOAK_RATES). */
  rates?: Partial<Record<SoakEndpointName, number>>;
  /** Unmeasured seconds at the same rates before the clock starts (JIT, pools, caches); default 15. */
  warmUpSeconds?: number;
  /** Where the plot goes (default bench/soak.svg). */
  svgPath?: string;
  /** One line on the data set, for the report. */
  dataset?: string;
}

/**
 * Requests per second of each endpoint: 22 requests/s, about 16 events/s. At national scale a 10-year
 * monthly series costs ~130 ms of the api's time and a progress answer ~45 ms, so the reads alone keep
 * about half a core busy; the writes ~15 ms each.
 */
export const SOAK_RATES: Record<SoakEndpointName, number> = {
  registration: 3,
  membership: 5,
  profile: 2,
  progress: 6,
  series: 2,
  audit: 4,
};

const LABELS: Record<SoakEndpointName, string> = {
  registration: 'registration `POST /api/organizations`',
  membership: 'member-count change `POST /api/organizations/{id}/membership`',
  profile: 'profile change `POST /api/organizations/{id}/profile`',
  progress: 'province progress `GET /api/provinces/{code}/progress?asOf=…`',
  series: '10-year series `GET /api/provinces/{code}/progress/series?from=2016-01-01&to=2025-12-31&step=month`',
  audit: 'audit trail `GET /api/audit/events?order=desc&limit=50` (all, a province, an organization)',
};

const MAX_IN_FLIGHT = 32;
const WINDOW_SECONDS = 60;
const PLOT_WINDOW_SECONDS = 30;
/** Existing cooperatives the member-count and profile changes go round (half each: never two writes on one stream at once). */
const TARGETS = 4000;

export const SOAK_LIMITS = { p99Ratio: 1.5, rssGrowth: 0.1, lagSeconds: 2, errors: 0 } as const;

export interface SoakWindow {
  /** Seconds since the measured start. */
  from: number;
  to: number;
  n: number;
  p50: number | null;
  p99: number | null;
}

export interface SoakEndpointResult {
  name: SoakEndpointName;
  label: string;
  rate: number;
  requests: number;
  ok: number;
  errors: number;
  dropped: number;
  p50: number;
  p99: number;
  max: number;
  /** One per minute (the verdict's windows). */
  windows: SoakWindow[];
  /** One per PLOT_WINDOW_SECONDS (the plot's points). */
  plotWindows: SoakWindow[];
  firstP99: number | null;
  lastP99: number | null;
  ratio: number | null;
}

export interface SoakSample {
  /** Seconds since the measured start. */
  t: number;
  rssMB: number | null;
  /** CPU time of the api process since the previous sample, in % of one core (api and projector share its event loop). */
  cpuPercent: number | null;
  lagSeconds: number;
  unprojected: number;
  errors: number;
}

export interface SoakResult {
  date: string;
  minutes: number;
  warmUpSeconds: number;
  dataset: string | null;
  logEventsAtStart: number;
  eventsWritten: number;
  nodeFlags: string[];
  requestsPerSecond: number;
  startCatchUpSeconds: number;
  endpoints: SoakEndpointResult[];
  samples: SoakSample[];
  rss: { atStartMB: number | null; afterFirstMinuteMB: number | null; endMB: number | null; maxAfterFirstMinuteMB: number | null; peakMB: number | null; growth: number | null };
  lag: { maxSeconds: number; maxUnprojected: number; endCatchUpSeconds: number };
  /** The api's peak RSS since it started (VmHWM, MB): the figure of the "api ≤ 300 MB" goal. */
  apiPeakRssMB: number | null;
  /** The api process's CPU over the measured load, % of one core: mean and the highest 1-second sample. */
  apiCpu: { meanPercent: number | null; maxPercent: number | null };
  errors: number;
  dropped: number;
  failures: { endpoint: SoakEndpointName; status: number; body: string }[];
  loadAverage: { before: number; after: number };
  svg: string;
  verdicts: { p99: boolean; rss: boolean; errors: boolean; lag: boolean };
}

interface Request {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

interface Timing {
  t: number;
  ms: number;
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const { pool, store, root } = options;
  const tag = options.tag ?? Date.now().toString(36);
  const rates = { ...SOAK_RATES, ...options.rates };
  const warmUpSeconds = options.warmUpSeconds ?? 15;
  const seconds = Math.round(options.minutes * 60);
  const svgFile = options.svgPath ?? path.join(root, 'bench', 'soak.svg');
  const loadBefore = os.loadavg()[0];
  const logEventsAtStart = await countEvents(pool);
  const targets = await cooperativesToChange(pool);
  if (targets.length < 2) throw new Error('the soak needs existing cooperatives to change: none found in the log');
  const membershipTargets = targets.filter((_, i) => i % 2 === 0);
  const profileTargets = targets.filter((_, i) => i % 2 === 1);

  const port = await freePort();
  note(`soak: starting the api (dist/apps/api/src/main.js) on 127.0.0.1:${port}`);
  const api = await startApi(root, options.databaseUrl, port);
  try {
    note(`soak: api pid ${api.pid}, node flags ${api.nodeFlags.join(' ') || '(none)'}`);
    // The lag as the sampler reads it, while the projector catches up: a check that the measure sees a lag at all.
    const before = await projectorLag(pool, await activeSchema(pool));
    note(`soak: at the api's start ${before.events} events past the checkpoint, the oldest recorded ${before.seconds.toFixed(0)} s ago`);
    const startCatchUpSeconds = await waitForProjector(pool, store, 'soak: projector catch-up at start', 1_800_000);
    const random = seededRandom(hash(tag));
    let sequence = 0;
    const requestOf: Record<SoakEndpointName, () => Request> = {
      registration: () => {
        const n = sequence++;
        return {
          method: 'POST',
          path: '/api/organizations',
          body: {
            kind: 'cooperative',
            name: `Hợp tác xã soak ${tag} ${n}`,
            registrationNumber: `SOAK-${tag}-${n}`,
            provinceCode: pick(random, ['01', '31', '48', '79', '92']),
            sector: 'agriculture',
            registeredOn: randomDate(random, '2019-01-01', '2025-06-30'),
            memberCount: 7 + Math.floor(random() * 60),
          },
        };
      },
      membership: roundRobin(membershipTargets, ({ id, registeredOn }) => ({
        method: 'POST',
        path: `/api/organizations/${id}/membership`,
        body: { memberCount: 10 + Math.floor(random() * 190), effectiveOn: recentDate(random, registeredOn) },
      })),
      profile: roundRobin(profileTargets, ({ id, registeredOn }) => {
        const total = 1 + Math.floor(random() * 9);
        return {
          method: 'POST',
          path: `/api/organizations/${id}/profile`,
          body: { effectiveOn: recentDate(random, registeredOn), managers: { total, withDegree: Math.floor(random() * (total + 1)) }, digitalAdoption: random() < 0.5 },
        };
      }),
      progress: () => ({ method: 'GET', path: `/api/provinces/${pick(random, options.provinces)}/progress?asOf=${randomDate(random, '2016-01-01', options.today)}` }),
      series: () => ({ method: 'GET', path: `/api/provinces/${pick(random, options.provinces)}/progress/series?from=2016-01-01&to=2025-12-31&step=month` }),
      audit: () => {
        const which = random();
        if (which < 1 / 3) return { method: 'GET', path: '/api/audit/events?order=desc&limit=50' };
        if (which < 2 / 3) return { method: 'GET', path: `/api/audit/events?order=desc&limit=50&provinceCode=${pick(random, options.provinces)}` };
        return { method: 'GET', path: `/api/audit/events?order=desc&limit=50&organizationId=${pick(random, targets).id}` };
      },
    };

    // Warm-up at the same rates, not measured (its errors still count).
    const load = new OpenLoop(api, rates, requestOf);
    note(`soak: warm-up ${warmUpSeconds} s at ${load.totalRate} requests/s`);
    await load.run(warmUpSeconds, null);
    await load.drain();
    const warmUpErrors = load.failures.length;
    load.reset();

    // The measured soak.
    const samples: SoakSample[] = [];
    let lastCpu: { t: number; ticks: number } | null = null;
    const schema = await activeSchema(pool);
    const bar = new Bar(`soak ${options.minutes} min`, seconds, 's', { rate: false });
    const sampler = async (t: number) => {
      const lag = await projectorLag(pool, schema);
      const rss = vmRssMB(api.pid);
      const cpu = cpuTicks(api.pid);
      const cpuPercent = cpu !== null && lastCpu !== null && t > lastCpu.t ? (((cpu - lastCpu.ticks) / CLOCK_TICKS) * 100) / (t - lastCpu.t) : null;
      if (cpu !== null) lastCpu = { t, ticks: cpu };
      samples.push({ t, rssMB: rss, cpuPercent, lagSeconds: lag.seconds, unprojected: lag.events, errors: load.errorCount() });
      bar.update(Math.min(seconds, Math.round(t)), undefined, `RSS ${rss?.toFixed(0) ?? '?'} MB, lag ${lag.seconds.toFixed(2)} s, ${load.errorCount()} errors`);
    };
    await load.run(seconds, sampler);
    await load.drain();
    bar.stop();
    const endCatchUpSeconds = await waitForProjector(pool, store, 'soak: projector after the load');
    const peakMB = api.peakRssMB();
    const logEventsAtEnd = await countEvents(pool);
    const loadAfter = os.loadavg()[0];

    const endpoints = (Object.keys(rates) as SoakEndpointName[]).map((name) => endpointResult(name, rates[name], load, seconds));
    const rssAt = (from: number, to: number) => {
      const values = samples.filter((s) => s.t >= from && s.t < to && s.rssMB !== null).map((s) => s.rssMB!);
      return values.length ? percentile(values, 50) : null;
    };
    // Medians of 10 s, so one sample on a GC's peak or trough does not decide.
    const afterFirstMinute = rssAt(Math.min(50, seconds - 10), Math.min(60, seconds));
    const endMB = rssAt(seconds - 10, seconds + 1);
    const later = samples.filter((s) => s.t >= 60 && s.rssMB !== null).map((s) => s.rssMB!);
    const growth = afterFirstMinute !== null && endMB !== null ? endMB / afterFirstMinute - 1 : null;
    const errors = load.errorCount() + warmUpErrors;
    const maxLag = Math.max(0, ...samples.map((s) => s.lagSeconds));
    const result: SoakResult = {
      date: new Date().toISOString(),
      minutes: options.minutes,
      warmUpSeconds,
      dataset: options.dataset ?? null,
      logEventsAtStart,
      eventsWritten: logEventsAtEnd - logEventsAtStart,
      nodeFlags: api.nodeFlags,
      requestsPerSecond: load.totalRate,
      startCatchUpSeconds,
      endpoints,
      samples,
      rss: {
        atStartMB: samples[0]?.rssMB ?? null,
        afterFirstMinuteMB: afterFirstMinute,
        endMB,
        maxAfterFirstMinuteMB: later.length ? Math.max(...later) : null,
        peakMB,
        growth,
      },
      lag: { maxSeconds: maxLag, maxUnprojected: Math.max(0, ...samples.map((s) => s.unprojected)), endCatchUpSeconds },
      apiPeakRssMB: peakMB,
      apiCpu: cpuSummary(samples),
      errors,
      dropped: endpoints.reduce((sum, e) => sum + e.dropped, 0),
      failures: load.failures.slice(0, 10),
      loadAverage: { before: loadBefore, after: loadAfter },
      svg: path.relative(root, svgFile),
      verdicts: {
        p99: endpoints.every((e) => e.ratio !== null && e.ratio <= SOAK_LIMITS.p99Ratio),
        rss: growth !== null && growth < SOAK_LIMITS.rssGrowth,
        errors: errors === 0,
        lag: maxLag <= SOAK_LIMITS.lagSeconds,
      },
    };
    await writeFile(svgFile, soakPlot(result));
    note(`soak: plot written to ${result.svg}`);
    return result;
  } catch (error) {
    note(`soak: the api's last output:\n${api.output()}`);
    throw error;
  } finally {
    await api.stop();
  }
}

/** Markdown lines of the soak for the report: the set-up, one row per endpoint, RSS, lag, errors, the verdicts and the plot. */
export function soakSection(result: SoakResult): string[] {
  const ms = (value: number | null) => (value === null ? '–' : value.toFixed(0));
  const mb = (value: number | null) => (value === null ? '–' : `${value.toFixed(0)} MB`);
  const verdict = (ok: boolean) => (ok ? '**met**' : '**not met**');
  const worst = result.endpoints.reduce<SoakEndpointResult | null>((w, e) => (e.ratio !== null && (w === null || e.ratio > (w.ratio ?? 0)) ? e : w), null);
  const lines = [
    '## Soak: the api under a mixed load',
    '',
    `The built api as \`npm start\` runs it (\`node ${result.nodeFlags.join(' ')} dist/apps/api/src/main.js\`, api and projector in one process) on the bench's PostgreSQL, ` +
      `${result.minutes} minute${result.minutes === 1 ? '' : 's'} of a steady open-loop mixed load (${result.requestsPerSecond} requests/s in all, the rate below per endpoint, whatever the answers take; ` +
      `after ${result.warmUpSeconds} s unmeasured at the same rates), from the bench process with an admin token.` +
      (result.dataset ? ` Data set: ${result.dataset}; ${result.logEventsAtStart.toLocaleString('en-US')} events in the log at the start.` : ` ${result.logEventsAtStart.toLocaleString('en-US')} events in the log at the start.`),
    `The load wrote ${result.eventsWritten.toLocaleString('en-US')} events. Load average ${result.loadAverage.before.toFixed(2)} before, ${result.loadAverage.after.toFixed(2)} after. Run ${result.date}.`,
    '',
    '| endpoint | requests/s | requests | p50 ms | p99 ms | p99 first minute | p99 last minute | last / first | errors |',
    '|---|---|---|---|---|---|---|---|---|',
    ...result.endpoints.map(
      (e) =>
        `| ${e.label} | ${e.rate} | ${e.requests.toLocaleString('en-US')} | ${ms(e.p50)} | ${ms(e.p99)} | ${ms(e.firstP99)} | ${ms(e.lastP99)} | ${e.ratio === null ? '–' : `${e.ratio.toFixed(2)}×`} | ${e.errors}${e.dropped ? ` (+${e.dropped} not sent: ${MAX_IN_FLIGHT} in flight)` : ''} |`,
    ),
    '',
    '| goal | measured | limit | verdict |',
    '|---|---|---|---|',
    `| p99 per endpoint, last minute against the first | worst ${worst ? `${worst.ratio!.toFixed(2)}× (${worst.name})` : '–'} | ≤ ${SOAK_LIMITS.p99Ratio}× | ${verdict(result.verdicts.p99)} |`,
    `| api RSS growth after the first minute | ${result.rss.growth === null ? '–' : `${(result.rss.growth * 100).toFixed(1)} %`} (${mb(result.rss.afterFirstMinuteMB)} → ${mb(result.rss.endMB)}) | < ${SOAK_LIMITS.rssGrowth * 100} % | ${verdict(result.verdicts.rss)} |`,
    `| errors (non-2xx and connection errors, warm-up included) | ${result.errors} | ${SOAK_LIMITS.errors} | ${verdict(result.verdicts.errors)} |`,
    `| projector lag (age of the oldest unprojected event, sampled every second) | max ${result.lag.maxSeconds.toFixed(2)} s (${result.lag.maxUnprojected} events) | ≤ ${SOAK_LIMITS.lagSeconds} s | ${verdict(result.verdicts.lag)} |`,
    '',
    `- api RSS (VmRSS of /proc/<pid>/status, MB = 10^6 bytes): ${mb(result.rss.atStartMB)} at the start of the measured load, ${mb(result.rss.afterFirstMinuteMB)} after the first minute (median of 50–60 s), ` +
      `${mb(result.rss.endMB)} at the end (median of the last 10 s), ${mb(result.rss.maxAfterFirstMinuteMB)} the highest sample after the first minute; peak (VmHWM) ${mb(result.rss.peakMB)} since the api started, its catch-up at start included.`,
    `- The api process's CPU (utime + stime of /proc/<pid>/stat; the api and its projector share one event loop): ${result.apiCpu.meanPercent === null ? '–' : `${result.apiCpu.meanPercent.toFixed(0)} %`} of one core on average, ${result.apiCpu.maxPercent === null ? '–' : `${result.apiCpu.maxPercent.toFixed(0)} %`} the busiest second.`,
    `- The projector caught up the log in ${result.startCatchUpSeconds.toFixed(1)} s before the load (not measured), and ${result.lag.endCatchUpSeconds.toFixed(1)} s after it.`,
    `- p99 per minute window (nearest rank; at ${Math.min(...result.endpoints.map((e) => e.rate))}–${Math.max(...result.endpoints.map((e) => e.rate))} requests/s an endpoint has ${Math.min(...result.endpoints.map((e) => e.rate)) * 60}–${Math.max(...result.endpoints.map((e) => e.rate)) * 60} answers a minute, so its p99 is one of its few slowest): ` +
      result.endpoints.map((e) => `${e.name} ${e.windows.map((w) => ms(w.p99)).join(' / ')}`).join('; '),
    `- Plot of p99 per ${PLOT_WINDOW_SECONDS} s and of RSS, lag and the api's CPU per second: [${path.basename(result.svg)}](${path.basename(result.svg)}).`,
  ];
  // The goal compares the last minute with the first: when the first was an outlier, say so, or "met" flatters.
  const slowStart = result.endpoints.filter((e) => {
    const p99s = e.windows.map((w) => w.p99).filter((p): p is number => p !== null);
    return e.firstP99 !== null && p99s.length >= 3 && e.firstP99 > 2 * percentile(p99s, 50);
  });
  if (slowStart.length > 0) {
    lines.push(`- The first minute was more than twice as slow as the median minute for ${slowStart.map((e) => e.name).join(', ')}: its p99 is a lenient reference; compare the last minute with the per-minute figures above too.`);
  }
  if (result.dropped > 0) lines.push(`- ${result.dropped} requests were not sent: their endpoint already had ${MAX_IN_FLIGHT} requests waiting for an answer.`);
  for (const failure of result.failures.slice(0, 5)) lines.push(`- error: ${failure.endpoint} ${failure.status}: \`${failure.body.replace(/`/g, "'").slice(0, 200)}\``);
  lines.push('');
  return lines;
}

/** The SVG: p99 per endpoint per 30 s window, then RSS, the projector's lag and the api's CPU per second. */
export function soakPlot(result: SoakResult): string {
  const minutes = (t: number) => Math.round((t / 60) * 1000) / 1000;
  const p99Series: PlotSeries[] = result.endpoints.map((e) => ({
    name: e.name,
    points: e.plotWindows.map((w) => [minutes((w.from + w.to) / 2), w.p99]),
  }));
  const rss: PlotSeries[] = [{ name: 'api RSS', points: result.samples.map((s) => [minutes(s.t), s.rssMB]) }];
  if (result.rss.afterFirstMinuteMB !== null) {
    const limit = result.rss.afterFirstMinuteMB * (1 + SOAK_LIMITS.rssGrowth);
    rss.push({ name: '+10 % of 1st minute', dashed: true, points: [[1, limit], [result.minutes, limit]] });
  }
  const lag: PlotSeries[] = [
    { name: 'projector lag', points: result.samples.map((s) => [minutes(s.t), s.lagSeconds]) },
    { name: 'limit 2 s', dashed: true, points: [[0, SOAK_LIMITS.lagSeconds], [result.minutes, SOAK_LIMITS.lagSeconds]] },
  ];
  return svgPlot({
    title: `Soak: the api under a mixed load for ${result.minutes} min (${result.requestsPerSecond} requests/s)`,
    subtitle: `${result.dataset ? `${result.dataset.split(' (')[0]}, ` : ''}${result.logEventsAtStart.toLocaleString('en-US')} events at the start · ${result.date.slice(0, 16).replace('T', ' ')} UTC`.trim(),
    xLabel: 'minutes since the start of the measured load',
    panels: [
      { title: `p99 per endpoint, per ${PLOT_WINDOW_SECONDS} s window`, yLabel: 'ms', series: p99Series },
      { title: 'api process RSS (VmRSS), every second', yLabel: 'MB', series: rss },
      { title: 'projector lag: age of the oldest unprojected event', yLabel: 's', series: lag, yMaxAtLeast: SOAK_LIMITS.lagSeconds * 1.25 },
      { title: 'api process CPU (api and projector share its event loop), every second', yLabel: '% of one core', series: [{ name: 'api CPU', points: result.samples.map((s) => [minutes(s.t), s.cpuPercent]) }], yMaxAtLeast: 100 },
    ],
  });
}

// ───────────────────────────── the load ─────────────────────────────

class OpenLoop {
  readonly totalRate: number;
  private timings = new Map<SoakEndpointName, Timing[]>();
  private counts = new Map<SoakEndpointName, { sent: number; ok: number; errors: number; dropped: number }>();
  private inFlight = new Map<SoakEndpointName, number>();
  private pending = new Set<Promise<void>>();
  failures: SoakResult['failures'] = [];
  private origin = 0;

  constructor(
    private readonly api: RunningApi,
    private readonly rates: Record<SoakEndpointName, number>,
    private readonly requestOf: Record<SoakEndpointName, () => Request>,
  ) {
    this.totalRate = Object.values(rates).reduce((sum, r) => sum + r, 0);
    this.reset();
  }

  reset(): void {
    for (const name of Object.keys(this.rates) as SoakEndpointName[]) {
      this.timings.set(name, []);
      this.counts.set(name, { sent: 0, ok: 0, errors: 0, dropped: 0 });
      this.inFlight.set(name, this.inFlight.get(name) ?? 0);
    }
    this.failures = [];
  }

  errorCount(): number {
    return [...this.counts.values()].reduce((sum, c) => sum + c.errors, 0);
  }

  timingsOf(name: SoakEndpointName): Timing[] {
    return this.timings.get(name)!;
  }

  countsOf(name: SoakEndpointName) {
    return this.counts.get(name)!;
  }

  /** Sends every endpoint's requests on its schedule for `seconds`; `sample(t)` once a second. */
  async run(seconds: number, sample: ((t: number) => Promise<void>) | null): Promise<void> {
    this.origin = performance.now();
    const names = Object.keys(this.rates) as SoakEndpointName[];
    // Staggered starts, so the endpoints' arrivals do not all fall on the same millisecond.
    const next = new Map(names.map((name, i) => [name, (i * 1000) / this.rates[name] / names.length]));
    const end = seconds * 1000;
    let nextSample = 0;
    let sampling: Promise<void> | null = null;
    for (;;) {
      const now = performance.now() - this.origin;
      if (now >= end) break;
      for (const name of names) {
        let at = next.get(name)!;
        while (at <= now) {
          this.fire(name, at);
          at += 1000 / this.rates[name];
        }
        next.set(name, at);
      }
      if (sample && now >= nextSample && !sampling) {
        const t = nextSample / 1000;
        nextSample += 1000;
        sampling = sample(t).finally(() => (sampling = null));
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    if (sample) {
      await sampling;
      await sample(seconds);
    }
  }

  async drain(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private fire(name: SoakEndpointName, scheduledAt: number): void {
    const counts = this.counts.get(name)!;
    if (this.inFlight.get(name)! >= MAX_IN_FLIGHT) {
      counts.dropped++;
      return;
    }
    counts.sent++;
    this.inFlight.set(name, this.inFlight.get(name)! + 1);
    const request = this.requestOf[name]();
    const started = performance.now();
    const done = (async () => {
      try {
        const response = await fetch(`${this.api.baseUrl}${request.path}`, {
          method: request.method,
          headers: { authorization: this.api.authorization, ...(request.body ? { 'content-type': 'application/json' } : {}) },
          body: request.body ? JSON.stringify(request.body) : undefined,
        });
        const body = await response.text();
        const ms = performance.now() - started;
        this.timings.get(name)!.push({ t: scheduledAt / 1000, ms });
        if (response.ok) counts.ok++;
        else {
          counts.errors++;
          this.failures.push({ endpoint: name, status: response.status, body: body.slice(0, 500) });
        }
      } catch (error) {
        counts.errors++;
        this.failures.push({ endpoint: name, status: 0, body: (error as Error).message });
      } finally {
        this.inFlight.set(name, this.inFlight.get(name)! - 1);
      }
    })();
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
  }
}

function cpuSummary(samples: SoakSample[]): SoakResult['apiCpu'] {
  const values = samples.map((s) => s.cpuPercent).filter((v): v is number => v !== null);
  if (values.length === 0) return { meanPercent: null, maxPercent: null };
  return { meanPercent: values.reduce((sum, v) => sum + v, 0) / values.length, maxPercent: Math.max(...values) };
}

function endpointResult(name: SoakEndpointName, rate: number, load: OpenLoop, seconds: number): SoakEndpointResult {
  const timings = load.timingsOf(name);
  const counts = load.countsOf(name);
  const windows = windowsOf(timings, seconds, WINDOW_SECONDS);
  const all = timings.map((t) => t.ms);
  const first = windows[0]?.p99 ?? null;
  const last = windows[windows.length - 1]?.p99 ?? null;
  return {
    name,
    label: LABELS[name],
    rate,
    requests: counts.sent,
    ok: counts.ok,
    errors: counts.errors,
    dropped: counts.dropped,
    p50: all.length ? percentile(all, 50) : NaN,
    p99: all.length ? percentile(all, 99) : NaN,
    max: all.length ? Math.max(...all) : NaN,
    windows,
    plotWindows: windowsOf(timings, seconds, PLOT_WINDOW_SECONDS),
    firstP99: first,
    lastP99: last,
    ratio: first !== null && last !== null && first > 0 ? last / first : null,
  };
}

/** Windows of `width` seconds from 0 to `seconds` (the last one ends at `seconds`); a request belongs to the window it was scheduled in. */
function windowsOf(timings: Timing[], seconds: number, width: number): SoakWindow[] {
  const count = Math.max(1, Math.floor(seconds / width));
  return Array.from({ length: count }, (_, i) => {
    const from = i === count - 1 ? seconds - width : i * width;
    const to = i === count - 1 ? seconds : (i + 1) * width;
    const values = timings.filter((t) => t.t >= Math.max(0, from) && t.t < to).map((t) => t.ms);
    return { from: Math.max(0, from), to, n: values.length, p50: values.length ? percentile(values, 50) : null, p99: values.length ? percentile(values, 99) : null };
  });
}

// ───────────────────────────── what the soak reads ─────────────────────────────

/**
 * Cooperatives of the log never dissolved nor corrected (a correction may move the registration), with their
 * registration date (the effectiveOn of OrganizationRegistered): a member-count or profile
 * change dated between that date and today is accepted for each.
 */
async function cooperativesToChange(pool: Pool): Promise<{ id: string; registeredOn: string }[]> {
  const { rows } = await pool.query<{ id: string; registeredOn: string }>(
    `SELECT e.data->>'organizationId' AS id, COALESCE(e.data->>'effectiveOn', e.data->>'registeredOn') AS "registeredOn" FROM events e
      WHERE e.event_type = 'OrganizationRegistered' AND e.data->>'kind' = 'cooperative'
        AND NOT EXISTS (SELECT 1 FROM events d WHERE d.stream_id = e.stream_id AND d.event_type IN ('OrganizationDissolved', 'RecordCorrected'))
      LIMIT ${TARGETS}`,
  );
  return rows;
}

/**
 * How far the read models are behind the log: the events past the active generation's checkpoint and the
 * age of the oldest of them (now − its recordedAt), 0 when there is none.
 */
export async function projectorLag(pool: Pool, schema: string): Promise<{ seconds: number; events: number }> {
  const checkpoint = await readCheckpoint(pool, schema);
  const cursor = checkpoint ? decodePostgresPosition(checkpoint) : { transactionId: 0n, globalPosition: 0n };
  const { rows } = await pool.query<{ n: number; age: number | null }>(
    `SELECT count(*)::int AS n, extract(epoch FROM clock_timestamp() - min((metadata->>'recordedAt')::timestamptz))::float8 AS age
       FROM events WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)`,
    [cursor.transactionId.toString(), cursor.globalPosition.toString()],
  );
  return { events: rows[0].n, seconds: rows[0].n > 0 ? Math.max(0, rows[0].age ?? 0) : 0 };
}

/** USER_HZ of Linux's /proc/<pid>/stat times (100 on every common build). */
const CLOCK_TICKS = 100;

/** utime + stime of a process in clock ticks (fields 14 and 15 of /proc/<pid>/stat), null once it has exited. */
function cpuTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count the fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

function vmRssMB(pid: number): number | null {
  try {
    const kib = /^VmRSS:\s*(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib ? kibToMB(Number(kib)) : null;
  } catch {
    return null;
  }
}

async function countEvents(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
  return rows[0].n;
}

function roundRobin<T>(items: T[], make: (item: T) => Request): () => Request {
  let n = 0;
  return () => make(items[n++ % items.length]);
}

/**
 * A date of the last 60 days in Vietnam (the api's today), never before `registeredOn` (a log generated up to
 * today holds organizations registered in those days) nor in the future.
 */
function recentDate(random: () => number, registeredOn: string): string {
  const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
  const sixtyDaysAgo = new Date(Date.parse(`${today}T00:00:00Z`) - 60 * 86_400_000).toISOString().slice(0, 10);
  return randomDate(random, registeredOn > sixtyDaysAgo ? registeredOn : sixtyDaysAgo, today);
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
