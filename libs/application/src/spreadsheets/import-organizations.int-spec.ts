import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { systemPrincipal, type Principal } from '@ktt/auth';
import { foldHistory, normalizeRegistrationNumber, organizationStreamId, registrationNumberStreamId, stateAsOf, upcast, type OrganizationEvent } from '@ktt/domain';
import type { PostgresEventStore } from '@ktt/event-store';
import type { MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { createEventStoreDatabase } from '@ktt/testing/postgres/event-store-database';
import { OrganizationCommandHandler } from '../organizations/organization-command.handler';
import { seedAdministrativeUnits } from '../administrative-units/administrative-units';
import { PROJECT_DATA_DIR } from '../administrative-units/load-administrative-map';
import type { CommandContext } from '../commands/command-context';
import { spoolFile } from './import-file';
import { ImportFileRefused } from './import-errors';
import { sniffFormat, DEFAULT_READ_LIMITS } from './import-reader';
import { SpreadsheetImport, type ImportOptions } from './import-organizations';
import type { ImportReport } from '../answers';

/*
 * The import through the real command handler and a real PostgreSQL event store. Every workbook is
 * built here with exceljs (or written byte by byte for CSV), never by the code under test.
 */

const NOW = new Date('2026-06-30T03:00:00Z');
const HEADERS = [
  'Loại hình', 'Tên', 'Số đăng ký', 'Mã tỉnh', 'Mã tỉnh cũ', 'Lĩnh vực', 'Ngày đăng ký', 'Số thành viên',
  'Xếp loại', 'Năm xếp loại', 'Ngày xếp loại', 'Tình trạng', 'Ngày tình trạng',
  'Liên kết chuỗi giá trị', 'Ứng dụng công nghệ cao', 'Liên kết doanh nghiệp', 'Chuyển đổi số', 'Giám đốc được đào tạo',
  'Số cán bộ quản lý', 'Số có bằng cao đẳng, đại học', 'Hình thức giải thể', 'Số quyết định giải thể', 'Tỉnh hiện nay',
];
const REQUIRED = ['Loại hình', 'Tên', 'Số đăng ký', 'Mã tỉnh', 'Lĩnh vực', 'Ngày đăng ký', 'Số thành viên'];

type Cell = string | number | boolean | Date | null | { formula: string; result?: unknown };

describe('spreadsheet import (issue 17)', () => {
  let database: MigratedDatabase;
  let store: PostgresEventStore;
  let handler: OrganizationCommandHandler;
  let importer: SpreadsheetImport;
  let dir: string;
  const admin = systemPrincipal('importer:admin');
  const eventCount = async () => (await database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0]!.n;
  const unique = () => randomUUID().slice(0, 8).toUpperCase();

  beforeAll(async () => {
    ({ store } = database = await createEventStoreDatabase('import'));
    // The 2025 merger, as a fresh start records it: 91 is the merged An Giang from 2025-07-01.
    await seedAdministrativeUnits(store, PROJECT_DATA_DIR);
    handler = new OrganizationCommandHandler(store);
    importer = new SpreadsheetImport(store, handler);
    dir = await mkdtemp(path.join(tmpdir(), 'import-spec-'));
  });
  afterAll(async () => {
    await store?.close();
    await database?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function xlsx(rows: Cell[][], name = `${randomUUID()}.xlsx`, dateColumns: number[] = []): Promise<string> {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Danh sách');
    for (const row of rows) sheet.addRow(row);
    for (const column of dateColumns) sheet.getColumn(column).numFmt = 'dd/mm/yyyy';
    const file = path.join(dir, name);
    await workbook.xlsx.writeFile(file);
    return file;
  }

  async function importPath(file: string, principal: Principal = admin, options: ImportOptions = {}, fileName = path.basename(file)): Promise<ImportReport> {
    const spooled = await spoolFile(createReadStream(file));
    try {
      const context: CommandContext = { principal, correlationId: randomUUID(), now: NOW };
      return await importer.run({ path: spooled.path, format: await sniffFormat(spooled.path), name: fileName, sha256: spooled.sha256 }, context, options);
    } finally {
      await spooled.remove();
    }
  }

  async function recorded(number: string) {
    const reservation = await store.readStream(registrationNumberStreamId(normalizeRegistrationNumber(number)));
    if (reservation.length === 0) return null;
    const events = await store.readStream(organizationStreamId(reservation[0]!.data.organizationId as string));
    const history = foldHistory(events.map((event) => upcast({ ...event, schemaVersion: event.metadata.schemaVersion }) as OrganizationEvent))!;
    return { events, history, state: stateAsOf(history, '2026-06-30')! };
  }

  const row = (overrides: Partial<Record<string, Cell>> = {}): Cell[] => {
    const base: Record<string, Cell> = { 'Loại hình': 'Hợp tác xã', Tên: 'Hợp tác xã Tân Hiệp', 'Số đăng ký': `HTX-${unique()}`, 'Mã tỉnh': '91', 'Lĩnh vực': 'Nông nghiệp', 'Ngày đăng ký': '15/03/2020', 'Số thành viên': 12 };
    const values = { ...base, ...overrides };
    return HEADERS.map((header) => values[header] ?? null);
  };

  it('reads every column form: Vietnamese words, Vietnamese and ISO dates, date cells, flags, managers, rating and lifecycle, and records the file on every event', async () => {
    const rated = row({ 'Số đăng ký': `HTX-${unique()}`, 'Ngày đăng ký': new Date(Date.UTC(2019, 4, 2)), 'Xếp loại': 'Khá', 'Năm xếp loại': 2024, 'Ngày xếp loại': '2024-12-20',
      'Tình trạng': 'Tạm ngừng', 'Ngày tình trạng': '01/02/2025', 'Liên kết chuỗi giá trị': 'Có', 'Ứng dụng công nghệ cao': 'Không', 'Chuyển đổi số': 'có',
      'Số cán bộ quản lý': 5, 'Số có bằng cao đẳng, đại học': '2', 'Tỉnh hiện nay': '91', 'Lĩnh vực': 'Thương mại - dịch vụ' });
    const group = row({ 'Loại hình': 'Tổ hợp tác', 'Số đăng ký': `THT-${unique()}`, 'Số thành viên': 3, 'Lĩnh vực': 'Thủy sản', 'Mã tỉnh': 1, 'Ngày đăng ký': '2021-07-01' });
    const dissolved = row({ 'Số đăng ký': `HTX-${unique()}`, 'Tình trạng': 'Giải thể', 'Ngày tình trạng': '30/06/2023', 'Hình thức giải thể': 'Bắt buộc', 'Số quyết định giải thể': '12/QĐ-UBND', 'Lĩnh vực': 'Tín dụng' });
    const dormant = row({ 'Số đăng ký': `HTX-${unique()}`, 'Tình trạng': 'Ngừng hoạt động', 'Ngày tình trạng': '2024-05-05', 'Lĩnh vực': 'Vận tải' });
    const merged = row({ 'Số đăng ký': `HTX-${unique()}`, 'Mã tỉnh': '91', 'Mã tỉnh cũ': '89', 'Ngày đăng ký': '05/01/2026', 'Lĩnh vực': 'Khác' });
    const file = await xlsx([HEADERS, rated, group, dissolved, dormant, merged], 'Danh sách HTX.xlsx', [7]);
    const sha256 = (await import('node:crypto')).createHash('sha256').update(await readFile(file)).digest('hex');

    const report = await importPath(file);

    expect(report.refused).toEqual([]);
    expect(report).toMatchObject({ rows: 5, created: 5, unchanged: 0, differences: [] });
    const first = (await recorded(rated[2] as string))!;
    expect(first.state).toMatchObject({ kind: 'cooperative', sector: 'trade_services', registeredOn: '2019-05-02', status: 'suspended', valueChain: true, highTech: false, digitalAdoption: true, managers: { total: 5, withDegree: 2 }, rating: { rating: 'fair', year: 2024, ratedOn: '2024-12-20' } });
    // An empty flag cell is unknown (omitted at registration = unknown, issue 16).
    expect(first.state.enterpriseLinked).toBeNull();
    expect(first.events.map((event) => event.type)).toEqual(['OrganizationRegistered', 'OrganizationRated', 'OrganizationSuspended']);
    for (const event of first.events) {
      expect(event.metadata).toMatchObject({ recordedBy: 'importer:admin', source: { kind: 'import', fileName: 'Danh sách HTX.xlsx', sha256 } });
    }
    expect((await recorded(group[2] as string))!.state).toMatchObject({ kind: 'cooperative_group', provinceCode: '01', sector: 'fisheries', registeredOn: '2021-07-01', memberCount: 3 });
    expect((await recorded(dissolved[2] as string))!.state).toMatchObject({ status: 'dissolved', dissolvedOn: '2023-06-30', sector: 'credit' });
    expect((await recorded(dormant[2] as string))!.state).toMatchObject({ status: 'dormant', sector: 'transport' });
    expect((await recorded(merged[2] as string))!.state).toMatchObject({ provinceCode: '91', formerProvinceCode: '89' });
  });

  it('matches headers in English, without diacritics, in another case and order, with values in the API words and NFD text', async () => {
    const number = `HTX-${unique()}`;
    const name = 'Hợp tác xã Đồng Tâm'.normalize('NFD');
    const headers = ['registration number', 'NAME', 'Kind', 'Province code', 'SECTOR', 'so thanh vien', 'ngay dang ky'.normalize('NFD'), 'Rating', 'Rating year', 'Rated on', 'Director trained'.toUpperCase()];
    const file = await xlsx([headers, [number, name, 'cooperative', '91', 'agriculture', '7', '2020-02-29', 'good', 2023, new Date(Date.UTC(2023, 11, 15)), 'Không'.normalize('NFD')]]);

    const report = await importPath(file);

    expect(report).toMatchObject({ rows: 1, created: 1, refused: [] });
    const { history } = (await recorded(number))!;
    // As of 2024 (a 2023 rating has lapsed by 2026-06-30).
    expect(stateAsOf(history, '2024-06-30')).toMatchObject({ name: 'Hợp tác xã Đồng Tâm'.normalize('NFC'), registeredOn: '2020-02-29', directorTrained: false, rating: { rating: 'good', year: 2023, ratedOn: '2023-12-15' } });
  });

  it('reports a bad row by row and column and takes the others; a row whose later command is refused writes nothing of it', async () => {
    const good = row();
    const badDate = row({ 'Ngày đăng ký': '31/02/2020' });
    const badKind = row({ 'Loại hình': 'Công ty' });
    // Registration valid, rating dated before it: the whole row is refused, the registration included.
    const ratedTooEarly = row({ 'Xếp loại': 'Tốt', 'Năm xếp loại': 2020, 'Ngày xếp loại': '01/02/2020' });
    const tooFewMembers = row({ 'Số thành viên': 2 });
    const formula = row({ 'Số thành viên': { formula: 'A1*2', result: 24 } });
    const before = await eventCount();
    const file = await xlsx([HEADERS, good, badDate, badKind, ratedTooEarly, tooFewMembers, formula]);

    const report = await importPath(file);

    expect(report.rows).toBe(6);
    expect(report.created).toBe(1);
    expect(report.refused.map(({ row, column, code }) => ({ row, column, code }))).toEqual([
      { row: 3, column: 'Ngày đăng ký', code: 'INVALID_DATE' },
      { row: 4, column: 'Loại hình', code: 'INVALID_VALUE' },
      { row: 5, column: 'Ngày xếp loại', code: 'BEFORE_REGISTRATION' },
      { row: 6, column: 'Số thành viên', code: 'BELOW_MINIMUM_MEMBERS' },
      { row: 7, column: 'Số thành viên', code: 'FORMULA_CELL' },
    ]);
    expect(report.refused[0]!.messages.vi).toContain('Ngày không hợp lệ');
    expect(report.refused[0]!.messages.en).toContain('Not a valid date');
    expect(await recorded(ratedTooEarly[2] as string)).toBeNull();
    // One registration (and its reservation): nothing of the refused rows.
    expect(await eventCount()).toBe(before + 2);
  });

  it('a second import of the same file creates nothing; a changed row is a difference, recorded as dated changes only with applyChanges and effectiveOn', async () => {
    const number = `HTX-${unique()}`;
    const original = row({ 'Số đăng ký': number, 'Số thành viên': 12, 'Liên kết chuỗi giá trị': 'Không' });
    const file = await xlsx([HEADERS, original, row()]);
    expect(await importPath(file)).toMatchObject({ created: 2 });
    const afterFirst = await eventCount();

    expect(await importPath(file)).toMatchObject({ rows: 2, created: 0, unchanged: 2, differences: [], refused: [] });
    expect(await eventCount()).toBe(afterFirst);

    const changed = await xlsx([HEADERS, row({ 'Số đăng ký': number.toLowerCase(), 'Số thành viên': 20, 'Liên kết chuỗi giá trị': 'Có' })]);
    const reported = await importPath(changed);
    expect(reported).toMatchObject({ created: 0, unchanged: 0, changed: 0 });
    expect(reported.differences).toEqual([
      { row: 2, column: 'Số thành viên', recorded: 12, file: 20 },
      { row: 2, column: 'Liên kết chuỗi giá trị', recorded: false, file: true },
    ]);
    expect(await eventCount()).toBe(afterFirst);

    // A dry run of the changes: judged by the domain, answered, not written.
    expect(await importPath(changed, admin, { applyChanges: true, effectiveOn: '2026-01-01', dryRun: true })).toMatchObject({ changed: 1, refused: [] });
    expect(await eventCount()).toBe(afterFirst);
    // A change dated before the registration is refused by the domain, on the row.
    expect((await importPath(changed, admin, { applyChanges: true, effectiveOn: '2019-01-01' })).refused).toEqual([expect.objectContaining({ row: 2, code: 'BEFORE_REGISTRATION' })]);
    expect(await eventCount()).toBe(afterFirst);
    const applied = await importPath(changed, admin, { applyChanges: true, effectiveOn: '2026-01-01' });
    expect(applied).toMatchObject({ changed: 1, refused: [] });
    const { history } = (await recorded(number))!;
    expect(stateAsOf(history, '2025-12-31')).toMatchObject({ memberCount: 12, valueChain: false });
    expect(stateAsOf(history, '2026-01-01')).toMatchObject({ memberCount: 20, valueChain: true });
    expect(await importPath(changed)).toMatchObject({ unchanged: 1, differences: [] });
  });

  it('a registrar imports for its own provinces only: rows of another province are refused by row (FORBIDDEN_PROVINCE), the others go in', async () => {
    const registrar: Principal = { subject: 'nguyen.van.a', role: 'registrar', provinces: ['15'] };
    const own = row({ 'Mã tỉnh': '15', 'Mã tỉnh cũ': '10', 'Ngày đăng ký': '02/01/2026' });
    const other = row({ 'Mã tỉnh': '91' });
    const file = await xlsx([HEADERS, own, other]);

    const report = await importPath(file, registrar);

    expect(report).toMatchObject({ rows: 2, created: 1 });
    expect(report.refused.map(({ row, column, code }) => ({ row, column, code }))).toEqual([{ row: 3, column: 'Mã tỉnh', code: 'FORBIDDEN_PROVINCE' }]);
    expect(await recorded(other[2] as string)).toBeNull();
    expect((await recorded(own[2] as string))!.events[0]!.metadata.recordedBy).toBe('nguyen.van.a');
  });

  it('a dry run writes nothing and answers what a real run would do', async () => {
    const file = await xlsx([HEADERS, row(), row({ 'Số thành viên': 1 })]);
    const before = await eventCount();

    const dry = await importPath(file, admin, { dryRun: true });

    expect(await eventCount()).toBe(before);
    const real = await importPath(file);
    expect({ ...dry, dryRun: undefined, position: undefined }).toEqual({ ...real, dryRun: undefined, position: undefined });
    expect(dry.position).toBeNull();
    expect(real).toMatchObject({ created: 1, refused: [{ row: 3, code: 'BELOW_MINIMUM_MEMBERS' }] });
  });

  it('reads CSV in UTF-8 with and without a byte-order mark, with ; as separator and Vietnamese dates', async () => {
    const a = `HTX-${unique()}`;
    const b = `HTX-${unique()}`;
    const text = `${REQUIRED.join(';')}\nHợp tác xã;"HTX Cửu Long; Rạch Giá";${a};91;Nông nghiệp;15/03/2020;9\n`;
    await writeFile(path.join(dir, 'bom.csv'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    await writeFile(path.join(dir, 'plain.csv'), `${REQUIRED.join(',')}\r\nTổ hợp tác,Tổ hợp tác Bình An,${b},91,Thủy sản,2021-01-04,2\r\n`);

    expect(await importPath(path.join(dir, 'bom.csv'))).toMatchObject({ rows: 1, created: 1, refused: [] });
    expect(await importPath(path.join(dir, 'plain.csv'))).toMatchObject({ rows: 1, created: 1, refused: [] });
    expect((await recorded(a))!.state).toMatchObject({ name: 'HTX Cửu Long; Rạch Giá' });
    // A quote inside an unquoted field (a hand-made file) is taken as a character, not a broken file.
    const c = `HTX-${unique()}`;
    await writeFile(path.join(dir, 'quote.csv'), `${REQUIRED.join(',')}\nHợp tác xã,HTX "Tân Hiệp",${c},91,Nông nghiệp,15/03/2020,9\n`);
    expect(await importPath(path.join(dir, 'quote.csv'))).toMatchObject({ rows: 1, created: 1, refused: [] });
    expect((await recorded(c))!.state).toMatchObject({ name: 'HTX "Tân Hiệp"' });
    expect((await recorded(b))!.state).toMatchObject({ kind: 'cooperative_group', sector: 'fisheries' });
  });

  describe('hostile files: a clear refusal or the right rows, never a crash or a partial row', () => {
    async function refusal(file: string, options: ImportOptions = {}): Promise<ImportFileRefused> {
      const before = await eventCount();
      const error = await importPath(file, admin, options).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(ImportFileRefused);
      expect(await eventCount()).toBe(before);
      return error as ImportFileRefused;
    }

    it('refuses a CSV in Windows-1258 as a whole (ENCODING_NOT_UTF8)', async () => {
      // "Tên" and "Hợp tác xã" as Windows-1258 bytes (ê = 0xEA; ơ = 0xF5, ̣ = 0xF2 combining dot, á = 0xE1).
      const header = Buffer.from(REQUIRED.join(',').normalize('NFC'), 'utf8');
      const cp1258Row = Buffer.from([0x48, 0x5f, 0xf5, 0xf2, 0x70, 0x20, 0x74, 0xe1, 0x63, 0x20, 0x78, 0xe3, 0x2c, 0x54, 0xea, 0x6e]);
      const file = path.join(dir, 'cp1258.csv');
      await writeFile(file, Buffer.concat([header, Buffer.from('\n'), cp1258Row, Buffer.from(',X1,91,Khac,2020-01-01,9\n')]));
      expect((await refusal(file)).code).toBe('ENCODING_NOT_UTF8');
    });

    it('refuses a header without a required column as a whole, naming it', async () => {
      const file = await xlsx([HEADERS.filter((header) => header !== 'Số đăng ký'), row().filter((_, index) => index !== 2)]);
      const error = await refusal(file);
      // Code and message together, so that a failure shows which refusal came instead.
      expect({ code: error.code, message: error.message }).toEqual({ code: 'MISSING_COLUMN', message: expect.stringContaining('Số đăng ký') });
      expect(error.errors).toEqual([{ path: 'Số đăng ký', message: expect.stringContaining('Registration number') }]);
    });

    it('refuses a zip that claims to inflate to 1 GB before reading it (ZIP_TOO_LARGE)', async () => {
      const file = await xlsx([HEADERS, row()]);
      const bytes = await readFile(file);
      // Rewrite the sheet entry's uncompressed size in the central directory to 1 GB.
      for (let at = bytes.length - 22; at >= 0; at--) {
        if (bytes.readUInt32LE(at) !== 0x02014b50) continue;
        const nameLength = bytes.readUInt16LE(at + 28);
        if (bytes.toString('utf8', at + 46, at + 46 + nameLength).startsWith('xl/worksheets/')) bytes.writeUInt32LE(1024 * 1024 * 1024, at + 24);
      }
      const bomb = path.join(dir, 'claims-1gb.xlsx');
      await writeFile(bomb, bytes);
      const error = await refusal(bomb);
      expect(error.code).toBe('ZIP_TOO_LARGE');
      expect(error.status).toBe(413);
    });

    it('refuses a zip whose entries inflate past the bound whatever they claim (counted while inflating)', async () => {
      // 3 MB of one repeated name compresses to a few KB; the bound here is 1 MB.
      const file = await xlsx([HEADERS, ...Array.from({ length: 3000 }, () => row({ Tên: 'x'.repeat(190) + unique() }))]);
      const error = await refusal(file, { limits: { ...DEFAULT_READ_LIMITS, maxInflatedBytes: 1024 * 1024 } });
      expect(error.code).toBe('ZIP_TOO_LARGE');
    });

    it('refuses a zip holding an entry its directory does not name (a hidden bomb the check would not inflate)', async () => {
      const bytes = await readFile(await xlsx([HEADERS, row()]));
      let eocd = bytes.length - 22;
      while (bytes.readUInt32LE(eocd) !== 0x06054b50) eocd--;
      const directoryOffset = bytes.readUInt32LE(eocd + 16);
      // A local entry (signature, then 10 MB of zeros deflated) slipped in before the directory.
      const { deflateRawSync } = await import('node:zlib');
      const hidden = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), deflateRawSync(Buffer.alloc(10 * 1024 * 1024))]);
      const forged = Buffer.concat([bytes.subarray(0, directoryOffset), hidden, bytes.subarray(directoryOffset)]);
      forged.writeUInt32LE(directoryOffset + hidden.length, eocd + hidden.length + 16);
      const file = path.join(dir, 'hidden-entry.xlsx');
      await writeFile(file, forged);
      const error = await refusal(file);
      expect(error.code).toBe('FILE_UNREADABLE');
      expect(error.message).toContain('does not name');
    });

    it('stops at a long run of empty rows in a sheet of 1,048,576 rows, after taking the rows before it', async () => {
      const file = path.join(dir, 'empty-rows.xlsx');
      const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file });
      const sheet = writer.addWorksheet('S');
      sheet.addRow(HEADERS).commit();
      const data = row();
      sheet.addRow(data).commit();
      for (let index = 3; index <= 1_048_576; index++) {
        const empty = sheet.getRow(index);
        empty.height = 15;
        empty.commit();
      }
      await writer.commit();
      const started = Date.now();

      const report = await importPath(file);

      expect(report).toMatchObject({ rows: 1, created: 1 });
      expect(report.refused).toEqual([expect.objectContaining({ code: 'EMPTY_ROWS_LIMIT', column: null })]);
      expect(Date.now() - started).toBeLessThan(20_000);
    }, 60_000);

    it('refuses a file that is no workbook and no text', async () => {
      const file = path.join(dir, 'broken.xlsx');
      await writeFile(file, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100, 7)]));
      expect((await refusal(file)).code).toBe('FILE_UNREADABLE');
    });
  });

  it('imports a 10,000-row workbook, every row', async () => {
    const file = path.join(dir, 'ten-thousand.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true });
    const sheet = writer.addWorksheet('S');
    sheet.addRow(HEADERS).commit();
    const prefix = unique();
    for (let index = 0; index < 10_000; index++) {
      sheet.addRow(row({ 'Số đăng ký': `T${prefix}-${index}`, Tên: `Hợp tác xã số ${index}`, 'Ngày đăng ký': new Date(Date.UTC(2015 + (index % 10), index % 12, 1 + (index % 28))) })).commit();
    }
    await writer.commit();

    const report = await importPath(file);

    expect(report).toMatchObject({ rows: 10_000, created: 10_000, refused: [] });
    expect((await recorded(`T${prefix}-9999`))!.state).toMatchObject({ name: 'Hợp tác xã số 9999', registeredOn: '2024-04-04' });
  }, 240_000);
});
