import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describeMachine } from './machine';

/**
 * The spreadsheet import's rate at national scale (issue 17): a workbook (and a CSV) of IMPORT_ROWS
 * organizations (default 100,000, about the country's cooperatives and a part of its groups) spread
 * over the 63 provinces of before the merger, written here with exceljs, then imported by the built
 * cli (`import <file>`) as an operator runs it, timed, with the cli process's peak resident memory
 * (VmHWM, read from /proc while it runs).
 *
 *   npm run build && node dist/bench/src/import-rate.js
 *
 * Without DATABASE_URL the cli starts its embedded PostgreSQL in a fresh DATA_DIR (removed after).
 * Writes bench/RESULTS-import.md (IMPORT_OUTPUT to name another file).
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const rows = Number(process.env.IMPORT_ROWS ?? 100_000);
const output = process.env.IMPORT_OUTPUT ?? path.join(ROOT, 'bench', 'RESULTS-import.md');
const HEADERS = ['Loại hình', 'Tên', 'Số đăng ký', 'Mã tỉnh', 'Lĩnh vực', 'Ngày đăng ký', 'Số thành viên', 'Xếp loại', 'Năm xếp loại', 'Ngày xếp loại', 'Liên kết chuỗi giá trị', 'Chuyển đổi số', 'Số cán bộ quản lý', 'Số có bằng cao đẳng, đại học'];
const SECTORS = ['Nông nghiệp', 'Nông nghiệp', 'Thủy sản', 'Công nghiệp', 'Xây dựng', 'Vận tải', 'Thương mại - dịch vụ', 'Tín dụng', 'Khác'];
const RATINGS = ['Tốt', 'Khá', 'Trung bình', 'Yếu'];

interface Measured {
  format: string;
  rows: number;
  bytes: number;
  seconds: number;
  peakRssMiB: number | null;
  created: number;
  refused: number;
}

/** The first map's 63 codes (data/reference): registrations dated before the merger need no former code. */
function provinceCodes(): string[] {
  const reference = JSON.parse(readFileSync(path.join(ROOT, 'data', 'reference', 'administrative-units-2025.json'), 'utf8')) as { before: { code: string }[] };
  return reference.before.map((province) => province.code);
}

function row(index: number, prefix: string, codes: string[]): (string | number | Date)[] {
  const cooperative = index % 3 !== 0;
  const year = 2010 + (index % 15);
  const registeredOn = new Date(Date.UTC(year, index % 12, 1 + (index % 28)));
  const rated = cooperative && year < 2024 && index % 4 !== 0;
  return [
    cooperative ? 'Hợp tác xã' : 'Tổ hợp tác',
    `${cooperative ? 'Hợp tác xã' : 'Tổ hợp tác'} ${SECTORS[index % SECTORS.length]} số ${index}`,
    `${prefix}-${index}`,
    codes[index % codes.length]!,
    SECTORS[index % SECTORS.length]!,
    registeredOn,
    cooperative ? 7 + (index % 300) : 2 + (index % 20),
    rated ? RATINGS[index % 4]! : '',
    rated ? 2024 : '',
    rated ? '20/12/2024' : '',
    index % 5 === 0 ? '' : index % 2 === 0 ? 'Có' : 'Không',
    index % 7 === 0 ? 'Có' : '',
    cooperative ? 3 + (index % 5) : '',
    cooperative ? index % 3 : '',
  ];
}

async function writeXlsx(file: string, prefix: string, codes: string[]): Promise<void> {
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  const sheet = writer.addWorksheet('Danh sách');
  sheet.getColumn(6).numFmt = 'dd/mm/yyyy';
  sheet.addRow(HEADERS).commit();
  for (let index = 0; index < rows; index++) sheet.addRow(row(index, prefix, codes)).commit();
  await writer.commit();
}

function writeCsv(file: string, prefix: string, codes: string[]): void {
  const quote = (value: unknown) => {
    const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [HEADERS.map(quote).join(',')];
  for (let index = 0; index < rows; index++) lines.push(row(index, prefix, codes).map(quote).join(','));
  writeFileSync(file, `\ufeff${lines.join('\r\n')}\r\n`);
}

/** Runs `cli import <file>`, sampling the process's peak RSS from /proc until it exits. */
function importWithCli(file: string, env: NodeJS.ProcessEnv): Promise<{ seconds: number; peakRssMiB: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--max-semi-space-size=16', path.join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js'), 'import', file], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    let peak: number | null = null;
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const sample = setInterval(() => {
      try {
        const kib = /^VmHWM:\s*(\d+) kB$/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
        if (kib) peak = Math.max(peak ?? 0, Number(kib) / 1024);
      } catch {
        // exited between two samples
      }
    }, 200);
    child.once('error', reject);
    child.once('close', (code) => {
      clearInterval(sample);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0 && code !== 1) return reject(new Error(`cli import exited ${code}: ${stdout}`));
      resolve({ seconds, peakRssMiB: peak, stdout });
    });
  });
}

async function main(): Promise<void> {
  const codes = provinceCodes();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ktt-import-bench-'));
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...(process.env.DATABASE_URL ? {} : { DATA_DIR: path.join(dir, 'data') }) };
  const measured: Measured[] = [];
  try {
    for (const format of (process.env.IMPORT_FORMATS ?? 'xlsx,csv').split(',') as ('xlsx' | 'csv')[]) {
      const file = path.join(dir, `national.${format}`);
      const prefix = `${format.toUpperCase()}${randomUUID().slice(0, 4)}`;
      if (format === 'xlsx') await writeXlsx(file, prefix, codes);
      else writeCsv(file, prefix, codes);
      process.stderr.write(`${format}: ${rows} rows written (${(statSync(file).size / 1024 / 1024).toFixed(1)} MB); importing\n`);
      const run = await importWithCli(file, env);
      const number = (label: string) => Number(new RegExp(`^${label}:\\s+(\\d+)`, 'm').exec(run.stdout)?.[1] ?? NaN);
      measured.push({ format, rows, bytes: statSync(file).size, seconds: run.seconds, peakRssMiB: run.peakRssMiB, created: number('created'), refused: number('refused') });
      process.stderr.write(run.stdout);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const machine = describeMachine();
  const lines = [
    '# Spreadsheet import at national scale (issue 17)',
    '',
    `Measured ${new Date().toISOString()} by \`node dist/bench/src/import-rate.js\` (bench/src/import-rate.ts) on ${machine.nproc} CPUs (${machine.cpuModel}), ${machine.memoryGiB.toFixed(1)} GiB, Node ${machine.node}, ${machine.kernel}; ${process.env.DATABASE_URL ? 'PostgreSQL at DATABASE_URL' : 'the embedded PostgreSQL in a fresh data directory'}.`,
    '',
    'Each file is imported by the built cli (`import <file>`, 16 rows in flight) into an empty register: every row is a registration (two events with its number reservation, three with a rating) decided by the domain and appended in one write. Time from the cli process start (including the embedded server\'s start, the spooling, the SHA-256, the zip or UTF-8 check) to its exit; peak RSS is the cli process\'s VmHWM (the PostgreSQL processes not counted).',
    '',
    '| file | rows | size | seconds | rows/s | created | refused | peak RSS of the cli |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...measured.map((m) => `| ${m.format.toUpperCase()} | ${m.rows.toLocaleString('en')} | ${(m.bytes / 1024 / 1024).toFixed(1)} MB | ${m.seconds.toFixed(1)} | ${Math.round(m.rows / m.seconds)} | ${m.created} | ${m.refused} | ${m.peakRssMiB === null ? 'n/a' : `${Math.round(m.peakRssMiB)} MiB`} |`),
    '',
  ];
  writeFileSync(output, lines.join('\n'));
  process.stdout.write(`${lines.join('\n')}\nwritten to ${output}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
