import { parse } from 'csv-parse/sync';
import { reportCsv } from '../../apps/admin-ui/src/pages/imports/report-csv';
import { CSV_TYPE, formatSize, mediaTypeOf, XLSX_TYPE, type ImportReport } from '../../apps/admin-ui/src/pages/imports/upload';

/**
 * What the import page sends as the body's Content-Type, and how it names a file's size: browsers
 * label the same CSV `text/csv`, `application/vnd.ms-excel` (Windows with Excel) or nothing, so the
 * name's extension decides first; an old `.xls` workbook is neither format and is not sent.
 */
describe('the import upload', () => {
  const file = (name: string, type = '') => new File(['x'], name, { type });

  it('sends a CSV as text/csv whatever the browser labels it, and an XLSX as the XLSX media type', () => {
    expect(mediaTypeOf(file('Danh sách.CSV', 'application/vnd.ms-excel'))).toBe(CSV_TYPE);
    expect(mediaTypeOf(file('danh-sach.csv'))).toBe(CSV_TYPE);
    expect(mediaTypeOf(file('danh-sach.xlsx'))).toBe(XLSX_TYPE);
    expect(mediaTypeOf(file('no-extension', XLSX_TYPE))).toBe(XLSX_TYPE);
    expect(mediaTypeOf(file('no-extension', 'text/csv'))).toBe(CSV_TYPE);
  });

  it('refuses what is neither XLSX nor CSV before sending it', () => {
    expect(mediaTypeOf(file('cu.xls', 'application/vnd.ms-excel'))).toBeNull();
    expect(mediaTypeOf(file('bao-cao.pdf', 'application/pdf'))).toBeNull();
    expect(mediaTypeOf(file('no-extension'))).toBeNull();
  });

  it('names sizes in B, KB and MB with the locale\'s decimal mark', () => {
    expect(formatSize(300, 'vi')).toBe('300 B');
    expect(formatSize(6_900, 'vi')).toBe('6,7 KB');
    expect(formatSize(6_900, 'en')).toBe('6.7 KB');
    expect(formatSize(150 * 1024, 'vi')).toBe('150 KB');
    expect(formatSize(2.5 * 1024 * 1024, 'vi')).toBe('2,5 MB');
  });
});

describe('the report by row as CSV', () => {
  const words = { headers: ['Loại', 'Dòng', 'Cột', 'Mã lỗi', 'Lý do', 'Đã ghi nhận', 'Trong tệp'] as const, refused: 'Từ chối', difference: 'Khác biệt', wholeRow: '(cả dòng)' };
  const report: ImportReport = {
    rows: 9,
    created: 5,
    unchanged: 1,
    changed: 0,
    dryRun: true,
    file: { name: 'a.xlsx', sha256: '0'.repeat(64) },
    position: null,
    refused: [
      { row: 7, column: 'Tên', code: 'INVALID_VALUE', message: 'The value is not valid', messages: { vi: 'Giá trị không hợp lệ (Tên): "x, y"', en: 'The value is not valid' } },
      { row: 3, column: null, code: 'INCONSISTENT_ROW', message: 'The values of the row contradict each other', messages: { vi: 'Các giá trị của dòng mâu thuẫn nhau', en: 'The values of the row contradict each other' } },
    ],
    differences: [{ row: 5, column: 'Tên', recorded: 'HTX Cũ', file: '=HYPERLINK("http://example.com")' }],
  };

  it('lists refusals and differences by row, in the user\'s language, readable by a CSV parser after its byte-order mark', () => {
    const text = reportCsv(report, 'vi', { ...words, headers: [...words.headers] });
    expect(text.startsWith('\uFEFF')).toBe(true);
    const records = parse(text, { bom: true }) as string[][];
    expect(records).toEqual([
      [...words.headers],
      ['Từ chối', '3', '(cả dòng)', 'INCONSISTENT_ROW', 'Các giá trị của dòng mâu thuẫn nhau', '', ''],
      ['Khác biệt', '5', 'Tên', '', '', 'HTX Cũ', `'=HYPERLINK("http://example.com")`],
      ['Từ chối', '7', 'Tên', 'INVALID_VALUE', 'Giá trị không hợp lệ (Tên): "x, y"', '', ''],
    ]);
  });
});
