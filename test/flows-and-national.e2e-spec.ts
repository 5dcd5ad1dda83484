import { startTestApi, type TestApi } from './support/test-api';
import { httpClient } from './support/http';
import { cooperative, cooperativeGroup } from './support/fixtures';

type Counts = Record<string, number>;
type Flows = { territory: { code: string; boundariesOn: string | null; name: string }; byKind: Record<'cooperative' | 'cooperative_group' | 'union', Counts> };

/**
 * Flows (GET /api/provinces/{code}/flows), the national roll-up (GET /api/national/progress and
 * /series) and the population behind population_share, over real HTTP on a database of their own.
 * Organizations in former Kiên Giang (91), former An Giang (89) and Lào Cai (10), with a relocation,
 * lifecycle events, a dissolution of each mode and a retracted suspension.
 */
describe('flows, the national roll-up and population over HTTP', () => {
  let started: TestApi;
  let http: ReturnType<typeof httpClient>;
  const ids: Record<string, string> = {};
  let beforeCorrection = '';

  beforeAll(async () => {
    started = await startTestApi('e2e_flows_national');
    http = httpClient(started.api.baseUrl, { token: started.api.adminToken });
    const post = async (path: string, body: object) => {
      const answer = await http.post(path, body);
      if (answer.status >= 300) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body;
    };
    // Former Kiên Giang (91): one cooperative of 2023, two of 2024, a group of 2024.
    ids.k0 = (await post('/api/organizations', cooperative({ registeredOn: '2023-04-01', memberCount: 10 }))).id;
    ids.k1 = (await post('/api/organizations', cooperative({ registeredOn: '2024-03-01', memberCount: 20 }))).id;
    ids.k2 = (await post('/api/organizations', cooperative({ registeredOn: '2024-05-01', memberCount: 30 }))).id;
    ids.kg = (await post('/api/organizations', cooperativeGroup({ registeredOn: '2024-02-01', memberCount: 4 }))).id;
    // Former An Giang (89): two cooperatives and a group alive on 2025-06-30, one cooperative dissolved before.
    ids.a1 = (await post('/api/organizations', cooperative({ provinceCode: '89', registeredOn: '2020-01-01', memberCount: 40 }))).id;
    ids.a2 = (await post('/api/organizations', cooperative({ provinceCode: '89', registeredOn: '2021-01-01', memberCount: 50 }))).id;
    ids.ag = (await post('/api/organizations', cooperativeGroup({ provinceCode: '89', registeredOn: '2022-01-01', memberCount: 6 }))).id;
    ids.a4 = (await post('/api/organizations', cooperative({ provinceCode: '89', registeredOn: '2022-01-01', memberCount: 8 }))).id;
    await post(`/api/organizations/${ids.a4}/dissolution`, { effectiveOn: '2024-06-01', mode: 'compulsory', decisionRef: 'QĐ 4/2024' });
    // In 91 during 2024: k1 moves to Lào Cai (10); k2 suspended and resumed; k0 found dormant, then dissolved.
    await post(`/api/organizations/${ids.k1}/relocation`, { provinceCode: '10', effectiveOn: '2024-09-01' });
    await post(`/api/organizations/${ids.k2}/suspension`, { effectiveOn: '2024-07-01', reason: 'Tạm ngừng theo thông báo' });
    await post(`/api/organizations/${ids.k2}/resumption`, { effectiveOn: '2024-10-01' });
    await post(`/api/organizations/${ids.k0}/suspension`, { effectiveOn: '2024-04-01', reason: 'Nhập nhầm' });
    await post(`/api/organizations/${ids.k0}/dormancy`, { effectiveOn: '2024-08-01', finding: 'Biên bản kiểm tra' });
    await post(`/api/organizations/${ids.k0}/dissolution`, { effectiveOn: '2024-11-01', mode: 'voluntary', decisionRef: 'QĐ 11/2024' });
    // The k0 suspension was a mistake: retracted, so it counts only for what was known before.
    const events = (await http.get(`/api/organizations/${ids.k0}/events`)).body as { type: string; eventId: string }[];
    await new Promise((resolve) => setTimeout(resolve, 20));
    beforeCorrection = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await post(`/api/organizations/${ids.k0}/corrections`, { eventId: events.find((e) => e.type === 'OrganizationSuspended')!.eventId, reason: 'Không có thông báo tạm ngừng' });
  });
  afterAll(async () => {
    await started?.stop();
  });

  const flows = async (code: string, query: string): Promise<Flows> => {
    const answer = await http.get(`/api/provinces/${code}/flows?${query}`);
    expect(answer.status).toBe(200);
    return answer.body;
  };

  it('answers how many cooperatives province 91 registered in 2024, and what else moved there', async () => {
    const answer = await flows('91', 'from=2024-01-01&to=2024-12-31');
    expect(answer.territory).toMatchObject({ code: '91', boundariesOn: null, name: 'Kiên Giang' });
    expect(answer.byKind.cooperative).toEqual({
      registered: 2,
      dissolvedVoluntary: 1,
      dissolvedCompulsory: 0,
      suspended: 1, // k2; k0's suspension was retracted
      foundDormant: 1,
      resumed: 1,
      relocatedIn: 0,
      relocatedOut: 1,
      reorganizedIn: 0,
      reorganizedOut: 0,
    });
    expect(answer.byKind.cooperative_group).toMatchObject({ registered: 1, relocatedOut: 0 });
    expect(answer.byKind.union).toMatchObject({ registered: 0 });
    // The period's ends are inclusive: k1's registration on 2024-03-01 alone.
    expect((await flows('91', 'from=2024-03-01&to=2024-03-01')).byKind.cooperative.registered).toBe(1);
    expect((await flows('91', 'from=2024-03-02&to=2024-04-30')).byKind.cooperative.registered).toBe(0);
  });

  it('shows a relocation out of the old province and into the new one, on its effective date', async () => {
    expect((await flows('91', 'from=2024-09-01&to=2024-09-01')).byKind.cooperative).toMatchObject({ relocatedOut: 1, relocatedIn: 0 });
    expect((await flows('10', 'from=2024-09-01&to=2024-09-01')).byKind.cooperative).toMatchObject({ relocatedIn: 1, relocatedOut: 0, registered: 0 });
    expect((await flows('10', 'from=2024-01-01&to=2024-08-31')).byKind.cooperative.relocatedIn).toBe(0);
  });

  it('counts a dissolution by its mode, in the province of its date', async () => {
    expect((await flows('89', 'from=2024-01-01&to=2024-12-31')).byKind.cooperative).toMatchObject({ dissolvedCompulsory: 1, dissolvedVoluntary: 0, registered: 0 });
  });

  it('counts what was known at knownAt: the retracted suspension before its correction', async () => {
    const before = await flows('91', `from=2024-01-01&to=2024-12-31&knownAt=${encodeURIComponent(beforeCorrection)}`);
    expect(before.byKind.cooperative.suspended).toBe(2);
    const earlier = await flows('91', 'from=2024-01-01&to=2024-12-31&knownAt=2020-01-01T00:00:00.000Z');
    expect(earlier.byKind.cooperative).toMatchObject({ registered: 0, suspended: 0 });
  });

  it('moves former An Giang\'s organizations alive on 2025-06-30 into 91 by the reorganization, and none with fixed boundaries', async () => {
    const following = await flows('91', 'from=2025-01-01&to=2025-12-31');
    expect(following.territory).toMatchObject({ code: '91', boundariesOn: null, name: 'An Giang' });
    expect(following.byKind.cooperative).toMatchObject({ reorganizedIn: 2, reorganizedOut: 0 }); // a1, a2 (a4 was dissolved)
    expect(following.byKind.cooperative_group).toMatchObject({ reorganizedIn: 1 });
    const fixed = await flows('91', 'from=2025-01-01&to=2025-12-31&boundariesOn=2025-06-30');
    expect(fixed.territory).toMatchObject({ boundariesOn: '2025-06-30', name: 'Kiên Giang' });
    expect(fixed.byKind.cooperative).toMatchObject({ reorganizedIn: 0, reorganizedOut: 0 });
    // 89 ends on 2025-06-30: its organizations leave it by the reorganization.
    expect((await flows('89', 'from=2025-01-01&to=2025-12-31')).byKind.cooperative).toMatchObject({ reorganizedOut: 2 });
    // Lào Cai (15 from 2025-07-01) takes in k1 from former Lào Cai (10).
    expect((await flows('15', 'from=2025-07-01&to=2025-07-31')).byKind.cooperative).toMatchObject({ reorganizedIn: 1 });
  });

  it('refuses a code not in force over the period (404 naming the successor), one that never existed, and to before from', async () => {
    const ended = await http.get('/api/provinces/89/flows?from=2026-01-01&to=2026-12-31');
    expect(ended.status).toBe(404);
    expect(ended.body).toMatchObject({ code: 'PROVINCE_NOT_IN_FORCE', successor: '91' });
    expect((await http.get('/api/provinces/99/flows?from=2026-01-01&to=2026-12-31')).body.code).toBe('UNKNOWN_PROVINCE');
    const backwards = await http.get('/api/provinces/91/flows?from=2026-01-01&to=2025-12-31');
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([{ path: 'to', message: expect.any(String) }]);
    expect((await http.get('/api/provinces/91/flows?from=2026-01-01')).status).toBe(400);
  });

  it('rolls up the country as the sum of the provinces in force, before and after the merger', async () => {
    for (const asOf of ['2024-12-31', '2026-01-01']) {
      const provinces = (await http.get(`/api/provinces?asOf=${asOf}`)).body as { code: string }[];
      const sums: Counts = { cooperatives: 0, cooperative_members: 0, cooperative_groups: 0, cooperative_group_members: 0 };
      for (const { code } of provinces) {
        const progress = (await http.get(`/api/provinces/${code}/progress?asOf=${asOf}`)).body as { metrics: Counts };
        for (const name of Object.keys(sums)) sums[name] += progress.metrics[name];
      }
      const national = await http.get(`/api/national/progress?asOf=${asOf}`);
      expect(national.status).toBe(200);
      expect(national.body).toMatchObject({ asOf, future: false, metrics: sums });
    }
    expect((await http.get('/api/national/progress?asOf=2024-12-31')).body.metrics.cooperatives).toBe(4); // a1, a2, k1 (in 10), k2; k0 and a4 dissolved
  });

  it('answers a national series, one point per period end, null after today', async () => {
    const series = await http.get('/api/national/series?from=2024-01-01&to=2024-12-31&step=quarter');
    expect(series.status).toBe(200);
    expect(series.body.map((p: { asOf: string }) => p.asOf)).toEqual(['2024-03-31', '2024-06-30', '2024-09-30', '2024-12-31']);
    const q4 = (await http.get('/api/national/progress?asOf=2024-12-31')).body.metrics;
    expect(series.body[3].metrics).toEqual(q4);
    const future = await http.get('/api/national/series?from=2099-01-01&to=2099-12-31&step=year');
    expect(future.body).toEqual([{ asOf: '2099-12-31', future: true, metrics: expect.objectContaining({ cooperatives: null, population_share: null }) }]);
  });

  it('gives population_share a value where a population is sourced, and says why not before any figure', async () => {
    const national = (await http.get('/api/national/progress?asOf=2024-12-31')).body;
    const members = national.metrics.cooperative_members + national.metrics.cooperative_group_members;
    expect(national.population).toMatchObject({ value: 96208984, figures: [{ unit: 'country', year: 2019, kind: 'census', population: 96208984 }] });
    expect(national.metrics.population_share).toBeCloseTo(members / 96208984, 12);
    const early = (await http.get('/api/national/progress?asOf=2018-12-31')).body;
    expect(early.metrics.population_share).toBeNull();
    expect(early.population).toMatchObject({ value: null, reason: expect.stringMatching(/2018 or earlier/) });
  });

  it('evaluates the Yên Bái 2045 target (20 % of the population) against former Yên Bái\'s sourced population, and says why not before it', async () => {
    const target = async (asOf: string) => {
      const answer = (await http.get(`/api/provinces/15/progress?asOf=${asOf}&boundariesOn=2025-06-30`)).body;
      return { answer, target: answer.targets.find((t: { planId: string; metric: string }) => t.planId === 'yen-bai-ctr-tu-20-nq-tw' && t.metric === 'population_share') };
    };
    const sourced = await target('2024-06-30');
    expect(sourced.answer.population).toMatchObject({ value: 847245, figures: [{ unit: '15', year: 2022, kind: 'yearly-average' }] });
    expect(sourced.target).toMatchObject({ value: 0.2, deadline: '2045-12-31', actual: 0, met: false, population: { value: 847245 } });
    const unsourced = await target('2018-12-31');
    expect(unsourced.answer.metrics.population_share).toBeNull();
    expect(unsourced.answer.population).toMatchObject({ value: null, reason: expect.stringMatching(/former province 15\b/) });
    // Before the 2019 census no figure of former Yên Bái is sourced; the programme (adopted 2022-12-31) is not in force yet either.
    expect(unsourced.target).toBeUndefined();
    // Lào Cai as of 2026 (former Lào Cai + former Yên Bái) adds its units' figures.
    const merged = (await http.get('/api/provinces/15/progress?asOf=2026-01-01')).body;
    expect(merged.population.figures.map((f: { unit: string }) => f.unit)).toEqual(['10', '15']);
    expect(merged.population.value).toBe(730420 + 847245);
  });

  it('gives each province in force its population for the year asked, and none where a unit has no sourced figure', async () => {
    const byCode = async (asOf: string) => new Map(((await http.get(`/api/provinces?asOf=${asOf}`)).body as { code: string; population?: number }[]).map((p) => [p.code, p]));
    const before = await byCode('2024-12-31');
    expect(before.get('91')?.population).toBe(1723067);
    expect(before.get('54')).not.toHaveProperty('population'); // Phú Yên: no sourced census figure yet
    const after = await byCode('2026-01-01');
    expect(after.get('91')?.population).toBe(1908352 + 1723067);
    expect(after.get('66')).not.toHaveProperty('population'); // Đắk Lắk from 2025 takes in Phú Yên (54)
    expect((await byCode('2015-12-31')).get('91')).not.toHaveProperty('population');
  });
});
