import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { freePort, positiveInteger } from './knobs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import { Pool } from 'pg';
import { seedPlans } from '@ktt/application';
import { PostgresEventStore } from '@ktt/event-store';
import { startEmbeddedPostgres } from '@ktt/platform/database/embedded-postgres';
import { prepareDatabase } from '@ktt/platform/database/prepare-database';
import { createLogger } from '@ktt/platform/logging/logger';
import { startApi, waitForProjector } from './api-load';
import { describeMachine, type Machine } from './machine';
import { note } from './progress';
import { REGISTER_LAST_DAY, writeRegisterCsv, writeRegisterXlsx } from './spreadsheet-rows';

/**
 * `BENCH_ONLY=spreadsheets npm run bench`: the spreadsheet import and export of issue 17 at national
 * size, written to bench/RESULTS-spreadsheets.md (BENCH_OUTPUT to name another file).
 *
 * - The files: BENCH_SPREADSHEET_ROWS (100,000) rows as XLSX and as CSV (spreadsheet-rows.ts).
 * - Import: `cli import <file>` as `npm run cli` runs it (the built cli, its own Node process, on a
 *   fresh embedded PostgreSQL the bench starts), so the peak RSS is the import's alone: the child's
 *   VmHWM, read from /proc every 100 ms. The CSV goes into one fresh cluster, the XLSX into another,
 *   and the XLSX a second time into the same one (every row unchanged: the key is the number).
 * - Export: the built api on the XLSX's cluster, once its projector has applied the import; the
 *   national register as XLSX and CSV and a province's report workbook over HTTP, with the api's
 *   peak RSS during each (its high-water mark reset before each through /proc/<pid>/clear_refs).
 *
 * Every import must create (or find unchanged) every row and refuse none, and each export must hold
 * every row: otherwise the bench stops, since its figures would measure something else.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');
const AS_OF = REGISTER_LAST_DAY;
const REPORT_PROVINCE = '91';
/** The Node flags `npm run cli` gives the cli (package.json's script), so the import runs as an operator runs it. */
const CLI_NODE_FLAGS = cliNodeFlags();

interface Measured {
  what: string;
  rows: number | null;
  seconds: number;
  peakRssMiB: number | null;
  bytes?: number;
  /** Export: the api's RSS when its peak was reset, before the request (what the export's peak started from). */
  rssBeforeMiB?: number | null;
  /** The import's own figure (its stdout: from the file's first row to its report), without the process start. */
  importSeconds?: number;
  outcome: string;
  loadAverage: number;
}

interface Cluster {
  url: string;
  ownerUrl: string;
  pool: Pool;
  store: PostgresEventStore;
  stop(): Promise<void>;
}

export async function spreadsheetBench(): Promise<void> {
  const rows = positiveInteger('BENCH_SPREADSHEET_ROWS', 100_000);
  const output = process.env.BENCH_OUTPUT ?? 'RESULTS-spreadsheets.md';
  const machine = describeMachine();
  const started = performance.now();
  const loadBefore = os.loadavg();
  const work = await mkdtemp(path.join(os.tmpdir(), 'ktt-bench-sheets-'));
  const measured: Measured[] = [];
  try {
    // 1. The files.
    const xlsx = path.join(work, `so-dang-ky-${rows}.xlsx`);
    const csv = path.join(work, `so-dang-ky-${rows}.csv`);
    let t = performance.now();
    await writeRegisterXlsx(xlsx, rows, (done) => note(`spreadsheets: writing the XLSX, ${done} rows`));
    const xlsxWrite = (performance.now() - t) / 1000;
    t = performance.now();
    await writeRegisterCsv(csv, rows);
    const csvWrite = (performance.now() - t) / 1000;
    const sizes = { xlsx: (await stat(xlsx)).size, csv: (await stat(csv)).size };
    note(`spreadsheets: ${rows} rows, XLSX ${mib(sizes.xlsx)} MiB in ${xlsxWrite.toFixed(1)} s, CSV ${mib(sizes.csv)} MiB in ${csvWrite.toFixed(1)} s`);

    // 2. The CSV into a fresh cluster.
    const csvCluster = await startCluster(work, 'csv');
    try {
      measured.push(await cliImport(`import CSV, ${count(rows)} rows (fresh register)`, csv, csvCluster, work, { created: rows }));
    } finally {
      await csvCluster.stop();
    }

    // 3. The XLSX into another, twice; then the exports from it.
    const cluster = await startCluster(work, 'xlsx');
    try {
      measured.push(await cliImport(`import XLSX, ${count(rows)} rows (fresh register)`, xlsx, cluster, work, { created: rows }));
      measured.push(await cliImport(`import XLSX again, same file (every row unchanged)`, xlsx, cluster, work, { unchanged: rows }));
      note('spreadsheets: starting the api for the exports');
      const api = await whileBuilding(async () => startApi(ROOT, cluster.url, await freePort()));
      try {
        const catchUp = await waitForProjector(cluster.pool, cluster.store, 'spreadsheets: projector catch-up', 3_600_000);
        note(`spreadsheets: the api's projector applied the imports in ${catchUp.toFixed(0)} s`);
        const exportOf = (what: string, url: string, counter: ((file: string) => Promise<number>) | null, expected: number | null) =>
          measureExport(what, `${api.baseUrl}${url}`, api.authorization, api.pid, work, counter, expected);
        measured.push(await exportOf('export XLSX, the national register', `/api/organizations/export?format=xlsx&asOf=${AS_OF}`, xlsxRowCount, rows));
        measured.push(await exportOf('export CSV, the national register', `/api/organizations/export?format=csv&asOf=${AS_OF}`, csvRowCount, rows));
        measured.push(await exportOf(`progress report workbook of ${REPORT_PROVINCE}`, `/api/provinces/${REPORT_PROVINCE}/progress/export?format=xlsx&asOf=${AS_OF}`, null, null));
      } finally {
        await api.stop();
      }
    } finally {
      await cluster.stop();
    }

    const file = path.join(ROOT, 'bench', output);
    const manual = safeRead(path.join(ROOT, 'bench', 'manual-measurements-spreadsheets.md'));
    writeFileSync(file, report({ machine, rows, sizes, writes: { xlsx: xlsxWrite, csv: csvWrite }, measured, loadBefore, loadAfter: os.loadavg(), seconds: (performance.now() - started) / 1000, manual }));
    process.stdout.write(`${measured.map(line).join('\n')}\n`);
    note(`spreadsheets: figures written to ${path.relative(process.cwd(), file)}`);
  } finally {
    if (process.env.BENCH_KEEP !== '1') await rm(work, { recursive: true, force: true });
  }
}

/** A fresh embedded PostgreSQL, migrated as the product runs (owner role), the plans adopted (the report workbook reads them). */
async function startCluster(work: string, name: string): Promise<Cluster> {
  const logger = createLogger('warn');
  const postgres = await startEmbeddedPostgres({ dataDir: path.join(work, `pg-${name}`), port: await freePort(), database: 'ktt_bench', logger });
  await prepareDatabase({ ownerUrl: postgres.ownerUrl, appUrl: postgres.url, logger });
  const pool = new Pool({ connectionString: postgres.url, max: 4 });
  pool.on('error', () => undefined);
  const store = new PostgresEventStore({ pool, connectionString: postgres.url });
  await seedPlans(store, path.join(ROOT, 'data', 'plans'));
  return {
    url: postgres.url,
    ownerUrl: postgres.ownerUrl,
    pool,
    store,
    async stop() {
      await store.close().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await postgres.stop().catch(() => undefined);
    },
  };
}

/**
 * `cli import <file> --report <json>` in its own process; its peak RSS is the highest VmHWM read
 * while it ran (VmHWM only grows, so the last reading is the peak up to 100 ms before the exit).
 */
/**
 * Runs `start` again (up to 5 times, 15 s apart) while it fails with MODULE_NOT_FOUND: another
 * `npm run build` in the same tree leaves dist/ without its path aliases resolved for a few seconds
 * (between tsc and tsc-alias). A process that failed so wrote nothing, so starting it again measures the same.
 */
async function whileBuilding<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= 5 || !String((error as Error).message).includes('MODULE_NOT_FOUND')) throw error;
      note(`spreadsheets: dist/ is being rebuilt (MODULE_NOT_FOUND); trying again in 15 s`);
      await new Promise((resolve) => setTimeout(resolve, 15_000));
    }
  }
}

function cliImport(what: string, file: string, cluster: Cluster, work: string, expected: { created?: number; unchanged?: number }): Promise<Measured> {
  return whileBuilding(() => cliImportOnce(what, file, cluster, work, expected));
}

async function cliImportOnce(what: string, file: string, cluster: Cluster, work: string, expected: { created?: number; unchanged?: number }): Promise<Measured> {
  const reportFile = path.join(work, 'import-report.json');
  const loadAverage = os.loadavg()[0];
  note(`spreadsheets: ${what}`);
  const started = performance.now();
  const child = spawn(process.execPath, [...CLI_NODE_FLAGS, CLI, 'import', file, '--report', reportFile], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: cluster.url, MIGRATION_DATABASE_URL: cluster.ownerUrl, EVENTSTORE_CONNECTION_STRING: '', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk).slice(-20_000);
    process.stderr.write(chunk); // the cli's bar (a line every 10 s when not on a terminal)
  });
  let peakKiB = 0;
  const sample = () => {
    const kib = Number(/^VmHWM:\s*(\d+) kB$/m.exec(safeRead(`/proc/${child.pid}/status`))?.[1] ?? 0);
    if (kib > peakKiB) peakKiB = kib;
  };
  const sampler = setInterval(sample, 100);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`${what}: the cli exited with ${code}\n${stdout}\n${stderr}`);
  const answer = JSON.parse(await readFile(reportFile, 'utf8')) as { rows: number; created: number; unchanged: number; refused: unknown[]; differences: unknown[] };
  const outcome = `${count(answer.created)} created, ${count(answer.unchanged)} unchanged, ${answer.differences.length} differences, ${answer.refused.length} refused`;
  if (answer.refused.length > 0 || answer.differences.length > 0 || (expected.created ?? 0) !== answer.created || (expected.unchanged ?? 0) !== answer.unchanged) {
    throw new Error(`${what}: ${outcome}, expected ${JSON.stringify(expected)}; first refusals: ${JSON.stringify(answer.refused.slice(0, 5))}, differences: ${JSON.stringify(answer.differences.slice(0, 5))}`);
  }
  const own = /^rows:\s+\d+ in ([\d.]+) s/m.exec(stdout)?.[1];
  const result: Measured = { what, rows: answer.rows, seconds, peakRssMiB: peakKiB > 0 ? peakKiB / 1024 : null, importSeconds: own ? Number(own) : undefined, outcome, loadAverage };
  note(`spreadsheets: ${line(result)}`);
  return result;
}

/** One export over HTTP to a file, from the request to the last byte; the api's peak RSS during it (reset before). */
async function measureExport(
  what: string,
  url: string,
  authorization: string,
  pid: number,
  work: string,
  counter: ((file: string) => Promise<number>) | null,
  expected: number | null,
): Promise<Measured> {
  const loadAverage = os.loadavg()[0];
  const reset = resetPeak(pid);
  const rssBefore = Number(/^VmRSS:\s*(\d+) kB$/m.exec(safeRead(`/proc/${pid}/status`))?.[1] ?? NaN) / 1024;
  const file = path.join(work, 'export.out');
  note(`spreadsheets: ${what}`);
  const started = performance.now();
  const response = await fetch(url, { headers: { authorization } });
  if (!response.ok || !response.body) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>), createWriteStream(file));
  const seconds = (performance.now() - started) / 1000;
  const peak = reset ? peakMiB(pid) : null;
  const rows = counter ? await counter(file) : null;
  if (expected !== null && rows !== expected) throw new Error(`${what}: ${rows} rows exported, ${expected} imported`);
  const result: Measured = { what, rows, seconds, peakRssMiB: peak, rssBeforeMiB: Number.isNaN(rssBefore) ? null : rssBefore, bytes: (await stat(file)).size, outcome: rows === null ? 'three sheets' : 'every imported row', loadAverage };
  note(`spreadsheets: ${line(result)}`);
  await rm(file, { force: true });
  return result;
}

/** Resets a process's peak RSS (VmHWM) to its current RSS; false where /proc does not allow it. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

function peakMiB(pid: number): number | null {
  const kib = /^VmHWM:\s*(\d+) kB$/m.exec(safeRead(`/proc/${pid}/status`))?.[1];
  return kib ? Number(kib) / 1024 : null;
}

/** Data rows of a workbook's first sheet (header left out), read as a stream. */
async function xlsxRowCount(file: string): Promise<number> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore' });
  let rows = 0;
  for await (const sheet of reader) {
    for await (const _row of sheet as AsyncIterable<unknown>) rows += 1;
    break;
  }
  return rows - 1;
}

/** Records of a CSV file (header left out): parsed, as a name may hold a line break. */
async function csvRowCount(file: string): Promise<number> {
  let rows = 0;
  for await (const _record of createReadStream(file).pipe(parseCsv({ bom: true, relax_column_count: true }))) rows += 1;
  return rows - 1;
}

function line(m: Measured): string {
  const rate = m.rows ? ` ${count(Math.round(m.rows / m.seconds))} rows/s,` : '';
  return `${m.what}: ${m.seconds.toFixed(1)} s,${rate} peak RSS ${m.peakRssMiB?.toFixed(0) ?? '?'} MiB${m.outcome ? ` (${m.outcome})` : ''}`;
}

interface ReportInput {
  machine: Machine;
  rows: number;
  sizes: { xlsx: number; csv: number };
  writes: { xlsx: number; csv: number };
  measured: Measured[];
  loadBefore: number[];
  loadAfter: number[];
  seconds: number;
  /** bench/manual-measurements-spreadsheets.md, appended as it is. */
  manual: string;
}

function report(input: ReportInput): string {
  const { machine, rows, sizes, writes, measured } = input;
  const knobs = [process.env.BENCH_SPREADSHEET_ROWS ? `BENCH_SPREADSHEET_ROWS=${rows} ` : '', process.env.BENCH_OUTPUT ? `BENCH_OUTPUT=${process.env.BENCH_OUTPUT} ` : ''].join('');
  const imports = measured.filter((m) => m.what.startsWith('import'));
  const limit = 300;
  const over = imports.filter((m) => m.peakRssMiB !== null && m.peakRssMiB * 1.048576 >= limit);
  return [
    '# Benchmark results: spreadsheet import and export (issue 17)',
    '',
    `Generated by \`${knobs}BENCH_ONLY=spreadsheets npm run bench\` (\`bench/src/spreadsheets.ts\`; \`npm run build\`, then \`node --expose-gc dist/bench/src/main.js\`). Rewritten on every run: edit \`bench/manual-measurements-spreadsheets.md\` for the last section, not this file.`,
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: ${machine.nproc} CPUs (nproc), ${machine.cpuModel}, ${machine.memoryGiB.toFixed(1)} GiB memory, ${machine.kernel}; Node.js ${machine.node}; embedded PostgreSQL (a fresh cluster per register, on the same cores)`,
    `- 1-minute load average: ${input.loadBefore[0].toFixed(2)} at the start (5 and 15 min: ${input.loadBefore[1].toFixed(2)}, ${input.loadBefore[2].toFixed(2)}), ${input.loadAfter[0].toFixed(2)} at the end; per measurement in the table. ` +
      `A load above the ${machine.nproc} cores means other work shared them: the rates are lower than on a quiet machine, the memory figures are not affected`,
    `- runtime: ${(input.seconds / 60).toFixed(1)} min in the bench process`,
    '',
    '## The files',
    '',
    `${count(rows)} rows written by the bench (\`bench/src/spreadsheet-rows.ts\`: exceljs's streaming writer with shared strings as Excel writes them, and csv-stringify as Excel's "CSV UTF-8"), not by the export: ` +
      'cooperatives (75 %) and cooperative groups spread uniformly over the 63 provinces of the first map, registered 2008–2025 (4 % after the 2025 merger, under the province in force then and its former province where it was merged), ' +
      'ratings, suspensions, dormancies and dissolutions with their dates, flags yes / no / unknown, managers. Every template column is filled; dates as date cells, `dd/mm/yyyy` and `yyyy-mm-dd` text in the XLSX, `dd/mm/yyyy` in the CSV.',
    '',
    `- XLSX: ${mib(sizes.xlsx)} MiB, written in ${writes.xlsx.toFixed(1)} s`,
    `- CSV: ${mib(sizes.csv)} MiB, written in ${writes.csv.toFixed(1)} s`,
    '',
    '## Figures',
    '',
    `Import: \`node ${CLI_NODE_FLAGS.join(' ')} dist/apps/cli/src/main.js import <file> --report <json>\` (the flags of \`npm run cli\` in package.json) as its own process against the bench's PostgreSQL; ` +
      'seconds from the spawn to the exit (process start, migrations check, the map, spooling and hashing the file, the zip and encoding checks, every row; the import\'s own figure from its stdout in brackets); ' +
      'peak RSS: the cli process\'s VmHWM. Export: the built api (its projector in the same process, idle once it had applied the imports), from the request to the last byte over HTTP on the same machine; ' +
      'peak RSS: the api process\'s high-water mark during that export, reset before each to its RSS then (in brackets: the api had just projected the imports, and holds what that left). One run each.',
    '',
    '| measurement | rows | seconds | rows/s | peak RSS | size | load avg (1 min) | outcome |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...measured.map(
      (m) =>
        `| ${m.what} | ${m.rows === null ? '–' : count(m.rows)} | ${m.seconds.toFixed(1)}${m.importSeconds !== undefined ? ` (${m.importSeconds.toFixed(1)})` : ''} | ` +
        `${m.rows ? count(Math.round(m.rows / m.seconds)) : '–'}${m.rows && m.importSeconds ? ` (${count(Math.round(m.rows / m.importSeconds))})` : ''} | ` +
        `${m.peakRssMiB === null ? '–' : `${m.peakRssMiB.toFixed(0)} MiB`}${m.rssBeforeMiB ? ` (from ${m.rssBeforeMiB.toFixed(0)})` : ''} | ${m.bytes === undefined ? '–' : m.bytes < 1048576 ? `${Math.ceil(m.bytes / 1024)} KiB` : `${mib(m.bytes)} MiB`} | ${m.loadAverage.toFixed(1)} | ${m.outcome} |`,
    ),
    '',
    '## Against issue 17',
    '',
    `- "a national-size file (about 100,000 rows) imports with the Node process under 300 MB": ` +
      (rows < 90_000
        ? `not measured at national size by this run (${count(rows)} rows).`
        : over.length === 0
          ? `met: the highest import peak is ${Math.max(...imports.map((m) => m.peakRssMiB ?? 0)).toFixed(0)} MiB (${(Math.max(...imports.map((m) => m.peakRssMiB ?? 0)) * 1.048576).toFixed(0)} MB).`
          : `**not met**: ${over.map((m) => `${m.what} ${m.peakRssMiB!.toFixed(0)} MiB`).join(', ')}.`),
    '- rates: in the table (no goal is set for them).',
    '',
    // Findings measured by hand (profiles, other flags) live in their own file, as bench/manual-measurements.md does for RESULTS.md.
    ...(input.manual ? [input.manual.trim(), ''] : []),
  ].join('\n');
}

function cliNodeFlags(): string[] {
  const script = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.cli ?? '';
  const flags = /\bnode((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/apps\/cli\/src\/main\.js/.exec(script)?.[1];
  if (flags === undefined) throw new Error(`package.json's cli script does not run dist/apps/cli/src/main.js with node: "${script}"`);
  return flags.trim().split(/\s+/).filter(Boolean);
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function mib(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
