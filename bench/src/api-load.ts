import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import { TokenService } from '@ktt/auth';
import type { EventStore, Position } from '@ktt/event-store';
import { activeSchema, readCheckpoint } from '@ktt/read-models';
import { kibToMB, scriptNodeFlags, vmHwmKiB } from './node-process';
import { Bar, note } from './progress';
import { msSince, pick, randomDate, seededRandom } from './stats';

/**
 * The api under load: the built api (`dist/apps/api/src/main.js`) as its own
 * process, as `npm start` runs it (api + projector in one process, the Node
 * flags of package.json's `start` script) but on the bench's PostgreSQL
 * (DATABASE_URL), hammered over HTTP by autocannon from the bench process, on
 * the same machine.
 */
export interface RunningApi {
  baseUrl: string;
  /** `Authorization` header value of an admin token signed with the api's secret. */
  authorization: string;
  /** The api's process id (its memory is read from /proc/<pid>). */
  pid: number;
  /** The Node flags it runs with (package.json's `start` script, read when it starts). */
  nodeFlags: string[];
  /** Its peak RSS since it started (VmHWM, MB), null once it has exited. */
  peakRssMB(): number | null;
  output(): string;
  stop(): Promise<void>;
}

export async function startApi(root: string, databaseUrl: string, port: number): Promise<RunningApi> {
  const entry = 'dist/apps/api/src/main.js';
  const main = path.join(root, entry);
  if (!existsSync(main)) throw new Error(`${main} is missing: run "npm run build" first (npm run bench does)`);
  const nodeFlags = scriptNodeFlags(root, 'start', entry);
  const secret = randomBytes(32).toString('base64url');
  const tokens = new TokenService(secret);
  let output = '';
  const child = spawn(process.execPath, [...nodeFlags, main], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      JWT_SECRET: secret,
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      // The bench adopted the plans itself, before the data set.
      SEED_PLANS: 'false',
      RUN_PROJECTOR: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  child.stderr!.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the api exited with ${child.exitCode} before answering /health:\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the api did not answer /health within 90 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    baseUrl,
    pid: child.pid!,
    nodeFlags,
    peakRssMB: () => {
      const kib = vmHwmKiB(child.pid!);
      return kib === null ? null : kibToMB(kib);
    },
    authorization: `Bearer ${tokens.sign({ role: 'admin', subject: 'bench-load' })}`,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/**
 * Waits until the api's projector has applied the whole log (its checkpoint in
 * the active generation reaches the head); returns the seconds it took.
 */
export async function waitForProjector(pool: Pool, store: EventStore, label: string, timeoutMs = 300_000): Promise<number> {
  const started = process.hrtime.bigint();
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
  const total = rows[0].n;
  const bar = new Bar(label, total, 'events');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const head = await store.headPosition();
    const schema = await activeSchema(pool);
    const checkpoint = await readCheckpoint(pool, schema);
    const { rows: applied } = await pool.query<{ n: string | null }>(
      `SELECT max(events_applied)::text AS n FROM "${schema}".projection_checkpoints`,
    );
    bar.update(Math.min(total, Number(applied[0].n ?? 0)));
    if (head === null || (checkpoint !== null && store.comparePositions(checkpoint as Position, head) >= 0)) break;
    if (Date.now() > deadline) throw new Error(`the api's projector did not reach the head of the log within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  bar.stop();
  return msSince(started) / 1000;
}

export type LoadKind = 'membership' | 'registration' | 'progress';

export interface LoadRun {
  kind: LoadKind;
  connections: number;
  /** Seconds autocannon ran. */
  seconds: number;
  /** Responses received (any status). */
  responses: number;
  ok: number;
  requestsPerSecond: number;
  /** Events appended per second (2xx × events per request), 0 for reads. */
  eventsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** The first non-2xx answers (status and body), to say why. */
  failures: { status: number; body: string }[];
  /** After a write load: seconds until the api's projector had applied everything it wrote. */
  catchUpSeconds?: number;
}

export interface LoadOptions {
  api: RunningApi;
  connections: number;
  seconds: number;
  /** Cooperatives registered before the api started: the membership load cycles through them. */
  cooperatives: { id: string; registeredOn: string }[];
  /** Query dates for the read load are drawn up to this date. */
  today: string;
  province: string;
  /** Distinguishes the registration numbers of this run from every other run's. */
  tag: string;
  label: string;
}

const EVENTS_PER_REQUEST: Record<LoadKind, number> = {
  // the MemberCountChanged event
  membership: 1,
  // the registration and its registration-number reservation
  registration: 2,
  progress: 0,
};

/** One timed autocannon run of one kind of request; every request differs (setupRequest). */
export async function loadRun(kind: LoadKind, options: LoadOptions): Promise<LoadRun> {
  const random = seededRandom(hash(`${kind}-${options.tag}`));
  const headers = { authorization: options.api.authorization, 'content-type': 'application/json' };
  let sent = 0;
  const setupRequest = (request: autocannon.Request): autocannon.Request => {
    const n = sent++;
    switch (kind) {
      case 'membership': {
        // Round robin over many cooperatives: 8 connections never write to one stream at once.
        const cooperative = options.cooperatives[n % options.cooperatives.length];
        return {
          ...request,
          method: 'POST',
          path: `/api/organizations/${cooperative.id}/membership`,
          body: JSON.stringify({ memberCount: 10 + Math.floor(random() * 190), effectiveOn: randomDate(random, '2023-01-01', '2025-12-31') }),
        };
      }
      case 'registration':
        return {
          ...request,
          method: 'POST',
          path: '/api/organizations',
          body: JSON.stringify({
            kind: 'cooperative',
            name: `Hợp tác xã tải thử ${options.tag} ${n}`,
            registrationNumber: `L${options.tag}-${n}`,
            provinceCode: pick(random, ['01', '31', '48', '79', '92']),
            sector: 'agriculture',
            registeredOn: randomDate(random, '2019-01-01', '2025-06-30'),
            memberCount: 7 + Math.floor(random() * 60),
          }),
        };
      case 'progress':
        return { ...request, method: 'GET', path: `/api/provinces/${options.province}/progress?asOf=${randomDate(random, '2016-01-01', options.today)}` };
    }
  };
  const failures: LoadRun['failures'] = [];
  const onResponse = (status: number, body: string) => {
    if ((status < 200 || status >= 300) && failures.length < 5) failures.push({ status, body: body.slice(0, 500) });
  };
  const bar = new Bar(options.label, options.seconds, 's', { rate: false });
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.api.baseUrl,
        connections: options.connections,
        duration: options.seconds,
        headers,
        requests: [{ setupRequest, onResponse }],
        timeout: 30,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    let responses = 0;
    const started = Date.now();
    instance.on('response', () => {
      responses++;
    });
    instance.on('tick', () => {
      bar.update(Math.min(options.seconds, Math.round((Date.now() - started) / 1000)), undefined, `${responses.toLocaleString('en-US')} responses`);
    });
  });
  bar.stop();
  const ok = result['2xx'];
  const run: LoadRun = {
    kind,
    connections: options.connections,
    seconds: result.duration,
    responses: result.requests.total,
    ok,
    requestsPerSecond: result.requests.total / result.duration,
    eventsPerSecond: (ok * EVENTS_PER_REQUEST[kind]) / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    failures,
  };
  if (run.non2xx > 0 || run.errors > 0) {
    note(`${options.label}: ${run.non2xx} non-2xx answers, ${run.errors} connection errors (${run.timeouts} timeouts) of ${run.responses}`);
    for (const failure of failures) note(`  ${failure.status}: ${failure.body}`);
  }
  return run;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
