import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { readRows, type FileRow } from './import-reader';

/** The reader alone, on workbooks built here with exceljs: text comes back letter for letter. */
describe('the spreadsheet reader', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'import-reader-spec-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // 3-byte letters only: nearly every boundary between two inflated chunks (16 KB) cuts one.
  const names = Array.from({ length: 4000 }, (_, index) => `Hợp tác xã ${'ữệắ'.repeat(30)} ${index}`);

  async function rowsOf(file: string): Promise<FileRow[]> {
    const rows: FileRow[] = [];
    for await (const row of readRows(file, 'xlsx')) rows.push(row);
    return rows;
  }

  it('reads Vietnamese letters cut by chunk boundaries whole, from shared strings', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('S');
    sheet.addRow(['Tên']);
    for (const name of names) sheet.addRow([name]);
    const file = path.join(dir, 'shared.xlsx');
    await workbook.xlsx.writeFile(file);

    const rows = await rowsOf(file);

    expect(rows.slice(1).map((row) => row.cells[0])).toEqual(names);
  });

  it('reads them whole from inline strings in the sheet itself', async () => {
    const file = path.join(dir, 'inline.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
    const sheet = writer.addWorksheet('S');
    sheet.addRow(['Tên']).commit();
    for (const name of names) sheet.addRow([name]).commit();
    await writer.commit();

    const rows = await rowsOf(file);

    expect(rows.slice(1).map((row) => row.cells[0])).toEqual(names);
  });
});
