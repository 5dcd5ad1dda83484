import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify';
import type { LocalDate } from '@ktt/domain';
import type { RegisterCell, RegisterRow } from './export-register';
import { guardFormula } from './formula-guard';
import { DATE_FORMAT, dateCell, TEMPLATE_COLUMNS, vietnameseDate } from './template';

/** Writes the register's rows to a stream, page by page, holding no more than a page. */
export interface RegisterWriter {
  /**
   * Resolves once the output has taken the rows in (waits while the client reads slowly). `apart`:
   * organizations relocated to another province (the XLSX lists them on their own sheet; CSV ignores them).
   */
  write(rows: readonly RegisterRow[], apart?: readonly RelocatedRegisterRow[]): Promise<void>;
  /** Finishes the file; `info` (label, value) is what the XLSX's second sheet says about the export. */
  end(info: readonly (readonly [string, string])[]): Promise<void>;
}

/** The first sheet's name: the import reads the first sheet, whatever its name. */
export const REGISTER_SHEET = 'Tổ chức';
export const REGISTER_INFO_SHEET = 'Thông tin';
/** Organizations whose seat moved to another province: not on the first sheet, since a row imports where it was registered. */
export const RELOCATED_SHEET = 'Đã chuyển tỉnh';
const RELOCATED_COLUMNS = ['Ngày chuyển tỉnh', 'Mã tỉnh hiện nay'] as const;

/** A row listed apart: the organization relocated to another province on `relocatedOn`. */
export interface RelocatedRegisterRow {
  row: RegisterRow;
  relocatedOn: LocalDate;
}

/** A whole number cell: thousands grouped (Excel shows the reader's separators: 1.234 in Vietnamese). */
const INTEGER_FORMAT = '#,##0';

/**
 * Waits until the output has room again: the writers are fed a page at a time, and only go on when
 * what they wrote has left (a slow client holds the export back instead of filling memory).
 */
async function drained(out: Writable): Promise<void> {
  // Let the zip and CSV transforms pass what they hold on to the output first.
  await new Promise((resolve) => setImmediate(resolve));
  while (out.writableNeedDrain && !out.destroyed) await Promise.race([once(out, 'drain'), once(out, 'close')]);
  if (out.destroyed) throw new ExportAborted();
}

/** Resolves with `done`, or rejects with ExportAborted when the output closes unfinished first (a client gone before the end). */
export function unlessClosed<T>(out: Writable, done: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onClose = () => {
      if (!out.writableFinished) reject(new ExportAborted());
    };
    if (out.destroyed) onClose();
    out.once('close', onClose);
    done.then(
      (value) => {
        out.off('close', onClose);
        resolve(value);
      },
      (error: unknown) => {
        out.off('close', onClose);
        reject(error);
      },
    );
  });
}

/** The client went away mid-export: nothing more is read or written. */
export class ExportAborted extends Error {
  constructor() {
    super('the export was aborted: its output closed');
  }
}

/**
 * The register as XLSX, streamed (exceljs's WorkbookWriter: each row is written out as it is
 * committed, nothing of the sheet is kept): the template's header row first, dates as date cells in
 * dd/mm/yyyy, counts as numbers; a second sheet says what the export is (as-of, known-at, filters).
 */
export function xlsxRegisterWriter(out: Writable): RegisterWriter {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(REGISTER_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = TEMPLATE_COLUMNS.map((column) => ({ key: column.field, width: Math.max(12, Math.min(40, column.header.length + 4)) }));
  // One style object per column, given to each of its cells: exceljs remembers a style object's id, so a
  // shared one costs a lookup where a column style (copied into every cell) costs a new style each time
  // (measured: about 3.5 times as many rows per second).
  const styles: Partial<ExcelJS.Style>[] = TEMPLATE_COLUMNS.map((column) =>
    column.type === 'date' ? { numFmt: DATE_FORMAT } : column.type === 'integer' ? { numFmt: INTEGER_FORMAT } : {},
  );
  const header = sheet.addRow(TEMPLATE_COLUMNS.map((column) => column.header));
  header.font = { bold: true };
  header.commit();
  const xlsxValue = (cell: RegisterCell) => (cell === null ? null : typeof cell === 'object' ? dateCell(cell.date) : cell);
  // Kept until the first sheet is done (a zip writes one sheet after the other): relocations across
  // provinces are a small part of a register.
  const relocated: RelocatedRegisterRow[] = [];
  return {
    async write(rows, apart = []) {
      for (const row of rows) {
        const added = sheet.addRow(TEMPLATE_COLUMNS.map((column) => xlsxValue(row[column.field])));
        styles.forEach((style, i) => (added.getCell(i + 1).style = style));
        added.commit();
      }
      relocated.push(...apart);
      await drained(out);
    },
    async end(info) {
      sheet.commit();
      const moved = workbook.addWorksheet(RELOCATED_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
      moved.columns = [...TEMPLATE_COLUMNS.map((column) => column.header), ...RELOCATED_COLUMNS].map((header) => ({ width: Math.max(12, Math.min(40, header.length + 4)) }));
      const movedHeader = moved.addRow([...TEMPLATE_COLUMNS.map((column) => column.header), ...RELOCATED_COLUMNS]);
      movedHeader.font = { bold: true };
      movedHeader.commit();
      for (const { row, relocatedOn } of relocated) {
        const added = moved.addRow([...TEMPLATE_COLUMNS.map((column) => xlsxValue(row[column.field])), dateCell(relocatedOn), row.currentProvinceCode]);
        styles.forEach((style, i) => (added.getCell(i + 1).style = style));
        added.getCell(TEMPLATE_COLUMNS.length + 1).style = { numFmt: DATE_FORMAT };
        added.commit();
      }
      moved.commit();
      const about = workbook.addWorksheet(REGISTER_INFO_SHEET);
      about.columns = [{ width: 32 }, { width: 80 }];
      for (const line of info) about.addRow([...line]).commit();
      about.commit();
      await unlessClosed(out, workbook.commit());
    },
  };
}

/**
 * The register as CSV: UTF-8 with a byte-order mark (Excel's "CSV UTF-8", so Vietnamese opens
 * right), CRLF line ends, the template's header row, dates as dd/mm/yyyy, and text a spreadsheet
 * would run as a formula written after an apostrophe (formula-guard.ts).
 */
export function csvRegisterWriter(out: Writable, options: { relocatedOnly?: boolean } = {}): RegisterWriter {
  const csv = stringify({ bom: true, record_delimiter: 'windows' });
  csv.pipe(out);
  const finished = once(csv, 'end');
  const text = (cell: RegisterCell) =>
    cell === null ? '' : typeof cell === 'object' ? vietnameseDate(cell.date) : typeof cell === 'number' ? String(cell) : guardFormula(cell);
  const cells = (row: RegisterRow) => TEMPLATE_COLUMNS.map((column) => text(row[column.field]));
  // One table: either the register without the relocated organizations, or (relocatedOnly) only them,
  // with the relocated sheet's two columns.
  csv.write(options.relocatedOnly ? [...TEMPLATE_COLUMNS.map((column) => column.header), ...RELOCATED_COLUMNS] : TEMPLATE_COLUMNS.map((column) => column.header));
  return {
    async write(rows, apart = []) {
      if (options.relocatedOnly) for (const { row, relocatedOn } of apart) csv.write([...cells(row), vietnameseDate(relocatedOn), text(row.currentProvinceCode)]);
      else for (const row of rows) csv.write(cells(row));
      await drained(out);
    },
    async end() {
      csv.end();
      await unlessClosed(out, finished);
      // pipe() ends the output once the stringifier has ended; wait until it has flushed.
      if (!out.writableFinished) await unlessClosed(out, once(out, 'finish'));
    },
  };
}
