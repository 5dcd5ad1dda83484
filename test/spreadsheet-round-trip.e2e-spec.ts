import ExcelJS from 'exceljs';
import { httpClient } from './support/http';
import { cooperative, cooperativeGroup } from './support/fixtures';
import { startTestApi, type TestApi } from './support/test-api';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Round trip (issue 17): a province exported as of a date and imported into a fresh instance answers
 * the same metrics and coverage as of that date, from XLSX and from CSV. The register holds the forms
 * the template must carry: ratings, flags known and unknown, managers, a member change, suspension,
 * dormancy, a dissolution, a registration in former An Giang (89) before the merger and one in the
 * merged 91 after it. One more cooperative of 91 moved its seat to Hà Nội (01): it is listed apart (a row
 * imports where it was registered, so its move would be lost), and the province it left still round-trips.
 */
describe('export → import round trip (issue 17)', () => {
  const asOf = '2026-06-30';
  let source: TestApi;
  let moved: string;
  let kept: string[];
  const targets: TestApi[] = [];

  beforeAll(async () => {
    source = await startTestApi('e2e_round_trip_source', { SEED_PLANS: 'false' });
    const http = httpClient(source.api.baseUrl, { token: source.api.adminToken });
    const a = cooperative({ name: 'Hợp tác xã Tân Hiệp', managers: { total: 5, withDegree: 2 }, valueChain: true, digitalAdoption: false });
    const b = cooperative({ name: 'HTX Mỹ Hòa Hưng', provinceCode: '89', registeredOn: '2021-05-10', sector: 'fisheries', enterpriseLinked: true });
    const c = cooperative({ name: 'HTX Long Xuyên', provinceCode: '91', formerProvinceCode: '89', registeredOn: '2026-01-05', memberCount: 7, highTech: true, directorTrained: true });
    const d = cooperativeGroup({ name: 'Tổ hợp tác rau sạch', registeredOn: '2022-02-02' });
    const e = cooperative({ name: 'HTX Giải Thể', registeredOn: '2019-01-10' });
    const f = cooperative({ name: 'HTX Ấp Bắc', registeredOn: '2020-07-01', sector: 'trade_services' });
    const g = cooperative({ name: 'HTX Chuyển Đi', registeredOn: '2022-03-03', memberCount: 40 });
    moved = g.registrationNumber;
    kept = [a, b, c, d, e, f].map((o) => o.registrationNumber);
    for (const body of [a, b, c, d, e, f, g]) expect((await http.post('/api/organizations', body)).status).toBe(201);
    const ok = async (path: string, body: unknown) => expect((await http.post(path, body)).status).toBe(200);
    await ok(`/api/organizations/${a.id}/ratings`, { rating: 'good', year: 2025, ratedOn: '2025-12-15' });
    await ok(`/api/organizations/${b.id}/ratings`, { rating: 'fair', year: 2025, ratedOn: '2025-12-10' });
    await ok(`/api/organizations/${b.id}/suspension`, { effectiveOn: '2026-02-01', reason: 'Tạm ngừng theo thông báo' });
    await ok(`/api/organizations/${d.id}/dormancy`, { effectiveOn: '2025-03-03', finding: 'Không còn hoạt động' });
    await ok(`/api/organizations/${e.id}/dissolution`, { effectiveOn: '2026-03-05', mode: 'voluntary', decisionRef: '05/QĐ-UBND' });
    await ok(`/api/organizations/${f.id}/membership`, { memberCount: 30, effectiveOn: '2025-06-01' });
    await ok(`/api/organizations/${f.id}/ratings`, { rating: 'weak', year: 2024, ratedOn: '2024-12-20' });
    await ok(`/api/organizations/${g.id}/relocation`, { provinceCode: '01', effectiveOn: '2026-04-01' });
    // Read your writes before exporting: the list the export reads follows the log.
    expect((await http.get(`/api/provinces/91/progress?asOf=${asOf}`)).status).toBe(200);
  });
  afterAll(async () => {
    await Promise.all([source?.stop(), ...targets.map((target) => target.stop())]);
  });

  async function progress(api: TestApi, minPosition?: string | null) {
    const answer = await httpClient(api.api.baseUrl, { token: api.api.adminToken }).get(`/api/provinces/91/progress?asOf=${asOf}${minPosition ? `&minPosition=${encodeURIComponent(minPosition)}` : ''}`);
    expect(answer.status).toBe(200);
    return { metrics: answer.body.metrics, coverage: answer.body.coverage };
  }

  it.each([
    ['xlsx', XLSX],
    ['csv', 'text/csv'],
  ])('a %s export imports into a fresh instance with the same metrics as of that date', async (format, contentType) => {
    // The whole register (the relocated cooperative is in 01 at asOf, outside a 91 export).
    const exported = await fetch(new URL(`/api/organizations/export?format=${format}&asOf=${asOf}`, source.api.baseUrl), { headers: { authorization: `Bearer ${source.api.adminToken}` } });
    expect(exported.status).toBe(200);
    const file = new Uint8Array(await exported.arrayBuffer());
    if (format === 'xlsx') {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.from(file) as unknown as ExcelJS.Buffer);
      const numbers = (name: string) => {
        const found: unknown[] = [];
        workbook.getWorksheet(name)!.eachRow((row, n) => n > 1 && found.push(row.getCell(3).value));
        return found;
      };
      expect(workbook.worksheets[0].name).toBe('Tổ chức');
      expect(numbers('Tổ chức').sort()).toEqual([...kept].sort());
      expect(numbers('Đã chuyển tỉnh')).toEqual([moved]);
    } else {
      expect(exported.headers.get('x-relocated-listed-apart')).toBe('1');
    }

    const target = await startTestApi(`e2e_round_trip_${format}`, { SEED_PLANS: 'false' });
    targets.push(target);
    const imported = await fetch(new URL(`/api/imports?fileName=export.${format}`, target.api.baseUrl), { method: 'POST', headers: { authorization: `Bearer ${target.api.adminToken}`, 'content-type': contentType }, body: file });
    const report = await imported.json();
    expect(imported.status).toBe(200);
    expect(report).toMatchObject({ rows: 6, created: 6, refused: [], differences: [] });

    const expected = await progress(source);
    // Not a comparison of empty answers: four cooperatives (the dissolved one gone, the suspended one kept), one dormant group.
    expect(expected.metrics).toMatchObject({ cooperatives: 4, cooperative_groups: 1, suspended_cooperatives: 1 });
    expect(await progress(target, report.position)).toEqual(expected);
    // Every organization but the relocated one is in the fresh instance; the relocated one is not.
    const listed = await httpClient(target.api.baseUrl, { token: target.api.adminToken }).get(`/api/organizations?limit=100&asOf=${asOf}${report.position ? `&minPosition=${encodeURIComponent(report.position)}` : ''}`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((item: { registrationNumber: string }) => item.registrationNumber).sort()).toEqual([...kept].sort());

    // Back into the instance it came from: every row is recorded as it is, nothing is created.
    const again = await fetch(new URL(`/api/imports?fileName=export.${format}`, source.api.baseUrl), { method: 'POST', headers: { authorization: `Bearer ${source.api.adminToken}`, 'content-type': contentType }, body: file });
    expect(await again.json()).toMatchObject({ rows: 6, created: 0, unchanged: 6, differences: [], refused: [], position: null });
  }, 120_000);
});
