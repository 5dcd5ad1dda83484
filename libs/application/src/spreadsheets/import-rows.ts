import type { DissolutionMode, LocalDate, OrganizationKind, OrganizationStatus, ProfileFlagName, Rating, Sector } from '@ktt/domain';
import { unguardFormula } from './formula-guard';
import type { ImportRefusal } from '../answers';
import { messagesOf } from './import-errors';
import {
  COLUMN_OF,
  dateOf,
  DISSOLUTION_MODE_WORDS,
  flagOf,
  KIND_WORDS,
  RATING_WORDS,
  SECTOR_WORDS,
  STATUS_WORDS,
  wordOf,
  type TemplateField,
} from './template';

/*
 * One file row → the values of the template, each checked for its form (word, date, integer). What
 * the rules of the register say about them (minimums, provinces, dates, transitions) is the
 * domain's to judge: the import sends commands, it does not judge them again.
 */

/** A row refused, or one of its cells: `column` is the file's header (null: the row as a whole). */
export type RowRefusal = ImportRefusal;

export const FLAG_FIELDS: readonly (TemplateField & ProfileFlagName)[] = ['valueChain', 'highTech', 'enterpriseLinked', 'digitalAdoption', 'directorTrained'];

/** A row's values as the template reads them; null = the cell is empty. */
export interface RowValues {
  kind: OrganizationKind;
  name: string;
  registrationNumber: string;
  provinceCode: string;
  formerProvinceCode: string | null;
  sector: Sector;
  registeredOn: LocalDate;
  memberCount: number | null;
  rating: Rating | null;
  ratingYear: number | null;
  ratedOn: LocalDate | null;
  status: OrganizationStatus | null;
  statusOn: LocalDate | null;
  valueChain: boolean | null;
  highTech: boolean | null;
  enterpriseLinked: boolean | null;
  digitalAdoption: boolean | null;
  directorTrained: boolean | null;
  managersTotal: number | null;
  managersWithDegree: number | null;
  dissolutionMode: DissolutionMode | null;
  dissolutionDecisionRef: string | null;
}

export type ParsedRow = { row: number; values: RowValues; refusals: [] } | { row: number; values: null; refusals: RowRefusal[] };

/** How the file names each field (its own header text), for refusals. */
export type HeaderNames = ReadonlyMap<TemplateField, string>;

export function refusal(row: number, column: string | null, code: string, detail?: string): RowRefusal {
  const messages = messagesOf(code, column, detail);
  return { row, column, code, message: messages.en, messages };
}

/** Reads one row; every bad cell is reported (not only the first), and a row with one is not sent. */
export function parseRow(row: number, cells: readonly unknown[], fields: ReadonlyMap<number, TemplateField>, headers: HeaderNames): ParsedRow {
  const values: Record<string, unknown> = {};
  const refusals: RowRefusal[] = [];
  for (const [index, field] of fields) {
    const column = headers.get(field) ?? COLUMN_OF[field].header;
    const read = readCell(cells[index], field);
    if ('code' in read) refusals.push(refusal(row, column, read.code, read.detail));
    else values[field] = read.value;
  }
  for (const field of ['kind', 'name', 'registrationNumber', 'provinceCode', 'sector', 'registeredOn'] as const) {
    if (values[field] === null && !refusals.some((r) => r.column === (headers.get(field) ?? COLUMN_OF[field].header))) {
      refusals.push(refusal(row, headers.get(field) ?? COLUMN_OF[field].header, 'REQUIRED_VALUE'));
    }
  }
  for (const field of Object.keys(COLUMN_OF) as TemplateField[]) {
    if (!(field in values) && !COLUMN_OF[field].exportOnly) values[field] = null;
  }
  if (refusals.length > 0) return { row, values: null, refusals };
  return { row, values: values as unknown as RowValues, refusals: [] };
}

type Read = { value: unknown } | { code: string; detail?: string };

/** A cell, as its column's type reads it. */
function readCell(cell: unknown, field: TemplateField): Read {
  const plain = plainValue(cell);
  if ('code' in plain) return plain;
  const value = plain.value;
  if (value === null) return { value: null };
  const text = value instanceof Date ? null : String(value).normalize('NFC').trim();
  if (text === '') return { value: null };
  switch (COLUMN_OF[field].type) {
    case 'text':
      if (text === null) return { code: 'INVALID_VALUE', detail: 'a date where text is expected' };
      return { value: field === 'provinceCode' || field === 'formerProvinceCode' ? provinceCode(value, text) : text };
    case 'kind':
      return word(KIND_WORDS, text, 'Tổ hợp tác, Hợp tác xã');
    case 'sector':
      return word(SECTOR_WORDS, text, 'Nông nghiệp, Thủy sản, Công nghiệp, Xây dựng, Vận tải, Thương mại - dịch vụ, Tín dụng, Khác');
    case 'rating':
      return word(RATING_WORDS, text, 'Tốt, Khá, Trung bình, Yếu');
    case 'status':
      return word(STATUS_WORDS, text, 'Đang hoạt động, Tạm ngừng, Ngừng hoạt động, Giải thể');
    case 'dissolutionMode':
      return word(DISSOLUTION_MODE_WORDS, text, 'Tự nguyện, Bắt buộc');
    case 'flag': {
      const flag = typeof value === 'boolean' ? value : text === null ? undefined : flagOf(text);
      return flag === undefined ? { code: 'INVALID_VALUE', detail: `"${text}" (Có, Không or empty)` } : { value: flag };
    }
    case 'integer': {
      const number = integerOf(value);
      return number === undefined ? { code: 'INVALID_VALUE', detail: `"${text}" is not a whole number` } : { value: number };
    }
    case 'date': {
      const date = dateOf(value);
      return date === undefined ? { code: 'INVALID_DATE', detail: `"${text}"` } : { value: date };
    }
  }
}

/**
 * The cell's value: exceljs gives a formula cell as `{ formula | sharedFormula, result }`, which is
 * refused (never evaluated, and its cached result is not trusted); a CSV text starting with `=` is a
 * formula to a spreadsheet program, refused alike. Rich text and hyperlinks give their text.
 */
function plainValue(cell: unknown): { value: string | number | boolean | Date | null } | { code: string; detail?: string } {
  if (cell === null || cell === undefined) return { value: null };
  // The export writes text a spreadsheet would run as a formula after an apostrophe (formula-guard.ts): taken off here.
  if (typeof cell === 'string') return cell.trimStart().startsWith('=') ? { code: 'FORMULA_CELL' } : { value: unguardFormula(cell) };
  if (typeof cell === 'number' || typeof cell === 'boolean' || cell instanceof Date) return { value: cell };
  if (typeof cell === 'object') {
    const object = cell as Record<string, unknown>;
    if ('formula' in object || 'sharedFormula' in object) return { code: 'FORMULA_CELL' };
    if ('error' in object) return { code: 'INVALID_VALUE', detail: `the cell holds the error ${String(object.error)}` };
    if (Array.isArray(object.richText)) return { value: object.richText.map((part: { text?: unknown }) => String(part.text ?? '')).join('') };
    if ('text' in object) return { value: String(object.text ?? '') };
  }
  return { code: 'INVALID_VALUE', detail: 'an unreadable cell' };
}

function word<Word extends string>(vocabulary: Parameters<typeof wordOf<Word>>[0], text: string | null, expected: string): Read {
  const found = text === null ? null : wordOf(vocabulary, text);
  return found === null ? { code: 'INVALID_VALUE', detail: `"${text ?? ''}" (expected one of ${expected})` } : { value: found };
}

/** A province code typed as a number loses its leading zero in a spreadsheet (`1` for `01`): it is given back. */
function provinceCode(value: unknown, text: string): string {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 10 ? `0${value}` : /^\d$/.test(text) ? `0${text}` : text;
}

/** A whole number: a number cell, or text of digits (thousands grouped with `.`, `,` or spaces allowed). */
function integerOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const digits = /^\d+$/.test(text) ? text : /^\d{1,3}(?:[.,\s]\d{3})+$/.test(text) ? text.replace(/[.,\s]/g, '') : null;
  if (digits === null) return undefined;
  const number = Number(digits);
  return Number.isSafeInteger(number) ? number : undefined;
}
