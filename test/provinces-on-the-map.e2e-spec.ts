import { type TestApi, startTestApi } from './support/test-api';
import { httpClient } from './support/http';
import { cooperative, union } from './support/fixtures';

const PLAN_251 = 'kien-giang-251-kh-ubnd-2023';

type Target = { planId: string; metric: string; actual: number | null; planTerritory: { code: string; boundariesOn: string; name: string } };
type Point = { asOf: string; inForce: boolean; metrics: Record<string, number | null> };

/**
 * The read side on the map of provinces (domain.md, "Administrative units"; api.md, "Queries"),
 * over HTTP against the built app on a real PostgreSQL, with the 2025 merger seeded and the plans:
 * a province is its territory on the boundaries of a date (91 is former Kiên Giang until
 * 2025-06-30, An Giang = former An Giang 89 + former Kiên Giang 91 from 2025-07-01), an
 * organization counts where its seat is on each date, and a plan is evaluated on the territory
 * of its adoption date.
 */
describe('provinces on the map over HTTP', () => {
  let started: TestApi;
  let http: ReturnType<typeof httpClient>;
  const ids: Record<string, string> = {};

  const post = async (path: string, body: object) => {
    const answer = await http.post(path, body);
    if (answer.status >= 300) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const progress = async (code: string, query: string) => {
    const answer = await http.get(`/api/provinces/${code}/progress?${query}`);
    expect(answer.status).toBe(200);
    return answer.body as { provinceCode: string; territory: object; metrics: Record<string, number | null>; targets: Target[] };
  };
  const cooperatives = async (code: string, query: string) => (await progress(code, query)).metrics.cooperatives;
  const planIds = (targets: Target[]) => [...new Set(targets.map((target) => target.planId))].sort();
  const actualOf = (targets: Target[], planId: string, metric: string) => targets.find((t) => t.planId === planId && t.metric === metric)?.actual;

  beforeAll(async () => {
    started = await startTestApi('e2e_on_the_map');
    http = httpClient(started.api.baseUrl, { token: started.api.adminToken });
    // Before the merger: one cooperative in former An Giang (89), one in former Kiên Giang (91).
    ids.inAnGiang = (await post('/api/organizations', cooperative({ name: 'HTX Nông nghiệp Chợ Mới', provinceCode: '89', registeredOn: '2020-01-01' }))).id;
    ids.inKienGiang = (await post('/api/organizations', cooperative({ name: 'HTX Nông nghiệp Tân Hiệp', provinceCode: '91', registeredOn: '2020-01-01' }))).id;
    // After it, in the merged An Giang (91): each names the former province whose territory holds its seat.
    ids.laterKienGiang = (await post('/api/organizations', cooperative({ name: 'HTX Thủy sản Rạch Giá', provinceCode: '91', formerProvinceCode: '91', registeredOn: '2025-09-01' }))).id;
    ids.laterAnGiang = (await post('/api/organizations', cooperative({ name: 'HTX Lúa gạo Long Xuyên', provinceCode: '91', formerProvinceCode: '89', registeredOn: '2025-09-01' }))).id;
    // A relocation before the merger, between two provinces of the first map (Hà Nội 01 to Hồ Chí Minh City 79).
    ids.moved = (await post('/api/organizations', cooperative({ name: 'HTX Dịch vụ Đông Anh', provinceCode: '01', registeredOn: '2021-01-01' }))).id;
    await post(`/api/organizations/${ids.moved}/relocation`, { provinceCode: '79', effectiveOn: '2024-03-01' });
    // A move within the merged An Giang, from former An Giang to former Kiên Giang: Plan 251 counts it from then on.
    await post(`/api/organizations/${ids.laterAnGiang}/relocation`, { provinceCode: '91', formerProvinceCode: '91', effectiveOn: '2026-02-01' });
    // Plans: one of former An Giang (repealed on 2026-03-01), one of the merged An Giang adopted in 2026.
    await post('/api/plans', {
      id: 'an-giang-ktt-2024',
      document: '15/KH-UBND',
      title: 'Kế hoạch phát triển kinh tế tập thể tỉnh An Giang',
      issuer: 'Ủy ban nhân dân tỉnh An Giang',
      provinceCode: '89',
      adoptedOn: '2024-01-10',
      targets: [{ metric: 'cooperatives', op: 'at_least', value: 5, deadline: '2030-12-31', quote: 'ít nhất 5 hợp tác xã' }],
    });
    await post('/api/plans/an-giang-ktt-2024/end', { effectiveOn: '2026-03-01', reason: 'Bãi bỏ kế hoạch', document: '20/QĐ-UBND' });
    await post('/api/plans', {
      id: 'an-giang-ktt-2026',
      document: '3/KH-UBND',
      title: 'Kế hoạch phát triển kinh tế tập thể tỉnh An Giang (sau hợp nhất)',
      issuer: 'Ủy ban nhân dân tỉnh An Giang',
      provinceCode: '91',
      adoptedOn: '2026-01-05',
      targets: [{ metric: 'cooperatives', op: 'at_least', value: 10, deadline: '2030-12-31', quote: 'ít nhất 10 hợp tác xã' }],
    });
  }, 120_000);
  afterAll(async () => {
    await started?.stop();
  });

  it('91 counts only former Kiên Giang until 2025-06-30 and the merged An Giang from 2025-07-01', async () => {
    const before = await progress('91', 'asOf=2025-06-30');
    expect(before.territory).toEqual({ code: '91', boundariesOn: '2025-06-30', name: 'Kiên Giang', predecessors: ['91'] });
    expect(before.metrics.cooperatives).toBe(1);
    const after = await progress('91', 'asOf=2025-07-01');
    expect(after.territory).toEqual({ code: '91', boundariesOn: '2025-07-01', name: 'An Giang', predecessors: ['89', '91'] });
    expect(after.metrics.cooperatives).toBe(2);
    expect(await cooperatives('91', 'asOf=2026-01-01')).toBe(4);
    expect(await cooperatives('89', 'asOf=2025-06-30')).toBe(1);
  });

  it('89 after the merger is 404 PROVINCE_NOT_IN_FORCE naming 91; on the boundaries of 2025-06-30 it answers former An Giang', async () => {
    const answer = await http.get('/api/provinces/89/progress?asOf=2026-01-01');
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({ code: 'PROVINCE_NOT_IN_FORCE', successor: '91' });
    expect(answer.body.errors).toEqual([expect.objectContaining({ path: 'path:code' })]);
    expect((await http.get('/api/provinces/89/progress/series?from=2025-01-01&to=2025-12-31&step=month&boundariesOn=2026-01-01')).status).toBe(404);

    const former = await progress('89', 'asOf=2026-01-01&boundariesOn=2025-06-30');
    expect(former.territory).toEqual({ code: '89', boundariesOn: '2025-06-30', name: 'An Giang', predecessors: ['89'] });
    // The one registered in 89 and the one registered in 91 with formerProvinceCode 89.
    expect(former.metrics.cooperatives).toBe(2);
    // Plan 251 covers former Kiên Giang, which does not lie within former An Giang; the plan of 89 does.
    expect(planIds(former.targets)).toEqual(['an-giang-ktt-2024']);
    // A code that never named a province stays 404 UNKNOWN_PROVINCE.
    expect((await http.get('/api/provinces/00/progress?asOf=2026-01-01')).body.code).toBe('UNKNOWN_PROVINCE');
  });

  it('Plan 251 is evaluated on former Kiên Giang: as of 2026 in An Giang, and as of 2024', async () => {
    const merged = await progress('91', 'asOf=2026-01-01');
    expect(planIds(merged.targets)).toEqual(['an-giang-ktt-2024', PLAN_251]);
    const of251 = merged.targets.filter((t) => t.planId === PLAN_251);
    expect(of251).toHaveLength(13);
    for (const target of of251) expect(target.planTerritory).toEqual({ code: '91', boundariesOn: '2023-10-20', name: 'Kiên Giang' });
    // Registered in 91 before the merger, and in 91 after it with formerProvinceCode 91; not the ones of 89.
    expect(actualOf(merged.targets, PLAN_251, 'cooperatives')).toBe(2);
    expect(actualOf(merged.targets, 'an-giang-ktt-2024', 'cooperatives')).toBe(2);
    expect(merged.targets.find((t) => t.planId === 'an-giang-ktt-2024')?.planTerritory).toEqual({ code: '89', boundariesOn: '2024-01-10', name: 'An Giang' });

    const old = await progress('91', 'asOf=2024-01-01');
    expect(planIds(old.targets)).toEqual([PLAN_251]);
    expect(actualOf(old.targets, PLAN_251, 'cooperatives')).toBe(1);

    // On fixed boundaries of 2025-06-30, 91 as of 2026 is former Kiên Giang: Plan 251 lies within it, the merged plan does not.
    const fixed = await progress('91', 'asOf=2026-02-01&boundariesOn=2025-06-30');
    expect(fixed.metrics.cooperatives).toBe(3); // the move within An Giang on 2026-02-01 brought one in
    expect(planIds(fixed.targets)).toEqual([PLAN_251]);
  });

  it('a plan adopted by 91 in 2026 covers the merged An Giang', async () => {
    const answer = await progress('91', 'asOf=2026-02-01');
    expect(planIds(answer.targets)).toEqual(['an-giang-ktt-2024', 'an-giang-ktt-2026', PLAN_251]);
    const merged = answer.targets.find((t) => t.planId === 'an-giang-ktt-2026')!;
    expect(merged.planTerritory).toEqual({ code: '91', boundariesOn: '2026-01-05', name: 'An Giang' });
    expect(merged.actual).toBe(4);
    // The move within An Giang on 2026-02-01 moved one cooperative from the plan of 89 to Plan 251.
    expect(actualOf(answer.targets, PLAN_251, 'cooperatives')).toBe(3);
    expect(actualOf(answer.targets, 'an-giang-ktt-2024', 'cooperatives')).toBe(1);
  });

  it('a repealed plan\'s targets are in answers before the repeal date and not from it', async () => {
    expect(planIds((await progress('91', 'asOf=2026-02-28')).targets)).toContain('an-giang-ktt-2024');
    expect(planIds((await progress('91', 'asOf=2026-03-01')).targets)).not.toContain('an-giang-ktt-2024');
    expect(planIds((await progress('89', 'asOf=2026-03-01&boundariesOn=2025-06-30')).targets)).toEqual([]);
    const plan = await http.get('/api/plans/an-giang-ktt-2024?asOf=2026-03-01');
    expect(plan.body).toMatchObject({ targets: [], endedOn: '2026-03-01', endReason: 'repealed', territory: { code: '89', boundariesOn: '2024-01-10', name: 'An Giang' } });
  });

  it('lists plans with their territory, and those within a province on a date', async () => {
    const all = await http.get('/api/plans?asOf=2026-02-01');
    expect(all.status).toBe(200);
    const of251 = all.body.find((plan: { id: string }) => plan.id === PLAN_251);
    expect(of251.territory).toEqual({ code: '91', boundariesOn: '2023-10-20', name: 'Kiên Giang' });
    const ids91 = (await http.get('/api/plans?asOf=2026-02-01&provinceCode=91')).body.map((plan: { id: string }) => plan.id).sort();
    expect(ids91).toEqual(['an-giang-ktt-2024', 'an-giang-ktt-2026', PLAN_251]);
    const ids89 = (await http.get('/api/plans?asOf=2025-01-01&provinceCode=89')).body.map((plan: { id: string }) => plan.id);
    expect(ids89).toEqual(['an-giang-ktt-2024']);
    const ended = await http.get('/api/plans?asOf=2026-01-01&provinceCode=89');
    expect(ended.status).toBe(404);
    expect(ended.body).toMatchObject({ code: 'PROVINCE_NOT_IN_FORCE', successor: '91' });
  });

  it('a series of 91 steps on 2025-07-01 by exactly former An Giang\'s count; on fixed boundaries it does not', async () => {
    const series = async (query: string) => {
      const answer = await http.get(`/api/provinces/91/progress/series?from=2025-05-01&to=2025-09-30&step=month${query}`);
      expect(answer.status).toBe(200);
      return answer.body as Point[];
    };
    const byMap = await series('');
    expect(byMap.map((p) => p.asOf)).toEqual(['2025-05-31', '2025-06-30', '2025-07-31', '2025-08-31', '2025-09-30']);
    expect(byMap.every((p) => p.inForce)).toBe(true);
    const formerAnGiang = await cooperatives('89', 'asOf=2025-06-30');
    expect(byMap[2].metrics.cooperatives! - byMap[1].metrics.cooperatives!).toBe(formerAnGiang);
    expect(byMap.map((p) => p.metrics.cooperatives)).toEqual([1, 1, 2, 2, 4]);
    const fixed = await series('&boundariesOn=2024-01-01');
    expect(fixed.map((p) => p.metrics.cooperatives)).toEqual([1, 1, 1, 1, 2]);

    // 89 ends on 2025-06-30: its later points are not in force, with null metrics.
    const ended = await http.get('/api/provinces/89/progress/series?from=2025-05-01&to=2025-08-31&step=month');
    expect(ended.status).toBe(200);
    expect(ended.body.map((p: Point) => [p.asOf, p.inForce, p.metrics.cooperatives])).toEqual([
      ['2025-05-31', true, 1],
      ['2025-06-30', true, 1],
      ['2025-07-31', false, null],
      ['2025-08-31', false, null],
    ]);
    expect(Object.values((ended.body as Point[])[3].metrics).every((value) => value === null)).toBe(true);
  });

  it('a relocation counts in the old province until the day before its date and in the new one from it', async () => {
    expect(await cooperatives('01', 'asOf=2024-02-29')).toBe(1);
    expect(await cooperatives('79', 'asOf=2024-02-29')).toBe(0);
    expect(await cooperatives('01', 'asOf=2024-03-01')).toBe(0);
    expect(await cooperatives('79', 'asOf=2024-03-01')).toBe(1);
    const listed = async (query: string) => (await http.get(`/api/organizations?${query}`)).body.items.map((o: { id: string }) => o.id);
    expect(await listed('provinceCode=01&asOf=2024-02-29')).toEqual([ids.moved]);
    expect(await listed('provinceCode=79&asOf=2024-03-01')).toEqual([ids.moved]);
    expect(await listed('provinceCode=01&asOf=2024-03-01')).toEqual([]);
    const state = (asOf: string) => http.get(`/api/organizations/${ids.moved}?asOf=${asOf}`).then((answer) => answer.body);
    expect(await state('2024-02-29')).toMatchObject({ provinceCode: '01', formerProvinceCode: '01' });
    expect(await state('2024-03-01')).toMatchObject({ provinceCode: '79', formerProvinceCode: '79' });
    // HCMC merged on 2025-07-01 (with 74 and 77): the seat's unit stays 79.
    expect(await state('2026-01-01')).toMatchObject({ provinceCode: '79', formerProvinceCode: '79' });
  });

  it('counts a member cooperative once in a merged province whose two former provinces each have a union it belongs to', async () => {
    const members: string[] = [];
    for (const name of ['HTX Chè Bắc Hà', 'HTX Chè Sa Pa', 'HTX Quế Văn Bàn']) members.push((await post('/api/organizations', cooperative({ name, provinceCode: '10', registeredOn: '2020-01-01' }))).id);
    await post('/api/organizations', union(members, { name: 'Liên hiệp HTX Lào Cai', provinceCode: '10', registeredOn: '2021-01-01' }));
    await post('/api/organizations', union(members, { name: 'Liên hiệp HTX Yên Bái', provinceCode: '15', registeredOn: '2021-01-01' }));
    expect((await progress('10', 'asOf=2024-01-01')).metrics).toMatchObject({ unions: 1, union_member_cooperatives: 3 });
    expect((await progress('15', 'asOf=2024-01-01')).metrics).toMatchObject({ unions: 1, cooperatives: 0, union_member_cooperatives: 3 });
    // Lào Cai (15) from 2025-07-01 holds both unions: "20 HTX thành viên" counts cooperatives, not memberships.
    expect((await progress('15', 'asOf=2026-01-01')).metrics).toMatchObject({ unions: 2, cooperatives: 3, union_member_cooperatives: 3 });
  });

  it('answers an organization with the province in force at asOf and the former province holding its seat', async () => {
    const state = (asOf: string) => http.get(`/api/organizations/${ids.inAnGiang}?asOf=${asOf}`).then((answer) => answer.body);
    expect(await state('2024-01-01')).toMatchObject({ provinceCode: '89', formerProvinceCode: '89' });
    expect(await state('2026-01-01')).toMatchObject({ provinceCode: '91', formerProvinceCode: '89' });
    const later = (asOf: string) => http.get(`/api/organizations/${ids.laterAnGiang}?asOf=${asOf}`).then((answer) => answer.body);
    expect(await later('2026-01-31')).toMatchObject({ provinceCode: '91', formerProvinceCode: '89' });
    expect(await later('2026-02-01')).toMatchObject({ provinceCode: '91', formerProvinceCode: '91' });
  });

  it('lists a province\'s organizations on the boundaries asked (default asOf), each with its province in force then', async () => {
    const list = async (query: string) => {
      const answer = await http.get(`/api/organizations?${query}&limit=500`);
      expect(answer.status).toBe(200);
      return answer.body.items as { id: string; provinceCode: string; formerProvinceCode: string }[];
    };
    const merged = await list('provinceCode=91&asOf=2026-01-01');
    expect(merged.map((o) => o.id).sort()).toEqual([ids.inAnGiang, ids.inKienGiang, ids.laterKienGiang, ids.laterAnGiang].sort());
    expect(merged.every((o) => o.provinceCode === '91')).toBe(true);
    expect(merged.find((o) => o.id === ids.inAnGiang)?.formerProvinceCode).toBe('89');
    const formerKienGiang = await list('provinceCode=91&asOf=2026-01-01&boundariesOn=2025-06-30');
    expect(formerKienGiang.map((o) => o.id).sort()).toEqual([ids.inKienGiang, ids.laterKienGiang].sort());
    const formerAnGiang = await list('provinceCode=89&asOf=2026-01-01&boundariesOn=2025-06-30');
    expect(formerAnGiang.map((o) => o.id).sort()).toEqual([ids.inAnGiang, ids.laterAnGiang].sort());
    expect(formerAnGiang.every((o) => o.provinceCode === '91')).toBe(true); // in force at asOf
    expect((await list('provinceCode=91&asOf=2025-06-30')).map((o) => o.id)).toEqual([ids.inKienGiang]);
    const ended = await http.get('/api/organizations?provinceCode=89&asOf=2026-01-01');
    expect(ended.status).toBe(404);
    expect(ended.body).toMatchObject({ code: 'PROVINCE_NOT_IN_FORCE', successor: '91' });
  });
});
