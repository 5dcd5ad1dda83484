import { createHash, randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { ApiProcess } from './support/api-process';
import { httpClient } from './support/http';
import { eventCount, startTestApi, type TestApi } from './support/test-api';

/** The template's headers as issue 17 writes them (not read from the code under test). */
const HEADERS = ['Loại hình', 'Tên', 'Số đăng ký', 'Mã tỉnh', 'Mã tỉnh cũ', 'Lĩnh vực', 'Ngày đăng ký', 'Số thành viên', 'Xếp loại', 'Năm xếp loại', 'Ngày xếp loại', 'Tình trạng', 'Ngày tình trạng'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Polls until `read` gives a value (the read models follow the log within a moment), at most 10 s. */
async function eventually<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the read models did not show it within 10 s');
}

async function workbook(rows: unknown[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Danh sách');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/**
 * POST /api/imports over real HTTP on the built app (issue 17): the file as the body, the report by
 * row, a registrar's rows for another province refused by row, a dry run that writes nothing, a
 * second import that creates nothing, and the file named in each event's history.
 */
describe('spreadsheet import over HTTP (issue 17)', () => {
  let started: TestApi;
  let api: ApiProcess;
  const number = () => `HTX-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    started = await startTestApi('e2e_import');
    api = started.api;
  });
  afterAll(() => started?.stop());

  async function post(body: Buffer | string, query = '', token = api.adminToken, contentType = XLSX, headers: Record<string, string> = {}): Promise<{ status: number; body: any; contentType: string | null }> {
    const response = await fetch(new URL(`/api/imports${query}`, api.baseUrl), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType, ...headers }, body: typeof body === 'string' ? body : new Uint8Array(body) });
    return { status: response.status, body: await response.json(), contentType: response.headers.get('content-type') };
  }

  it('imports a workbook, answers the report by row, and a second import of the same file creates nothing', async () => {
    const [a, b] = [number(), number()];
    const file = await workbook([
      HEADERS,
      ['Hợp tác xã', 'Hợp tác xã Tân Hiệp', a, '91', '', 'Nông nghiệp', '15/03/2020', 12, 'Tốt', 2025, '20/12/2025', 'Đang hoạt động', ''],
      ['Hợp tác xã', 'Hợp tác xã thiếu thành viên', b, '91', '', 'Nông nghiệp', '15/03/2020', 3, '', '', '', '', ''],
    ]);
    const before = await eventCount(started.pool);

    const first = await post(file, '?fileName=Danh%20s%C3%A1ch%202025.xlsx');

    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ rows: 2, created: 1, unchanged: 0, differences: [] });
    expect(first.body.refused).toEqual([
      { row: 3, column: 'Số thành viên', code: 'BELOW_MINIMUM_MEMBERS', message: expect.any(String), messages: { vi: expect.stringContaining('Số thành viên dưới mức tối thiểu'), en: expect.stringContaining('Fewer members') } },
    ]);
    // Registration, its reservation and the rating: the refused row wrote nothing.
    expect(await eventCount(started.pool)).toBe(before + 3);

    const second = await post(file, '?fileName=Danh%20s%C3%A1ch%202025.xlsx');
    expect(second.body).toMatchObject({ rows: 2, created: 0, unchanged: 1, differences: [] });
    expect(await eventCount(started.pool)).toBe(before + 3);

    // The history names the file: its name and SHA-256.
    const http = httpClient(api.baseUrl, { token: api.adminToken });
    const id = (await eventually(async () => (await http.get(`/api/organizations?q=${a}`)).body.items[0]?.id)) as string;
    const history = await http.get(`/api/organizations/${id}/events`);
    const sha256 = createHash('sha256').update(file).digest('hex');
    expect(history.body.map((event: { type: string; source: unknown }) => [event.type, event.source])).toEqual([
      ['OrganizationRegistered', { kind: 'import', fileName: 'Danh sách 2025.xlsx', sha256 }],
      ['OrganizationRated', { kind: 'import', fileName: 'Danh sách 2025.xlsx', sha256 }],
    ]);
    // And the audit trail: an auditor traces each record to the file.
    const trail = await eventually(async () => {
      const items = (await http.get(`/api/audit/events?organizationId=${id}`)).body.items as { type: string; source?: unknown }[];
      return items.length === 2 ? items : undefined;
    });
    expect(trail.map((item) => item.source)).toEqual([
      { kind: 'import', fileName: 'Danh sách 2025.xlsx', sha256 },
      { kind: 'import', fileName: 'Danh sách 2025.xlsx', sha256 },
    ]);
  });

  it("refuses a registrar's rows for another province by row (FORBIDDEN_PROVINCE) and takes its own", async () => {
    const [own, other] = [number(), number()];
    const file = await workbook([
      HEADERS,
      ['Hợp tác xã', 'HTX Bảo Hà', own, '15', '10', 'Nông nghiệp', '05/01/2026', 9, '', '', '', '', ''],
      ['Hợp tác xã', 'HTX Rạch Giá', other, '91', '', 'Thủy sản', '05/01/2020', 9, '', '', '', '', ''],
    ]);

    const answer = await post(file, '', api.token('registrar', ['15'], 'can-bo-lao-cai'));

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ rows: 2, created: 1 });
    expect(answer.body.refused).toEqual([expect.objectContaining({ row: 3, column: 'Mã tỉnh', code: 'FORBIDDEN_PROVINCE' })]);
  });

  it('a dry run answers what a real run would do and writes nothing', async () => {
    const file = await workbook([HEADERS, ['Tổ hợp tác', 'Tổ hợp tác Bình An', number(), '91', '', 'Thủy sản', '2021-01-04', 2, '', '', '', '', '']]);
    const before = await eventCount(started.pool);

    const dry = await post(file, '?dryRun=true', api.adminToken, XLSX, { 'content-disposition': "attachment; filename*=UTF-8''B%C3%A1o%20c%C3%A1o.xlsx" });

    expect(dry.body).toMatchObject({ rows: 1, created: 1, dryRun: true, refused: [], file: { name: 'Báo cáo.xlsx' } });
    expect(await eventCount(started.pool)).toBe(before);
    expect((await post(file)).body).toMatchObject({ rows: 1, created: 1, dryRun: false });
  });

  it('takes every row when the request carries an Idempotency-Key or If-Match (they name no row\'s stream)', async () => {
    const file = await workbook([
      HEADERS,
      ['Hợp tác xã', 'HTX Một', number(), '91', '', 'Nông nghiệp', '15/03/2020', 9, '', '', '', '', ''],
      ['Hợp tác xã', 'HTX Hai', number(), '91', '', 'Nông nghiệp', '15/03/2020', 9, '', '', '', '', ''],
    ]);
    const answer = await post(file, '', api.adminToken, XLSX, { 'idempotency-key': `import-${randomUUID()}`, 'if-match': '"0"' });
    expect(answer.body).toMatchObject({ rows: 2, created: 2, refused: [] });
  });

  it('refuses a whole file with problem+json: a missing column named, a CSV not in UTF-8, another media type; and roles that may not write', async () => {
    const missing = await post(await workbook([HEADERS.filter((h) => h !== 'Ngày đăng ký'), []]));
    expect(missing.status).toBe(400);
    expect(missing.contentType).toMatch(/^application\/problem\+json/);
    expect(missing.body).toMatchObject({ code: 'MISSING_COLUMN', errors: [{ path: 'Ngày đăng ký' }] });

    const latin = Buffer.concat([Buffer.from('Loại hình,Tên\n', 'utf8'), Buffer.from([0x48, 0x54, 0x58, 0x20, 0xd0, 0xea, 0x6e, 0x0a])]);
    const encoding = await post(latin, '', api.adminToken, 'text/csv');
    expect(encoding).toMatchObject({ status: 400, body: { code: 'ENCODING_NOT_UTF8' } });

    expect((await post('{}', '', api.adminToken, 'application/json')).status).toBe(415);
    expect((await post(await workbook([HEADERS]), '?fileName=a%07b.xlsx')).body).toMatchObject({ status: 400, errors: [{ path: 'fileName' }] });
    expect((await post(await workbook([HEADERS]), '', api.token('analyst'))).status).toBe(403);
    expect((await post(await workbook([HEADERS]), '?applyChanges=true')).body).toMatchObject({ status: 400, errors: [{ path: 'effectiveOn' }] });
  });
});
