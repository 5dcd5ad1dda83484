// Append measurement over a compiled tree (DIST, default dist/ of this checkout), like bench/src/main.ts's (issue 19, bench/manual-measurements.md):
// fresh cooperatives registered then changed twice, split among writers, through OrganizationCommandHandler.
// Usage: [DIST=...] DATA_DIR=/tmp/x [SCALE=small] [RUNS=3] [WRITERS=1,8] [MODES=group,alone] node bench/manual/append-profile.js
// (an empty DATA_DIR is generated first; MODES: the PostgreSQL store with group commit / one transaction per append;
// CPU per command: this process by process.cpuUsage, PostgreSQL by /proc of the cluster's processes)
require('reflect-metadata');
const path = require('node:path');
const os = require('node:os');
const { randomUUID } = require('node:crypto');
const DIST = process.env.DIST ?? path.resolve(__dirname, '..', '..', 'dist');
const { Pool } = require('pg');
const { OrganizationCommandHandler, seedAdministrativeUnits } = require(`${DIST}/libs/application/src`);
const { PostgresEventStore } = require(`${DIST}/libs/event-store/src`);
const { startEmbeddedPostgres } = require(`${DIST}/libs/platform/src/database/embedded-postgres`);
const { prepareDatabase } = require(`${DIST}/libs/platform/src/database/prepare-database`);
const { createLogger } = require(`${DIST}/libs/platform/src/logging/logger`);
const { systemPrincipal } = require(`${DIST}/libs/auth/src`);

const NOW = new Date('2026-01-15T03:00:00.000Z');
const RUNS = Number(process.env.RUNS ?? 3);
const WORKLOAD = { 1: 600, 8: 1600 };
const WRITERS = (process.env.WRITERS ?? '1,8').split(',').map(Number);

function seeded(seed) {
  let s = seed >>> 0 || 1;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
const pick = (r, xs) => xs[Math.floor(r() * xs.length)];
function randomDate(r, from, to) {
  const a = Date.parse(from), b = Date.parse(to);
  return new Date(a + Math.floor(r() * (b - a) / 86400000) * 86400000).toISOString().slice(0, 10);
}

function workload(writers, organizations, tag) {
  const r = seeded(Number(tag) * 7919);
  const lanes = Array.from({ length: writers }, () => []);
  for (let i = 0; i < organizations; i++) {
    const organizationId = randomUUID();
    lanes[i % writers].push([
      { type: 'RegisterOrganization', organizationId, kind: 'cooperative', name: `HTX a ${tag} ${i}`, registrationNumber: `A-${tag}-${i}`,
        provinceCode: pick(r, ['01', '31', '48', '79', '92']), sector: 'agriculture', registeredOn: randomDate(r, '2019-01-01', '2022-12-31'), memberCount: 10 + Math.floor(r() * 50) },
      ...[0, 1].map((n) => ({ type: 'ChangeMemberCount', organizationId, memberCount: 12 + Math.floor(r() * 50), effectiveOn: randomDate(r, `${2023 + n}-01-01`, `${2023 + n}-12-31`) })),
    ]);
  }
  return lanes;
}

const fs = require('node:fs');
let POSTMASTER = null;
/** CPU seconds of the cluster: the postmaster and its children (backends, walwriter, ...), live ones only. */
function pgCpu() {
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(pid)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pid) === POSTMASTER || Number(f[1]) === POSTMASTER) ticks += Number(f[11]) + Number(f[12]);
    } catch {}
  }
  return ticks / 100;
}

async function count(pool) {
  return Number((await pool.query('SELECT count(*) AS n FROM events')).rows[0].n);
}

async function main() {
  const logger = createLogger('warn');
  const dataDir = process.env.DATA_DIR ?? '/tmp/a-small';
  const port = 20000 + Math.floor(Math.random() * 20000);
  const pg = await startEmbeddedPostgres({ dataDir, port, database: process.env.DB ?? 'ktt', logger });
  POSTMASTER = Number(fs.readFileSync(`${pg.clusterDir}/postmaster.pid`, 'utf8').split('\n')[0]);
  const pool = new Pool({ connectionString: pg.url, max: Number(process.env.POOL ?? 20) });
  pool.on('error', () => undefined);
  const store = new PostgresEventStore({ pool, connectionString: pg.url, groupCommit: process.env.GROUP !== '0' });
  const MODES = (process.env.MODES ?? 'group').split(',');
  const handlers = Object.fromEntries(MODES.map((m) => [m, new OrganizationCommandHandler(new PostgresEventStore({ pool, connectionString: pg.url, groupCommit: m === 'group' }))]));
  try {
    await prepareDatabase({ ownerUrl: pg.ownerUrl, appUrl: pg.url, logger });
    if ((await count(pool)) === 0) {
      const { generate, readProvinces } = require(`${DIST}/libs/datagen/src`);
      await seedAdministrativeUnits(store, '/work/main/data');
      const s = await generate(store, { scale: process.env.SCALE ?? 'small', provinces: await readProvinces('/work/main/data'), today: '2025-12-31', now: new Date('2025-12-31T16:59:59.000Z') });
      console.log(`generated ${s.scale}: ${s.seconds}s`);
    }
    if (process.env.SQL) for (const q of process.env.SQL.split(';')) if (q.trim()) console.log(q, (await pool.query(q)).rows);
    console.log(`log: ${await count(pool)} events; load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    // warm-up
    for (const m of MODES) await runOnce(handlers[m], pool, 8, 80, '9' + String(Date.now() % 100000));
    const results = {};
    for (let run = 1; run <= RUNS; run++) {
      for (const writers of WRITERS) for (const m of MODES) {
        const r = await runOnce(handlers[m], pool, writers, WORKLOAD[writers] ?? 200 * writers, `${run}${writers}${Date.now() % 100000}`);
        (results[`${m} ${writers}`] ??= []).push(r);
        console.log(`run ${run} ${m} writers ${writers}: ${r.events} events in ${r.seconds.toFixed(2)} s = ${Math.round(r.eps)} events/s (${Math.round(r.cps)} commands/s); CPU per command: Node ${Math.round(r.nodeUs)} µs, PostgreSQL ${Math.round(r.pgUs)} µs; load ${os.loadavg()[0].toFixed(2)}`);
      }
    }
    for (const [w, rs] of Object.entries(results)) {
      const sorted = rs.map((r) => r.eps).sort((a, b) => a - b);
      console.log(`writers ${w}: median ${Math.round(sorted[Math.floor(sorted.length / 2)])} events/s (${sorted.map(Math.round).join(' / ')})`);
    }
    console.log(`load after ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  } finally {
    await pool.end();
    if (process.env.KEEP !== '1') await pg.stop();
  }
}

async function runOnce(commands, pool, writers, organizations, tag) {
  const lanes = workload(writers, organizations, tag);
  const before = await count(pool);
  let sent = 0;
  const cpu0 = process.cpuUsage();
  // Backends of the pool stay connected through a run (pool idle timeout 10 s), so their CPU is counted.
  const pg0 = pgCpu();
  const started = process.hrtime.bigint();
  await Promise.all(lanes.map(async (lane, writer) => {
    for (const seq of lane) for (const command of seq) {
      await commands.execute({ command, context: { principal: systemPrincipal('system:bench'), correlationId: `a-${tag}-${writer}-${sent}`, now: NOW } });
      sent++;
    }
  }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const pgSeconds = pgCpu() - pg0;
  const events = (await count(pool)) - before;
  if (events !== organizations * 4) throw new Error(`${events} events, expected ${organizations * 4}`);
  return { events, seconds, eps: events / seconds, cps: sent / seconds, nodeUs: (cpu.user + cpu.system) / sent, pgUs: pgSeconds * 1e6 / sent };
}

main().catch((e) => { console.error(e); process.exit(1); });
