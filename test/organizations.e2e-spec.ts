import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { ApiProcess } from './support/api-process';
import { type TestApi, eventCount, expectCommandAnswer, expectRefused, startTestApi } from './support/test-api';
import { httpClient } from './support/http';
import { cooperative, cooperativeGroup, union } from './support/fixtures';

/** Every command and query endpoint of api.md, over HTTP, against the built app on a real PostgreSQL. */
describe('organizations over HTTP', () => {
  let api: ApiProcess;
  let pool: Pool;
  let started: TestApi;
  let http: ReturnType<typeof httpClient>;

  beforeAll(async () => {
    ({ api, pool } = started = await startTestApi('e2e_orgs', { SEED_PLANS: 'false' }));
    http = httpClient(api.baseUrl, { token: api.adminToken });
  });
  afterAll(() => started?.stop());

  async function register(body: Record<string, unknown>) {
    const answer = await http.post('/api/organizations', body);
    expect(answer.status).toBe(201);
    return answer.body as { id: string; version: number; position: string };
  }

  describe('registration', () => {
    it('registers a cooperative: 201, id, version 0, position, ETag', async () => {
      const body = cooperative();
      const answer = await http.post('/api/organizations', body);
      expectCommandAnswer(answer, 201, body.id, 0);
      const state = await http.get(`/api/organizations/${body.id}`);
      expect(state.body).toMatchObject({ id: body.id, kind: 'cooperative', status: 'active', memberCount: 12, rating: null, version: 0 });
    });

    it('generates the id when none is given', async () => {
      const { id: _omitted, ...body } = cooperative();
      const answer = await http.post('/api/organizations', body);
      expect(answer.status).toBe(201);
      expect(answer.body.id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('stores the name in NFC: a decomposed name reads back composed', async () => {
      const body = cooperative({ name: 'Hợp tác xã Tân Hiệp'.normalize('NFD') });
      await register(body);
      const state = await http.get(`/api/organizations/${body.id}`);
      expect(state.body.name).toBe('Hợp tác xã Tân Hiệp'.normalize('NFC'));
    });

    it('registers a cooperative group and a union founded by three cooperatives', async () => {
      const group = cooperativeGroup();
      await register(group);
      const founders = [cooperative(), cooperative(), cooperative()];
      for (const founder of founders) await register(founder);
      const body = union(founders.map((f) => f.id));
      await register(body);
      const state = await http.get(`/api/organizations/${body.id}?asOf=2022-05-01`);
      expect(state.body).toMatchObject({ kind: 'union', memberCount: null });
      expect([...state.body.memberCooperativeIds].sort()).toEqual(founders.map((f) => f.id).sort());
    });

    it('refuses, with the field named, what the request alone shows (400) and writes nothing', async () => {
      const problem = await expectRefused(pool,
        () => http.post('/api/organizations', { ...cooperative(), memberCount: 'many', sector: 'mining', surprise: true }),
        400,
        'VALIDATION_FAILED',
      );
      expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['memberCount', 'sector', 'surprise']));
    });

    it.each([
      ['an impossible date', { registeredOn: '2024-02-30' }, 'registeredOn'],
      ['a date in the future', { registeredOn: '2099-01-01' }, 'registeredOn'],
      ['fewer than 5 members for a cooperative', { memberCount: 4 }, 'memberCount'],
      ['managers with more degrees than managers', { managers: { total: 2, withDegree: 3 } }, 'managers.withDegree'],
      ['a bad registration number', { registrationNumber: 'AB CD' }, 'registrationNumber'],
    ])('refuses %s with 400 naming %s', async (_what, overrides, path) => {
      const problem = await expectRefused(pool, () => http.post('/api/organizations', cooperative(overrides)), 400);
      expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
    });

    it('refuses a union with fewer than three founding cooperatives (400)', async () => {
      const founders = [cooperative(), cooperative()];
      for (const founder of founders) await register(founder);
      await expectRefused(pool, () => http.post('/api/organizations', union(founders.map((f) => f.id))), 400);
    });

    it('refuses a union founded by something that is not a cooperative (409 NOT_A_COOPERATIVE)', async () => {
      const group = cooperativeGroup();
      await register(group);
      const founders = [cooperative(), cooperative()];
      for (const founder of founders) await register(founder);
      await expectRefused(pool, () => http.post('/api/organizations', union([...founders.map((f) => f.id), group.id])), 409, 'NOT_A_COOPERATIVE');
    });

    it('keeps registration numbers unique for ever, compared trimmed and upper-cased (409)', async () => {
      const first = cooperative({ registrationNumber: 'kg-2020/77' });
      await register(first);
      await expectRefused(pool, () => http.post('/api/organizations', cooperative({ registrationNumber: ' KG-2020/77 ' })), 409, 'REGISTRATION_NUMBER_TAKEN');
      await http.post(`/api/organizations/${first.id}/dissolution`, { effectiveOn: '2021-01-01', mode: 'voluntary', decisionRef: 'QĐ 1/2021' });
      await expectRefused(pool, () => http.post('/api/organizations', cooperative({ registrationNumber: 'KG-2020/77' })), 409, 'REGISTRATION_NUMBER_TAKEN');
    });

    it('treats a registration number typed in decomposed Unicode as the same number', async () => {
      const composed = `HTX-Ô${Date.now() % 100000}`.normalize('NFC');
      await register(cooperative({ registrationNumber: composed }));
      await expectRefused(pool, () => http.post('/api/organizations', cooperative({ registrationNumber: composed.normalize('NFD') })), 409, 'REGISTRATION_NUMBER_TAKEN');
    });

    it('refuses an id that is taken (409 ID_TAKEN)', async () => {
      const first = cooperative();
      await register(first);
      await expectRefused(pool, () => http.post('/api/organizations', cooperative({ id: first.id })), 409, 'ID_TAKEN');
    });

    it('answers malformed JSON and oversized bodies with problem+json', async () => {
      await expectRefused(pool, () => http.post('/api/organizations', '{"kind": "cooperative",'), 400, 'MALFORMED_JSON');
      await expectRefused(pool, () => http.post('/api/organizations', { ...cooperative(), name: 'x'.repeat(200_000) }), 413, 'PAYLOAD_TOO_LARGE');
    });
  });

  describe('commands on an existing organization', () => {
    let id: string;
    beforeAll(async () => {
      const body = cooperative({ registeredOn: '2019-01-10' });
      id = (await register(body)).id;
    });

    it('rates it (200, version 1) and the state shows the rating', async () => {
      const answer = await http.post(`/api/organizations/${id}/ratings`, { rating: 'fair', year: 2020, ratedOn: '2020-12-20' });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ id, version: 1 });
      expect((await http.get(`/api/organizations/${id}?asOf=2022-12-31`)).body.rating).toEqual({ rating: 'fair', year: 2020, ratedOn: '2020-12-20' });
      // Not rated again since: the rating of 2020 lapsed on 2023-01-01 (domain.md, "Ratings").
      expect((await http.get(`/api/organizations/${id}`)).body.rating).toBeNull();
    });

    it('changes members and profile, back-dated freely', async () => {
      expect((await http.post(`/api/organizations/${id}/membership`, { memberCount: 40, effectiveOn: '2021-06-01' })).status).toBe(200);
      expect((await http.post(`/api/organizations/${id}/membership`, { memberCount: 25, effectiveOn: '2020-06-01' })).status).toBe(200);
      const profile = await http.post(`/api/organizations/${id}/profile`, { effectiveOn: '2020-01-01', valueChain: true, managers: { total: 4, withDegree: 1 } });
      expect(profile.status).toBe(200);
      expect((await http.get(`/api/organizations/${id}?asOf=2020-12-31`)).body).toMatchObject({ memberCount: 25, valueChain: true, managers: { total: 4, withDegree: 1 } });
      expect((await http.get(`/api/organizations/${id}?asOf=2021-12-31`)).body.memberCount).toBe(40);
      // Left out at registration: unknown, not false.
      expect((await http.get(`/api/organizations/${id}?asOf=2019-12-31`)).body).toMatchObject({ memberCount: 12, valueChain: null });
    });

    it('refuses an empty profile change (400) and a change before registration (409)', async () => {
      await expectRefused(pool, () => http.post(`/api/organizations/${id}/profile`, { effectiveOn: '2021-01-01' }), 400);
      await expectRefused(pool, () => http.post(`/api/organizations/${id}/membership`, { memberCount: 9, effectiveOn: '2018-01-01' }), 409, 'BEFORE_REGISTRATION');
    });

    it('walks the lifecycle: suspend, resume, found dormant, resume, dissolve', async () => {
      const steps: [string, Record<string, unknown>, string][] = [
        ['suspension', { effectiveOn: '2022-01-01', reason: 'Tạm ngừng để tái cơ cấu', until: '2022-12-31' }, 'suspended'],
        ['resumption', { effectiveOn: '2022-06-01' }, 'active'],
        ['dormancy', { effectiveOn: '2023-03-01', finding: 'Không hoạt động sau kiểm tra' }, 'dormant'],
        ['resumption', { effectiveOn: '2023-09-01' }, 'active'],
      ];
      for (const [path, body, status] of steps) {
        const answer = await http.post(`/api/organizations/${id}/${path}`, body);
        expect(answer.status).toBe(200);
        expect((await http.get(`/api/organizations/${id}?asOf=${body.effectiveOn}`)).body.status).toBe(status);
      }
      await expectRefused(pool, () => http.post(`/api/organizations/${id}/resumption`, { effectiveOn: '2023-10-01' }), 409, 'INVALID_TRANSITION');
      await expectRefused(pool, () => http.post(`/api/organizations/${id}/suspension`, { effectiveOn: '2023-01-01', reason: 'late' }), 409, 'LIFECYCLE_OUT_OF_ORDER');
      const dissolved = await http.post(`/api/organizations/${id}/dissolution`, { effectiveOn: '2024-05-01', mode: 'compulsory', decisionRef: 'QĐ 55/QĐ-UBND' });
      expect(dissolved.status).toBe(200);
      expect((await http.get(`/api/organizations/${id}`)).body).toMatchObject({ status: 'dissolved', dissolvedOn: '2024-05-01' });
    });

    it('refuses what is dated on or after the dissolution but accepts a late record dated before it', async () => {
      await expectRefused(pool, () => http.post(`/api/organizations/${id}/ratings`, { rating: 'good', year: 2024, ratedOn: '2024-05-01' }), 409, 'ORGANIZATION_DISSOLVED');
      const late = await http.post(`/api/organizations/${id}/ratings`, { rating: 'good', year: 2023, ratedOn: '2023-12-20' });
      expect(late.status).toBe(200);
    });

    it('refuses a rating of a cooperative group (409 NOT_RATED_KIND) and member counts of a union', async () => {
      const group = cooperativeGroup();
      await register(group);
      await expectRefused(pool, () => http.post(`/api/organizations/${group.id}/ratings`, { rating: 'good', year: 2021, ratedOn: '2021-12-01' }), 409, 'NOT_RATED_KIND');
    });

    it('answers 404 for an unknown organization and 400 for an id that is not a UUID', async () => {
      await expectRefused(pool, () => http.post(`/api/organizations/${randomUUID()}/ratings`, { rating: 'good', year: 2021, ratedOn: '2021-12-01' }), 404, 'ORGANIZATION_NOT_FOUND');
      await expectRefused(pool, () => http.post('/api/organizations/not-a-uuid/ratings', { rating: 'good', year: 2021, ratedOn: '2021-12-01' }), 400);
      expect((await http.get(`/api/organizations/${randomUUID()}`)).status).toBe(404);
    });
  });

  describe('union membership', () => {
    it('lets a cooperative join and leave a union, which owns the membership', async () => {
      const founders = [cooperative(), cooperative(), cooperative()];
      for (const founder of founders) await register(founder);
      const theUnion = union(founders.map((f) => f.id));
      await register(theUnion);
      const joiner = cooperative();
      await register(joiner);

      const joined = await http.post(`/api/organizations/${theUnion.id}/members`, { cooperativeId: joiner.id, effectiveOn: '2023-01-01' });
      expect(joined.status).toBe(200);
      await expectRefused(pool, () => http.post(`/api/organizations/${theUnion.id}/members`, { cooperativeId: joiner.id, effectiveOn: '2023-02-01' }), 409, 'ALREADY_A_MEMBER');
      const left = await http.post(`/api/organizations/${theUnion.id}/members/${joiner.id}/leave`, { effectiveOn: '2024-01-01' });
      expect(left.status).toBe(200);
      await expectRefused(pool, () => http.post(`/api/organizations/${theUnion.id}/members/${joiner.id}/leave`, { effectiveOn: '2024-02-01' }), 409, 'NOT_A_MEMBER');

      expect((await http.get(`/api/organizations/${theUnion.id}?asOf=2023-06-30`)).body.memberCooperativeIds).toContain(joiner.id);
      expect((await http.get(`/api/organizations/${theUnion.id}?asOf=2024-06-30`)).body.memberCooperativeIds).not.toContain(joiner.id);
      // The cooperative's own stream is untouched: the union owns the membership.
      expect((await http.get(`/api/organizations/${joiner.id}/events`)).body).toHaveLength(1);
    });

    it('refuses a join on something that is not a union, and a member that is not a cooperative', async () => {
      const group = cooperativeGroup();
      const coop = cooperative();
      await register(group);
      await register(coop);
      await expectRefused(pool, () => http.post(`/api/organizations/${coop.id}/members`, { cooperativeId: coop.id, effectiveOn: '2023-01-01' }), 409, 'NOT_APPLICABLE_TO_KIND');
      const founders = [cooperative(), cooperative(), cooperative()];
      for (const founder of founders) await register(founder);
      const theUnion = union(founders.map((f) => f.id));
      await register(theUnion);
      await expectRefused(pool, () => http.post(`/api/organizations/${theUnion.id}/members`, { cooperativeId: group.id, effectiveOn: '2023-01-01' }), 409, 'NOT_A_COOPERATIVE');
    });
  });

  describe('history', () => {
    it('lists the whole history oldest first with metadata and a hash chain', async () => {
      const body = cooperative();
      await register(body);
      await http.post(`/api/organizations/${body.id}/ratings`, { rating: 'good', year: 2021, ratedOn: '2021-12-10' }, { 'x-correlation-id': 'corr-42' });
      const history = (await http.get(`/api/organizations/${body.id}/events`)).body;
      expect(history.map((e: { revision: number; type: string }) => [e.revision, e.type])).toEqual([
        [0, 'OrganizationRegistered'],
        [1, 'OrganizationRated'],
      ]);
      expect(history[1]).toMatchObject({
        effectiveOn: '2021-12-10',
        recordedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        recordedBy: expect.any(String),
        eventId: expect.any(String),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        correlationId: 'corr-42',
      });
      expect(history[0].previousHash).toBeNull();
      expect(history[1].previousHash).toBe(history[0].hash);
    });
  });

  describe('If-Match and concurrent writers', () => {
    it('writes with the right If-Match and answers 412 with a stale one, writing nothing', async () => {
      const body = cooperative();
      await register(body);
      const ok = await http.post(`/api/organizations/${body.id}/membership`, { memberCount: 20, effectiveOn: '2021-01-01' }, { 'if-match': '"0"' });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('etag')).toBe('"1"');
      await expectRefused(pool,
        () => http.post(`/api/organizations/${body.id}/membership`, { memberCount: 21, effectiveOn: '2021-02-01' }, { 'if-match': '"0"' }),
        412,
        'VERSION_MISMATCH',
      );
      await expectRefused(pool, () => http.post(`/api/organizations/${body.id}/membership`, { memberCount: 21, effectiveOn: '2021-02-01' }, { 'if-match': 'yesterday' }), 400);
    });

    it('with If-Match, exactly one of concurrent writers at one version wins; the others get 412', async () => {
      const body = cooperative();
      await register(body);
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          http.post(`/api/organizations/${body.id}/membership`, { memberCount: 10 + i, effectiveOn: '2021-03-01' }, { 'if-match': '"0"' }),
        ),
      );
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
      expect(answers.filter((a) => a.status === 412)).toHaveLength(11);
      expect((await http.get(`/api/organizations/${body.id}/events`)).body).toHaveLength(2);
    });

    it('without If-Match, every concurrent writer is served by deciding again; revisions have no gap', async () => {
      const body = cooperative();
      await register(body);
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => http.post(`/api/organizations/${body.id}/membership`, { memberCount: 10 + i, effectiveOn: '2021-03-01' })),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
      expect(new Set(answers.map((a) => a.body.version))).toEqual(new Set(Array.from({ length: 20 }, (_, i) => i + 1)));
      const history = (await http.get(`/api/organizations/${body.id}/events`)).body;
      expect(history.map((e: { revision: number }) => e.revision)).toEqual(Array.from({ length: 21 }, (_, i) => i));
    });

    it('re-checks the rules when deciding again: of a dissolution and concurrent late changes, none lands after it', async () => {
      const body = cooperative();
      await register(body);
      const answers = await Promise.all([
        http.post(`/api/organizations/${body.id}/dissolution`, { effectiveOn: '2022-01-01', mode: 'voluntary', decisionRef: 'QĐ 9' }),
        ...Array.from({ length: 6 }, () => http.post(`/api/organizations/${body.id}/membership`, { memberCount: 30, effectiveOn: '2023-01-01' })),
      ]);
      expect(answers[0].status).toBe(200);
      const history = (await http.get(`/api/organizations/${body.id}/events`)).body;
      const dissolutionRevision = history.findIndex((e: { type: string }) => e.type === 'OrganizationDissolved');
      expect(history.slice(dissolutionRevision + 1)).toEqual([]);
      for (const refused of answers.slice(1).filter((a) => a.status !== 200)) expect(refused.body.code).toBe('ORGANIZATION_DISSOLVED');
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first answer for the same key and body, writing nothing', async () => {
      const body = cooperative();
      const key = `key-${randomUUID()}`;
      const first = await http.post('/api/organizations', body, { 'idempotency-key': key });
      expect(first.status).toBe(201);
      const before = await eventCount(pool);
      const again = await http.post('/api/organizations', { ...body }, { 'idempotency-key': key });
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(await eventCount(pool)).toBe(before);
    });

    it('compares bodies as canonical JSON (key order does not matter)', async () => {
      const body = cooperative();
      const key = `key-${randomUUID()}`;
      const first = await http.post('/api/organizations', body, { 'idempotency-key': key });
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      const again = await http.post('/api/organizations', reordered, { 'idempotency-key': key });
      expect(again.body).toEqual(first.body);
    });

    it('answers 422 for the same key with another body, writing nothing', async () => {
      const body = cooperative();
      const key = `key-${randomUUID()}`;
      await http.post('/api/organizations', body, { 'idempotency-key': key });
      await expectRefused(pool, () => http.post('/api/organizations', { ...body, name: 'Another' }, { 'idempotency-key': key }), 422, 'IDEMPOTENCY_KEY_REUSED');
    });

    it('stores one event for concurrent retries with the same key', async () => {
      const body = cooperative();
      await register(body);
      const key = `key-${randomUUID()}`;
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => http.post(`/api/organizations/${body.id}/membership`, { memberCount: 33, effectiveOn: '2021-05-05' }, { 'idempotency-key': key })),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
      expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
      expect((await http.get(`/api/organizations/${body.id}/events`)).body).toHaveLength(2);
    });
  });

  describe('operations', () => {
    it('serves /health (status only) and the OpenAPI document without a token; /metrics not at all without METRICS_TOKEN', async () => {
      const health = await httpClient(api.baseUrl).get('/health');
      expect(health.status).toBe(200);
      expect(health.body).toEqual({ status: 'up' });
      expect((await http.get('/health')).body.details.database.status).toBe('up'); // an admin sees the checks
      expect((await http.get('/metrics')).status).toBe(404);
      const openapi = await http.get('/docs/openapi.json');
      expect(openapi.status).toBe(200);
      // /docs tells how to authenticate: a bearer scheme and the way to mint tokens.
      expect(openapi.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(openapi.body.info.description).toContain('npm run cli -- token');
      expect(Object.keys(openapi.body.paths)).toEqual(
        expect.arrayContaining(['/api/organizations', '/api/organizations/{id}/ratings', '/api/organizations/{unionId}/members/{cooperativeId}/leave', '/api/plans/{id}/amendments']),
      );
    });

    it('answers an unknown route with a problem+json 404', async () => {
      const answer = await http.get('/api/nothing-here');
      expect(answer.status).toBe(404);
      expect(answer.headers.get('content-type')).toMatch(/problem\+json/);
    });
  });
});
