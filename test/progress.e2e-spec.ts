import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@ktt/testing/postgres/test-database';
import { startApi, type ApiProcess } from './support/api-process';
import { httpClient } from './support/http';
import { cooperative, cooperativeGroup, union } from './support/fixtures';

/**
 * Queries from the read models over HTTP: lists, province progress against
 * the seeded plans, series, read-your-writes. A province of its own ('91',
 * Kiên Giang, so Plan 251's targets apply) in a database of its own.
 */
describe('read models over HTTP', () => {
  let database: TestDatabase;
  let api: ApiProcess;
  let http: ReturnType<typeof httpClient>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase('e2e_progress');
    api = await startApi({ DATABASE_URL: database.url });
    http = httpClient(api.baseUrl, { token: api.adminToken });
    const post = async (path: string, body: object) => {
      const answer = await http.post(path, body);
      if (answer.status >= 300) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body;
    };
    // Three cooperatives (two agricultural), one group, one union; ratings, profile, a dissolution.
    ids.a = (await post('/api/organizations', cooperative({ name: 'Hợp tác xã Nông nghiệp Tân Hiệp', registeredOn: '2019-01-01', memberCount: 10 }))).id;
    ids.b = (await post('/api/organizations', cooperative({ name: 'Hợp tác xã Thủy sản Đông Hòa', sector: 'fisheries', registeredOn: '2020-01-01', memberCount: 20 }))).id;
    ids.c = (await post('/api/organizations', cooperative({ name: 'Hợp tác xã Vận tải Rạch Giá', sector: 'transport', registeredOn: '2021-01-01', memberCount: 30 }))).id;
    ids.g = (await post('/api/organizations', cooperativeGroup({ name: 'Tổ hợp tác rau sạch', registeredOn: '2020-06-01', memberCount: 4 }))).id;
    ids.u = (await post('/api/organizations', union([ids.a, ids.b, ids.c], { registeredOn: '2022-01-01' }))).id;
    await post(`/api/organizations/${ids.a}/ratings`, { rating: 'good', year: 2022, ratedOn: '2022-12-15' });
    await post(`/api/organizations/${ids.b}/ratings`, { rating: 'weak', year: 2022, ratedOn: '2022-12-15' });
    await post(`/api/organizations/${ids.a}/profile`, { effectiveOn: '2022-01-01', valueChain: true, highTech: true, managers: { total: 4, withDegree: 1 } });
    await post(`/api/organizations/${ids.c}/dissolution`, { effectiveOn: '2023-06-01', mode: 'voluntary', decisionRef: 'QĐ 7' });
  });
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it('lists organizations as of a date with filters, and matches names with or without diacritics', async () => {
    const all = await http.get('/api/organizations?provinceCode=91&asOf=2022-12-31&limit=500');
    expect(all.status).toBe(200);
    expect(all.body.items.map((o: { id: string }) => o.id).sort()).toEqual([ids.a, ids.b, ids.c, ids.g, ids.u].sort());
    const cooperatives = await http.get('/api/organizations?provinceCode=91&kind=cooperative&asOf=2024-01-01');
    expect(cooperatives.body.items.map((o: { status: string }) => o.status).sort()).toEqual(['active', 'active', 'dissolved']);
    const dissolved = await http.get('/api/organizations?status=dissolved&asOf=2024-01-01');
    expect(dissolved.body.items.map((o: { id: string }) => o.id)).toEqual([ids.c]);
    const before = await http.get('/api/organizations?provinceCode=91&asOf=2019-06-01');
    expect(before.body.items.map((o: { id: string }) => o.id)).toEqual([ids.a]);
    for (const q of ['đông hòa', 'dong hoa', 'DONG HOA', 'Đông Hòa'.normalize('NFD')]) {
      const found = await http.get(`/api/organizations?q=${encodeURIComponent(q)}&asOf=2024-01-01`);
      expect(found.body.items.map((o: { id: string }) => o.id)).toEqual([ids.b]);
    }
  });

  it('pages with a cursor, each organization once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await http.get(
        `/api/organizations?provinceCode=91&asOf=2024-01-01&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((o) => o.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([ids.a, ids.b, ids.c, ids.g, ids.u].sort());
  });

  it('shows a cooperative\'s unions and a union\'s members as of a date (the dissolution of either side ends it)', async () => {
    expect((await http.get(`/api/organizations/${ids.a}?asOf=2022-06-01`)).body.unionIds).toEqual([ids.u]);
    expect((await http.get(`/api/organizations/${ids.a}?asOf=2021-06-01`)).body.unionIds).toEqual([]);
    const members = (await http.get(`/api/organizations/${ids.u}?asOf=2023-12-31`)).body.memberCooperativeIds;
    expect(members.sort()).toEqual([ids.a, ids.b].sort()); // c dissolved on 2023-06-01
  });

  it('computes every metric of a province as of a date', async () => {
    const answer = await http.get('/api/provinces/91/progress?asOf=2022-12-31');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ provinceCode: '91', asOf: '2022-12-31', knownAt: null, future: false });
    expect(answer.body.metrics).toEqual({
      cooperative_groups: 1,
      cooperative_group_members: 4,
      cooperatives: 3,
      cooperative_members: 60,
      unions: 1,
      union_member_cooperatives: 3,
      cooperatives_good_or_fair_share: 1 / 3,
      rated_organizations_good_or_fair_share: 1 / 4,
      // Only a's profile was given: the flag-based shares are over the known values (a's), and where
      // nobody's flag is known there is no share.
      cooperatives_good_or_fair_in_value_chain_share: 1,
      rated_organizations_good_or_fair_in_value_chain_share: 1,
      rated_organizations_value_chain_share: 1,
      managers_with_degree_share: 1 / 4,
      directors_trained_share: null,
      high_tech_agricultural_cooperatives: 1,
      agricultural_cooperatives_enterprise_linked_share: null,
      dormant_cooperatives: 0,
      suspended_cooperatives: 0,
      organizations_digital_adoption_share: null,
      // Members (4 in the group, 10 + 20 + 30 in the cooperatives) over former Kiên Giang's 2019 census population (data/reference).
      population_share: (4 + 60) / 1723067,
    });
    // Known ÷ in scope: a of the 3 cooperatives (managers, directorTrained) and of the 4 rated organizations (valueChain).
    expect(answer.body.coverage).toEqual({
      cooperatives_good_or_fair_in_value_chain_share: 1,
      rated_organizations_good_or_fair_in_value_chain_share: 1,
      rated_organizations_value_chain_share: 1 / 4,
      managers_with_degree_share: 1 / 3,
      directors_trained_share: 0,
      high_tech_agricultural_cooperatives: 1 / 2,
      agricultural_cooperatives_enterprise_linked_share: 0,
      organizations_digital_adoption_share: 0,
    });
    expect(answer.body.population).toEqual({ value: 1723067, figures: [{ unit: '91', year: 2019, kind: 'census', population: 1723067 }] });
    const later = await http.get('/api/provinces/91/progress?asOf=2023-12-31');
    expect(later.body.metrics).toMatchObject({ cooperatives: 2, cooperative_members: 30, union_member_cooperatives: 2 });
  });

  it('evaluates each target of Plan 251 in force, with baseline and expected value', async () => {
    const answer = await http.get('/api/provinces/91/progress?asOf=2024-12-31');
    const targets = answer.body.targets;
    expect(targets).toHaveLength(13);
    const cooperatives = targets.find((t: { metric: string }) => t.metric === 'cooperatives');
    expect(cooperatives).toMatchObject({
      planId: 'kien-giang-251-kh-ubnd-2023',
      op: 'approximately',
      value: 700,
      actual: 2,
      met: false,
      attainment: 2 / 700,
      baseline: 2, // on the adoption date, 2023-10-20
      onTrack: false,
      status: 'behind', // 2 against an expected of about 118
    });
    expect(cooperatives.expected).toBeGreaterThan(2);
    expect(cooperatives.expected).toBeLessThan(700);
    const dormant = targets.find((t: { metric: string }) => t.metric === 'dormant_cooperatives');
    expect(dormant).toMatchObject({ op: 'at_most', actual: 0, met: true, attainment: 1, onTrack: true, status: 'met' });
    // Before the plan's adoption no target of it is in force.
    expect((await http.get('/api/provinces/91/progress?asOf=2023-01-01')).body.targets).toEqual([]);
  });

  it('answers a monthly series with one point per month end', async () => {
    const answer = await http.get('/api/provinces/91/progress/series?from=2022-01-01&to=2022-12-31&step=month');
    expect(answer.status).toBe(200);
    expect(answer.body).toHaveLength(12);
    expect(answer.body[0].asOf).toBe('2022-01-31');
    expect(answer.body.map((p: { metrics: { cooperatives: number } }) => p.metrics.cooperatives)).toEqual(Array(12).fill(3));
    const bad = await http.get('/api/provinces/91/progress/series?from=2022-01-01&to=2022-12-31&step=week');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toContain('step');
  });

  it('answers knownAt with what was known then: records made later do not count, even back-dated', async () => {
    const before = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    // A late rating, back-dated into 2022.
    const late = await http.post(`/api/organizations/${ids.b}/ratings`, { rating: 'good', year: 2022, ratedOn: '2022-12-20' });
    expect(late.status).toBe(200);
    const now = await http.get('/api/provinces/91/progress?asOf=2022-12-31');
    expect(now.body.metrics.cooperatives_good_or_fair_share).toBeCloseTo(2 / 3);
    const then = await http.get(`/api/provinces/91/progress?asOf=2022-12-31&knownAt=${before}`);
    expect(then.body).toMatchObject({ knownAt: before });
    expect(then.body.metrics.cooperatives_good_or_fair_share).toBeCloseTo(1 / 3);
    expect((await http.get(`/api/organizations/${ids.b}?asOf=2022-12-31&knownAt=${before}`)).body.rating).toMatchObject({ rating: 'weak' });
    expect((await http.get(`/api/organizations/${ids.b}?asOf=2022-12-31`)).body.rating).toMatchObject({ rating: 'good' });
    // Before anything was recorded, nothing was known.
    expect((await http.get(`/api/organizations/${ids.b}?knownAt=2000-01-01T00:00:00.000Z`)).status).toBe(404);
    expect((await http.get('/api/provinces/91/progress?knownAt=2000-01-01T00:00:00.000Z')).body.metrics.cooperatives).toBe(0);
  });

  it('refuses a malformed knownAt and a malformed minPosition with 400', async () => {
    const knownAt = await http.get('/api/provinces/91/progress?knownAt=yesterday');
    expect(knownAt.status).toBe(400);
    expect(knownAt.body.errors[0].path).toBe('knownAt');
    const bad = await httpClient(api.baseUrl, { readYourWrites: false, token: api.adminToken }).get('/api/provinces/91/progress?minPosition=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('minPosition');
  });

  it('answers 404 for an organization not registered yet at asOf', async () => {
    expect((await http.get(`/api/organizations/${ids.c}?asOf=2020-12-31`)).status).toBe(404);
    expect((await http.get(`/api/organizations/${randomUUID()}`)).status).toBe(404);
  });
});

describe('read your writes without a running projector', () => {
  it('answers 503 with Retry-After when the read models do not reach minPosition within 5 s', async () => {
    const database = await createTestDatabase('e2e_lag');
    const api = await startApi({ DATABASE_URL: database.url, RUN_PROJECTOR: 'false', SEED_PLANS: 'false' });
    try {
      const http = httpClient(api.baseUrl, { token: api.adminToken });
      const written = await http.post('/api/organizations', cooperative());
      expect(written.status).toBe(201);
      const answer = await http.get(`/api/organizations/${written.body.id}`);
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBeTruthy();
      expect(answer.body.code).toBe('READ_MODEL_BEHIND');
    } finally {
      await api.stop();
      await database.drop();
    }
  });
});

describe('a projection that fails', () => {
  it('stops at the failing event and turns /health to 503 naming where', async () => {
    const database = await createTestDatabase('e2e_poison');
    const api = await startApi({ DATABASE_URL: database.url, SEED_PLANS: 'false' });
    const { Client } = await import('pg');
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      expect((await fetch(`${api.baseUrl}/health`)).status).toBe(200);
      // A stream the projection cannot fold: a rating with no registration before it (written past the command path).
      await client.query(
        `INSERT INTO events (stream_id, stream_revision, event_id, event_type, data, metadata) VALUES ($1, 0, $2, 'OrganizationRated', $3, $4)`,
        [
          `organization-${randomUUID()}`,
          randomUUID(),
          { organizationId: 'x', rating: 'good', year: 2020, effectiveOn: '2020-12-01' },
          { eventId: 'x', recordedAt: new Date().toISOString(), recordedBy: 'test', correlationId: 'c', causationId: null, schemaVersion: 1, previousHash: null, hash: 'h' },
        ],
      );
      let health: { status: number; body: any } = { status: 0, body: null };
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        const response = await fetch(`${api.baseUrl}/health`, { headers: { authorization: `Bearer ${api.adminToken}` } });
        health = { status: response.status, body: await response.json() };
        if (health.status === 503) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(health.status).toBe(503);
      expect(health.body.error.projector).toMatchObject({ status: 'down', state: 'failed', failedAt: expect.stringMatching(/^\d+\.\d+$/) });
    } finally {
      await client.end();
      await api.stop();
      await database.drop();
    }
  });
});
