import ExcelJS from 'exceljs';
import { DATE_FORMAT, DISSOLUTION_MODE_WORDS, FLAG_WORDS, KIND_WORDS, RATING_WORDS, SECTOR_WORDS, STATUS_WORDS, TEMPLATE_COLUMNS, TEMPLATE_NOTES, type ColumnType, type Vocabulary } from './template';

/** The empty template's sheets: the import reads the first. */
export const TEMPLATE_SHEET = 'Mẫu nhập';
export const TEMPLATE_NOTES_SHEET = 'Ghi chú';

/** Rows of the first sheet that carry the drop-down lists (a register of a province fits well within). */
const VALIDATED_ROWS = 10_000;

/**
 * The downloadable empty template (`GET /api/imports/template.xlsx`): the header row of every
 * column the import reads (not the export-only `Tỉnh hiện nay`), drop-down lists of the Vietnamese
 * words where a column has a vocabulary, date cells formatted dd/mm/yyyy; and a sheet of notes (the
 * template's own: unions are not in it, flag values, date forms) with every accepted word.
 */
export async function templateWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(TEMPLATE_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  const columns = TEMPLATE_COLUMNS.filter((column) => !column.exportOnly);
  sheet.columns = columns.map((column) => ({
    header: column.header,
    key: column.field,
    width: Math.max(14, Math.min(40, column.header.length + 4)),
    // Codes and numbers typed as text keep their leading zeros (province 01).
    style: column.type === 'date' ? { numFmt: DATE_FORMAT } : column.type === 'text' ? { numFmt: '@' } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  columns.forEach((column, index) => {
    const words = wordsOf(column.type);
    if (!words) return;
    const letter = sheet.getColumn(index + 1).letter;
    // One range per column: a list validation, but not a strict one (the import also takes the English words).
    (sheet as unknown as WithRangeValidations).dataValidations.add(`${letter}2:${letter}${VALIDATED_ROWS}`, {
      type: 'list',
      allowBlank: true,
      showErrorMessage: false,
      formulae: [`"${words.join(',')}"`],
    });
  });

  const notes = workbook.addWorksheet(TEMPLATE_NOTES_SHEET);
  notes.columns = [{ width: 34 }, { width: 120 }];
  notes.addRow(['Ghi chú / Notes']).font = { bold: true, size: 14 };
  for (const note of TEMPLATE_NOTES) notes.addRow(['', note]).getCell(2).alignment = { wrapText: true };
  notes.addRow([]);
  notes.addRow(['Cột / Column', 'Giá trị / Values']).font = { bold: true };
  for (const column of columns) {
    const words = wordsOf(column.type);
    const values = words ? words.join(', ') : column.type === 'date' ? 'dd/mm/yyyy, yyyy-mm-dd, ô ngày / date cell' : column.type === 'integer' ? 'số nguyên / whole number' : 'chữ / text';
    notes.addRow([`${column.header}${column.required ? ' (bắt buộc / required)' : ''}`, `${values}; tiếng Anh / English: ${[column.field, ...column.aliases].join(', ')}`]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** exceljs takes a validation over a range (`A2:A10000`, written as one sqref) but does not type it. */
interface WithRangeValidations {
  dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void };
}

/** The Vietnamese words of a column's vocabulary (for the drop-down and the notes), or null. */
function wordsOf(type: ColumnType): string[] | null {
  const vietnamese = <Word extends string>(vocabulary: Vocabulary<Word>) => Object.values<string>(vocabulary.vietnamese);
  switch (type) {
    // Unions are written by the export but not imported (their member cooperatives are not in a row).
    case 'kind':
      return [KIND_WORDS.vietnamese.cooperative_group, KIND_WORDS.vietnamese.cooperative];
    case 'sector':
      return vietnamese(SECTOR_WORDS);
    case 'rating':
      return vietnamese(RATING_WORDS);
    case 'status':
      return vietnamese(STATUS_WORDS);
    case 'dissolutionMode':
      return vietnamese(DISSOLUTION_MODE_WORDS);
    case 'flag':
      return [FLAG_WORDS.yes, FLAG_WORDS.no];
    case 'text':
    case 'date':
    case 'integer':
      return null;
  }
}
