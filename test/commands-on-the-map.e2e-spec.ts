import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { type TestApi, expectCommandAnswer, expectRefused, startTestApi } from './support/test-api';
import { httpClient } from './support/http';
import { cooperative, union } from './support/fixtures';

/**
 * Commands judged on the map of their effective date, and registrars on the map of today (issue 15;
 * domain.md "Administrative units", api.md "Authentication" and "Commands"). Real HTTP against the
 * built api, whose first start records the 2025 merger; the real clock is after 1 July 2025.
 */
describe('commands on the map of their date', () => {
  let started: TestApi;
  let admin: ReturnType<typeof httpClient>;
  /** Registrar of 91 on today's map: the merged An Giang (former 89 and former 91). */
  let anGiang: ReturnType<typeof httpClient>;
  /** Registrar of 01 (Hà Nội), outside both. */
  let haNoi: ReturnType<typeof httpClient>;

  const register = async (client: ReturnType<typeof httpClient>, overrides: Record<string, unknown>) => {
    const answer = await client.post('/api/organizations', cooperative(overrides));
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  };
  const history = async (id: string) => (await admin.get(`/api/organizations/${id}/events`)).body as { type: string; data: Record<string, unknown> }[];

  beforeAll(async () => {
    started = await startTestApi('e2e_commands_map', { SEED_PLANS: 'false' });
    admin = httpClient(started.api.baseUrl, { token: started.api.adminToken });
    anGiang = httpClient(started.api.baseUrl, { token: started.api.token('registrar', ['91']) });
    haNoi = httpClient(started.api.baseUrl, { token: started.api.token('registrar', ['01']) });
  });
  afterAll(async () => {
    await started?.stop();
  });

  describe('registration', () => {
    it('refuses 89 on 2026-01-05 with 409 PROVINCE_NOT_IN_FORCE naming the successor 91', async () => {
      const problem = await expectRefused(started.pool, () => admin.post('/api/organizations', cooperative({ provinceCode: '89', registeredOn: '2026-01-05' })), 409, 'PROVINCE_NOT_IN_FORCE');
      expect(problem.successor).toBe('91');
      expect(problem.detail).toContain('91');
      expect(problem.errors).toEqual([{ path: 'provinceCode', message: expect.any(String) }]);
    });

    it('asks 91 after the merger for a former province that is one of its predecessors', async () => {
      const missing = await expectRefused(started.pool, () => admin.post('/api/organizations', cooperative({ registeredOn: '2026-01-05' })), 409, 'FORMER_PROVINCE_REQUIRED');
      expect(missing.errors).toEqual([{ path: 'formerProvinceCode', message: expect.stringContaining('89') }]);
      expect(missing.predecessors).toEqual(['89', '91']);
      const other = await expectRefused(
        started.pool,
        () => admin.post('/api/organizations', cooperative({ registeredOn: '2026-01-05', formerProvinceCode: '10' })),
        409,
        'NOT_A_PREDECESSOR',
      );
      expect(other.errors).toEqual([{ path: 'formerProvinceCode', message: expect.any(String) }]);
    });

    it('registers 91 with former 89, and the history records formerProvinceCode 89', async () => {
      const body = cooperative({ registeredOn: '2026-01-05', formerProvinceCode: '89' });
      const answer = await admin.post('/api/organizations', body);
      expectCommandAnswer(answer, 201, body.id, 0);
      const [registered] = await history(body.id);
      expect(registered).toMatchObject({ type: 'OrganizationRegistered', data: { provinceCode: '91', formerProvinceCode: '89' } });
    });

    it('records no former province before the merger, nor in a province that was not merged', async () => {
      const before = await register(admin, { provinceCode: '89', registeredOn: '2024-03-01' });
      expect((await history(before))[0].data).toMatchObject({ provinceCode: '89', formerProvinceCode: null });
      const haNoiCoop = await register(admin, { provinceCode: '01', registeredOn: '2026-01-05' });
      expect((await history(haNoiCoop))[0].data).toMatchObject({ provinceCode: '01', formerProvinceCode: null });
    });

    it('refuses 99, a code that never named a province, with 400 UNKNOWN_PROVINCE', async () => {
      const problem = await expectRefused(started.pool, () => admin.post('/api/organizations', cooperative({ provinceCode: '99' })), 400, 'UNKNOWN_PROVINCE');
      expect(problem.errors).toEqual([{ path: 'provinceCode', message: expect.stringContaining('99') }]);
    });

    it('refuses a formerProvinceCode that is not two digits with 400 naming it', async () => {
      const problem = await expectRefused(started.pool, () => admin.post('/api/organizations', cooperative({ registeredOn: '2026-01-05', formerProvinceCode: '8' })), 400, 'VALIDATION_FAILED');
      expect(problem.errors.map((e: { path: string }) => e.path)).toContain('formerProvinceCode');
    });
  });

  describe("registrars, whose tokens are read on today's map", () => {
    it('lets the registrar of 91 register in 91 with former 89, and back-date a rating for a 2024 cooperative of 89', async () => {
      const body = cooperative({ registeredOn: '2026-01-05', formerProvinceCode: '89' });
      expect((await anGiang.post('/api/organizations', body)).status).toBe(201);
      const ofAnGiang = await register(admin, { provinceCode: '89', registeredOn: '2024-02-01' });
      const rated = await anGiang.post(`/api/organizations/${ofAnGiang}/ratings`, { rating: 'good', year: 2024, ratedOn: '2024-12-20' });
      expectCommandAnswer(rated, 200, ofAnGiang, 1);
    });

    it('refuses the registrar of 01 those same commands with 403, before any 409', async () => {
      await expectRefused(started.pool, () => haNoi.post('/api/organizations', cooperative({ registeredOn: '2026-01-05', formerProvinceCode: '89' })), 403, 'FORBIDDEN');
      const ofAnGiang = await register(admin, { provinceCode: '89', registeredOn: '2024-02-01' });
      await expectRefused(started.pool, () => haNoi.post(`/api/organizations/${ofAnGiang}/ratings`, { rating: 'good', year: 2024, ratedOn: '2024-12-20' }), 403, 'FORBIDDEN');
      // What the map of the date refuses (409 for the registrar of 91) is 403 for a registrar outside the territory.
      await expectRefused(started.pool, () => anGiang.post('/api/organizations', cooperative({ provinceCode: '89', registeredOn: '2026-01-05' })), 409, 'PROVINCE_NOT_IN_FORCE');
      await expectRefused(started.pool, () => haNoi.post('/api/organizations', cooperative({ provinceCode: '89', registeredOn: '2026-01-05' })), 403, 'FORBIDDEN');
      await expectRefused(started.pool, () => haNoi.post('/api/organizations', cooperative({ registeredOn: '2026-01-05' })), 403, 'FORBIDDEN');
    });

    it("judges a union's membership by the union's seat", async () => {
      const founders = [];
      for (let i = 0; i < 3; i++) founders.push(await register(admin, { provinceCode: '89', registeredOn: '2021-01-01' }));
      const body = union(founders, { provinceCode: '89', registeredOn: '2022-05-01' });
      expect((await admin.post('/api/organizations', body)).status).toBe(201);
      const joining = await register(admin, { provinceCode: '01', registeredOn: '2021-01-01' });
      await expectRefused(started.pool, () => haNoi.post(`/api/organizations/${body.id}/members`, { cooperativeId: joining, effectiveOn: '2023-01-01' }), 403, 'FORBIDDEN');
      expect((await anGiang.post(`/api/organizations/${body.id}/members`, { cooperativeId: joining, effectiveOn: '2023-01-01' })).status).toBe(200);
    });
  });

  describe('relocation', () => {
    it('moves the seat from its effective date, and the history lists it', async () => {
      const id = await register(admin, { provinceCode: '01', registeredOn: '2021-01-01' });
      const answer = await admin.post(`/api/organizations/${id}/relocation`, { provinceCode: '91', formerProvinceCode: '89', effectiveOn: '2026-01-05' });
      expectCommandAnswer(answer, 200, id, 1);
      expect((await history(id))[1]).toMatchObject({
        type: 'OrganizationRelocated',
        effectiveOn: '2026-01-05',
        data: { organizationId: id, effectiveOn: '2026-01-05', provinceCode: '91', formerProvinceCode: '89' },
      });
    });

    it('refuses a move to where the seat already is with 409 ALREADY_SEATED_THERE, also named by its merged code', async () => {
      const id = await register(admin, { provinceCode: '89', registeredOn: '2021-01-01' });
      await expectRefused(started.pool, () => admin.post(`/api/organizations/${id}/relocation`, { provinceCode: '91', formerProvinceCode: '89', effectiveOn: '2026-01-05' }), 409, 'ALREADY_SEATED_THERE');
      await expectRefused(started.pool, () => admin.post(`/api/organizations/${id}/relocation`, { provinceCode: '89', effectiveOn: '2024-01-05' }), 409, 'ALREADY_SEATED_THERE');
    });

    it('refuses a relocation dated before registration, or before the latest relocation', async () => {
      const id = await register(admin, { provinceCode: '01', registeredOn: '2021-01-01' });
      await expectRefused(started.pool, () => admin.post(`/api/organizations/${id}/relocation`, { provinceCode: '89', effectiveOn: '2020-12-31' }), 409, 'BEFORE_REGISTRATION');
      expect((await admin.post(`/api/organizations/${id}/relocation`, { provinceCode: '89', effectiveOn: '2024-06-01' })).status).toBe(200);
      await expectRefused(started.pool, () => admin.post(`/api/organizations/${id}/relocation`, { provinceCode: '10', effectiveOn: '2024-05-31' }), 409, 'LIFECYCLE_OUT_OF_ORDER');
    });

    it('judges the destination on the map of the date', async () => {
      const id = await register(admin, { provinceCode: '01', registeredOn: '2021-01-01' });
      const problem = await expectRefused(started.pool, () => admin.post(`/api/organizations/${id}/relocation`, { provinceCode: '89', effectiveOn: '2026-01-05' }), 409, 'PROVINCE_NOT_IN_FORCE');
      expect(problem.successor).toBe('91');
      await expectRefused(started.pool, () => admin.post(`/api/organizations/${id}/relocation`, { provinceCode: '91', effectiveOn: '2026-01-05' }), 409, 'FORMER_PROVINCE_REQUIRED');
      await expectRefused(started.pool, () => admin.post(`/api/organizations/${id}/relocation`, { provinceCode: '99', effectiveOn: '2026-01-05' }), 400, 'UNKNOWN_PROVINCE');
      await expectRefused(started.pool, () => admin.post(`/api/organizations/${id}/relocation`, { provinceCode: '91', effectiveOn: '2026-01-05', extra: true }), 400, 'VALIDATION_FAILED');
    });

    it('is recorded by a registrar of the destination: the source alone is 403', async () => {
      const id = await register(admin, { provinceCode: '01', registeredOn: '2021-01-01' });
      await expectRefused(started.pool, () => haNoi.post(`/api/organizations/${id}/relocation`, { provinceCode: '91', formerProvinceCode: '91', effectiveOn: '2026-01-05' }), 403, 'FORBIDDEN');
      const moved = await anGiang.post(`/api/organizations/${id}/relocation`, { provinceCode: '91', formerProvinceCode: '91', effectiveOn: '2026-01-05' });
      expectCommandAnswer(moved, 200, id, 1);
      // From then on the seat is in An Giang: a later change of the organization is the registrar of 91's, not 01's.
      await expectRefused(started.pool, () => haNoi.post(`/api/organizations/${id}/membership`, { memberCount: 9, effectiveOn: '2026-02-01' }), 403, 'FORBIDDEN');
      expect((await anGiang.post(`/api/organizations/${id}/membership`, { memberCount: 9, effectiveOn: '2026-02-01' })).status).toBe(200);
      // Before the move it is still 01's seat.
      expect((await haNoi.post(`/api/organizations/${id}/membership`, { memberCount: 8, effectiveOn: '2025-02-01' })).status).toBe(200);
    });

    it('documents the route in the OpenAPI document', async () => {
      const document = (await admin.get('/docs/openapi.json')).body;
      const operation = document.paths?.['/api/organizations/{id}/relocation']?.post;
      expect(operation).toBeDefined();
      expect(JSON.stringify(operation)).toContain('ALREADY_SEATED_THERE');
    });
  });
});

describe('cli token on the map of today', () => {
  const cli = path.join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
  const mint = (province: string) =>
    execFileSync(process.execPath, [cli, 'token', '--role', 'registrar', '--province', province, '--subject', 'so-kh-dt'], {
      env: { ...process.env, JWT_SECRET: 'a-secret-of-the-test-run-long-enough-0123456789' },
      stdio: 'pipe',
    }).toString();
  const refusal = (province: string): string => {
    try {
      mint(province);
    } catch (error) {
      return String((error as { stderr?: Buffer }).stderr ?? error);
    }
    throw new Error(`a token for ${province} was minted`);
  };

  it('refuses a code not in force today, naming the code that holds its territory now', () => {
    expect(refusal('89')).toMatch(/89 is not in force on \d{4}-\d{2}-\d{2}: its territory is part of 91 \(An Giang\)/);
    expect(refusal('10')).toMatch(/part of 15 \(Lào Cai\)/);
  });

  it('refuses a code that never named a province', () => {
    expect(refusal('99')).toMatch(/99 names no province on any date/);
  });

  it('mints one for a code in force today', () => {
    expect(mint('91').trim().split('\n').at(-1)).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });
});
