import { isValidLocalDate, type DissolutionMode, type LocalDate, type OrganizationKind, type OrganizationStatus, type Rating, type Sector } from '@ktt/domain';

/*
 * The spreadsheet template of issue 17, shared by the import and the export (so
 * export → import round-trips): the columns with their Vietnamese headers and
 * English aliases, the value vocabularies (Vietnamese words ↔ the API's words),
 * how a header is matched, and how a date cell is read.
 *
 * Unions are not in this template: a union's registration names its member
 * cooperatives, which a row cannot hold (README, "Spreadsheets").
 */

/** A template column's field: the API's field name, or a template-only one (ratingYear, statusOn, managersTotal, …). */
export type TemplateField =
  | 'kind'
  | 'name'
  | 'registrationNumber'
  | 'provinceCode'
  | 'formerProvinceCode'
  | 'sector'
  | 'registeredOn'
  | 'memberCount'
  | 'rating'
  | 'ratingYear'
  | 'ratedOn'
  | 'status'
  | 'statusOn'
  | 'valueChain'
  | 'highTech'
  | 'enterpriseLinked'
  | 'digitalAdoption'
  | 'directorTrained'
  | 'managersTotal'
  | 'managersWithDegree'
  | 'dissolutionMode'
  | 'dissolutionDecisionRef'
  | 'currentProvinceCode';

/** How a column's cell is read (and written by the export). */
export type ColumnType = 'text' | 'kind' | 'sector' | 'date' | 'integer' | 'rating' | 'status' | 'flag' | 'dissolutionMode';

export interface TemplateColumn {
  field: TemplateField;
  /** The header the export writes (Vietnamese). */
  header: string;
  /** Other headers accepted on import (English); the field name itself is accepted too. */
  aliases: readonly string[];
  type: ColumnType;
  /** A file without this header is refused as a whole, naming it. */
  required: boolean;
  /** Written by the export, ignored by the import (`Tỉnh hiện nay`). */
  exportOnly?: boolean;
}

/** The template's columns, in the order the export writes them. */
export const TEMPLATE_COLUMNS: readonly TemplateColumn[] = [
  { field: 'kind', header: 'Loại hình', aliases: ['Kind'], type: 'kind', required: true },
  { field: 'name', header: 'Tên', aliases: ['Name'], type: 'text', required: true },
  { field: 'registrationNumber', header: 'Số đăng ký', aliases: ['Registration number'], type: 'text', required: true },
  { field: 'provinceCode', header: 'Mã tỉnh', aliases: ['Province code', 'Province'], type: 'text', required: true },
  { field: 'formerProvinceCode', header: 'Mã tỉnh cũ', aliases: ['Former province code', 'Former province'], type: 'text', required: false },
  { field: 'sector', header: 'Lĩnh vực', aliases: ['Sector'], type: 'sector', required: true },
  { field: 'registeredOn', header: 'Ngày đăng ký', aliases: ['Registered on', 'Registration date'], type: 'date', required: true },
  { field: 'memberCount', header: 'Số thành viên', aliases: ['Member count', 'Members'], type: 'integer', required: true },
  { field: 'rating', header: 'Xếp loại', aliases: ['Rating'], type: 'rating', required: false },
  { field: 'ratingYear', header: 'Năm xếp loại', aliases: ['Rating year', 'Year'], type: 'integer', required: false },
  { field: 'ratedOn', header: 'Ngày xếp loại', aliases: ['Rated on', 'Rating date'], type: 'date', required: false },
  { field: 'status', header: 'Tình trạng', aliases: ['Status'], type: 'status', required: false },
  { field: 'statusOn', header: 'Ngày tình trạng', aliases: ['Status date', 'Status on', 'Status since'], type: 'date', required: false },
  { field: 'valueChain', header: 'Liên kết chuỗi giá trị', aliases: ['Value chain'], type: 'flag', required: false },
  { field: 'highTech', header: 'Ứng dụng công nghệ cao', aliases: ['High tech', 'High technology'], type: 'flag', required: false },
  { field: 'enterpriseLinked', header: 'Liên kết doanh nghiệp', aliases: ['Enterprise linked', 'Enterprise link'], type: 'flag', required: false },
  { field: 'digitalAdoption', header: 'Chuyển đổi số', aliases: ['Digital adoption'], type: 'flag', required: false },
  { field: 'directorTrained', header: 'Giám đốc được đào tạo', aliases: ['Director trained'], type: 'flag', required: false },
  { field: 'managersTotal', header: 'Số cán bộ quản lý', aliases: ['Managers', 'Managers total'], type: 'integer', required: false },
  { field: 'managersWithDegree', header: 'Số có bằng cao đẳng, đại học', aliases: ['Managers with degree', 'With degree'], type: 'integer', required: false },
  { field: 'dissolutionMode', header: 'Hình thức giải thể', aliases: ['Dissolution mode'], type: 'dissolutionMode', required: false },
  { field: 'dissolutionDecisionRef', header: 'Số quyết định giải thể', aliases: ['Dissolution decision', 'Decision reference', 'Dissolution decision reference'], type: 'text', required: false },
  { field: 'currentProvinceCode', header: 'Tỉnh hiện nay', aliases: ['Current province', 'Province now'], type: 'text', required: false, exportOnly: true },
];

export const COLUMN_OF: Readonly<Record<TemplateField, TemplateColumn>> = Object.fromEntries(TEMPLATE_COLUMNS.map((column) => [column.field, column])) as Record<TemplateField, TemplateColumn>;

/** Notes written beside the template (the empty template's second sheet, the README). */
export const TEMPLATE_NOTES: readonly string[] = [
  'Một dòng là một tổ chức: tổ hợp tác hoặc hợp tác xã. Liên hiệp hợp tác xã không nhập bằng mẫu này (cần danh sách hợp tác xã thành viên). / One row per organization: cooperative groups and cooperatives. Unions are not in this template (they need their member cooperatives).',
  'Tiêu đề tiếng Việt hoặc tiếng Anh, thứ tự tùy ý, không phân biệt hoa thường và dấu. / Headers in Vietnamese or English, any order, case and diacritics ignored.',
  'Ngày: dd/mm/yyyy, yyyy-mm-dd hoặc ô ngày của bảng tính. / Dates: dd/mm/yyyy, yyyy-mm-dd or a spreadsheet date cell.',
  'Mã tỉnh: mã có hiệu lực vào Ngày đăng ký; Mã tỉnh cũ: tỉnh trước sáp nhập nơi đặt trụ sở, khi tỉnh đã sáp nhập. / Province code in force on the registration date; former province code where the province was merged.',
  'Có / Không / để trống = chưa biết. / Có (yes), Không (no), empty = unknown.',
  'Tình trạng khác "Đang hoạt động" cần Ngày tình trạng; Giải thể cần Hình thức và Số quyết định giải thể. / A status other than active needs its date; a dissolution its mode and decision.',
  'Tỉnh hiện nay: chỉ để xem, bỏ qua khi nhập. / Current province: for reading only, ignored on import.',
  'Tệp CSV: UTF-8 (có hoặc không có BOM). / CSV files: UTF-8, with or without a byte-order mark.',
];

/** A vocabulary: the API's word → its Vietnamese word (what the export writes) and other accepted spellings. */
export interface Vocabulary<Word extends string> {
  readonly vietnamese: Readonly<Record<Word, string>>;
  readonly also?: Readonly<Partial<Record<Word, readonly string[]>>>;
}

export const KIND_WORDS: Vocabulary<OrganizationKind> = {
  vietnamese: { cooperative_group: 'Tổ hợp tác', cooperative: 'Hợp tác xã', union: 'Liên hiệp hợp tác xã' },
  also: { cooperative_group: ['THT', 'Cooperative group'], cooperative: ['HTX'], union: ['LHHTX', 'Liên hiệp HTX'] },
};

export const SECTOR_WORDS: Vocabulary<Sector> = {
  vietnamese: {
    agriculture: 'Nông nghiệp',
    fisheries: 'Thủy sản',
    industry: 'Công nghiệp',
    construction: 'Xây dựng',
    transport: 'Vận tải',
    trade_services: 'Thương mại - dịch vụ',
    credit: 'Tín dụng',
    other: 'Khác',
  },
  // "Thuỷ sản" (old-style accent placement) folds to the same letters; these are other names in use.
  also: { trade_services: ['Thương mại dịch vụ', 'Thương mại', 'Dịch vụ'], credit: ['Quỹ tín dụng nhân dân'] },
};

export const RATING_WORDS: Vocabulary<Rating> = {
  vietnamese: { good: 'Tốt', fair: 'Khá', average: 'Trung bình', weak: 'Yếu' },
  also: { weak: ['Yếu kém'] },
};

export const STATUS_WORDS: Vocabulary<OrganizationStatus> = {
  vietnamese: { active: 'Đang hoạt động', suspended: 'Tạm ngừng', dormant: 'Ngừng hoạt động', dissolved: 'Giải thể' },
  also: { active: ['Hoạt động'], suspended: ['Tạm ngừng hoạt động'], dormant: ['Không còn hoạt động'], dissolved: ['Đã giải thể'] },
};

export const DISSOLUTION_MODE_WORDS: Vocabulary<DissolutionMode> = {
  vietnamese: { voluntary: 'Tự nguyện', compulsory: 'Bắt buộc' },
};

/** Flags: `Có` / `Không`; empty is unknown (null). */
export const FLAG_WORDS = { yes: 'Có', no: 'Không' } as const;
const FLAG_YES = new Set(['co', 'true', 'yes', 'x', '1']);
const FLAG_NO = new Set(['khong', 'false', 'no', '0']);

/**
 * A header or word as compared: diacritics and case ignored (NFD or NFC alike; đ is d),
 * and everything but letters and digits left out, so `Số đăng ký`, `SO DANG KY`,
 * `Registration number` and `registrationNumber` fold to one form each.
 */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** The API's word a cell names in `vocabulary` (Vietnamese, another accepted spelling, or the API's word), or null. */
export function wordOf<Word extends string>(vocabulary: Vocabulary<Word>, text: string): Word | null {
  const folded = fold(text);
  if (folded === '') return null;
  for (const word of Object.keys(vocabulary.vietnamese) as Word[]) {
    const spellings = [word, vocabulary.vietnamese[word], ...(vocabulary.also?.[word] ?? [])];
    if (spellings.some((spelling) => fold(spelling) === folded)) return word;
  }
  return null;
}

/** The Vietnamese word the export writes for an API word. */
export function vietnameseOf<Word extends string>(vocabulary: Vocabulary<Word>, word: Word): string {
  return vocabulary.vietnamese[word];
}

/** A flag cell: true, false, null (empty: unknown), or undefined when the text is no flag word. */
export function flagOf(text: string): boolean | null | undefined {
  const folded = fold(text);
  if (folded === '') return null;
  if (FLAG_YES.has(folded)) return true;
  if (FLAG_NO.has(folded)) return false;
  return undefined;
}

/** How the export writes a flag: `Có`, `Không`, or empty for unknown. */
export function flagText(value: boolean | null | undefined): string {
  return value === true ? FLAG_WORDS.yes : value === false ? FLAG_WORDS.no : '';
}

/** The field a header names, or null (an unknown header is ignored, and reported). */
export function fieldOfHeader(header: string): TemplateField | null {
  const folded = fold(header);
  if (folded === '') return null;
  for (const column of TEMPLATE_COLUMNS) {
    if ([column.header, column.field, ...column.aliases].some((name) => fold(name) === folded)) return column.field;
  }
  return null;
}

export interface HeaderMatch {
  /** Cell index (0-based, as in the header row) → field; export-only columns are left out. */
  fields: Map<number, TemplateField>;
  /** Required columns the header row lacks (the file is refused as a whole, naming them). */
  missing: TemplateColumn[];
  /** Headers that name no column (ignored). */
  unknown: string[];
  /** Fields named by two headers (the file is refused: which one counts would be a guess). */
  duplicated: TemplateColumn[];
}

/** Matches a header row (cells in order; empty ones allowed) against the template. */
export function matchHeaders(cells: readonly unknown[]): HeaderMatch {
  const fields = new Map<number, TemplateField>();
  const seen = new Set<TemplateField>();
  const duplicated: TemplateColumn[] = [];
  const unknown: string[] = [];
  cells.forEach((cell, index) => {
    const text = cell === null || cell === undefined ? '' : String(cell).trim();
    if (text === '') return;
    const field = fieldOfHeader(text);
    if (field === null) {
      unknown.push(text);
      return;
    }
    if (seen.has(field)) {
      duplicated.push(COLUMN_OF[field]);
      return;
    }
    seen.add(field);
    if (!COLUMN_OF[field].exportOnly) fields.set(index, field);
  });
  const missing = TEMPLATE_COLUMNS.filter((column) => column.required && !seen.has(column.field));
  return { fields, missing, unknown, duplicated };
}

const DAY_FIRST = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
/** Excel's day 0 (1899-12-30, which absorbs Lotus's 1900 leap-year bug for dates after February 1900). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
/** Serial numbers a date cell may hold: 1900-03-01 up to 9999-12-31. */
const SERIAL_MIN = 61;
const SERIAL_MAX = 2_958_465;

/**
 * A date cell as a local date: `dd/mm/yyyy` (also with `-` or `.`), `yyyy-mm-dd`, a spreadsheet
 * date cell (a JS Date, which exceljs builds in UTC from the serial, so its UTC calendar day is the
 * cell's day), or a bare serial number (a date cell whose style was lost). Null for an empty cell;
 * undefined for anything else (2024-02-30, 13/13/2024, text).
 */
export function dateOf(value: unknown): LocalDate | null | undefined {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return undefined;
    return checked(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate());
  }
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < SERIAL_MIN || value > SERIAL_MAX) return undefined;
    return new Date(EXCEL_EPOCH_MS + value * 86_400_000).toISOString().slice(0, 10);
  }
  const text = String(value).trim();
  if (text === '') return null;
  const dayFirst = DAY_FIRST.exec(text);
  if (dayFirst) return checked(Number(dayFirst[3]), Number(dayFirst[2]), Number(dayFirst[1]));
  const iso = ISO.exec(text);
  if (iso) return checked(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  return undefined;
}

function checked(year: number, month: number, day: number): LocalDate | undefined {
  const date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isValidLocalDate(date) ? date : undefined;
}

/** How the export writes a date in a text cell (CSV): dd/mm/yyyy. */
export function vietnameseDate(date: LocalDate): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

/** A date as an exceljs date cell (UTC midnight, which exceljs writes as that day's serial). */
export function dateCell(date: LocalDate): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

/** The number format the export gives date cells. */
export const DATE_FORMAT = 'dd/mm/yyyy';

/** The media types of the two file formats. */
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_MEDIA_TYPE = 'text/csv';
