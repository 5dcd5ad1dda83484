import { CSV_TYPE, formatSize, mediaTypeOf, XLSX_TYPE } from '../../apps/admin-ui/src/pages/imports/upload';

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
