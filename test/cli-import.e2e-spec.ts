import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { createMigratedDatabase, type MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { ROOT } from './support/api-process';

/** `cli import <file>` as an operator runs it (the built cli on a real PostgreSQL): the bar, the report, dry run and exit codes. */
describe('cli import (issue 17)', () => {
  let database: MigratedDatabase;
  let home: string;
  const HEADERS = ['Loại hình', 'Tên', 'Số đăng ký', 'Mã tỉnh', 'Lĩnh vực', 'Ngày đăng ký', 'Số thành viên'];

  beforeAll(async () => {
    database = await createMigratedDatabase('e2e_cli_import');
    home = await mkdtemp(path.join(tmpdir(), 'ktt-cli-import-'));
  });
  afterAll(async () => {
    await database?.dispose();
    if (home) await rm(home, { recursive: true, force: true });
  });

  function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/apps/cli/src/main.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: database.url, EVENTSTORE_CONNECTION_STRING: '', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  }

  const events = async () => (await database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0]!.n;

  it('dry-runs, imports, and imports again creating nothing; a refused row is listed by row and column and exits 1', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Danh sách');
    sheet.addRow(HEADERS);
    sheet.addRow(['Hợp tác xã', 'Hợp tác xã Tân Hiệp', 'CLI-0001', '91', 'Nông nghiệp', '15/03/2020', 12]);
    sheet.addRow(['Tổ hợp tác', 'Tổ hợp tác Bình An', 'CLI-0002', '91', 'Thủy sản', '2021-01-04', 2]);
    sheet.addRow(['Hợp tác xã', 'Hợp tác xã Một Người', 'CLI-0003', '91', 'Nông nghiệp', '15/03/2020', 1]);
    const file = path.join(home, 'Danh sách.xlsx');
    await book.xlsx.writeFile(file);

    const dry = await cli(['import', file, '--dry-run']);
    expect(dry.stdout).toContain('dry run (nothing written) of Danh sách.xlsx');
    expect(dry.stdout).toMatch(/created: +2/);
    const afterDry = await events();

    const real = await cli(['import', file, '--subject', 'can-bo-kien-giang', '--report', path.join(home, 'report.json')]);
    expect(real.code).toBe(1);
    expect(real.stdout).toMatch(/created: +2/);
    expect(real.stdout).toContain('row 4, Số thành viên: BELOW_MINIMUM_MEMBERS');
    expect(real.stderr).toContain('rows');
    expect(JSON.parse(await readFile(path.join(home, 'report.json'), 'utf8'))).toMatchObject({ rows: 3, created: 2, refused: [{ row: 4, column: 'Số thành viên' }] });
    // Two registrations and their reservations (the merger, seeded by the dry run, is before afterDry).
    expect(await events()).toBe(afterDry + 4);
    const { rows } = await database.pool.query<{ recorded_by: string }>(`SELECT metadata->>'recordedBy' AS recorded_by FROM events WHERE event_type = 'OrganizationRegistered'`);
    expect(rows.map((row) => row.recorded_by)).toEqual(['can-bo-kien-giang', 'can-bo-kien-giang']);

    const again = await cli(['import', file]);
    expect(again.stdout).toMatch(/created: +0/);
    expect(again.stdout).toMatch(/unchanged: +2/);
    expect(await events()).toBe(afterDry + 4);
  }, 120_000);
});
