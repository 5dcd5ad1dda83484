import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { type TestApi, expectCommandAnswer, expectRefused, startTestApi } from './support/test-api';
import { httpClient } from './support/http';

/** A plan of province 91 with an id nobody has used. */
function aPlan(overrides: Record<string, unknown> = {}) {
  return {
    id: `end-plan-${randomUUID().slice(0, 8)}`,
    document: '12/KH-UBND',
    title: 'Kế hoạch phát triển kinh tế tập thể',
    issuer: 'Ủy ban nhân dân tỉnh Kiên Giang',
    provinceCode: '91',
    adoptedOn: '2023-01-10',
    targets: [{ metric: 'cooperatives', op: 'at_least', value: 5, deadline: '2030-12-31', quote: 'ít nhất 5 hợp tác xã' }],
    ...overrides,
  };
}

/**
 * A plan ends by an event (domain.md, "A plan ends when an event ends it"; api.md,
 * `POST /api/plans/{id}/end`): over HTTP against the built app on a real PostgreSQL.
 */
describe('ending a plan over HTTP', () => {
  let started: TestApi;
  let pool: Pool;
  let http: ReturnType<typeof httpClient>;

  beforeAll(async () => {
    started = await startTestApi('e2e_plans_end', { SEED_PLANS: 'false' });
    pool = started.pool;
    http = httpClient(started.api.baseUrl, { token: started.api.adminToken });
  });
  afterAll(async () => {
    await started?.stop();
  });

  const adopt = async (plan: ReturnType<typeof aPlan>) => expect((await http.post('/api/plans', plan)).status).toBe(201);
  const progressPlanIds = async (asOf: string) => {
    const answer = await http.get(`/api/provinces/91/progress?asOf=${asOf}`);
    expect(answer.status).toBe(200);
    return answer.body.targets.map((target: { planId: string }) => target.planId);
  };
  const listedIds = async (asOf: string) => (await http.get(`/api/plans?asOf=${asOf}`)).body.map((plan: { id: string }) => plan.id);

  it('a repealed plan\'s targets are not in answers on and after the repeal date, and are before it', async () => {
    const plan = aPlan();
    await adopt(plan);
    const answer = await http.post(`/api/plans/${plan.id}/end`, { effectiveOn: '2024-06-01', reason: 'Bãi bỏ kế hoạch', document: '99/QĐ-UBND' });
    expectCommandAnswer(answer, 200, plan.id, 1);

    expect(await progressPlanIds('2024-05-31')).toContain(plan.id);
    expect(await progressPlanIds('2024-06-01')).not.toContain(plan.id);
    expect(await progressPlanIds('2025-01-01')).not.toContain(plan.id);
    expect(await listedIds('2024-05-31')).toContain(plan.id);
    expect(await listedIds('2024-06-01')).not.toContain(plan.id);

    expect((await http.get(`/api/plans/${plan.id}?asOf=2024-05-31`)).body).toMatchObject({ targets: plan.targets, endedOn: null, endReason: null });
    const ended = await http.get(`/api/plans/${plan.id}?asOf=2024-06-01`);
    expect(ended.status).toBe(200); // an ended plan stays readable
    expect(ended.body).toMatchObject({ id: plan.id, targets: [], endedOn: '2024-06-01', endReason: 'repealed', supersededBy: null });
  });

  it('records a supersede by an adopted plan, and refuses one by a plan that is not adopted (409)', async () => {
    const old = aPlan();
    const newer = aPlan({ adoptedOn: '2024-03-01' });
    await adopt(old);
    await adopt(newer);
    const problem = await expectRefused(pool, () => http.post(`/api/plans/${old.id}/end`, { effectiveOn: '2024-03-01', reason: 'Thay thế', supersededBy: 'no-such-plan' }), 409, 'SUPERSEDING_PLAN_NOT_ADOPTED');
    expect(problem.errors).toEqual([expect.objectContaining({ path: 'supersededBy' })]);

    expectCommandAnswer(await http.post(`/api/plans/${old.id}/end`, { effectiveOn: '2024-03-01', reason: 'Thay thế', supersededBy: newer.id }), 200, old.id, 1);
    expect((await http.get(`/api/plans/${old.id}?asOf=2024-03-01`)).body).toMatchObject({ targets: [], endReason: 'superseded', supersededBy: newer.id });
    const inForce = await progressPlanIds('2024-03-01');
    expect(inForce).toContain(newer.id);
    expect(inForce).not.toContain(old.id);
  });

  it('refuses a second end and a later amendment with 409 PLAN_ENDED', async () => {
    const plan = aPlan();
    await adopt(plan);
    expect((await http.post(`/api/plans/${plan.id}/end`, { effectiveOn: '2024-06-01', reason: 'Bãi bỏ' })).status).toBe(200);
    const second = await expectRefused(pool, () => http.post(`/api/plans/${plan.id}/end`, { effectiveOn: '2024-07-01', reason: 'Bãi bỏ lần nữa' }), 409, 'PLAN_ENDED');
    expect(second.errors).toEqual([expect.objectContaining({ path: 'effectiveOn' })]);
    await expectRefused(pool, () => http.post(`/api/plans/${plan.id}/amendments`, { effectiveOn: '2024-06-01', reason: 'Sửa', document: 'X' }), 409, 'PLAN_ENDED');
    // The time before the end can still be corrected.
    expect((await http.post(`/api/plans/${plan.id}/amendments`, { effectiveOn: '2024-05-01', reason: 'Sửa', document: 'X' })).status).toBe(200);
  });

  it('refuses a registrar (403), an unknown plan (404), and a malformed body naming the field (400)', async () => {
    const plan = aPlan();
    await adopt(plan);
    const registrar = httpClient(started.api.baseUrl, { token: started.api.token('registrar', ['91'], 'so-kh-dt-kien-giang') });
    await expectRefused(pool, () => registrar.post(`/api/plans/${plan.id}/end`, { effectiveOn: '2024-06-01', reason: 'Bãi bỏ' }), 403);
    await expectRefused(pool, () => http.post('/api/plans/no-such-plan/end', { effectiveOn: '2024-06-01', reason: 'Bãi bỏ' }), 404, 'PLAN_NOT_FOUND');
    const future = await expectRefused(pool, () => http.post(`/api/plans/${plan.id}/end`, { effectiveOn: '2099-01-01', reason: 'Bãi bỏ' }), 400, 'DATE_IN_FUTURE');
    expect(future.errors.map((e: { path: string }) => e.path)).toContain('effectiveOn');
    const noReason = await expectRefused(pool, () => http.post(`/api/plans/${plan.id}/end`, { effectiveOn: '2024-06-01' }), 400);
    expect(noReason.errors.map((e: { path: string }) => e.path)).toContain('reason');
    const before = await expectRefused(pool, () => http.post(`/api/plans/${plan.id}/end`, { effectiveOn: '2022-01-01', reason: 'Bãi bỏ' }), 409, 'BEFORE_ADOPTION');
    expect(before.errors).toEqual([expect.objectContaining({ path: 'effectiveOn' })]);
  });
});
