// PostgreSQL and Node CPU per operation of the append path's statements on the cluster in DATA_DIR (issue 19,
// bench/manual-measurements.md). Usage: [DIST=...] DATA_DIR=/tmp/x node bench/manual/append-statements.js
require('reflect-metadata');
const DIST = process.env.DIST ?? require('node:path').resolve(__dirname, '..', '..', 'dist');
const fs = require('node:fs');
const os = require('node:os');
const { randomUUID } = require('node:crypto');
const { Pool } = require('pg');
const { PostgresEventStore } = require(`${DIST}/libs/event-store/src`);
const { startEmbeddedPostgres } = require(`${DIST}/libs/platform/src/database/embedded-postgres`);
const { prepareDatabase } = require(`${DIST}/libs/platform/src/database/prepare-database`);
const { createLogger } = require(`${DIST}/libs/platform/src/logging/logger`);
let POSTMASTER;
function pgCpu() {
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(pid)) continue;
    try { const st = fs.readFileSync(`/proc/${pid}/stat`, 'utf8'); const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      if (Number(pid) === POSTMASTER || Number(f[1]) === POSTMASTER) ticks += Number(f[11]) + Number(f[12]); } catch {}
  }
  return ticks / 100;
}
async function timeIt(label, n, conc, fn) {
  const c0 = process.cpuUsage(); const p0 = pgCpu(); const t0 = process.hrtime.bigint();
  let i = 0;
  await Promise.all(Array.from({ length: conc }, async () => { while (i < n) { const k = i++; await fn(k); } }));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6; const c = process.cpuUsage(c0); const p = pgCpu() - p0;
  console.log(`${label.padEnd(58)} x${n} conc ${conc}: ${Math.round(n / ms * 1000)} ops/s; CPU per op: Node ${Math.round((c.user + c.system) / n)} µs, PostgreSQL ${Math.round(p * 1e6 / n)} µs; load ${os.loadavg()[0].toFixed(1)}`);
}
(async () => {
  const logger = createLogger('warn');
  const pg = await startEmbeddedPostgres({ dataDir: process.env.DATA_DIR ?? '/tmp/a-small', port: 20000 + Math.floor(Math.random() * 20000), database: 'ktt', logger });
  POSTMASTER = Number(fs.readFileSync(`${pg.clusterDir}/postmaster.pid`, 'utf8').split('\n')[0]);
  await prepareDatabase({ ownerUrl: pg.ownerUrl, appUrl: pg.url, logger });
  const pool = new Pool({ connectionString: pg.url, max: 20 }); pool.on('error', () => {});
  const group = new PostgresEventStore({ pool, connectionString: pg.url });
  const alone = new PostgresEventStore({ pool, connectionString: pg.url, groupCommit: false });
  try {
    const orgs = (await pool.query("SELECT DISTINCT stream_id FROM events WHERE stream_id LIKE 'organization-%' LIMIT 2000")).rows.map((r) => r.stream_id);
    const ev = (type) => ({ type, data: { organizationId: randomUUID(), name: 'HTX a '.repeat(5), memberCount: 12, effectiveOn: '2024-01-01', provinceCode: '01' }, metadata: { eventId: randomUUID(), recordedAt: new Date().toISOString(), recordedBy: 'system:bench', correlationId: randomUUID(), causationId: null, schemaVersion: 1, previousHash: null, hash: 'h'.repeat(64) } });
    const reg = (k, tag) => [{ streamId: `registration-number-zz${tag}${k}`, expectedRevision: 'no_stream', events: [ev('RegistrationNumberReserved')] }, { streamId: `organization-${randomUUID()}`, expectedRevision: 'no_stream', events: [ev('OrganizationRegistered')] }];
    for (const conc of [1, 8]) {
      await timeIt('SELECT 1', 2000, conc, () => pool.query('SELECT 1'));
      await timeIt('readStream(organization)', 2000, conc, (k) => group.readStream(orgs[k % orgs.length]));
      await timeIt('readStreams([administrative-units, organization])', 2000, conc, (k) => group.readStreams(['administrative-units', orgs[k % orgs.length]]));
      await timeIt('append registration (2 streams), one transaction each', 2000, conc, ((t) => (k) => alone.append(reg(k, t)))(`A${conc}X${Date.now()}X`));
      await timeIt('append registration (2 streams), group commit', 2000, conc, ((t) => (k) => group.append(reg(k, t)))(`G${conc}X${Date.now()}X`));
    }
  } finally { await pool.end(); await pg.stop(); }
})().catch((e) => { console.error(e); process.exit(1); });
