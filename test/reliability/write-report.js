// Turns reports/reliability.json (written by test/reliability/*.e2e-spec.ts) into bench/RELIABILITY.md.
// Usage: npm run build && npx jest test/reliability --selectProjects e2e && node test/reliability/write-report.js
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const ROOT = path.resolve(__dirname, '..', '..');
const report = JSON.parse(fs.readFileSync(path.join(ROOT, 'reports', 'reliability.json'), 'utf8'));
const j = (value) => '`' + JSON.stringify(value) + '`';
const section = (title, data, rows) => {
  if (!data) return `## ${title}\n\nnot measured in this run\n`;
  return `## ${title}\n\n| figure | value |\n|---|---|\n${rows.filter(([, v]) => v !== undefined).map(([k, v]) => `| ${k} | ${typeof v === 'object' ? j(v) : v} |`).join('\n')}\n\nmeasured ${data.measuredAt}\n`;
};
const w = report.concurrentWriters ?? {};
const p = report.projectorCrash;
const a = report.apiCrash;
const d = report.databaseOutage;
const r = report.retries;
const h = report.hostileInput;
const c = report.ctrlC;
const md = `# Reliability figures

Produced by \`npm run build && npx jest test/reliability --selectProjects e2e && node test/reliability/write-report.js\`
(the suites write \`reports/reliability.json\`; this file is generated from it).

Machine: ${os.cpus().length} CPUs (nproc), ${Math.round(os.totalmem() / 2 ** 30)} GiB memory, Node ${process.version}, ${os.type()} ${os.release()}. Written ${new Date().toISOString()}.

${section('1. Concurrent writers', report.concurrentWriters, [
  ['If-Match: clients per round / rounds / winners per round / 412 per round', w.ifMatch && `${w.ifMatch.clients} / ${w.ifMatch.rounds} / ${w.ifMatch.winsPerRound} / ${w.ifMatch.preconditionFailedPerRound}`],
  ['no If-Match: clients / acknowledged / 503 TOO_MUCH_CONTENTION / stored events', w.withoutIfMatch && `${w.withoutIfMatch.clients} / ${w.withoutIfMatch.acknowledged} / ${w.withoutIfMatch.contention503} / ${w.withoutIfMatch.storedEvents}`],
  ['load: processes', w.load?.processes],
  ['load: commands sent', w.load?.commandsSent],
  ['load: acknowledged', w.load?.acknowledged],
  ['load: stored', w.load?.stored],
  ['load: lost', w.load?.lost],
  ['load: seconds / commands per second', w.load && `${w.load.seconds} / ${w.load.commandsPerSecond}`],
])}
${section('2. Projector killed (SIGKILL) during catch-up and rebuilds', p, [
  ['events in the log (demo --scale 0.05)', p?.events],
  ['crash rounds during catch-up', p?.catchUp?.kills?.length],
  ['of which killed before reaching the head', p?.catchUp?.killedBeforeTheHead],
  ['crash rounds during rebuilds (projector killed; rebuild killed too in some)', p?.rebuild?.rounds?.length],
  ['rebuild rounds', p?.rebuild?.rounds],
  ['read models after restart equal a clean rebuild (row-for-row digest)', p ? 'yes (asserted)' : undefined],
])}
${section('3. Api killed (SIGKILL) under write load', a, [
  ['crash rounds', a?.rounds],
  ['commands sent', a?.commandsSent],
  ['acknowledged (2xx)', a?.acknowledged],
  ['stored', a?.stored],
  ['stored but answer lost in the kill', a?.storedButNotAcknowledged],
  ['lost (acknowledged, not stored)', a?.lost],
  ['half-stored', a?.halfStored],
  ['requests cut by the kill', a?.cutByTheKill],
])}
${section('4. PostgreSQL stopped mid-load and started again', d, [
  ['commands sent', d?.commandsSent],
  ['acknowledged', d?.acknowledged],
  ['stored', d?.stored],
  ['lost', d?.lost],
  ['answers by status', d?.statuses],
  ['outage (s)', d?.outageSeconds],
  ['PostgreSQL restart (s)', d?.postgresRestartSeconds],
  ['time to /health 200 after the database came back (s)', d?.secondsToHealthyAfterDatabaseBack],
  ['time to successful writes after the database came back (s)', d?.secondsToWritesAfterDatabaseBack],
])}
${section('5. Graceful shutdown (SIGTERM)', report.gracefulShutdown, Object.entries(report.gracefulShutdown ?? {}).filter(([k]) => k !== 'measuredAt'))}
${section('6. Retries with the same Idempotency-Key (first try aborted after a few ms)', r, [
  ['registrations: tries / aborted first tries / retries answered 201', r?.registrations && `${r.registrations.tries} / ${r.registrations.firstTriesAborted} / ${r.registrations.retriesAnswered201}`],
  ['changes: tries / aborted first tries / events / duplicates', r?.changes && `${r.changes.tries} / ${r.changes.firstTriesAborted} / ${r.changes.events} / ${r.changes.duplicates}`],
])}
${section('7. Hostile input (authorised tokens, refused requests)', h, [
  ['hostile requests sent / kinds', h && `${h.requests} / ${h.kinds}`],
  ['5xx answers (or refused requests answered 2xx)', h?.serverErrors],
  ['events written by refused requests', h?.writesFromRefusedRequests],
  ['projector stops (admin /health not 200 afterwards)', h?.projectorStops],
  ['hostile-looking but valid writes accepted and projected', h?.acceptedHostileLooking],
  ...Object.entries(h?.statusesByKind ?? {}).map(([kind, statuses]) => [`answers: ${kind}`, Object.entries(statuses).map(([status, n]) => `${n} × ${status}`).join(', ')]),
])}
${section('8. Ctrl-C on npm start (embedded PostgreSQL)', c, [
  ['command', c?.command],
  ['runs (start, then SIGINT to the process group, as a terminal sends it)', c?.runs],
  ['time from SIGINT to exit, each run (ms)', c?.exitMs?.join(', ')],
  ['median / max (ms)', c && `${c.medianMs} / ${c.maxMs}`],
  ['exit codes', c?.exitCodes],
  ['log lines at WARN or above', c?.linesAtWarnOrAbove],
  ['data written before the first Ctrl-C read back on every restart', c ? 'yes (asserted)' : undefined],
])}`;
fs.mkdirSync(path.join(ROOT, 'bench'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'bench', 'RELIABILITY.md'), md);
process.stdout.write(`bench/RELIABILITY.md written from reports/reliability.json\n`);
