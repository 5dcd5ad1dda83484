import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describeMachine } from './machine';

/**
 * The spreadsheet export's rates against a running api (issue 17): every organization of the
 * country and of one province as XLSX and CSV, and a province's report workbook, each timed over
 * HTTP from the first byte asked to the last received, with the api process's peak resident memory
 * during that export (its high-water mark reset before each, /proc/<pid>/clear_refs).
 *
 *   EXPORT_BASE_URL=http://127.0.0.1:3000 EXPORT_TOKEN=<admin token> EXPORT_API_PID=<pid> \
 *     node dist/bench/src/export-rate.js
 *
 * Writes bench/RESULTS-export.md (EXPORT_OUTPUT to name another file). The api must have projected
 * the whole log first (GET /health with the token: `caughtUp`).
 */
interface Measured {
  what: string;
  seconds: number;
  rows: number | null;
  bytes: number;
  peakRssMiB: number | null;
  firstByteMs: number;
}

const baseUrl = required('EXPORT_BASE_URL');
const token = required('EXPORT_TOKEN');
const pid = process.env.EXPORT_API_PID ?? null;
const asOf = process.env.EXPORT_AS_OF ?? '2025-12-31';
const province = process.env.EXPORT_PROVINCE ?? '91';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required (see the comment at the top of bench/src/export-rate.ts)`);
  return value;
}

/** Resets the api's peak RSS (VmHWM) to its current RSS; false where /proc does not allow it. */
function resetPeak(): boolean {
  if (!pid) return false;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

function peakMiB(): number | null {
  if (!pid) return null;
  const kib = /^VmHWM:\s*(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kib ? Number(kib) / 1024 : null;
}

/** Rows of the first sheet (header left out), read as a stream so that the bench holds no workbook. */
async function xlsxRows(bytes: Buffer): Promise<number> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), { worksheets: 'emit', sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore' });
  let rows = 0;
  for await (const sheet of reader) {
    for await (const _row of sheet) rows += 1;
    break;
  }
  return rows - 1;
}

async function measure(what: string, url: string, count: (bytes: Buffer) => Promise<number | null>): Promise<Measured> {
  const reset = resetPeak();
  const started = performance.now();
  const response = await fetch(`${baseUrl}${url}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok || !response.body) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  const chunks: Buffer[] = [];
  let firstByteMs = -1;
  for await (const chunk of Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>)) {
    if (firstByteMs < 0) firstByteMs = performance.now() - started;
    chunks.push(Buffer.from(chunk));
  }
  const seconds = (performance.now() - started) / 1000;
  const peak = reset ? peakMiB() : null;
  const bytes = Buffer.concat(chunks);
  const measured = { what, seconds, rows: await count(bytes), bytes: bytes.length, peakRssMiB: peak, firstByteMs };
  process.stderr.write(`${what}: ${seconds.toFixed(1)} s, ${measured.rows ?? '-'} rows, ${(bytes.length / 1048576).toFixed(1)} MiB, peak RSS ${peak?.toFixed(0) ?? '?'} MiB\n`);
  return measured;
}

const csvRows = async (bytes: Buffer) => bytes.toString('utf8').split('\r\n').filter((line) => line !== '').length - 1;

async function main(): Promise<void> {
  const machine = describeMachine();
  const load = os.loadavg()[0];
  const rssBefore = pid ? Number(/^VmRSS:\s*(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024 : null;
  const results = [
    await measure('country, XLSX', `/api/organizations/export?format=xlsx&asOf=${asOf}`, xlsxRows),
    await measure('country, CSV', `/api/organizations/export?format=csv&asOf=${asOf}`, csvRows),
    await measure(`province ${province}, XLSX`, `/api/organizations/export?format=xlsx&asOf=${asOf}&provinceCode=${province}`, xlsxRows),
    await measure(`province ${province}, CSV`, `/api/organizations/export?format=csv&asOf=${asOf}&provinceCode=${province}`, csvRows),
    await measure(`report workbook of ${province}`, `/api/provinces/${province}/progress/export?asOf=${asOf}`, async () => null),
  ];
  const lines = [
    '# Spreadsheet export: rates and memory',
    '',
    'Written by `node dist/bench/src/export-rate.js` (bench/src/export-rate.ts) against a running api; rewritten on every run.',
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: ${machine.nproc} CPUs, ${machine.cpuModel}, ${machine.memoryGiB.toFixed(1)} GiB; ${machine.kernel}; the bench's Node.js ${machine.node}`,
    `- 1-minute load average at the start: ${load.toFixed(2)} (${(os.loadavg()[0]).toFixed(2)} at the end): other work on the machine slows every figure`,
    `- data: ${process.env.EXPORT_DATA ?? 'the log the api serves'}; as of ${asOf}`,
    '- time: from the request to the last byte received over HTTP on the same machine; peak RSS: the api process\'s high-water mark during that export, reset to its current RSS before each (so a later row also holds what the earlier exports left allocated and not yet returned)',
    `- the api's RSS before the first export: ${rssBefore === null ? 'not measured (EXPORT_API_PID unset)' : `${rssBefore.toFixed(0)} MiB`}`,
    '',
    '| export | rows | seconds | rows/s | size | first byte | api peak RSS |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.what} | ${r.rows?.toLocaleString('en-US') ?? '–'} | ${r.seconds.toFixed(1)} | ${r.rows ? Math.round(r.rows / r.seconds).toLocaleString('en-US') : '–'} | ${(r.bytes / 1048576).toFixed(1)} MiB | ${(r.firstByteMs / 1000).toFixed(2)} s | ${r.peakRssMiB === null ? '–' : `${r.peakRssMiB.toFixed(0)} MiB`} |`,
    ),
    '',
  ];
  const output = path.join(__dirname, '..', '..', '..', 'bench', process.env.EXPORT_OUTPUT ?? 'RESULTS-export.md');
  writeFileSync(output, lines.join('\n'));
  process.stderr.write(`written: ${output}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
