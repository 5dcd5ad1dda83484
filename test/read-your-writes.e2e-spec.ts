import { createTestDatabase, type TestDatabase } from '@ktt/testing/postgres/test-database';
import { startApi, type ApiProcess } from './support/api-process';
import { httpClient } from './support/http';
import { cooperative } from './support/fixtures';
import { startProjector, waitFor, type Child } from './support/reliability';

/**
 * Read your writes (api.md, "Queries"): `minPosition` beyond the head of
 * the log is 400 POSITION_BEYOND_HEAD at once (it held the request for 5 s);
 * a reachable one is awaited with the existing timeout, also when the
 * projector runs in another process (external mode: the api hears its
 * NOTIFY).
 */
describe('minPosition', () => {
  let database: TestDatabase;
  let api: ApiProcess;
  let projector: Child | null = null;
  let http: ReturnType<typeof httpClient>;

  beforeAll(async () => {
    database = await createTestDatabase('e2e_min_position');
    api = await startApi({ DATABASE_URL: database.url, SEED_PLANS: 'false', RUN_PROJECTOR: 'false' });
    http = httpClient(api.baseUrl, { token: api.adminToken, readYourWrites: false });
  });
  afterAll(async () => {
    await projector?.stop();
    await api?.stop();
    await database?.drop();
  });

  it('beyond the head of the log: 400 POSITION_BEYOND_HEAD at once, naming the field', async () => {
    const body = cooperative();
    const { position } = (await http.post('/api/organizations', body)).body as { position: string };
    const [xid, global] = position.split('.').map(BigInt);
    const beyond = `${xid + 1_000_000n}.${global + 1_000_000n}`;
    for (const path of [`/api/organizations/${body.id}`, '/api/organizations', '/api/provinces/91/progress', '/api/plans', '/api/audit/events']) {
      const started = Date.now();
      const answer = await http.get(`${path}?minPosition=${beyond}`);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(answer.body).toMatchObject({ code: 'POSITION_BEYOND_HEAD', errors: [{ path: 'minPosition', message: expect.any(String) }] });
    }
  });

  it('a reachable position nothing applies: 503 READ_MODEL_BEHIND with Retry-After after the 5 s wait', async () => {
    const body = cooperative();
    const { position } = (await http.post('/api/organizations', body)).body as { position: string };
    const started = Date.now();
    const answer = await http.get(`/api/organizations/${body.id}?minPosition=${position}`);
    expect(answer.status).toBe(503);
    expect(answer.body.code).toBe('READ_MODEL_BEHIND');
    expect(answer.headers.get('retry-after')).toBeTruthy();
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
  });

  it('answers once the projector in another process has applied it', async () => {
    const body = cooperative();
    const { position } = (await http.post('/api/organizations', body)).body as { position: string };
    const pending = http.get(`/api/organizations/${body.id}?minPosition=${position}`);
    projector = startProjector(database.url);
    const first = await pending;
    // The projector process may take longer to start than one wait: then the next asks again.
    const answer = first.status === 200 ? first : await waitFor(async () => {
      const again = await http.get(`/api/organizations/${body.id}?minPosition=${position}`);
      return again.status === 200 ? again : null;
    }, 60_000, 'the projector to apply the registration');
    expect(answer.body).toMatchObject({ id: body.id, version: 0 });
  });
});
