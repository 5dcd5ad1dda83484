import 'reflect-metadata';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createReadStream, writeFileSync } from 'node:fs';
import { Presets, SingleBar } from 'cli-progress';
import type { DemoSummary, GenerateScale, GenerateSummary } from '@ktt/datagen';
import { loadConfig } from '@ktt/platform/config/app-config';
import { createLogger } from '@ktt/platform/logging/logger';
import { openRuntime, PROJECT_ROOT } from '@ktt/platform/runtime';
import { rebuildReadModels, snapshotHeldBack } from '@ktt/read-models';
import { parseReplayUntil, replayQueryHints, replayReadModels, retryQuarantined, type QuarantinedEvent } from '@ktt/read-models';
import { todayInVietnam } from '@ktt/domain';
import { MAX_TOKEN_DAYS, resolveSigningSecret, ROLES, systemPrincipal, TokenService, type Role } from '@ktt/auth';
import { TRANSPARENCY_USAGE, verifyExtractCommand, verifyLogCommand } from './transparency-commands';
import { rebuildTree, StoredLeaves, type TreeRebuildResult } from '@ktt/transparency';

const USAGE = `usage: npm run cli -- <command>

commands:
  migrate      apply pending migrations (DATABASE_URL, or the embedded PostgreSQL under DATA_DIR)
  seed-plans   record the 2025 reorganization of the provinces if not yet recorded, then adopt the plans in data/plans that are not adopted yet
  demo         load the synthetic history of Kiên Giang (91), Yên Bái (15) and An Giang (89), 2018 to
               today, through the command path as system:demo, seats on the map of each date (the 2025
               merger recorded first if missing), each record stamped with the time the registry would have
               entered it (office hours of its day, late ratings later), so knownAt has answers; a rerun
               writes nothing new
               [--seed N] [--scale X (1 = full size)] [--concurrency N (default 16)]
  generate     write a synthetic history of every province, 2016 to today, as system:generator, decided
               in memory by the domain and appended straight to the event store (1–2 million events at
               national scale): --scale national|province|small [--seed N] [--concurrency N (default 16)];
               province = Kiên Giang at full size, small = a few thousand events; what exists is skipped
  token        print a signed token (last line): --role admin|registrar|auditor|analyst
               [--province 91 (registrars; repeat for more)] [--subject NAME (registrars: required, the
               person who writes)] [--days N (default 30, at most 366)]; prints the token's id (jti) too
  token revoke <jti> [--reason TEXT]
               refuse that token from now on (the api notices within seconds); the secret stays
  rebuild      rebuild every read model from position 0 into a new generation (blue-green: the
               current one serves until the new one has caught up, then the switch is atomic); then the
               verifiable log's tree, checked against every signed checkpoint (exit 1 if one does not match)
  replay       build the read models as they were at a point of the log into schema replay_<name>,
               next to today's (never served): --until <position|timestamp> --into <name> [--replace]
  projector retry
               re-apply the events the projector quarantined (could not apply, or held behind one of
               their stream) after a fix (an upcaster or a read-model change in a new release); clears
               those that now apply and prints what it did
  import <file> [--dry-run] [--apply-changes --effective-on YYYY-MM-DD] [--subject NAME] [--report FILE] [--concurrency N (default 16)]
               load organizations from the spreadsheet template (XLSX or CSV in UTF-8) through the command
               path, row by row: refused rows are listed by row and column and the others go in; a
               registration number already recorded creates nothing (differences are listed, and recorded as
               changes on --effective-on only with --apply-changes); --dry-run writes nothing; recordedBy is
               --subject (default system:import); --report writes the whole answer as JSON; exit 1 if a row was refused
  verify       recompute every event's hash and its stream's chain, and look for registration-number
               reservations without their registration; prints ok or the first broken event, exit 1 if any
\${TRANSPARENCY_USAGE}
  help         this text`;

/**
 * The application layer (the spreadsheets' exceljs with it) and the data generators, loaded by the commands
 * that use them: a rebuild, a replay or the projector's commands do without them (under Node 24 they were
 * about 45 MB of the cli's RSS, which `cli rebuild` must keep under 300 MB: bench/manual-measurements.md).
 */
// require (tsc-alias rewrites its path as it does the imports'): ES import() would resolve '@ktt/…' as ESM, without index files.
const application = async (): Promise<typeof import('@ktt/application')> => require('@ktt/application');
const datagen = async (): Promise<typeof import('@ktt/datagen')> => require('@ktt/datagen');

/** The commands of the switch below (and help). */
const COMMANDS = ['migrate', 'seed-plans', 'demo', 'generate', 'token', 'rebuild', 'replay', 'projector', 'verify', 'import', 'verify-extract', 'verify-log', 'help'];

/** Admin commands. Thin: each one opens the runtime and calls into libs/. */
async function main(argv: string[]): Promise<number> {
  const [command, ...options] = argv;
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  // Refused before anything starts (the embedded PostgreSQL takes seconds): a typo is answered at once.
  if (!COMMANDS.includes(command)) {
    process.stderr.write(`unknown command "${command}"; the commands are: ${COMMANDS.join(', ')}\n\n${USAGE}\n`);
    return 2;
  }
  // The verifier's commands need no database nor settings: an auditor runs them anywhere, offline.
  if (command === 'verify-extract') return verifyExtractCommand(options, path.join(PROJECT_ROOT, 'data'));
  if (command === 'verify-log') return verifyLogCommand(options);
  const config = loadConfig();
  if (command === 'token' && options[0] !== 'revoke') return printToken(config, options);
  const logger = createLogger(config.logLevel);
  // Ctrl-C (or a closed terminal) mid-command: exit through process.exit, whose hook stops an embedded
  // PostgreSQL this command started (it runs in a process group of its own and no longer gets the signal).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => process.exit(130));
  const runtime = await openRuntime(config, logger); // opening applies the migrations
  try {
    switch (command) {
      case 'token': {
        const { jti, reason } = parseRevokeArgs(options.slice(1));
        const { revokeToken } = await application();
        const revoked = await revokeToken(runtime.eventStore, jti, { principal: systemPrincipal('system:cli'), reason });
        process.stdout.write(revoked ? `token ${jti} revoked: the api refuses it from now on\n` : `token ${jti} was revoked already\n`);
        return 0;
      }
      case 'migrate':
        process.stdout.write('migrations applied\n');
        return 0;
      case 'seed-plans': {
        // As the api does on start: the 2025 merger first (once), since plans are judged on the map.
        const { seedAdministrativeUnits, seedPlans } = await application();
        if (await seedAdministrativeUnits(runtime.eventStore, runtime.dataDir)) process.stdout.write('recorded the 2025 reorganization of the provinces\n');
        const adopted = await seedPlans(runtime.eventStore, runtime.plansDir);
        process.stdout.write(adopted.length ? `adopted: ${adopted.join(', ')}\n` : 'every plan was adopted already\n');
        return 0;
      }
      case 'demo': {
        const flags = parseFlags(options, ['seed', 'scale', 'concurrency']);
        const eventsBefore = await countEvents(runtime);
        const [{ OrganizationCommandHandler }, { loadDemo }] = await Promise.all([application(), datagen()]);
        const summary = await loadDemo(new OrganizationCommandHandler(runtime.eventStore), {
          seed: flags.seed,
          scale: flags.scale,
          store: runtime.eventStore, // records the 2025 merger first where it is missing: the demo's seats follow it
          concurrency: flags.concurrency ?? 16, // the runtime's pool holds 20 connections
          onProgress: progressBar('demo', 'commands'),
        });
        const eventsAfter = await countEvents(runtime);
        process.stdout.write(formatSummary(summary, eventsBefore, eventsAfter));
        return summary.refusals === 0 ? 0 : 1;
      }
      case 'generate': {
        const { generate, GENERATE_SCALES, readProvinces } = await datagen();
        const { scale, numbers } = parseGenerateFlags(options, Object.keys(GENERATE_SCALES));
        const update = progressBar('generate', 'events');
        const summary = await generate(runtime.eventStore, {
          scale,
          seed: numbers.seed,
          concurrency: numbers.concurrency,
          provinces: await readProvinces(runtime.dataDir),
          onProgress: (written, total) => update(written, total, false),
        });
        update(summary.eventsWritten, summary.eventsWritten, true);
        process.stdout.write(formatGenerateSummary(summary));
        return summary.refusals === 0 ? 0 : 1;
      }
      case 'rebuild': {
        const total = (await countEvents(runtime)) ?? 0;
        const facts = progressBar('rebuild: facts', 'events');
        const timelines = progressBar('rebuild: timelines', 'organizations');
        let factsDone = false;
        const result = await rebuildReadModels(runtime.pool, runtime.eventStore, {
          onProgress: ({ events, phase, organizations, organizationsTotal }) => {
            if (phase === 'facts') return facts(events, Math.max(total, events), false);
            if (!factsDone) facts(events, events, true);
            factsDone = true;
            if (phase === 'timelines') timelines(organizations ?? 0, organizationsTotal ?? 0);
          },
        });
        process.stdout.write(
          `read models rebuilt into ${result.schema} (generation ${result.generation}) from ${result.events} events in ` +
            `${result.seconds.toFixed(1)} s (${Math.round(result.events / Math.max(result.seconds, 0.001))} events/s); ` +
            `${result.retired ? `${result.retired} retired (kept until the next rebuild)` : 'nothing retired'}\n` +
            `  phases (s): ${Object.entries(result.phases).map(([phase, seconds]) => `${phase} ${seconds.toFixed(1)}`).join(', ')}` +
            `${[result.factsInDatabase ? 'facts inside PostgreSQL' : '', result.timelineThreads ? 'timelines in worker threads' : ''].filter(Boolean).map((note) => ` (${note})`).join('')}\n`,
        );
        for (const { table, pages, allVisible } of result.visibility.filter(snapshotHeldBack)) {
          process.stdout.write(
            `  warning: ${table}: ${pages - allVisible} of ${pages} pages not all-visible (a transaction older than the rebuild's writes was still open); ` +
              `its queries read the table behind their indexes until VACUUM ${result.schema}.${table} runs after that transaction\n`,
          );
        }
        // The verifiable log's tree: derived data too, rebuilt after (and timed apart from) the read models.
        const leaves = progressBar('rebuild: tree', 'leaves');
        const tree = await rebuildTree(runtime.pool, runtime.eventStore, { onProgress: (done) => leaves(done, Math.max(total, done), false) });
        leaves(tree.leaves, tree.leaves, true);
        return reportTreeRebuild(tree);
      }
      case 'replay': {
        const flags = parseReplayFlags(options);
        const total = (await countEvents(runtime)) ?? 0;
        const update = progressBar('replay', 'events');
        const result = await replayReadModels(runtime.pool, runtime.eventStore, {
          until: parseReplayUntil(runtime.eventStore, flags.until),
          into: flags.into,
          replace: flags.replace,
          // The total is the whole log; a replay that stops earlier ends the bar where it stops.
          onProgress: ({ events, done }) => update(events, done ? events : Math.max(total, events), done),
        });
        process.stdout.write(
          `replayed ${result.events} events into ${result.schema} in ${result.seconds.toFixed(1)} s` +
            `${result.lastPosition ? ` (last position ${result.lastPosition})` : ''}\n${replayQueryHints(result.schema)}\n`,
        );
        return 0;
      }
      case 'projector': {
        if (options[0] !== 'retry') {
          process.stderr.write(`unknown projector command "${options[0] ?? ''}" (try: projector retry)\n`);
          return 2;
        }
        const report = await retryQuarantined(runtime.pool, runtime.eventStore);
        const line = (event: QuarantinedEvent) =>
          `  ${event.streamId} revision ${event.revision} ${event.type} (event ${event.eventId}, position ${event.position})`;
        process.stdout.write(
          `projector retry on ${report.schema}: ${report.cleared.length} applied and cleared, ${report.remaining.length} still quarantined\n` +
            report.cleared.map((event) => `applied ${line(event).trim()}\n`).join('') +
            report.remaining.map((event) => `still quarantined ${line(event).trim()}: ${event.reason === 'held' ? 'held behind an earlier event of its stream' : event.error}\n`).join(''),
        );
        return 0; // what stays is state, not a failure of the command: the lines above and /health say it
      }
      case 'import':
        return await importFile(runtime, options);
      case 'verify': {
        const total = (await countEvents(runtime)) ?? 0;
        const update = progressBar('verify', 'events');
        const { verifyAll } = await application();
        const result = await verifyAll(runtime.eventStore, { leaves: new StoredLeaves(runtime.pool), onProgress: (events) => update(events, Math.max(total, events), false) });
        update(result.checkedEvents, result.checkedEvents, true);
        const broken = result.firstBrokenAt;
        process.stdout.write(
          `${broken ? `BROKEN: ${broken.streamId} revision ${broken.revision} (event ${broken.eventId}, position ${broken.position}): ${broken.reason === 'hash' ? 'its content does not match its hash' : broken.reason === 'leaf' ? 'its hash is not the one the verifiable log recorded for it (rewritten and rehashed)' : 'its previousHash does not link to the event before it'}` : 'ok: every hash and link intact'}` +
            ` (${result.checkedEvents} events checked)\n` +
            result.orphanReservations.map((o) => `orphan reservation: ${o.streamId} for organization ${o.organizationId} (recorded ${o.recordedAt}), never registered\n`).join(''),
        );
        return result.ok ? 0 : 1;
      }
      default:
        process.stderr.write(`unknown command "${command}"\n\n${USAGE}\n`);
        return 2;
    }
  } finally {
    await runtime.close();
  }
}

/** Needs no database: the signing secret is JWT_SECRET, or the embedded default's in the data directory. */
async function printToken(config: ReturnType<typeof loadConfig>, args: string[]): Promise<number> {
  let role: string | undefined;
  let subject: string | undefined;
  let days = 30;
  const provinces: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split('=', 2);
    const value = inline ?? args[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--role') role = value;
    else if (flag === '--province') provinces.push(...value.split(','));
    else if (flag === '--subject') subject = value;
    else if (flag === '--days') days = Number(value);
    else throw new Error(`unknown option "${args[i]}"\n\n${USAGE}`);
  }
  if (!role || !ROLES.includes(role as Role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  if (!Number.isFinite(days) || days <= 0 || days > MAX_TOKEN_DAYS) throw new Error(`--days must be a number of days from 1 to ${MAX_TOKEN_DAYS}`);
  // A token's provinces are read on today's map (api.md): a code not in force today (89 since the 2025 merger)
  // or one that never named a province would cover nothing, so it is refused now, naming the code in force.
  const { tokenProvincesProblem, loadAdministrativeMap } = await application();
  const problem = tokenProvincesProblem(loadAdministrativeMap(path.join(PROJECT_ROOT, 'data')), provinces, todayInVietnam(new Date()));
  if (problem !== null) throw new Error(`${problem} (data/reference/administrative-units-2025.json)`);
  const { secret } = await resolveSigningSecret({ fromEnvironment: config.jwtSecret, dataDir: config.dataDir, embedded: !config.databaseUrl });
  const minted = new TokenService(secret).mint({ role: role as Role, provinces, subject, expiresInSeconds: Math.round(days * 24 * 3600) });
  process.stdout.write(
    `${role}${provinces.length ? ` for ${provinces.join(', ')}` : ''}${subject ? ` (${subject})` : ''}, id ${minted.jti}, ` +
      `valid ${days} days (until ${minted.expiresAt.toISOString()}); revoke with: npm run cli -- token revoke ${minted.jti}\n${minted.token}\n`,
  );
  return 0;
}

function parseRevokeArgs(args: string[]): { jti: string; reason?: string } {
  let jti: string | undefined;
  let reason: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split('=', 2);
    if (flag === '--reason') {
      reason = inline ?? args[++i];
      if (reason === undefined) throw new Error('--reason needs a value');
    } else if (!args[i].startsWith('--') && jti === undefined) jti = args[i];
    else throw new Error(`unknown option "${args[i]}"\n\n${USAGE}`);
  }
  if (!jti) throw new Error(`token revoke needs the token's id (jti)\n\n${USAGE}`);
  return { jti, reason };
}

function parseFlags(args: string[], names: string[]): Record<string, number | undefined> {
  const flags: Record<string, number | undefined> = {};
  for (let i = 0; i < args.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(args[i]);
    if (!match || !names.includes(match[1])) throw new Error(`unknown option "${args[i]}"\n\n${USAGE}`);
    const raw = match[2] ?? args[++i];
    const value = Number(raw);
    if (raw === undefined || !Number.isFinite(value)) throw new Error(`--${match[1]} needs a number`);
    flags[match[1]] = value;
  }
  return flags;
}

function parseGenerateFlags(args: string[], scales: string[]): { scale: GenerateScale; numbers: Record<string, number | undefined> } {
  let scale: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--scale') scale = args[++i];
    else if (args[i].startsWith('--scale=')) scale = args[i].slice('--scale='.length);
    else rest.push(args[i]);
  }
  if (scale === undefined || !scales.includes(scale)) {
    throw new Error(`generate needs --scale ${scales.join('|')}\n\n${USAGE}`);
  }
  return { scale: scale as GenerateScale, numbers: parseFlags(rest, ['seed', 'concurrency']) };
}

function parseReplayFlags(args: string[]): { until: string; into: string; replace: boolean } {
  const flags: { until?: string; into?: string; replace: boolean } = { replace: false };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split('=', 2);
    if (flag === '--replace') {
      flags.replace = true;
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--until') flags.until = value;
    else if (flag === '--into') flags.into = value;
    else throw new Error(`unknown option "${args[i]}"\n\n${USAGE}`);
  }
  if (!flags.until || !flags.into) throw new Error(`replay needs --until <position|timestamp> and --into <name>\n\n${USAGE}`);
  return { until: flags.until, into: flags.into, replace: flags.replace };
}

/** `cli import`: the file through SpreadsheetImport (issue 17), a bar of rows on stderr, the report on stdout. */
async function importFile(runtime: Awaited<ReturnType<typeof openRuntime>>, args: string[]): Promise<number> {
  let file: string | undefined;
  const flags: { dryRun: boolean; applyChanges: boolean; effectiveOn?: string; subject: string; report?: string; concurrency: number } = { dryRun: false, applyChanges: false, subject: 'system:import', concurrency: 16 };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--dry-run') flags.dryRun = true;
    else if (arg === '--apply-changes') flags.applyChanges = true;
    else if (arg === '--effective-on') flags.effectiveOn = args[++i];
    else if (arg === '--subject') flags.subject = args[++i] ?? '';
    else if (arg === '--report') flags.report = args[++i];
    else if (arg === '--concurrency') flags.concurrency = Number(args[++i]);
    else if (!arg.startsWith('--') && file === undefined) file = arg;
    else throw new Error(`unknown option "${arg}"\n\n${USAGE}`);
  }
  if (!file) throw new Error(`import needs a file\n\n${USAGE}`);
  const { ImportFileRefused, OrganizationCommandHandler, seedAdministrativeUnits, sniffFormat, spoolFile, SpreadsheetImport } = await application();
  if (!Number.isInteger(flags.concurrency) || flags.concurrency < 1 || flags.concurrency > 64) throw new Error('--concurrency needs a whole number from 1 to 64');
  if (!/^[\w.:@-]{1,100}$/.test(flags.subject)) throw new Error('--subject needs a name (letters, digits, . : @ -)');
  // As the api does on start: rows are judged on the map, so the 2025 merger is recorded first (once).
  await seedAdministrativeUnits(runtime.eventStore, runtime.dataDir);
  const spooled = await spoolFile(createReadStream(path.resolve(file)));
  const bar = new SingleBar(
    { stream: process.stderr, format: 'import [{bar}] {value} rows | {rate} rows/s', hideCursor: true, fps: 5, noTTYOutput: true, notTTYSchedule: 10_000 },
    Presets.shades_classic,
  );
  const started = Date.now();
  bar.start(1, 0, { rate: '0' });
  try {
    const importer = new SpreadsheetImport(runtime.eventStore, new OrganizationCommandHandler(runtime.eventStore));
    const report = await importer.run(
      { path: spooled.path, format: await sniffFormat(spooled.path), name: path.basename(file), sha256: spooled.sha256 },
      { principal: systemPrincipal(flags.subject), correlationId: randomUUID() },
      {
        dryRun: flags.dryRun,
        applyChanges: flags.applyChanges,
        effectiveOn: flags.effectiveOn,
        concurrency: flags.concurrency, // rows in flight; the runtime's pool holds 20 connections
        onProgress: (rows) => {
          bar.setTotal(rows + 1);
          bar.update(rows, { rate: Math.round(rows / Math.max((Date.now() - started) / 1000, 0.001)).toString() });
        },
      },
    );
    bar.setTotal(report.rows);
    bar.update(report.rows);
    bar.stop();
    if (flags.report) writeFileSync(flags.report, `${JSON.stringify(report, null, 2)}\n`);
    const seconds = (Date.now() - started) / 1000;
    const shown = 50;
    process.stdout.write(
      [
        `${flags.dryRun ? 'dry run (nothing written) of' : 'imported'} ${report.file.name} (sha256 ${report.file.sha256})`,
        `rows:        ${report.rows} in ${seconds.toFixed(1)} s (${Math.round(report.rows / Math.max(seconds, 0.001))} rows/s)`,
        `created:     ${report.created}`,
        `unchanged:   ${report.unchanged}`,
        `changed:     ${report.changed}`,
        `differences: ${report.differences.length}`,
        ...report.differences.slice(0, shown).map((d) => `  row ${d.row}, ${d.column}: recorded ${JSON.stringify(d.recorded)}, file ${JSON.stringify(d.file)}`),
        `refused:     ${report.refused.length}`,
        ...report.refused.slice(0, shown).map((r) => `  row ${r.row}${r.column ? `, ${r.column}` : ''}: ${r.code}: ${r.message}`),
        ...(report.refused.length > shown || report.differences.length > shown ? [`(the first ${shown} of each are shown; --report FILE writes them all)`] : []),
      ].join('\n') + '\n',
    );
    return report.refused.length === 0 ? 0 : 1;
  } catch (error) {
    bar.stop();
    if (error instanceof ImportFileRefused) {
      process.stderr.write(`the file is refused (${error.code}): ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await spooled.remove();
  }
}

/** On stderr, so stdout keeps only the summary. */
function progressBar(label: string, unit: string): (done: number, total: number, finished?: boolean) => void {
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s | ETA {eta_formatted}`,
      hideCursor: true,
      etaBuffer: 2000,
      fps: 5,
      // Redirected to a file or CI log: a line every 10 s instead of a redrawn bar.
      noTTYOutput: true,
      notTTYSchedule: 10_000,
    },
    Presets.shades_classic,
  );
  const started = Date.now();
  let running = false;
  return (done, total, finished = done >= total) => {
    if (!running) {
      bar.start(total, done, { rate: '0' });
      running = true;
    }
    const seconds = (Date.now() - started) / 1000;
    bar.setTotal(total);
    bar.update(done, { rate: seconds > 0 ? Math.round(done / seconds).toString() : '0' });
    if (finished) bar.stop();
  };
}

/**
 * The tree's own figure, and the check of the kept checkpoints against it: a signed root that the
 * rebuilt tree does not have means the log changed under a commitment verifiers hold (issue 18).
 */
function reportTreeRebuild(tree: TreeRebuildResult): number {
  process.stdout.write(
    `verifiable log's tree rebuilt from ${tree.leaves} events in ${tree.seconds.toFixed(1)} s (${Math.round(tree.leaves / Math.max(tree.seconds, 0.001))} leaves/s)\n`,
  );
  if (!tree.checkpoints) {
    process.stdout.write('no checkpoints table in this database: no signed checkpoint to check the rebuilt tree against\n');
    return 0;
  }
  const { checked, mismatches } = tree.checkpoints;
  if (mismatches.length === 0) {
    process.stdout.write(`${checked} signed checkpoints kept, each matching the rebuilt tree's root at its size\n`);
    return 0;
  }
  for (const mismatch of mismatches) {
    process.stderr.write(
      mismatch.rebuiltRoot === null
        ? `TAMPERED: the checkpoint of size ${mismatch.treeSize} was signed, but the log now holds only ${tree.leaves} events\n`
        : `TAMPERED: the checkpoint of size ${mismatch.treeSize} signed root ${mismatch.signedRoot}, the log rebuilds to ${mismatch.rebuiltRoot}\n`,
    );
  }
  process.stderr.write(
    `${mismatches.length} of ${checked} signed checkpoints do not match the log: events were rewritten or removed after they were signed; the checkpoints are kept as evidence\n`,
  );
  return 1;
}

/** The events table's size, to check the summary against (PostgreSQL event store only). */
async function countEvents(runtime: Awaited<ReturnType<typeof openRuntime>>): Promise<number | null> {
  if (runtime.eventStore.engine !== 'postgres') return null;
  const { rows } = await runtime.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
  return rows[0].n;
}

const KIND_LABELS = { cooperative: 'cooperatives', cooperative_group: 'cooperative groups', union: 'unions' } as const;
// The demo's provinces as they were before 1 July 2025 (its summary counts by them).
const PROVINCES: Record<string, string> = { '91': 'Kiên Giang', '15': 'Yên Bái', '89': 'An Giang' };

function formatSummary(summary: DemoSummary, eventsBefore: number | null, eventsAfter: number | null): string {
  const lines = [
    `demo loaded: seed ${summary.seed}, scale ${summary.scale}, history to ${summary.today}`,
    '',
    'organizations (registered up to today / existing today):',
    ...summary.organizations.map(
      (o) =>
        `  ${`${PROVINCES[o.provinceCode] ?? o.provinceCode} (${o.provinceCode})`.padEnd(16)} ${KIND_LABELS[o.kind].padEnd(19)} ${String(o.registered).padStart(6)} / ${String(o.existingToday).padStart(6)}`,
    ),
    '',
    'sizes on the reference dates of domain.md (target × scale → drawn):',
    ...summary.calibration.map(
      (c) => `  ${PROVINCES[c.provinceCode] ?? c.provinceCode} ${c.what} on ${c.asOf}: ${c.target} → ${c.actual}`,
    ),
    '',
    `commands sent:   ${summary.commandsSent}${summary.replayed ? ` (${summary.replayed} answered from an earlier run, nothing written)` : ''}`,
    `events written:  ${summary.eventsWritten} (${summary.organizationEvents} organization events, ${summary.reservations} registration-number reservations, ${summary.idempotencyRecords} idempotency records)`,
    ...(eventsBefore !== null && eventsAfter !== null ? [`events table:    ${eventsBefore} → ${eventsAfter}`] : []),
    `refusals:        ${summary.refusals}${summary.refusals ? ` ${JSON.stringify(summary.refusalsByCode)}` : ''}`,
    ...summary.refusalSamples.map((r) => `  ${r.key} ${r.type} ${r.organizationId}: ${r.code} ${r.message}`),
    `seconds:         ${summary.seconds.toFixed(1)} (${Math.round(summary.commandsSent / Math.max(summary.seconds, 0.001))} commands/s)`,
  ];
  return `${lines.join('\n')}\n`;
}

function formatGenerateSummary(summary: GenerateSummary): string {
  const kinds = Object.entries(summary.organizations) as [keyof typeof KIND_LABELS, { registered: number; existingToday: number }][];
  const lines = [
    `generated: scale ${summary.scale}, seed ${summary.seed}, ${summary.provinces} province${summary.provinces === 1 ? '' : 's'}, history to ${summary.today}`,
    ...(summary.skippedOrganizations > 0
      ? [`already generated: ${summary.skippedOrganizations} organizations were stored by an earlier run and were left as they are`]
      : []),
    '',
    'organizations (registered up to today / existing today):',
    ...kinds.map(([kind, o]) => `  ${KIND_LABELS[kind].padEnd(19)} ${String(o.registered).padStart(7)} / ${String(o.existingToday).padStart(7)}`),
    '',
    'figures of domain.md (target → generated):',
    ...summary.national.map((f) => `  ${f.what} on ${f.asOf}: ${f.target ?? '–'} → ${f.actual}`),
    ...summary.calibration.map((c) => `  ${PROVINCES[c.provinceCode] ?? c.provinceCode} ${c.what} on ${c.asOf}: ${c.target} → ${c.actual}`),
    '',
    `events written:  ${summary.eventsWritten} (${summary.organizationEvents} organization events, ${summary.reservations} registration-number reservations)`,
    `refusals:        ${summary.refusals}${summary.refusals ? ` ${JSON.stringify(summary.refusalsByCode)}` : ''}`,
    ...summary.refusalSamples.map((r) => `  ${r.key} ${r.type} ${r.organizationId}: ${r.code} ${r.message}`),
    `seconds:         ${summary.seconds.toFixed(1)} (${summary.eventsPerSecond} events/s)`,
  ];
  return `${lines.join('\n')}\n`;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
