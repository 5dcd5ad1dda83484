import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { type TestApi, expectRefused, startTestApi } from './support/test-api';
import { httpClient } from './support/http';
import { cooperative } from './support/fixtures';

/**
 * The map of provinces over HTTP (issue 15, first slice): GET /api/provinces as of a date (63 up to
 * 30 June 2025, 34 from 1 July 2025, with predecessors), and UNKNOWN_PROVINCE for a code that names no
 * province on any date: 404 in a URL path, 400 in a query parameter or a body (api.md, "Queries").
 */
describe('provinces and their map over HTTP', () => {
  let started: TestApi;
  let http: ReturnType<typeof httpClient>;

  beforeAll(async () => {
    started = await startTestApi('e2e_provinces', { SEED_PLANS: 'false' });
    http = httpClient(started.api.baseUrl, { token: started.api.adminToken });
  });
  afterAll(async () => {
    await started?.stop();
  });

  it('lists the 63 provinces in force on 30 June 2025, each its own predecessor, Kiên Giang and An Giang naming their successor', async () => {
    const answer = await http.get('/api/provinces?asOf=2025-06-30');
    expect(answer.status).toBe(200);
    expect(answer.body).toHaveLength(63);
    expect(answer.body).toContainEqual({ code: '91', provinceCode: '91', name: 'Kiên Giang', predecessors: ['91'], successor: '91', population: 1723067 });
    expect(answer.body).toContainEqual({ code: '89', provinceCode: '89', name: 'An Giang', predecessors: ['89'], successor: '91', population: 1908352 });
    // Yên Bái's latest sourced figure by 2025 is the statistics office's 2022 average (data/reference/province-population-figures.json).
    expect(answer.body).toContainEqual({ code: '15', provinceCode: '15', name: 'Yên Bái', predecessors: ['15'], successor: '15', population: 847245 });
    expect(answer.body).toContainEqual({ code: '01', provinceCode: '01', name: 'Hà Nội', predecessors: ['01'], population: 8053663 });
  });

  it('lists the 34 provinces in force from 1 July 2025: An Giang 91 from 89 and 91, Lào Cai 15 from 10 and 15', async () => {
    const answer = await http.get('/api/provinces?asOf=2025-07-01');
    expect(answer.status).toBe(200);
    expect(answer.body).toHaveLength(34);
    // A merged province's population adds its predecessors' (2019 census of both).
    expect(answer.body).toContainEqual({ code: '91', provinceCode: '91', name: 'An Giang', predecessors: ['89', '91'], population: 1908352 + 1723067 });
    expect(answer.body).toContainEqual({ code: '15', provinceCode: '15', name: 'Lào Cai', predecessors: ['10', '15'], population: 730420 + 847245 });
    expect(answer.body.map((p: { code: string }) => p.code)).not.toContain('89');
    // Default: today in Vietnam, which is after the merger.
    expect((await http.get('/api/provinces')).body).toEqual(answer.body);
  });

  it.each(['2025-7-1', '2025-02-30', '2025', 'yesterday', '2025-07-01T00:00:00Z'])('refuses asOf=%s with 400 naming asOf', async (asOf) => {
    const problem = await expectRefused(started.pool, () => http.get(`/api/provinces?asOf=${encodeURIComponent(asOf)}`), 400, 'VALIDATION_FAILED');
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain('asOf');
  });

  describe.each(['00', '99'])('province code %s, which names no province on any date', (code) => {
    it('is 404 UNKNOWN_PROVINCE in the path of progress and series', async () => {
      for (const url of [`/api/provinces/${code}/progress?asOf=2024-12-31`, `/api/provinces/${code}/progress/series?from=2024-01-01&to=2024-12-31&step=quarter`]) {
        const problem = await expectRefused(started.pool, () => http.get(url), 404, 'UNKNOWN_PROVINCE');
        expect(problem.errors).toEqual([{ path: 'path:code', message: expect.stringContaining(code) }]);
      }
    });

    it('is 400 UNKNOWN_PROVINCE as the list\'s provinceCode filter', async () => {
      const problem = await expectRefused(started.pool, () => http.get(`/api/organizations?provinceCode=${code}`), 400, 'UNKNOWN_PROVINCE');
      expect(problem.errors).toEqual([{ path: 'provinceCode', message: expect.stringContaining(code) }]);
    });

    it('is 400 UNKNOWN_PROVINCE at registration, and nothing is written', async () => {
      const problem = await expectRefused(started.pool, () => http.post('/api/organizations', cooperative({ provinceCode: code })), 400, 'UNKNOWN_PROVINCE');
      expect(problem.errors).toEqual([{ path: 'provinceCode', message: expect.stringContaining(code) }]);
    });

    it('is 400 UNKNOWN_PROVINCE when a plan is adopted for it, and nothing is written', async () => {
      const plan = { id: `kh-unknown-${code}`, title: 'Kế hoạch', issuer: 'UBND', provinceCode: code, adoptedOn: '2024-01-01', targets: [{ metric: 'cooperatives', op: 'at_least', value: 10, deadline: '2030-12-31', quote: 'ít nhất 10 HTX' }] };
      const problem = await expectRefused(started.pool, () => http.post('/api/plans', plan), 400, 'UNKNOWN_PROVINCE');
      expect(problem.errors).toEqual([{ path: 'provinceCode', message: expect.stringContaining(code) }]);
    });

    it('is 400 UNKNOWN_PROVINCE as the audit trail\'s provinceCode filter', async () => {
      const problem = await expectRefused(started.pool, () => http.get(`/api/audit/events?provinceCode=${code}`), 400, 'UNKNOWN_PROVINCE');
      expect(problem.errors).toEqual([{ path: 'provinceCode', message: expect.stringContaining(code) }]);
    });
  });

  it('knows a code first named by a reorganization recorded after the api started, without a restart', async () => {
    // Warm the checks on the map as it was, so a map read once and kept would still refuse 97.
    await expectRefused(started.pool, () => http.get('/api/provinces/97/progress?asOf=2027-06-30'), 404, 'UNKNOWN_PROVINCE');
    const reorganization = { effectiveOn: '2027-01-01', document: 'Nghị quyết thử nghiệm', provinces: [{ code: '97', name: 'Tỉnh thử nghiệm', predecessors: ['96'] }] };
    expect((await http.post('/api/administrative-units/reorganizations', reorganization)).status).toBe(200);
    // A province with no organizations answers as a known one does: 200, its code; a date after today has no
    // actual values yet (domain.md, "Dates after today"), so nothing is counted, not even zero.
    const progress = await http.get('/api/provinces/97/progress?asOf=2027-06-30');
    expect(progress.status).toBe(200);
    expect(progress.body).toMatchObject({ provinceCode: '97', future: true, metrics: expect.objectContaining({ cooperatives: null }) });
    // Lists read the province on the boundaries of asOf: 97 names a province from 2027-01-01 on.
    expect((await http.get('/api/organizations?provinceCode=97&asOf=2027-06-30')).status).toBe(200);
    expect((await http.get('/api/audit/events?provinceCode=97')).status).toBe(200);
  });

  it('answers every code of the 63 on the boundaries of a date where it names a province; a code that ended is 404 PROVINCE_NOT_IN_FORCE after', async () => {
    for (const code of ['89', '91', '10', '15']) {
      expect((await http.get(`/api/provinces/${code}/progress?asOf=2025-06-30`)).status).toBe(200);
      expect((await http.get(`/api/organizations?provinceCode=${code}&asOf=2025-06-30`)).status).toBe(200);
      // On the boundaries of 2025-06-30 every one of the 63 answers, whatever the date asked.
      expect((await http.get(`/api/provinces/${code}/progress?asOf=2026-01-01&boundariesOn=2025-06-30`)).status).toBe(200);
    }
    for (const code of ['91', '15']) expect((await http.get(`/api/provinces/${code}/progress?asOf=2026-01-01`)).status).toBe(200);
    for (const [code, successor] of [['89', '91'], ['10', '15']]) {
      const ended = await http.get(`/api/provinces/${code}/progress?asOf=2026-01-01`);
      expect(ended.status).toBe(404);
      expect(ended.body).toMatchObject({ code: 'PROVINCE_NOT_IN_FORCE', successor });
      expect((await http.get(`/api/organizations?provinceCode=${code}&asOf=2026-01-01`)).status).toBe(404);
    }
    expect((await http.post('/api/organizations', cooperative({ provinceCode: '89', registeredOn: '2024-03-01' }))).status).toBe(201);
  });
});

describe('cli token', () => {
  const cli = path.join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
  const mint = (province: string) =>
    execFileSync(process.execPath, [cli, 'token', '--role', 'registrar', '--province', province, '--subject', 'so-kh-dt'], {
      env: { ...process.env, JWT_SECRET: 'a-secret-of-the-test-run-long-enough-0123456789' },
      stdio: 'pipe',
    }).toString();

  it('refuses to mint a registrar token for a code that names no province on any date', () => {
    for (const code of ['00', '99']) {
      expect(() => mint(code)).toThrow(/names no province on any date/);
    }
  });

  it('mints one for a code that names a province', () => {
    expect(mint('91').trim().split('\n').at(-1)).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });
});
