import { httpClient } from './support/http';
import { cooperative, cooperativeGroup } from './support/fixtures';
import { startTestApi, type TestApi } from './support/test-api';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Round trip (issue 17): a province exported as of a date and imported into a fresh instance answers
 * the same metrics and coverage as of that date, from XLSX and from CSV. The register holds the forms
 * the template must carry: ratings, flags known and unknown, managers, a member change, suspension,
 * dormancy, a dissolution, a registration in former An Giang (89) before the merger and one in the
 * merged 91 after it.
 */
describe('export → import round trip (issue 17)', () => {
  const asOf = '2026-06-30';
  let source: TestApi;
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
    for (const body of [a, b, c, d, e, f]) expect((await http.post('/api/organizations', body)).status).toBe(201);
    const ok = async (path: string, body: unknown) => expect((await http.post(path, body)).status).toBe(200);
    await ok(`/api/organizations/${a.id}/ratings`, { rating: 'good', year: 2025, ratedOn: '2025-12-15' });
    await ok(`/api/organizations/${b.id}/ratings`, { rating: 'fair', year: 2025, ratedOn: '2025-12-10' });
    await ok(`/api/organizations/${b.id}/suspension`, { effectiveOn: '2026-02-01', reason: 'Tạm ngừng theo thông báo' });
    await ok(`/api/organizations/${d.id}/dormancy`, { effectiveOn: '2025-03-03', finding: 'Không còn hoạt động' });
    await ok(`/api/organizations/${e.id}/dissolution`, { effectiveOn: '2026-03-05', mode: 'voluntary', decisionRef: '05/QĐ-UBND' });
    await ok(`/api/organizations/${f.id}/membership`, { memberCount: 30, effectiveOn: '2025-06-01' });
    await ok(`/api/organizations/${f.id}/ratings`, { rating: 'weak', year: 2024, ratedOn: '2024-12-20' });
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
    const exported = await fetch(new URL(`/api/organizations/export?format=${format}&provinceCode=91&asOf=${asOf}`, source.api.baseUrl), { headers: { authorization: `Bearer ${source.api.adminToken}` } });
    expect(exported.status).toBe(200);
    const file = new Uint8Array(await exported.arrayBuffer());

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

    // Back into the instance it came from: every row is recorded as it is, nothing is created.
    const again = await fetch(new URL(`/api/imports?fileName=export.${format}`, source.api.baseUrl), { method: 'POST', headers: { authorization: `Bearer ${source.api.adminToken}`, 'content-type': contentType }, body: file });
    expect(await again.json()).toMatchObject({ rows: 6, created: 0, unchanged: 6, differences: [], refused: [], position: null });
  }, 120_000);
});
