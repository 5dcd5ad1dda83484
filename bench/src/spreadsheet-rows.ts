import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { referenceAdministrativeMap } from '@ktt/application';
import { pick, randomDate, seededRandom } from './stats';

/*
 * A national-size register file for the spreadsheet bench (issue 17), written here with exceljs's
 * streaming writer and csv-stringify, not by the export under test. Rows are spread uniformly over
 * the 63 provinces of the first map; a row dated on or after the 2025 merger names the province in
 * force then and, where that province was merged, its former province (domain.md, "Former province"),
 * as the generator's seats do. Every row is valid under the domain's rules, so a run that refuses one
 * has found a fault: the bench stops on it.
 */

/** The template's headers (issue 17), written as the issue names them: the file does not borrow the import's own table. */
export const HEADERS = [
  'Loại hình',
  'Tên',
  'Số đăng ký',
  'Mã tỉnh',
  'Mã tỉnh cũ',
  'Lĩnh vực',
  'Ngày đăng ký',
  'Số thành viên',
  'Xếp loại',
  'Năm xếp loại',
  'Ngày xếp loại',
  'Tình trạng',
  'Ngày tình trạng',
  'Liên kết chuỗi giá trị',
  'Ứng dụng công nghệ cao',
  'Liên kết doanh nghiệp',
  'Chuyển đổi số',
  'Giám đốc được đào tạo',
  'Số cán bộ quản lý',
  'Số có bằng cao đẳng, đại học',
  'Hình thức giải thể',
  'Số quyết định giải thể',
] as const;

const SECTORS = ['Nông nghiệp', 'Nông nghiệp', 'Nông nghiệp', 'Thủy sản', 'Công nghiệp', 'Xây dựng', 'Vận tải', 'Thương mại - dịch vụ', 'Tín dụng', 'Khác'];
const PLACES = ['Tân Phú', 'Bình An', 'Hòa Bình', 'Phước Long', 'Thạnh Lợi', 'Đông Hưng', 'Vĩnh Thuận', 'Mỹ Xuyên', 'Quỳnh Lưu', 'Yên Thế', 'Đức Phổ', 'Ea Kar'];
const RATINGS = ['Tốt', 'Khá', 'Khá', 'Trung bình', 'Yếu'];
const MERGER_DAY = '2025-07-01';
/** The last day of the register: every date of the file is on or before it. */
export const REGISTER_LAST_DAY = '2025-12-31';

/** One row: the template's values as a spreadsheet holds them (dates as ISO here; each format writes its own). */
interface RegisterFileRow {
  kind: 'Hợp tác xã' | 'Tổ hợp tác';
  name: string;
  number: string;
  province: string;
  former: string;
  sector: string;
  registeredOn: string;
  members: number;
  rating: string;
  ratingYear: number | null;
  ratedOn: string;
  status: string;
  statusOn: string;
  flags: string[];
  managers: number | null;
  withDegree: number | null;
  mode: string;
  decision: string;
}

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The rows, drawn from `seed`: the same file on every run. */
export function* registerFileRows(count: number, seed = 17): Generator<RegisterFileRow> {
  const random = seededRandom(seed);
  const map = referenceAdministrativeMap();
  const units = map.provincesInForce('2025-06-30').map((province) => province.code);
  const flag = () => {
    const r = random();
    return r < 0.4 ? 'Có' : r < 0.85 ? 'Không' : ''; // 15 % unknown
  };
  for (let i = 0; i < count; i++) {
    const unit = pick(random, units);
    // 4 % registered after the merger, under the codes in force then.
    const registeredOn = random() < 0.04 ? randomDate(random, MERGER_DAY, REGISTER_LAST_DAY) : randomDate(random, '2008-01-01', '2025-06-30');
    const province = map.provinceOfUnit(unit, registeredOn).code;
    const former = registeredOn >= MERGER_DAY && map.unitsOf(province, registeredOn)!.length > 1 ? unit : '';
    const cooperative = random() < 0.75;
    const sector = pick(random, SECTORS);
    const registeredYear = Number(registeredOn.slice(0, 4));
    let rating = '';
    let ratingYear: number | null = null;
    let ratedOn = '';
    if (cooperative && registeredYear <= 2023 && random() < 0.7) {
      ratingYear = Math.max(registeredYear, 2019) + Math.floor(random() * (2025 - Math.max(registeredYear, 2019)));
      rating = pick(random, RATINGS);
      ratedOn = randomDate(random, `${ratingYear + 1}-01-10`, `${ratingYear + 1}-03-31`);
    }
    // A lifecycle date comes after every other date of the row (nothing may follow a dissolution).
    const after = nextDay(ratedOn > registeredOn ? ratedOn : registeredOn);
    const r = random();
    const status = after > REGISTER_LAST_DAY || r < 0.85 ? 'Đang hoạt động' : r < 0.91 ? 'Tạm ngừng' : r < 0.94 ? 'Ngừng hoạt động' : 'Giải thể';
    const statusOn = status === 'Đang hoạt động' ? '' : randomDate(random, after, REGISTER_LAST_DAY);
    const managers = cooperative && random() < 0.7 ? 1 + Math.floor(random() * 9) : null;
    yield {
      kind: cooperative ? 'Hợp tác xã' : 'Tổ hợp tác',
      name: `${cooperative ? 'Hợp tác xã' : 'Tổ hợp tác'} ${sector === 'Khác' ? 'dịch vụ' : sector.toLowerCase()} ${pick(random, PLACES)} ${i + 1}`,
      // Ten digits like a registry's code (the generator's form): province, kind, serial.
      number: `${unit}${cooperative ? 1 : 2}${String(i + 1).padStart(7, '0')}`,
      province,
      former,
      sector,
      registeredOn,
      members: cooperative ? 5 + Math.floor(random() * random() * 300) : 2 + Math.floor(random() * 30),
      rating,
      ratingYear,
      ratedOn,
      status,
      statusOn,
      flags: [flag(), flag(), flag(), flag(), flag()],
      managers,
      withDegree: managers === null ? null : Math.floor(random() * (managers + 1)),
      mode: status === 'Giải thể' ? (random() < 0.6 ? 'Tự nguyện' : 'Bắt buộc') : '',
      decision: status === 'Giải thể' ? `${1 + Math.floor(random() * 999)}/QĐ-UBND` : '',
    };
  }
}

function vietnameseDate(date: string): string {
  return date === '' ? '' : `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

/** The cells of a row; `date` writes a date the way the format at hand does. */
function cells(row: RegisterFileRow, date: (iso: string, column: 'registeredOn' | 'ratedOn' | 'statusOn') => unknown): unknown[] {
  return [
    row.kind,
    row.name,
    row.number,
    row.province,
    row.former,
    row.sector,
    date(row.registeredOn, 'registeredOn'),
    row.members,
    row.rating,
    row.ratingYear,
    date(row.ratedOn, 'ratedOn'),
    row.status,
    date(row.statusOn, 'statusOn'),
    ...row.flags,
    row.managers,
    row.withDegree,
    row.mode,
    row.decision,
  ];
}

/**
 * The XLSX file, as Excel writes one (shared strings), row by row through exceljs's streaming
 * writer. Registration dates are spreadsheet date cells, rating dates `dd/mm/yyyy` text and status
 * dates `yyyy-mm-dd` text: the three forms the template accepts.
 */
export async function writeRegisterXlsx(file: string, count: number, onRow?: (done: number) => void): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
  const sheet = book.addWorksheet('Danh sách');
  sheet.addRow([...HEADERS]).commit();
  // One style object for every date cell: exceljs caches a style by object, one per cell would cost a lookup each.
  const dateStyle: Partial<ExcelJS.Style> = { numFmt: 'dd/mm/yyyy' };
  let done = 0;
  for (const row of registerFileRows(count)) {
    const written = sheet.addRow(
      cells(row, (iso, column) => (iso === '' ? null : column === 'registeredOn' ? new Date(`${iso}T00:00:00.000Z`) : column === 'ratedOn' ? vietnameseDate(iso) : iso)),
    );
    written.getCell(7).style = dateStyle;
    written.commit();
    if (++done % 5000 === 0) onRow?.(done);
  }
  sheet.commit();
  await book.commit();
}

/** The CSV file as Excel's "CSV UTF-8" saves it: a byte-order mark, CRLF, dates `dd/mm/yyyy`. */
export async function writeRegisterCsv(file: string, count: number): Promise<void> {
  await pipeline(
    Readable.from(
      (function* () {
        yield [...HEADERS];
        for (const row of registerFileRows(count)) yield cells(row, (iso) => vietnameseDate(iso)).map((cell) => (cell === null ? '' : cell));
      })(),
    ),
    stringify({ bom: true, record_delimiter: 'windows' }),
    createWriteStream(file),
  );
}
