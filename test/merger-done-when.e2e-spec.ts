import { randomUUID } from 'node:crypto';
import { type TestApi, expectRefused, startTestApi } from './support/test-api';
import { httpClient } from './support/http';
import { cooperative, cooperativeGroup } from './support/fixtures';

/**
 * Issue 15's "Done when", one test per behaviour, over real HTTP against the built api on a real
 * PostgreSQL: its first start records the 2025 merger and seeds Plan 251 (Kiên Giang,
 * `91@2023-10-20`) and the Yên Bái programme (`15@2022-12-31`). Each describe starts its own api, so
 * the counts below are exactly the organizations it registers. (The national bench and the README
 * are checked by their own means: bench/RESULTS-national.md, the README.)
 */

type Http = ReturnType<typeof httpClient>;
const PLAN_251 = 'kien-giang-251-kh-ubnd-2023';
const YEN_BAI = 'yen-bai-ctr-tu-20-nq-tw';

/** The count metrics: what a territory's step on 2025-07-01 adds exactly. */
const COUNTS = ['cooperative_groups', 'cooperative_group_members', 'cooperatives', 'cooperative_members', 'unions', 'union_member_cooperatives'] as const;

async function register(http: Http, body: Record<string, unknown>): Promise<string> {
  const answer = await http.post('/api/organizations', body);
  expect(answer.status).toBe(201);
  return answer.body.id as string;
}

async function progress(http: Http, code: string, query: string): Promise<any> {
  const answer = await http.get(`/api/provinces/${code}/progress?${query}`);
  expect(answer).toMatchObject({ status: 200 });
  return answer.body;
}

/** The targets of one plan in a progress answer, by metric. */
function targetsOf(answer: { targets: { planId: string; metric: string }[] }, planId: string): Map<string, any> {
  return new Map(answer.targets.filter((target) => target.planId === planId).map((target) => [target.metric, target]));
}

describe('issue 15, done when: An Giang and Kiên Giang across the merger', () => {
  let started: TestApi;
  let http: Http;

  beforeAll(async () => {
    started = await startTestApi('e2e_merger_done_when');
    http = httpClient(started.api.baseUrl, { token: started.api.adminToken });
    // Former An Giang (89), before the merger: two cooperatives and a group.
    await register(http, cooperative({ provinceCode: '89', registeredOn: '2019-05-01', memberCount: 10 }));
    await register(http, cooperative({ provinceCode: '89', registeredOn: '2021-03-01', memberCount: 7 }));
    await register(http, cooperativeGroup({ provinceCode: '89', registeredOn: '2022-02-01', memberCount: 4 }));
    // Former Kiên Giang (91), before the merger: one cooperative.
    await register(http, cooperative({ provinceCode: '91', registeredOn: '2020-03-01', memberCount: 12 }));
    // After the merger, in An Giang (91): one seated in former Kiên Giang, one in former An Giang.
    await register(http, cooperative({ provinceCode: '91', formerProvinceCode: '91', registeredOn: '2025-08-01', memberCount: 9 }));
    await register(http, cooperative({ provinceCode: '91', formerProvinceCode: '89', registeredOn: '2025-08-01', memberCount: 6 }));
    // Former Yên Bái (15), for its population target.
    await register(http, cooperative({ provinceCode: '15', registeredOn: '2021-06-01', memberCount: 20 }));
    await register(http, cooperativeGroup({ provinceCode: '15', registeredOn: '2021-06-01', memberCount: 5 }));
  });
  afterAll(async () => {
    await started?.stop();
  });

  it('counts 89 and 91 apart before the merger and together from it; Plan 251 as of 2026 counts former Kiên Giang only (with formerProvinceCode 91, not 89)', async () => {
    const before = await progress(http, '91', 'asOf=2025-06-30');
    expect(before.territory).toMatchObject({ code: '91', boundariesOn: '2025-06-30', name: 'Kiên Giang' });
    expect(before.metrics.cooperatives).toBe(1);

    const from = await progress(http, '91', 'asOf=2025-07-01');
    expect(from.territory).toMatchObject({ code: '91', boundariesOn: '2025-07-01', name: 'An Giang', predecessors: ['89', '91'] });
    expect(from.metrics.cooperatives).toBe(3);
    expect(from.metrics.cooperative_groups).toBe(1);

    const in2026 = await progress(http, '91', 'asOf=2026-01-01');
    expect(in2026.metrics.cooperatives).toBe(5);
    const plan251 = targetsOf(in2026, PLAN_251);
    expect(plan251.size).toBeGreaterThan(0);
    // On former Kiên Giang: the cooperative of 2020 and the one of 2025 with formerProvinceCode 91.
    expect(plan251.get('cooperatives')).toMatchObject({ actual: 2, planTerritory: { code: '91', boundariesOn: '2023-10-20', name: 'Kiên Giang' } });
    expect(plan251.get('cooperative_members').actual).toBe(12 + 9);
    expect(plan251.get('cooperative_groups').actual).toBe(0);
  });

  it('answers 89 as of 2026 with 404 PROVINCE_NOT_IN_FORCE naming 91, and on the boundaries of 2025-06-30 with former An Giang as of 2026', async () => {
    const problem = await expectRefused(started.pool, () => http.get('/api/provinces/89/progress?asOf=2026-01-01'), 404, 'PROVINCE_NOT_IN_FORCE');
    expect(problem.successor).toBe('91');
    expect(problem.detail).toContain('91');

    const former = await progress(http, '89', 'asOf=2026-01-01&boundariesOn=2025-06-30');
    expect(former.territory).toMatchObject({ code: '89', boundariesOn: '2025-06-30', name: 'An Giang' });
    expect(former.asOf).toBe('2026-01-01');
    // The two of before the merger and the one registered after it with formerProvinceCode 89.
    expect(former.metrics).toMatchObject({ cooperatives: 3, cooperative_members: 10 + 7 + 6, cooperative_groups: 1, cooperative_group_members: 4 });
  });

  it('steps a 10-year monthly series of 91 on 2025-07-01 by exactly former An Giang\'s counts, and not on fixed boundaries of 2024-01-01', async () => {
    const series = await http.get('/api/provinces/91/progress/series?from=2016-01-01&to=2025-12-31&step=month');
    expect(series.status).toBe(200);
    const points: { asOf: string; inForce: boolean; metrics: Record<string, number | null> }[] = series.body;
    expect(points).toHaveLength(120);
    expect(points.every((point) => point.inForce)).toBe(true);
    const at = (asOf: string) => points.find((point) => point.asOf === asOf)!;
    const june = at('2025-06-30');
    const july = at('2025-07-31');
    const formerAnGiang = (await progress(http, '89', 'asOf=2025-07-31&boundariesOn=2025-06-30')).metrics;
    expect(formerAnGiang.cooperatives).toBe(2);
    for (const metric of COUNTS) expect({ metric, step: (july.metrics[metric] as number) - (june.metrics[metric] as number) }).toEqual({ metric, step: formerAnGiang[metric] });
    // The line moves only with registrations (2020-03 in former Kiên Giang, 2025-08 in An Giang) and on the merger.
    const steps = points.slice(1).filter((point, i) => point.metrics.cooperatives !== points[i].metrics.cooperatives).map((point) => point.asOf);
    expect(steps).toEqual(['2020-03-31', '2025-07-31', '2025-08-31']);

    const fixed = await http.get('/api/provinces/91/progress/series?from=2016-01-01&to=2025-12-31&step=month&boundariesOn=2024-01-01');
    expect(fixed.status).toBe(200);
    const fixedPoints: typeof points = fixed.body;
    expect(fixedPoints).toHaveLength(120);
    const fixedAt = (asOf: string) => fixedPoints.find((point) => point.asOf === asOf)!;
    for (const metric of COUNTS) expect({ metric, value: fixedAt('2025-07-31').metrics[metric] }).toEqual({ metric, value: fixedAt('2025-06-30').metrics[metric] });
    expect(fixedAt('2025-07-31').metrics.cooperatives).toBe(1);
    // On fixed boundaries (former Kiên Giang) the line moves only with its own registrations: 2020-03, and 2025-08 with formerProvinceCode 91.
    const fixedSteps = fixedPoints.slice(1).filter((point, i) => point.metrics.cooperatives !== fixedPoints[i].metrics.cooperatives).map((point) => point.asOf);
    expect(fixedSteps).toEqual(['2020-03-31', '2025-08-31']);
  });

  it('answers a repealed plan\'s targets before the repeal date and not from it, each plan on its own territory', async () => {
    // A plan of the merged An Giang (adopted by 91 after the merger) and one of former An Giang (89 before it).
    const merged = { id: `an-giang-${randomUUID().slice(0, 8)}`, provinceCode: '91', adoptedOn: '2025-09-01' };
    const former = { id: `an-giang-cu-${randomUUID().slice(0, 8)}`, provinceCode: '89', adoptedOn: '2024-01-10' };
    for (const plan of [merged, former]) {
      const answer = await http.post('/api/plans', {
        ...plan,
        document: '12/KH-UBND',
        title: 'Kế hoạch phát triển kinh tế tập thể',
        issuer: 'Ủy ban nhân dân tỉnh An Giang',
        targets: [{ metric: 'cooperatives', op: 'at_least', value: 10, deadline: '2030-12-31', quote: 'ít nhất 10 hợp tác xã' }],
      });
      expect(answer.status).toBe(201);
      expect((await http.post(`/api/plans/${plan.id}/end`, { effectiveOn: '2026-03-01', reason: 'Bãi bỏ kế hoạch', document: '99/QĐ-UBND' })).status).toBe(200);
    }

    const beforeRepeal = await progress(http, '91', 'asOf=2026-02-28');
    expect(targetsOf(beforeRepeal, merged.id).get('cooperatives')).toMatchObject({ actual: 5, planTerritory: { code: '91', boundariesOn: '2025-09-01', name: 'An Giang' } });
    expect(targetsOf(beforeRepeal, former.id).get('cooperatives')).toMatchObject({ actual: 3, planTerritory: { code: '89', boundariesOn: '2024-01-10', name: 'An Giang' } });
    expect(targetsOf(beforeRepeal, PLAN_251).size).toBeGreaterThan(0);

    for (const asOf of ['2026-03-01', '2026-06-01']) {
      const afterRepeal = await progress(http, '91', `asOf=${asOf}`);
      expect(targetsOf(afterRepeal, merged.id).size).toBe(0);
      expect(targetsOf(afterRepeal, former.id).size).toBe(0);
      expect(targetsOf(afterRepeal, PLAN_251).size).toBeGreaterThan(0);
    }
    // Former An Giang on its own boundaries: its plan before the repeal, not after.
    expect(targetsOf(await progress(http, '89', 'asOf=2026-02-28&boundariesOn=2025-06-30'), former.id).size).toBe(1);
    expect(targetsOf(await progress(http, '89', 'asOf=2026-03-01&boundariesOn=2025-06-30'), former.id).size).toBe(0);
  });

  it('gives population_share and the Yên Bái population target a value where a population is sourced, and says why not where none is', async () => {
    // Former Yên Bái: a sourced figure of a year ≤ 2024 (data/reference/province-population-figures.json).
    const sourced = await progress(http, '15', 'asOf=2024-06-30');
    expect(sourced.territory).toMatchObject({ code: '15', name: 'Yên Bái' });
    expect(sourced.metrics.population_share).toEqual(expect.any(Number));
    expect(sourced.metrics.population_share).toBeGreaterThan(0);
    expect(sourced.population).toMatchObject({ value: expect.any(Number) });
    expect(sourced.metrics.population_share).toBeCloseTo((20 + 5) / sourced.population.value, 12);
    const target = targetsOf(sourced, YEN_BAI).get('population_share');
    expect(target).toMatchObject({ actual: sourced.metrics.population_share, met: false, attainment: expect.any(Number) });

    // Before 2019 (the census of 1 April 2019 is former Yên Bái's first sourced figure) none is: null, and the answer says why.
    const unsourced = await progress(http, '15', 'asOf=2018-12-31');
    expect(unsourced.metrics.population_share).toBeNull();
    expect(unsourced.population).toMatchObject({ value: null, reason: expect.stringContaining('15') });
    // The merged Lào Cai's boundaries as of 2018: former Lào Cai (10) has a 2018 figure, former Yên Bái none that early: null, naming 15.
    const partly = await progress(http, '15', 'asOf=2018-12-31&boundariesOn=2026-01-01');
    expect(partly.metrics.population_share).toBeNull();
    expect(partly.population).toMatchObject({ value: null, reason: expect.stringContaining('15') });
    expect(partly.population.reason).not.toMatch(/\b10\b/);

    // A merged territory adds its units' figures: Lào Cai (15) as of 2026 is former Lào Cai + former Yên Bái.
    const merged = await progress(http, '15', 'asOf=2026-01-01');
    expect(merged.population.value).toBe(merged.population.figures.reduce((sum: number, figure: { population: number }) => sum + figure.population, 0));
    expect(merged.population.figures.map((figure: { unit: string }) => figure.unit).sort()).toEqual(['10', '15']);
  });
});

describe('issue 15: a plan adoption is judged on the map of its date', () => {
  let started: TestApi;
  let http: Http;

  beforeAll(async () => {
    started = await startTestApi('e2e_merger_plan_adoption', { SEED_PLANS: 'false' });
    http = httpClient(started.api.baseUrl, { token: started.api.adminToken });
  });
  afterAll(async () => {
    await started?.stop();
  });

  // domain.md: "A command's provinceCode must be in force on its effective date"; a plan's is its adoption date.
  it('refuses a plan of 89 adopted on 2026-01-05 with 409 PROVINCE_NOT_IN_FORCE naming 91, and takes one of 89 adopted before the merger', async () => {
    const plan = (provinceCode: string, adoptedOn: string) => ({
      id: `plan-${provinceCode}-${randomUUID().slice(0, 8)}`,
      document: '12/KH-UBND',
      title: 'Kế hoạch phát triển kinh tế tập thể',
      issuer: 'Ủy ban nhân dân tỉnh An Giang',
      provinceCode,
      adoptedOn,
      targets: [{ metric: 'cooperatives', op: 'at_least', value: 10, deadline: '2030-12-31', quote: 'ít nhất 10 hợp tác xã' }],
    });
    const problem = await expectRefused(started.pool, () => http.post('/api/plans', plan('89', '2026-01-05')), 409, 'PROVINCE_NOT_IN_FORCE');
    expect(problem.successor).toBe('91');
    expect((await http.post('/api/plans', plan('89', '2025-06-30'))).status).toBe(201);
    expect((await http.post('/api/plans', plan('91', '2026-01-05'))).status).toBe(201);
  });
});

describe('issue 15, done when: a relocation', () => {
  let started: TestApi;
  let http: Http;

  beforeAll(async () => {
    started = await startTestApi('e2e_merger_relocation', { SEED_PLANS: 'false' });
    http = httpClient(started.api.baseUrl, { token: started.api.adminToken });
  });
  afterAll(async () => {
    await started?.stop();
  });

  const flows = async (code: string, query: string) => {
    const answer = await http.get(`/api/provinces/${code}/flows?${query}`);
    expect(answer).toMatchObject({ status: 200 });
    return answer.body.byKind.cooperative as Record<string, number>;
  };

  it('counts the organization in the old province until the day before, in the new one from the effective date, and flows show it out and in', async () => {
    // Between two provinces: Hà Nội (01) to Cao Bằng (04), neither merged.
    const id = await register(http, cooperative({ provinceCode: '01', registeredOn: '2022-01-01', memberCount: 8 }));
    expect((await http.post(`/api/organizations/${id}/relocation`, { provinceCode: '04', effectiveOn: '2024-05-01' })).status).toBe(200);

    expect((await progress(http, '01', 'asOf=2024-04-30')).metrics.cooperatives).toBe(1);
    expect((await progress(http, '04', 'asOf=2024-04-30')).metrics.cooperatives).toBe(0);
    expect((await progress(http, '01', 'asOf=2024-05-01')).metrics.cooperatives).toBe(0);
    expect((await progress(http, '04', 'asOf=2024-05-01')).metrics.cooperatives).toBe(1);
    expect((await http.get(`/api/organizations/${id}?asOf=2024-04-30`)).body).toMatchObject({ provinceCode: '01', formerProvinceCode: '01' });
    expect((await http.get(`/api/organizations/${id}?asOf=2024-05-01`)).body).toMatchObject({ provinceCode: '04', formerProvinceCode: '04' });

    expect(await flows('01', 'from=2024-01-01&to=2024-12-31')).toMatchObject({ relocatedOut: 1, relocatedIn: 0 });
    expect(await flows('04', 'from=2024-01-01&to=2024-12-31')).toMatchObject({ relocatedIn: 1, relocatedOut: 0 });
    // The day before the move, nothing has moved yet.
    expect(await flows('01', 'from=2024-01-01&to=2024-04-30')).toMatchObject({ relocatedOut: 0 });
  });

  it('moves a seat within the merged An Giang from former An Giang to former Kiên Giang, which changes which former territory counts it', async () => {
    const id = await register(http, cooperative({ provinceCode: '91', formerProvinceCode: '89', registeredOn: '2025-08-01', memberCount: 6 }));
    expect((await http.post(`/api/organizations/${id}/relocation`, { provinceCode: '91', formerProvinceCode: '91', effectiveOn: '2025-10-01' })).status).toBe(200);

    const formerAnGiang = (asOf: string) => progress(http, '89', `asOf=${asOf}&boundariesOn=2025-06-30`);
    const formerKienGiang = (asOf: string) => progress(http, '91', `asOf=${asOf}&boundariesOn=2025-06-30`);
    expect((await formerAnGiang('2025-09-30')).metrics.cooperatives).toBe(1);
    expect((await formerKienGiang('2025-09-30')).metrics.cooperatives).toBe(0);
    expect((await formerAnGiang('2025-10-01')).metrics.cooperatives).toBe(0);
    expect((await formerKienGiang('2025-10-01')).metrics.cooperatives).toBe(1);
    // An Giang as a whole counts it on both sides of the move.
    expect((await progress(http, '91', 'asOf=2025-09-30')).metrics.cooperatives).toBe(1);
    expect((await progress(http, '91', 'asOf=2025-10-01')).metrics.cooperatives).toBe(1);
    expect((await http.get(`/api/organizations/${id}?asOf=2025-10-01`)).body).toMatchObject({ provinceCode: '91', formerProvinceCode: '91' });

    expect(await flows('89', 'from=2025-07-01&to=2025-12-31&boundariesOn=2025-06-30')).toMatchObject({ relocatedOut: 1 });
    expect(await flows('91', 'from=2025-07-01&to=2025-12-31&boundariesOn=2025-06-30')).toMatchObject({ relocatedIn: 1 });
    // An Giang as a whole: the move stays inside it, neither out nor in.
    expect(await flows('91', 'from=2025-07-01&to=2025-12-31')).toMatchObject({ registered: 1, relocatedIn: 0, relocatedOut: 0 });
  });
});
