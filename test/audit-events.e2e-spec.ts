import { createTestDatabase, type TestDatabase } from '@ktt/testing/postgres/test-database';
import { startApi, type ApiProcess } from './support/api-process';
import { httpClient } from './support/http';
import { cooperative } from './support/fixtures';

/** GET /api/audit/events (api.md, "Queries"): the audit trail by recorded time. */
describe('audit trail endpoint', () => {
  let database: TestDatabase;
  let api: ApiProcess;
  let kienGiang: ReturnType<typeof httpClient>;
  let yenBai: ReturnType<typeof httpClient>;
  let auditor: ReturnType<typeof httpClient>;
  const ids: Record<string, string> = {};
  let between: string;
  let minPosition: string;

  const created = async (client: ReturnType<typeof httpClient>, body: { id: string }) => {
    const answer = await client.post('/api/organizations', body);
    if (answer.status !== 201) throw new Error(JSON.stringify(answer.body));
    return body.id;
  };
  const get = (path: string) => auditor.get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${minPosition}`);

  beforeAll(async () => {
    database = await createTestDatabase('e2e_audit');
    api = await startApi({ DATABASE_URL: database.url, SEED_PLANS: 'false' });
    kienGiang = httpClient(api.baseUrl, { token: api.token('registrar', ['91'], 'so-kh-dt-kien-giang') });
    yenBai = httpClient(api.baseUrl, { token: api.token('registrar', ['15'], 'so-kh-dt-yen-bai') });
    auditor = httpClient(api.baseUrl, { token: api.token('auditor') });
    ids.kg1 = await created(kienGiang, cooperative({ name: 'Hợp tác xã Đông Hòa', registrationNumber: 'HTX-AUDIT-1' }));
    ids.kg2 = await created(kienGiang, cooperative());
    ids.yb = await created(yenBai, cooperative({ provinceCode: '15', name: 'Hợp tác xã Chè Suối Giàng', registrationNumber: 'HTX-AUDIT-3' }));
    await new Promise((resolve) => setTimeout(resolve, 30));
    between = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const dissolved = await yenBai.post(`/api/organizations/${ids.yb}/dissolution`, { effectiveOn: '2025-01-01', mode: 'voluntary', decisionRef: 'QĐ 9/UBND' });
    expect(dissolved.status).toBe(200);
    const rated = await kienGiang.post(`/api/organizations/${ids.kg1}/ratings`, { rating: 'good', year: 2024, ratedOn: '2024-12-10' });
    expect(rated.status).toBe(200);
    minPosition = rated.body.position;
  });
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it('lists the events of every organization by recorded time, with who and where', async () => {
    const answer = await get('/api/audit/events');
    expect(answer.status).toBe(200);
    expect(answer.body.nextCursor).toBeNull();
    const items = answer.body.items as { type: string; recordedAt: string; organizationId: string }[];
    expect(items.map((item) => item.type)).toEqual(['OrganizationRegistered', 'OrganizationRegistered', 'OrganizationRegistered', 'OrganizationDissolved', 'OrganizationRated']);
    expect(items.map((item) => item.recordedAt)).toEqual([...items.map((item) => item.recordedAt)].sort());
    expect(items[3]).toMatchObject({
      streamId: `organization-${ids.yb}`,
      revision: 1,
      organizationId: ids.yb,
      provinceCode: '15',
      recordedBy: 'so-kh-dt-yen-bai',
      effectiveOn: '2025-01-01',
      decisionRef: 'QĐ 9/UBND',
      correctsEventId: null,
      correctedByEventId: null,
    });
    expect(items[3].recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('filters by recordedBy, provinceCode, type and time window', async () => {
    const byYenBai = await get('/api/audit/events?recordedBy=so-kh-dt-yen-bai');
    expect(byYenBai.body.items.map((item: { organizationId: string }) => item.organizationId)).toEqual([ids.yb, ids.yb]);
    const byKienGiang = await get('/api/audit/events?recordedBy=so-kh-dt-kien-giang');
    expect(byKienGiang.body.items.map((item: { type: string }) => item.type)).toEqual(['OrganizationRegistered', 'OrganizationRegistered', 'OrganizationRated']);
    const in91 = await get('/api/audit/events?provinceCode=91');
    expect(in91.body.items).toHaveLength(3);
    expect(in91.body.items.every((item: { provinceCode: string }) => item.provinceCode === '91')).toBe(true);
    const dissolutions = await get('/api/audit/events?type=OrganizationDissolved');
    expect(dissolutions.body.items.map((item: { organizationId: string }) => item.organizationId)).toEqual([ids.yb]);
    const before = await get(`/api/audit/events?to=${encodeURIComponent(between)}`);
    const after = await get(`/api/audit/events?from=${encodeURIComponent(between)}`);
    expect(before.body.items.map((item: { type: string }) => item.type)).toEqual(['OrganizationRegistered', 'OrganizationRegistered', 'OrganizationRegistered']);
    expect(after.body.items.map((item: { type: string }) => item.type)).toEqual(['OrganizationDissolved', 'OrganizationRated']);
    const both = await get(`/api/audit/events?from=${encodeURIComponent(between)}&provinceCode=91&type=OrganizationRated`);
    expect(both.body.items.map((item: { organizationId: string }) => item.organizationId)).toEqual([ids.kg1]);
  });

  it('pages with the cursor: every event once, in order', async () => {
    const all = (await get('/api/audit/events')).body.items;
    const seen: unknown[] = [];
    let path = '/api/audit/events?limit=2';
    for (let pages = 1; ; pages++) {
      const page = await get(path);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items);
      if (!page.body.nextCursor) {
        expect(pages).toBe(3);
        break;
      }
      path = `/api/audit/events?limit=2&cursor=${page.body.nextCursor}`;
    }
    expect(seen).toEqual(all);
  });

  it('names the organization of every row: its current name and registration number', async () => {
    const items = (await get('/api/audit/events')).body.items as { organizationId: string; organizationName: string | null; registrationNumber: string | null }[];
    const named = (id: string) => items.filter((item) => item.organizationId === id).map((item) => [item.organizationName, item.registrationNumber]);
    expect(named(ids.kg1)).toEqual([
      ['Hợp tác xã Đông Hòa', 'HTX-AUDIT-1'],
      ['Hợp tác xã Đông Hòa', 'HTX-AUDIT-1'],
    ]);
    // Dissolved since: still named, on its registration as on its dissolution.
    expect(named(ids.yb)).toEqual([
      ['Hợp tác xã Chè Suối Giàng', 'HTX-AUDIT-3'],
      ['Hợp tác xã Chè Suối Giàng', 'HTX-AUDIT-3'],
    ]);
  });

  it('filters by organizationId (any letter case): that organization\'s history only', async () => {
    const answer = await get(`/api/audit/events?organizationId=${ids.yb.toUpperCase()}`);
    expect(answer.status).toBe(200);
    expect(answer.body.items.map((item: { type: string; organizationId: string }) => [item.type, item.organizationId])).toEqual([
      ['OrganizationRegistered', ids.yb],
      ['OrganizationDissolved', ids.yb],
    ]);
    const none = await get(`/api/audit/events?organizationId=${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`);
    expect(none.body).toEqual({ items: [], nextCursor: null });
  });

  it('walks newest first with order=desc, every event once, and refuses a cursor of the other order', async () => {
    const oldestFirst = (await get('/api/audit/events')).body.items;
    const newestFirst = await get('/api/audit/events?order=desc');
    expect(newestFirst.body.items).toEqual([...oldestFirst].reverse());
    const seen: unknown[] = [];
    let path = '/api/audit/events?order=desc&limit=2';
    let ascCursor = '';
    for (let pages = 1; ; pages++) {
      const page = await get(path);
      expect(page.status).toBe(200);
      seen.push(...page.body.items);
      if (!page.body.nextCursor) {
        expect(pages).toBe(3);
        break;
      }
      ascCursor ||= (await get('/api/audit/events?limit=2')).body.nextCursor;
      // The same place in the other order is another cursor: each continues only its own walk.
      const crossed = await auditor.get(`/api/audit/events?limit=2&cursor=${page.body.nextCursor}`);
      expect(crossed.status).toBe(400);
      expect(crossed.body.errors.map((error: { path: string }) => error.path)).toEqual(['cursor']);
      path = `/api/audit/events?order=desc&limit=2&cursor=${page.body.nextCursor}`;
    }
    expect(seen).toEqual([...oldestFirst].reverse());
    const crossed = await auditor.get(`/api/audit/events?order=desc&limit=2&cursor=${ascCursor}`);
    expect(crossed.status).toBe(400);
    // Newest first within a filter too.
    const kg1 = await get(`/api/audit/events?organizationId=${ids.kg1}&order=desc`);
    expect(kg1.body.items.map((item: { type: string }) => item.type)).toEqual(['OrganizationRated', 'OrganizationRegistered']);
  });

  it('answers 403 to an analyst and to a registrar, 401 without a token', async () => {
    for (const token of [api.token('analyst'), api.token('registrar', ['91'])]) {
      const answer = await httpClient(api.baseUrl, { token }).get('/api/audit/events');
      expect(answer.status).toBe(403);
      expect(answer.body.code).toBe('FORBIDDEN');
    }
    expect((await httpClient(api.baseUrl).get('/api/audit/events')).status).toBe(401);
    expect((await httpClient(api.baseUrl, { token: api.adminToken }).get('/api/audit/events')).status).toBe(200);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['limit=abc', 'limit'],
    ['from=yesterday', 'from'],
    ['from=2026-01-01', 'from'],
    ['to=2026-13-01T00:00:00Z', 'to'],
    ['from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'to'],
    ['provinceCode=9', 'provinceCode'],
    [`type=${'x'.repeat(101)}`, 'type'],
    ['cursor=not-ours', 'cursor'],
    ['organizationId=not-a-uuid', 'organizationId'],
    ['organizationId=3f1c2a9e', 'organizationId'],
    ['order=newest', 'order'],
    ['order=DESC', 'order'],
    ['minPosition=nope', 'minPosition'],
    ['colour=red', 'colour'],
  ])('answers 400 to %s', async (query, field) => {
    const answer = await auditor.get(`/api/audit/events?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body.errors.map((error: { path: string }) => error.path)).toContain(field);
  });
});
