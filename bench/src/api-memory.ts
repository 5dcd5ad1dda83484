import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * The api process's resident memory, case by case (issue 19): starts the built api the way `npm start`
 * does (API_NODE_FLAGS, default the flags of package.json's `start`) on DATA_DIR, samples VmRSS of that
 * process every 100 ms and reads its high-water mark (VmHWM, reset through /proc/<pid>/clear_refs) for
 * each case: start-up and the in-process projector and tree catching up the log, the register exports,
 * the spreadsheet import of the exported register (dry run), the largest list/audit/series answers and
 * the verification of every stream. Each request is timed too, so two flag sets compare in speed.
 *
 *   DATA_DIR=/tmp/m-nat API_NODE_FLAGS="--max-semi-space-size=16" node bench/src/api-memory.ts
 *
 * Run it from the project root after `npm run build`. Prints one JSON line per case and a summary;
 * writes nothing in the repository. PORT and EMBEDDED_POSTGRES_PORT default to 3491 and 55491.
 * A catch-up of a national log in-process takes many minutes on a loaded machine: MEMORY_CATCH_UP_SECONDS
 * ends that case after so long (its memory is that of bounded batches, steady after the first minutes),
 * and MEMORY_SERVE_DATA_DIR (a copy already projected) serves the other cases, from MEMORY_SERVE_DIST
 * (default dist) so that a newer build can serve them.
 */
const flags = (process.env.API_NODE_FLAGS ?? startFlags()).split(/\s+/).filter(Boolean);
const dataDir = required('DATA_DIR');
const port = process.env.PORT ?? '3491';
const base = `http://127.0.0.1:${port}`;
const asOf = process.env.MEMORY_AS_OF ?? '2025-12-31';
const skip = new Set((process.env.MEMORY_SKIP ?? '').split(',').filter(Boolean));

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

/** The node flags of `npm start` (package.json), so the default measures what users run. */
function startFlags(): string {
  const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts.start;
  return /node ((?:--\S+\s+)*)dist\/apps\/api/.exec(start)?.[1] ?? '';
}

const kib = (field: string, pid: number) => Number(new RegExp(`^${field}:\\s*(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
const mib = (k: number) => Math.round(k / 1024);

function startApi(dir: string, dist: string) {
  return spawn(process.execPath, [...flags, path.join(dist, 'apps/api/src/main.js')], {
    env: { ...process.env, DATA_DIR: dir, PORT: port, EMBEDDED_POSTGRES_PORT: process.env.EMBEDDED_POSTGRES_PORT ?? '55491', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function stopApi(child: ReturnType<typeof spawn>): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function main(): Promise<void> {
  const catchUpSeconds = Number(process.env.MEMORY_CATCH_UP_SECONDS ?? Infinity);
  let child = startApi(dataDir, 'dist');
  let pid = child.pid!;
  let sampledMax = 0;
  const timer = setInterval(() => {
    try {
      sampledMax = Math.max(sampledMax, kib('VmRSS', pid));
    } catch {
      /* the process has ended */
    }
  }, 100);
  const results: Record<string, unknown>[] = [];
  let started = performance.now();
  async function phase(name: string, work: () => Promise<Record<string, unknown> | void>): Promise<void> {
    if (skip.has(name)) return;
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    sampledMax = 0;
    const before = kib('VmRSS', pid);
    const t0 = performance.now();
    const extra = (await work()) ?? {};
    const line = { case: name, seconds: +((performance.now() - t0) / 1000).toFixed(2), rssBeforeMiB: mib(before), peakMiB: mib(Math.max(kib('VmHWM', pid), sampledMax)), rssAfterMiB: mib(kib('VmRSS', pid)), ...extra };
    results.push(line);
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }

  const tokenFile = path.join(dataDir, 'first-admin-token');
  let token = process.env.API_TOKEN ?? '';
  const get = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(`${base}${url}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
    if (!response.ok) throw new Error(`${url}: ${response.status} ${(await response.text()).slice(0, 300)}`);
    return response;
  };
  try {
    const caughtUp = async (tokenFile: string, limitSeconds: number) => {
      let health = '';
      // The log's end as first seen: a projector that has not started yet may be reported caught up with an older head.
      let firstHead: number | null = null;
      const sequence = (name: string) => Number(new RegExp(`"${name}":"[^"]*\\.(\\d+)"`).exec(health)?.[1] ?? NaN);
      for (;;) {
        if (child.exitCode !== null) throw new Error(`the api exited (${child.exitCode})`);
        if (!token && existsSync(tokenFile)) token = readFileSync(tokenFile, 'utf8').trim();
        health = token ? await fetch(`${base}/health`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text()).catch(() => '') : '';
        if (firstHead === null && !Number.isNaN(sequence('headPosition'))) firstHead = sequence('headPosition');
        const reached = firstHead !== null && sequence('projectedPosition') >= firstHead;
        if ((reached && health.includes('"caughtUp":true')) || (performance.now() - started) / 1000 > limitSeconds) break;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      const projected = /"projectedPosition":"([^"]*)"/.exec(health)?.[1];
      return { sinceSpawnSeconds: +((performance.now() - started) / 1000).toFixed(1), caughtUp: health.includes('"caughtUp":true'), projected };
    };
    await phase('start and catch-up', () => caughtUp(tokenFile, catchUpSeconds));
    const serveDir = process.env.MEMORY_SERVE_DATA_DIR;
    if (serveDir) {
      await stopApi(child);
      token = '';
      started = performance.now();
      child = startApi(serveDir, process.env.MEMORY_SERVE_DIST ?? 'dist');
      pid = child.pid!;
      await new Promise((resolve) => setTimeout(resolve, 200));
      await phase('start on a projected log', () => caughtUp(path.join(serveDir, 'first-admin-token'), Infinity));
    }
    const csvFile = path.join(os.tmpdir(), `api-memory-${process.pid}.csv`);
    for (const format of ['xlsx', 'csv']) {
      await phase(`export country ${format}`, async () => {
        const response = await get(`/api/organizations/export?format=${format}&asOf=${asOf}`);
        const out = format === 'csv' ? createWriteStream(csvFile) : createWriteStream('/dev/null');
        await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>), out);
      });
    }
    await phase('import country csv (dry run)', async () => {
      const body = readFileSync(csvFile);
      const response = await fetch(`${base}/api/imports?dryRun=true`, {
        method: 'POST',
        body,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      });
      const text = await response.text();
      const report = response.ok ? (JSON.parse(text) as Record<string, unknown>) : {};
      return { status: response.status, rows: report.rows, unchanged: report.unchanged, answer: response.ok ? undefined : text.slice(0, 300) };
    });
    await phase('large answers', async () => {
      const times: Record<string, number> = {};
      const time = async (name: string, url: string) => {
        const t0 = performance.now();
        await (await get(url)).arrayBuffer();
        times[name] = Math.max(times[name] ?? 0, Math.round(performance.now() - t0));
      };
      for (let i = 0; i < 3; i += 1) {
        await time('list 500', '/api/organizations?limit=500');
        await time('list q 500', '/api/organizations?q=hop%20tac&limit=500');
        await time('audit 500', '/api/audit/events?limit=500');
        await time('national series monthly 10y', '/api/national/series?from=2016-01-01&to=2025-12-31&step=month');
        await time('province progress', `/api/provinces/91/progress?asOf=${asOf}`);
      }
      return { maxMs: times };
    });
    await phase('verify every stream', async () => {
      const answer = (await (await get('/api/audit/verify')).json()) as Record<string, unknown>;
      return { ok: answer.ok, checkedEvents: answer.checkedEvents };
    });
  } finally {
    clearInterval(timer);
    const lifetimeHwm = existsSync(`/proc/${pid}/status`) ? mib(kib('VmHWM', pid)) : null;
    await stopApi(child);
    process.stdout.write(`${JSON.stringify({ flags: flags.join(' '), dataDir, lastPhaseHwmMiB: lifetimeHwm, peaks: Object.fromEntries(results.map((r) => [r.case, r.peakMiB])) })}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
