import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { ApiProcess } from './support/api-process';
import { cooperative, cooperativeGroup } from './support/fixtures';
import { httpClient } from './support/http';
import { startTestApi, type TestApi } from './support/test-api';

/** The template's headers as issue 17 writes them (not read from the code under test). */
const HEADERS = [
  'Loại hình', 'Tên', 'Số đăng ký', 'Mã tỉnh', 'Mã tỉnh cũ', 'Lĩnh vực', 'Ngày đăng ký', 'Số thành viên',
  'Xếp loại', 'Năm xếp loại', 'Ngày xếp loại', 'Tình trạng', 'Ngày tình trạng',
  'Liên kết chuỗi giá trị', 'Ứng dụng công nghệ cao', 'Liên kết doanh nghiệp', 'Chuyển đổi số', 'Giám đốc được đào tạo',
  'Số cán bộ quản lý', 'Số có bằng cao đẳng, đại học', 'Hình thức giải thể', 'Số quyết định giải thể', 'Tỉnh hiện nay',
];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface Download {
  status: number;
  headers: Headers;
  bytes: Buffer;
}

/** GET over real HTTP, the body as bytes. */
async function download(api: ApiProcess, path: string, token: string | null, minPosition?: string | null): Promise<Download> {
  const url = new URL(path, api.baseUrl);
  if (minPosition) url.searchParams.set('minPosition', minPosition);
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

async function workbookOf(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  return workbook;
}

/** A sheet's rows as arrays of cell values (index 0 = column A). */
function rowsOf(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => rows.push(HEADERS.map((_, i) => row.getCell(i + 1).value ?? null)));
  return rows;
}

function utc(date: string): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

describe('spreadsheet export over HTTP (issue 17)', () => {
  let started: TestApi;
  let api: ApiProcess;
  let http: ReturnType<typeof httpClient>;
  const asOf = '2026-06-30';
  // A: rated, flags known and unknown, managers; B: former An Giang (89), dissolved; C: registered after the merger in 91 on former An Giang's territory.
  const a = cooperative({ name: 'Hợp tác xã Tân Hiệp', managers: { total: 5, withDegree: 2 }, valueChain: true, highTech: false, memberCount: 1234 });
  const b = cooperative({ name: 'Hợp tác xã Mỹ Hòa Hưng', provinceCode: '89', registeredOn: '2021-05-10', sector: 'fisheries' });
  const c = cooperative({ name: 'HTX Long Xuyên', provinceCode: '91', formerProvinceCode: '89', registeredOn: '2026-01-05' });
  const formula = cooperativeGroup({ name: '=HYPERLINK("http://x","y")', registeredOn: '2022-02-02' });
  // Registered in Hà Nội (01), its seat moved to An Giang (89, in 91 since the merger): listed apart, since a row imports where it was registered.
  const moved = cooperative({ name: 'HTX Chuyển Về', provinceCode: '01', registeredOn: '2021-01-01' });
  /** Recorded after the registrations, before the rating, dissolution and suspension. */
  let beforeChanges: string;

  beforeAll(async () => {
    started = await startTestApi('e2e_export');
    api = started.api;
    http = httpClient(api.baseUrl, { token: api.adminToken });
    for (const body of [a, b, c, formula, moved]) expect((await http.post('/api/organizations', body)).status).toBe(201);
    expect((await http.post(`/api/organizations/${moved.id}/relocation`, { provinceCode: '89', effectiveOn: '2024-06-01' })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 20));
    beforeChanges = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await http.post(`/api/organizations/${a.id}/ratings`, { rating: 'good', year: 2024, ratedOn: '2025-01-15' })).status).toBe(200);
    expect((await http.post(`/api/organizations/${b.id}/dissolution`, { effectiveOn: '2025-03-01', mode: 'voluntary', decisionRef: 'QĐ-12/2025' })).status).toBe(200);
    expect((await http.post(`/api/organizations/${formula.id}/suspension`, { effectiveOn: '2025-09-01', reason: 'mùa lũ' })).status).toBe(200);
  });
  afterAll(() => started?.stop());

  const exportOf = (query: string, token = api.adminToken) => download(api, `/api/organizations/export?${query}`, token, http.lastPosition());

  describe('the register as XLSX', () => {
    let rows: unknown[][];
    let sheet: ExcelJS.Worksheet;
    let answer: Download;

    beforeAll(async () => {
      answer = await exportOf(`provinceCode=91&asOf=${asOf}`);
      expect(answer.status).toBe(200);
      const workbook = await workbookOf(answer.bytes);
      sheet = workbook.worksheets[0];
      rows = rowsOf(sheet);
    });
    const rowOf = (registrationNumber: string) => rows.find((row) => row[2] === registrationNumber)!;

    it('is an attachment of the XLSX type, streamed in chunks', () => {
      expect(answer.headers.get('content-type')).toBe(XLSX);
      expect(answer.headers.get('content-disposition')).toMatch(/^attachment; filename="to-chuc-91-2026-06-30\.xlsx"/);
      expect(answer.headers.get('transfer-encoding')).toBe('chunked');
    });

    it('has the template header row and one row per organization of the province at asOf', () => {
      expect(rows[0]).toEqual(HEADERS);
      expect(rows.slice(1).map((row) => row[2]).sort()).toEqual([a, b, c, formula].map((o) => o.registrationNumber).sort());
    });

    it('writes a rated cooperative: Vietnamese words, numbers as numbers, flags Có/Không/empty, the seat as registered', () => {
      expect(rowOf(a.registrationNumber)).toEqual([
        'Hợp tác xã', 'Hợp tác xã Tân Hiệp', a.registrationNumber, '91', null, 'Nông nghiệp', utc('2020-03-01'), 1234,
        'Tốt', 2024, utc('2025-01-15'), 'Đang hoạt động', null,
        'Có', 'Không', null, null, null,
        5, 2, null, null, '91',
      ]);
    });

    it('writes dates as date cells formatted dd/mm/yyyy and counts with a number format', () => {
      const row = sheet.getRow(rows.findIndex((r) => r[2] === a.registrationNumber) + 1);
      expect(row.getCell(7).value).toBeInstanceOf(Date);
      expect(row.getCell(7).numFmt).toBe('dd/mm/yyyy');
      expect(row.getCell(11).numFmt).toBe('dd/mm/yyyy');
      expect(row.getCell(8).numFmt).toBe('#,##0');
    });

    it('writes Mã tỉnh as on the registration date and Tỉnh hiện nay as at asOf', () => {
      // Registered in 89 in 2021: imports where it was registered; at 2026-06-30 it is in the merged 91.
      expect(rowOf(b.registrationNumber).slice(2, 7)).toEqual([b.registrationNumber, '89', null, 'Thủy sản', utc('2021-05-10')]);
      expect(rowOf(b.registrationNumber)[22]).toBe('91');
      // Registered in the merged 91 on former An Giang's territory: the former province is written.
      expect(rowOf(c.registrationNumber).slice(3, 5)).toEqual(['91', '89']);
    });

    it('writes the status with its date, and a dissolution with its mode and decision', () => {
      expect(rowOf(b.registrationNumber).slice(11, 13)).toEqual(['Giải thể', utc('2025-03-01')]);
      expect(rowOf(b.registrationNumber).slice(20, 22)).toEqual(['Tự nguyện', 'QĐ-12/2025']);
      expect(rowOf(formula.registrationNumber).slice(0, 2)).toEqual(['Tổ hợp tác', formula.name]);
      expect(rowOf(formula.registrationNumber).slice(11, 13)).toEqual(['Tạm ngừng', utc('2025-09-01')]);
    });

    it('lists an organization relocated from another province apart, on the "Đã chuyển tỉnh" sheet with the date of the move and the province now', async () => {
      const workbook = await workbookOf(answer.bytes);
      expect(workbook.worksheets.map((w) => w.name)).toEqual(['Tổ chức', 'Đã chuyển tỉnh', 'Thông tin']);
      expect(rows.some((row) => row[2] === moved.registrationNumber)).toBe(false);
      const apart: unknown[][] = [];
      workbook.getWorksheet('Đã chuyển tỉnh')!.eachRow((row) => apart.push((row.values as unknown[]).slice(1)));
      expect(apart[0]).toEqual([...HEADERS, 'Ngày chuyển tỉnh', 'Mã tỉnh hiện nay']);
      expect(apart).toHaveLength(2);
      expect(apart[1].slice(2, 4)).toEqual([moved.registrationNumber, '01']);
      expect(apart[1].slice(-3)).toEqual(['91', utc('2024-06-01'), '91']);
    });

    it('says on its information sheet what was exported (as-of, known-at) and how many were listed apart, and why', async () => {
      const info = (await workbookOf(answer.bytes)).getWorksheet('Thông tin')!;
      const lines = new Map<unknown, unknown>();
      info.eachRow((row) => lines.set(row.getCell(1).value, row.getCell(2).value));
      expect(lines.get('Tính đến ngày (asOf)')).toBe(asOf);
      expect(String(lines.get('Theo hồ sơ ghi nhận đến (knownAt)'))).toMatch(/^mọi hồ sơ đã ghi nhận lúc xuất \(\d{4}-\d\d-\d\dT/);
      expect(lines.get('Số tổ chức')).toBe('4');
      expect(String(lines.get('Đã chuyển tỉnh (liệt kê riêng)'))).toMatch(/^1 tổ chức .*tỉnh đăng ký/);
    });
  });

  describe('as known at a time', () => {
    it('writes the rows as the register knew them then: no rating, dissolution or suspension recorded later', async () => {
      const answer = await exportOf(`provinceCode=91&asOf=${asOf}&knownAt=${encodeURIComponent(beforeChanges)}`);
      const workbook = await workbookOf(answer.bytes);
      const rows = rowsOf(workbook.worksheets[0]);
      const rowOf = (registrationNumber: string) => rows.find((row) => row[2] === registrationNumber)!;
      expect(rowOf(a.registrationNumber).slice(8, 13)).toEqual([null, null, null, 'Đang hoạt động', null]);
      expect(rowOf(b.registrationNumber).slice(11, 13)).toEqual(['Đang hoạt động', null]);
      expect(rowOf(b.registrationNumber).slice(20, 22)).toEqual([null, null]);
      const info = new Map<unknown, unknown>();
      workbook.getWorksheet('Thông tin')!.eachRow((row) => info.set(row.getCell(1).value, row.getCell(2).value));
      expect(info.get('Theo hồ sơ ghi nhận đến (knownAt)')).toBe(beforeChanges);
    });
  });

  describe('filters', () => {
    const numbersIn = async (query: string) => rowsOf((await workbookOf((await exportOf(query)).bytes)).worksheets[0]).slice(1).map((row) => row[2]);

    it('honours the list\'s filters: status, kind, q, asOf', async () => {
      expect(await numbersIn(`provinceCode=91&asOf=${asOf}&status=dissolved`)).toEqual([b.registrationNumber]);
      expect(await numbersIn(`provinceCode=91&asOf=${asOf}&kind=cooperative_group`)).toEqual([formula.registrationNumber]);
      expect(await numbersIn(`provinceCode=91&asOf=${asOf}&q=tan hiep`)).toEqual([a.registrationNumber]);
      // Before the merger 91 is Kiên Giang alone: B (89) and C (2026) are not in it.
      expect((await numbersIn('provinceCode=91&asOf=2024-01-01')).sort()).toEqual([a.registrationNumber, formula.registrationNumber].sort());
    });

    it('honours registeredFrom and registeredTo, and refuses a period that ends before it starts', async () => {
      expect(await numbersIn(`provinceCode=91&asOf=${asOf}&registeredFrom=2026-01-01`)).toEqual([c.registrationNumber]);
      const refused = await exportOf('registeredFrom=2026-01-02&registeredTo=2026-01-01');
      expect(refused.status).toBe(400);
      expect(JSON.parse(refused.bytes.toString()).errors).toEqual([expect.objectContaining({ path: 'registeredTo' })]);
    });

    it('refuses an unknown format or a paging parameter with 400 naming it, as problem+json', async () => {
      for (const [query, path] of [['format=pdf', 'format'], ['limit=5', 'limit']] as const) {
        const refused = await exportOf(query);
        expect(refused.status).toBe(400);
        expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(JSON.stringify(JSON.parse(refused.bytes.toString()).errors)).toContain(path);
      }
    });

    it('is authorized as the list: 401 without a token, an analyst may export', async () => {
      expect((await exportOf('provinceCode=91', null as unknown as string)).status).toBe(401);
      expect((await exportOf(`provinceCode=91&asOf=${asOf}`, api.token('analyst'))).status).toBe(200);
    });
  });

  describe('the register as CSV', () => {
    let answer: Download;
    let records: string[][];

    beforeAll(async () => {
      answer = await exportOf(`provinceCode=91&asOf=${asOf}&format=csv`);
      expect(answer.status).toBe(200);
      records = parse(answer.bytes, { bom: true, relax_column_count: false }) as string[][];
    });

    it('is UTF-8 with a byte-order mark (Excel\'s "CSV UTF-8"), streamed, as an attachment', () => {
      expect([...answer.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(answer.headers.get('content-disposition')).toMatch(/filename="to-chuc-91-2026-06-30\.csv"/);
      expect(answer.headers.get('transfer-encoding')).toBe('chunked');
    });

    it('has the header row, dates dd/mm/yyyy, empty cells for unknown', () => {
      expect(records[0]).toEqual(HEADERS);
      const row = records.find((record) => record[2] === a.registrationNumber)!;
      expect(row).toEqual([
        'Hợp tác xã', 'Hợp tác xã Tân Hiệp', a.registrationNumber, '91', '', 'Nông nghiệp', '01/03/2020', '1234',
        'Tốt', '2024', '15/01/2025', 'Đang hoạt động', '',
        'Có', 'Không', '', '', '',
        '5', '2', '', '', '91',
      ]);
    });

    it('writes a name a spreadsheet would run as a formula after an apostrophe', () => {
      const row = records.find((record) => record[2] === formula.registrationNumber)!;
      expect(row[1]).toBe(`'${formula.name}`);
    });

    it('leaves out an organization relocated from another province, and says how many in X-Relocated-Listed-Apart', () => {
      expect(records.slice(1).map((record) => record[2]).sort()).toEqual([a, b, c, formula].map((o) => o.registrationNumber).sort());
      expect(answer.headers.get('x-relocated-listed-apart')).toBe('1');
    });

    it('with relocated=only answers just those, with the date of the move and the province now', async () => {
      const only = await exportOf(`provinceCode=91&asOf=${asOf}&format=csv&relocated=only`);
      expect(only.status).toBe(200);
      expect(only.headers.get('x-relocated-listed-apart')).toBe('1');
      const table = parse(only.bytes, { bom: true, relax_column_count: false }) as string[][];
      expect(table[0]).toEqual([...HEADERS, 'Ngày chuyển tỉnh', 'Mã tỉnh hiện nay']);
      expect(table).toHaveLength(2);
      expect(table[1].slice(2, 4)).toEqual([moved.registrationNumber, '01']);
      expect(table[1].slice(-2)).toEqual(['01/06/2024', '91']);
      // Before the move it is an ordinary row of Hà Nội, nothing apart.
      const before = await exportOf('provinceCode=01&asOf=2024-01-01&format=csv');
      expect(before.headers.get('x-relocated-listed-apart')).toBe('0');
      expect((parse(before.bytes, { bom: true }) as string[][]).some((record) => record[2] === moved.registrationNumber)).toBe(true);
    });
  });

  describe('streaming a few thousand rows', () => {
    const count = 2500;

    beforeAll(async () => {
      // Registrations in province 01, sixteen at a time.
      const bodies = Array.from({ length: count }, (_, i) => cooperative({ provinceCode: '01', name: `Hợp tác xã số ${i}`, registeredOn: '2019-01-01' }));
      for (let i = 0; i < bodies.length; i += 16) {
        const answers = await Promise.all(bodies.slice(i, i + 16).map((body) => http.post('/api/organizations', body)));
        for (const answer of answers) expect(answer.status).toBe(201);
      }
    }, 300_000);

    it('writes every row as XLSX, in chunks', async () => {
      const answer = await exportOf('provinceCode=01&asOf=2020-01-01');
      expect(answer.headers.get('transfer-encoding')).toBe('chunked');
      const sheet = (await workbookOf(answer.bytes)).worksheets[0];
      expect(sheet.actualRowCount).toBe(count + 1);
    });

    it('writes every row as CSV, in chunks, in the order asked', async () => {
      const answer = await exportOf('provinceCode=01&asOf=2020-01-01&format=csv&sort=name');
      expect(answer.headers.get('transfer-encoding')).toBe('chunked');
      const records = parse(answer.bytes, { bom: true }) as string[][];
      expect(records.length).toBe(count + 1);
      const names = records.slice(1).map((record) => record[1]);
      expect(new Set(names).size).toBe(count);
    });
  });

  describe('the progress report workbook', () => {
    let workbook: ExcelJS.Workbook;
    let progress: any;
    let answer: Download;

    beforeAll(async () => {
      answer = await download(api, `/api/provinces/91/progress/export?asOf=${asOf}`, api.adminToken, http.lastPosition());
      expect(answer.status).toBe(200);
      workbook = await workbookOf(answer.bytes);
      progress = (await http.get(`/api/provinces/91/progress?asOf=${asOf}`)).body;
    });

    /** Rows of a sheet as arrays of cell values (index 0 = column A). */
    const cells = (sheet: ExcelJS.Worksheet) => {
      const rows: { values: unknown[]; row: ExcelJS.Row }[] = [];
      sheet.eachRow((row) => rows.push({ values: (row.values as unknown[]).slice(1), row }));
      return rows;
    };

    it('has three sheets: metrics, targets, monthly series; as an attachment', () => {
      expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Chỉ số', 'Chỉ tiêu', 'Theo tháng']);
      expect(answer.headers.get('content-disposition')).toMatch(/filename="bao-cao-tien-do-91-2026-06-30\.xlsx"/);
    });

    it('heads each sheet with the province, as-of date cell, known-at and the plan references', () => {
      for (const sheet of workbook.worksheets) {
        const rows = cells(sheet);
        const line = (label: string) => rows.find(({ values }) => values[0] === label);
        expect(line('Số liệu tính đến ngày (asOf)')!.values[1]).toEqual(utc(asOf));
        expect(line('Số liệu tính đến ngày (asOf)')!.row.getCell(2).numFmt).toBe('dd/mm/yyyy');
        expect(String(line('Theo hồ sơ ghi nhận đến (knownAt)')!.values[1])).toMatch(/giờ Việt Nam/);
        expect(String(line('Kế hoạch')!.values[1])).toContain('251/KH-UBND');
        expect(line('Tỉnh, thành phố')!.values[1]).toMatch(/\(91\)$/);
      }
    });

    it('lists every metric with the progress answer\'s value, counts and shares in their formats, and the coverage', () => {
      const rows = cells(workbook.worksheets[0]);
      const metric = (name: string) => rows.find(({ values }) => values[1] === name)!;
      expect(metric('cooperatives').values[2]).toBe(progress.metrics.cooperatives);
      expect(metric('cooperatives').values[2]).toBe(3); // A, C and the one that moved in from Hà Nội; B is dissolved
      expect(metric('cooperatives').row.getCell(3).numFmt).toBe('#,##0');
      expect(metric('cooperative_members').values[2]).toBe(progress.metrics.cooperative_members);
      expect(metric('cooperatives_good_or_fair_share').values[2]).toBe(progress.metrics.cooperatives_good_or_fair_share);
      expect(metric('cooperatives_good_or_fair_share').row.getCell(3).numFmt).toBe('0.0%');
      expect(metric('directors_trained_share').values[3]).toBe(progress.coverage.directors_trained_share);
      expect(metric('directors_trained_share').row.getCell(4).numFmt).toBe('0.0%');
    });

    it('lists the targets: quote, aim, actual, attainment, status', () => {
      const rows = cells(workbook.worksheets[1]);
      const header = rows.findIndex(({ values }) => values[0] === 'Kế hoạch' && values[3] === 'Chỉ số');
      const targets = rows.slice(header + 1);
      expect(targets.length).toBe(progress.targets.length);
      const first = progress.targets[0];
      expect(targets[0].values[0]).toBe(first.planId);
      expect(targets[0].values[9]).toBe(first.quote);
      expect(targets[0].values[12]).toBe(first.actual);
      expect(targets[0].values[13] ?? null).toBe(first.attainment);
      expect(targets[0].row.getCell(14).numFmt).toBe('0.0%');
      expect(targets[0].row.getCell(9).value).toEqual(utc(first.deadline));
    });

    it('has one row per month end up to asOf, as the series answers', async () => {
      const series = (await http.get(`/api/provinces/91/progress/series?from=2025-01-01&to=${asOf}&step=month`)).body as { asOf: string; metrics: Record<string, number | null> }[];
      const rows = cells(workbook.worksheets[2]);
      const names = rows.find(({ values }) => values[0] === 'asOf')!.values;
      const points = rows.slice(rows.findIndex(({ values }) => values[0] === 'asOf') + 1);
      expect(points.map(({ values }) => values[0])).toEqual(series.map((point) => utc(point.asOf)));
      const column = names.indexOf('cooperatives');
      expect(points.map(({ values }) => values[column] ?? null)).toEqual(series.map((point) => point.metrics.cooperatives));
    });
  });

  describe('the empty template', () => {
    it('is a workbook of the import columns and a notes sheet (any signed-in role)', async () => {
      expect((await download(api, '/api/imports/template.xlsx', null)).status).toBe(401);
      const answer = await download(api, '/api/imports/template.xlsx', api.token('registrar', ['91']));
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe(XLSX);
      const workbook = await workbookOf(answer.bytes);
      const header = (workbook.worksheets[0].getRow(1).values as unknown[]).slice(1);
      expect(header).toEqual(HEADERS.filter((name) => name !== 'Tỉnh hiện nay'));
      const notes: string[] = [];
      workbook.worksheets[1].eachRow((row) => notes.push((row.values as unknown[]).join(' ')));
      const text = notes.join('\n');
      expect(text).toMatch(/Liên hiệp hợp tác xã không nhập/);
      expect(text).toMatch(/Có \/ Không/);
      expect(text).toMatch(/dd\/mm\/yyyy/);
    });
  });
});
