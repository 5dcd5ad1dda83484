import { PassThrough, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { RegisterRow } from './export-register';
import { csvRegisterWriter, ExportAborted, xlsxRegisterWriter, type RegisterWriter } from './register-writers';
import { TEMPLATE_COLUMNS } from './template';

function row(overrides: Partial<RegisterRow> = {}): RegisterRow {
  const empty = Object.fromEntries(TEMPLATE_COLUMNS.map((column) => [column.field, null])) as RegisterRow;
  return { ...empty, kind: 'Hợp tác xã', name: 'HTX Tân Hiệp', registrationNumber: 'HTX-1', provinceCode: '91', registeredOn: { date: '2020-03-01' }, memberCount: 12, ...overrides };
}

/** Everything written to a stream, once it has finished. */
function collect(): { out: PassThrough; bytes: Promise<Buffer> } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { out, bytes: new Promise((resolve) => out.on('end', () => resolve(Buffer.concat(chunks)))) };
}

/** A client that stops reading: it takes the first chunk and never acknowledges it, so the output fills up. */
function stalledClient(): Writable {
  return new Writable({ highWaterMark: 1024, write: () => undefined });
}

describe('register writers', () => {
  it('write the XLSX header row, then the rows, dates as date cells in dd/mm/yyyy', async () => {
    const { out, bytes } = collect();
    const writer = xlsxRegisterWriter(out);
    await writer.write([row(), row({ registrationNumber: 'HTX-2', name: '=1+1' })]);
    await writer.end([['Tính đến ngày (asOf)', '2026-06-30']]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await bytes) as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.getRow(1).getCell(1).value).toBe('Loại hình');
    expect(sheet.getRow(2).getCell(7).value).toEqual(new Date('2020-03-01T00:00:00.000Z'));
    expect(sheet.getRow(2).getCell(7).numFmt).toBe('dd/mm/yyyy');
    // A text cell of an XLSX is text, never a formula: no guard needed there.
    expect(sheet.getRow(3).getCell(2).value).toBe('=1+1');
    expect(workbook.getWorksheet('Thông tin')!.getRow(1).values).toEqual([undefined, 'Tính đến ngày (asOf)', '2026-06-30']);
  });

  it('write CSV with a byte-order mark, CRLF, dd/mm/yyyy, and formulas guarded', async () => {
    const { out, bytes } = collect();
    const writer = csvRegisterWriter(out);
    await writer.write([row({ name: '@SUM(A1)' })]);
    await writer.end([]);
    const text = await bytes;
    expect([...text.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.toString('utf8')).toContain('\r\n');
    const records = parse(text, { bom: true }) as string[][];
    expect(records[1].slice(0, 8)).toEqual(['Hợp tác xã', "'@SUM(A1)", 'HTX-1', '91', '', '', '01/03/2020', '12']);
  });

  describe.each([
    ['XLSX', xlsxRegisterWriter],
    ['CSV', csvRegisterWriter],
  ] as const)('%s, when the client goes away mid-export', (_format, writerFor: (out: Writable) => RegisterWriter) => {
    it('holds the pages back while the client reads nothing, then stops with ExportAborted once the output closes', async () => {
      const out = stalledClient();
      const writer = writerFor(out);
      const page = Array.from({ length: 500 }, (_, i) => row({ registrationNumber: `HTX-${i}`, name: `Hợp tác xã số ${i}` }));
      let accepted = 0;
      const writing = (async () => {
        for (let i = 0; i < 100; i++) {
          await writer.write(page);
          accepted += 1;
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 300));
      // A page or two in flight, not the whole export: the writer waits for the client.
      expect(accepted).toBeLessThanOrEqual(2);
      out.destroy();
      await expect(writing).rejects.toBeInstanceOf(ExportAborted);
      await expect(writer.end([])).rejects.toBeInstanceOf(ExportAborted);
    });
  });
});
