import { dateOf, fieldOfHeader, flagOf, fold, KIND_WORDS, matchHeaders, RATING_WORDS, SECTOR_WORDS, STATUS_WORDS, wordOf } from './template';

describe('the spreadsheet template (issue 17)', () => {
  it('folds case, diacritics (NFC or NFD, đ as d) and punctuation away', () => {
    expect(fold('Số có bằng cao đẳng, đại học')).toBe('socobangcaodangdaihoc');
    expect(fold('Số có bằng cao đẳng, đại học'.normalize('NFD'))).toBe('socobangcaodangdaihoc');
    expect(fold('ĐỒNG THÁP')).toBe('dongthap');
  });

  it('matches a header in Vietnamese, English or the field name, in any case and with or without diacritics', () => {
    for (const header of ['Số đăng ký', 'SO DANG KY', 'số đăng ký'.normalize('NFD'), 'Registration number', 'registrationNumber', 'registration_number']) {
      expect(fieldOfHeader(header)).toBe('registrationNumber');
    }
    expect(fieldOfHeader('Mã tỉnh cũ')).toBe('formerProvinceCode');
    expect(fieldOfHeader('Mã tỉnh')).toBe('provinceCode');
    expect(fieldOfHeader('Ghi chú')).toBeNull();
  });

  it('names the required columns a header row lacks, ignores unknown and export-only ones, and finds duplicates', () => {
    const match = matchHeaders(['Tên', 'Ghi chú', null, 'Loại hình', 'Tỉnh hiện nay', 'Name']);
    expect(match.missing.map((column) => column.header)).toEqual(['Số đăng ký', 'Mã tỉnh', 'Lĩnh vực', 'Ngày đăng ký', 'Số thành viên']);
    expect(match.unknown).toEqual(['Ghi chú']);
    expect(match.duplicated.map((column) => column.field)).toEqual(['name']);
    expect([...match.fields]).toEqual([[0, 'name'], [3, 'kind']]);
  });

  it('reads the words in Vietnamese, without diacritics, or as the API writes them', () => {
    expect(wordOf(KIND_WORDS, 'Hợp tác xã')).toBe('cooperative');
    expect(wordOf(KIND_WORDS, 'to hop tac')).toBe('cooperative_group');
    expect(wordOf(KIND_WORDS, 'union')).toBe('union');
    expect(wordOf(SECTOR_WORDS, 'Thương mại - dịch vụ')).toBe('trade_services');
    expect(wordOf(SECTOR_WORDS, 'Thuỷ sản')).toBe('fisheries');
    expect(wordOf(RATING_WORDS, 'Trung bình')).toBe('average');
    expect(wordOf(STATUS_WORDS, 'Ngừng hoạt động')).toBe('dormant');
    expect(wordOf(STATUS_WORDS, 'Tạm ngừng')).toBe('suspended');
    expect(wordOf(RATING_WORDS, 'Xuất sắc')).toBeNull();
  });

  it('reads flags: Có, Không, empty as unknown, anything else as no flag', () => {
    expect([flagOf('Có'), flagOf('KHÔNG'), flagOf(''), flagOf('  '), flagOf('có lẽ')]).toEqual([true, false, null, null, undefined]);
  });

  it('reads dates as dd/mm/yyyy, yyyy-mm-dd, date cells and serial numbers, and refuses dates that do not exist', () => {
    expect(dateOf('05/01/2026')).toBe('2026-01-05');
    expect(dateOf('5/1/2026')).toBe('2026-01-05');
    expect(dateOf('2024-02-29')).toBe('2024-02-29');
    expect(dateOf(new Date(Date.UTC(2020, 2, 15)))).toBe('2020-03-15');
    expect(dateOf(45000)).toBe('2023-03-15');
    expect(dateOf(null)).toBeNull();
    expect(dateOf(' ')).toBeNull();
    for (const bad of ['31/02/2020', '2023-02-29', '13/13/2024', 'hôm qua', 12.5, '2024/01/02']) expect(dateOf(bad)).toBeUndefined();
  });
});
