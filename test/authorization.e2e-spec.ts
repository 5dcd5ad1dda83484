import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import jwt from 'jsonwebtoken';
import { createTestDatabase, testPool, type TestDatabase } from '@ktt/testing/postgres/test-database';
import { startApi, type ApiProcess } from './support/api-process';
import { httpClient } from './support/http';
import { cooperative, union } from './support/fixtures';

type Caller = 'admin' | 'registrar-91' | 'registrar-15' | 'auditor' | 'analyst' | 'no token' | 'expired' | 'other key' | 'not bearer';
const CALLERS: Caller[] = ['admin', 'registrar-91', 'registrar-15', 'auditor', 'analyst', 'no token', 'expired', 'other key', 'not bearer'];
type Access = 'health' | 'metrics' | 'organizations:write' | 'history:read' | 'extract' | 'read' | 'plans:write' | 'corrections:write' | 'administrative-units:write';

interface Endpoint {
  name: string;
  access: Access;
  /** Makes what the request needs (with the admin token) and returns it. */
  prepare(): Promise<{ method: 'GET' | 'POST'; path: string; body?: object }>;
}

/**
 * Every endpoint × every caller (api.md, "Authentication"): the expected
 * 2xx / 401 / 403, and after every refusal the global log is unchanged.
 */
describe('authorization matrix', () => {
  let database: TestDatabase;
  let api: ApiProcess;
  let pool: Pool;
  let admin: ReturnType<typeof httpClient>;
  const headers: Record<Caller, Record<string, string>> = {} as never;

  const create = async (body: object) => {
    const answer = await admin.post('/api/organizations', body);
    if (answer.status !== 201) throw new Error(JSON.stringify(answer.body));
    return answer.body.id as string;
  };
  const post = async (path: string, body: object) => {
    const answer = await admin.post(path, body);
    if (answer.status !== 200) throw new Error(JSON.stringify(answer.body));
  };
  const freshUnion = async () => create(union([await create(cooperative()), await create(cooperative()), await create(cooperative())]));

  const endpoints: Endpoint[] = [
    { name: 'POST /api/organizations', access: 'organizations:write', prepare: async () => ({ method: 'POST', path: '/api/organizations', body: cooperative() }) },
    { name: 'POST …/ratings', access: 'organizations:write', prepare: async () => ({ method: 'POST', path: `/api/organizations/${await create(cooperative())}/ratings`, body: { rating: 'good', year: 2021, ratedOn: '2021-12-10' } }) },
    { name: 'POST …/membership', access: 'organizations:write', prepare: async () => ({ method: 'POST', path: `/api/organizations/${await create(cooperative())}/membership`, body: { memberCount: 9, effectiveOn: '2021-01-01' } }) },
    { name: 'POST …/profile', access: 'organizations:write', prepare: async () => ({ method: 'POST', path: `/api/organizations/${await create(cooperative())}/profile`, body: { effectiveOn: '2021-01-01', highTech: true } }) },
    { name: 'POST …/suspension', access: 'organizations:write', prepare: async () => ({ method: 'POST', path: `/api/organizations/${await create(cooperative())}/suspension`, body: { effectiveOn: '2021-01-01', reason: 'mùa lũ' } }) },
    { name: 'POST …/dormancy', access: 'organizations:write', prepare: async () => ({ method: 'POST', path: `/api/organizations/${await create(cooperative())}/dormancy`, body: { effectiveOn: '2021-01-01', finding: 'không hoạt động' } }) },
    {
      name: 'POST …/resumption',
      access: 'organizations:write',
      prepare: async () => {
        const id = await create(cooperative());
        await post(`/api/organizations/${id}/suspension`, { effectiveOn: '2021-01-01', reason: 'x' });
        return { method: 'POST', path: `/api/organizations/${id}/resumption`, body: { effectiveOn: '2021-06-01' } };
      },
    },
    { name: 'POST …/dissolution', access: 'organizations:write', prepare: async () => ({ method: 'POST', path: `/api/organizations/${await create(cooperative())}/dissolution`, body: { effectiveOn: '2021-01-01', mode: 'voluntary', decisionRef: 'QĐ 1' } }) },
    { name: 'POST …/members', access: 'organizations:write', prepare: async () => ({ method: 'POST', path: `/api/organizations/${await freshUnion()}/members`, body: { cooperativeId: await create(cooperative()), effectiveOn: '2023-01-01' } }) },
    {
      name: 'POST …/members/{id}/leave',
      access: 'organizations:write',
      prepare: async () => {
        const unionId = await freshUnion();
        const member = await create(cooperative());
        await post(`/api/organizations/${unionId}/members`, { cooperativeId: member, effectiveOn: '2023-01-01' });
        return { method: 'POST', path: `/api/organizations/${unionId}/members/${member}/leave`, body: { effectiveOn: '2024-01-01' } };
      },
    },
    {
      name: 'POST …/corrections',
      access: 'corrections:write',
      prepare: async () => {
        const id = await create(cooperative());
        await post(`/api/organizations/${id}/ratings`, { rating: 'weak', year: 2021, ratedOn: '2021-12-10' });
        const history = await admin.get(`/api/organizations/${id}/events`);
        return { method: 'POST', path: `/api/organizations/${id}/corrections`, body: { eventId: history.body[1].eventId, reason: 'nhập nhầm' } };
      },
    },
    {
      name: 'POST /api/plans',
      access: 'plans:write',
      prepare: async () => ({
        method: 'POST',
        path: '/api/plans',
        body: { id: `plan-${randomUUID().slice(0, 8)}`, document: '1/KH', title: 'Kế hoạch', issuer: 'UBND', provinceCode: '91', adoptedOn: '2024-01-01', targets: [{ metric: 'cooperatives', op: 'at_least', value: 10, deadline: '2030-12-31', quote: 'ít nhất 10 HTX' }] },
      }),
    },
    { name: 'POST /api/plans/{id}/amendments', access: 'plans:write', prepare: async () => ({ method: 'POST', path: '/api/plans/kien-giang-251-kh-ubnd-2023/amendments', body: { effectiveOn: '2024-01-01', reason: 'sửa số văn bản', document: '251/KH-UBND' } }) },
    {
      name: 'POST /api/plans/{id}/end',
      access: 'plans:write',
      prepare: async () => {
        const id = `plan-${randomUUID().slice(0, 8)}`;
        expect((await admin.post('/api/plans', { id, title: 'Kế hoạch', issuer: 'UBND', provinceCode: '91', adoptedOn: '2024-01-01', targets: [{ metric: 'cooperatives', op: 'at_least', value: 10, deadline: '2030-12-31', quote: 'ít nhất 10 HTX' }] })).status).toBe(201);
        return { method: 'POST', path: `/api/plans/${id}/end`, body: { effectiveOn: '2024-06-01', reason: 'bãi bỏ' } };
      },
    },
    {
      name: 'POST /api/administrative-units/reorganizations',
      access: 'administrative-units:write',
      // Hà Nội going on unchanged in 2030: each admin call corrects the one before (same date), changing nothing else.
      prepare: async () => ({ method: 'POST', path: '/api/administrative-units/reorganizations', body: { effectiveOn: '2030-01-01', document: 'NQ thử', provinces: [{ code: '01', name: 'Hà Nội', predecessors: ['01'] }] } }),
    },
    { name: 'GET /api/organizations', access: 'read', prepare: async () => ({ method: 'GET', path: '/api/organizations?provinceCode=91' }) },
    { name: 'GET /api/organizations/{id}', access: 'read', prepare: async () => ({ method: 'GET', path: `/api/organizations/${await create(cooperative())}` }) },
    { name: 'GET /api/organizations/{id}/events', access: 'history:read', prepare: async () => ({ method: 'GET', path: `/api/organizations/${await create(cooperative())}/events` }) },
    // A signed extract holds whole events: auditors, admins and registrars of the organization's province.
    { name: 'GET /api/organizations/{id}/extract', access: 'extract', prepare: async () => ({ method: 'GET', path: `/api/organizations/${await create(cooperative())}/extract` }) },
    { name: 'GET /api/provinces/{code}/progress', access: 'read', prepare: async () => ({ method: 'GET', path: '/api/provinces/91/progress' }) },
    { name: 'GET …/progress/series', access: 'read', prepare: async () => ({ method: 'GET', path: '/api/provinces/91/progress/series?from=2024-01-01&to=2024-12-31&step=quarter' }) },
    { name: 'GET /api/plans', access: 'read', prepare: async () => ({ method: 'GET', path: '/api/plans' }) },
    { name: 'GET /api/plans/{id}', access: 'read', prepare: async () => ({ method: 'GET', path: '/api/plans/kien-giang-251-kh-ubnd-2023' }) },
    { name: 'GET /api/me', access: 'read', prepare: async () => ({ method: 'GET', path: '/api/me' }) },
    { name: 'GET /api/provinces', access: 'read', prepare: async () => ({ method: 'GET', path: '/api/provinces' }) },
    { name: 'GET /health', access: 'health', prepare: async () => ({ method: 'GET', path: '/health' }) },
    // The verifiable log's checkpoints and key are open as /health is: no token needed, a bad one refused.
    { name: 'GET /api/transparency/checkpoints', access: 'health', prepare: async () => ({ method: 'GET', path: '/api/transparency/checkpoints' }) },
    { name: 'GET /api/transparency/key', access: 'health', prepare: async () => ({ method: 'GET', path: '/api/transparency/key' }) },
    { name: 'GET /metrics', access: 'metrics', prepare: async () => ({ method: 'GET', path: '/metrics' }) },
  ];

  /** The expected status class for a caller on an endpoint. */
  function expected(access: Access, caller: Caller): 200 | 401 | 403 {
    // /health answers anyone its status; a token it is shown must be valid (a bad one is a failed authentication).
    if (access === 'health') return ['expired', 'other key', 'not bearer'].includes(caller) ? 401 : 200;
    // /metrics takes METRICS_TOKEN only: no user token opens it, an admin's neither.
    if (access === 'metrics') return 401;
    if (['no token', 'expired', 'other key', 'not bearer'].includes(caller)) return 401;
    switch (access) {
      case 'organizations:write':
        return caller === 'admin' || caller === 'registrar-91' ? 200 : 403; // every organization here is in 91
      case 'plans:write':
      case 'administrative-units:write':
        return caller === 'admin' ? 200 : 403;
      case 'corrections:write':
        return caller === 'admin' || caller === 'auditor' ? 200 : 403;
      case 'history:read':
        return caller === 'analyst' ? 403 : 200;
      case 'extract':
        return caller === 'admin' || caller === 'auditor' || caller === 'registrar-91' ? 200 : 403;
      case 'read':
        return 200;
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase('e2e_authz');
    // Checkpoints every second: an extract waits for one covering the organization just registered.
    api = await startApi({ DATABASE_URL: database.url, METRICS_TOKEN: 'metrics-token-of-this-run', TRANSPARENCY_CHECKPOINT_SECONDS: '1' });
    pool = testPool(database.url, 2);
    admin = httpClient(api.baseUrl, { token: api.adminToken });
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    headers.admin = bearer(api.adminToken);
    headers['registrar-91'] = bearer(api.token('registrar', ['91'], 'so-kh-dt-kien-giang'));
    headers['registrar-15'] = bearer(api.token('registrar', ['15']));
    headers.auditor = bearer(api.token('auditor'));
    headers.analyst = bearer(api.token('analyst'));
    headers['no token'] = {};
    headers.expired = bearer(
      jwt.sign({ role: 'admin', provinces: [] }, api.tokens.secret, { algorithm: 'HS256', issuer: 'ktt-registry', subject: 'old', expiresIn: -10 }),
    );
    headers['other key'] = bearer(jwt.sign({ role: 'admin', provinces: [] }, 'another-secret-another-secret-another-secret', { algorithm: 'HS256', issuer: 'ktt-registry', subject: 'forger' }));
    headers['not bearer'] = { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` };
  });
  afterAll(async () => {
    await api?.stop();
    await pool?.end();
    await database?.drop();
  });

  const head = async () => (await pool.query(`SELECT count(*)::int AS n, max(global_position)::text AS p FROM events`)).rows[0];

  for (const endpoint of endpoints) {
    describe(endpoint.name, () => {
      it.each(CALLERS)('%s', async (caller) => {
        const request = await endpoint.prepare();
        const status = expected(endpoint.access, caller);
        const http = httpClient(api.baseUrl, { readYourWrites: false });
        const before = await head();
        // Reads wait for the fixtures just written (read your writes), as a client would.
        const position = admin.lastPosition();
        const path =
          request.method === 'GET' && request.path.startsWith('/api/') && position
            ? `${request.path}${request.path.includes('?') ? '&' : '?'}minPosition=${position}`
            : request.path;
        const answer = request.method === 'GET' ? await http.get(path, headers[caller]) : await http.post(path, request.body, headers[caller]);
        if (status === 200) {
          expect([200, 201]).toContain(answer.status);
          return;
        }
        expect(answer.status).toBe(status);
        expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(answer.body.code).toBe(status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN');
        if (status === 401) expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(await head()).toEqual(before);
      });
    });
  }

  it('records the token subject as recordedBy', async () => {
    const registrar = httpClient(api.baseUrl, { token: api.token('registrar', ['91'], 'so-kh-dt-kien-giang') });
    const body = cooperative();
    expect((await registrar.post('/api/organizations', body)).status).toBe(201);
    const history = await admin.get(`/api/organizations/${body.id}/events`);
    expect(history.body[0].recordedBy).toBe('so-kh-dt-kien-giang');
  });

  it('tells each token who it speaks for and what its role may do (GET /api/me), and lists the 63 provinces', async () => {
    const registrar = httpClient(api.baseUrl, { token: api.token('registrar', ['91', '15'], 'so-kh-dt') });
    const me = await registrar.get('/api/me');
    expect(me.body).toEqual({
      subject: 'so-kh-dt',
      role: 'registrar',
      provinces: ['15', '91'],
      permissions: ['organizations:write', 'organizations:read', 'history:read', 'progress:read', 'plans:read'],
    });
    const analyst = await httpClient(api.baseUrl, { token: api.token('analyst') }).get('/api/me');
    expect(analyst.body.permissions).toEqual(['organizations:read', 'progress:read', 'plans:read']);
    const provinces = await registrar.get('/api/provinces?asOf=2025-06-30');
    expect(provinces.body).toHaveLength(63);
    expect(provinces.body).toContainEqual(expect.objectContaining({ provinceCode: '91', name: 'Kiên Giang' }));
    expect(new Set(provinces.body.map((p: { provinceCode: string }) => p.provinceCode)).size).toBe(63);
  });

  it('refuses a registrar of another province for a union membership by the union\'s province', async () => {
    const unionId = await freshUnion();
    const yenBaiCooperative = await create(cooperative({ provinceCode: '15' }));
    const registrar15 = httpClient(api.baseUrl, { token: api.token('registrar', ['15']) });
    const before = await head();
    const answer = await registrar15.post(`/api/organizations/${unionId}/members`, { cooperativeId: yenBaiCooperative, effectiveOn: '2023-01-01' });
    expect(answer.status).toBe(403);
    expect(await head()).toEqual(before);
  });
});

describe('rate limits per token', () => {
  it('answers 429 with Retry-After past the limit, counted per token', async () => {
    const database = await createTestDatabase('e2e_rate');
    const api = await startApi({ DATABASE_URL: database.url, RATE_LIMIT_PER_MINUTE: '5', SEED_PLANS: 'false' });
    try {
      const first = httpClient(api.baseUrl, { token: api.token('analyst', [], 'analyst-a') });
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await first.get('/api/plans')).status);
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses.slice(5)).toEqual([429, 429]);
      const limited = await first.get('/api/plans');
      expect(limited.headers.get('retry-after')).toBeTruthy();
      expect(limited.body.code).toBe('RATE_LIMITED');
      const second = httpClient(api.baseUrl, { token: api.token('analyst', [], 'analyst-b') });
      expect((await second.get('/api/plans')).status).toBe(200);
    } finally {
      await api.stop();
      await database.drop();
    }
  });
});

describe('cli token', () => {
  it('prints, as its last line, a token the api accepts with the role and provinces asked for', async () => {
    const { execFileSync } = await import('node:child_process');
    const path = await import('node:path');
    const database = await createTestDatabase('e2e_cli_token');
    const api = await startApi({ DATABASE_URL: database.url, SEED_PLANS: 'false' });
    try {
      const output = execFileSync(process.execPath, [path.join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js'), 'token', '--role', 'registrar', '--province', '15', '--subject', 'so-kh-dt-yen-bai'], {
        env: { ...process.env, JWT_SECRET: api.tokens.secret, DATABASE_URL: database.url },
      }).toString();
      const token = output.trim().split('\n').at(-1)!;
      const registrar = httpClient(api.baseUrl, { token });
      const allowed = cooperative({ provinceCode: '15' });
      expect((await registrar.post('/api/organizations', allowed)).status).toBe(201);
      expect((await registrar.post('/api/organizations', cooperative({ provinceCode: '91' }))).status).toBe(403);
      const history = await httpClient(api.baseUrl, { token: api.adminToken }).get(`/api/organizations/${allowed.id}/events`);
      expect(history.body[0].recordedBy).toBe('so-kh-dt-yen-bai');
    } finally {
      await api.stop();
      await database.drop();
    }
  });
});
