import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@ktt/testing/postgres/test-database';
import { startApi, type ApiProcess } from './support/api-process';
import { httpClient } from './support/http';
import { cooperative } from './support/fixtures';

/** GET /api/audit/verify (api.md): the hash chains recomputed from the event store. */
describe('GET /api/audit/verify', () => {
  let database: TestDatabase;
  let api: ApiProcess;
  let admin: ReturnType<typeof httpClient>;
  let auditor: ReturnType<typeof httpClient>;
  let id: string;

  beforeAll(async () => {
    database = await createTestDatabase('e2e_verify');
    api = await startApi({ DATABASE_URL: database.url });
    admin = httpClient(api.baseUrl, { token: api.adminToken });
    auditor = httpClient(api.baseUrl, { token: api.token('auditor') });
    const created = await admin.post('/api/organizations', cooperative());
    expect(created.status).toBe(201);
    id = created.body.id;
    expect((await admin.post(`/api/organizations/${id}/suspension`, { effectiveOn: '2022-01-01', reason: 'Tạm ngừng', noticeRef: ' TB 01/2022 ' })).status).toBe(200);
  });
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it('answers ok for one stream and for every stream', async () => {
    const one = await auditor.get(`/api/audit/verify?streamId=organization-${id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ ok: true, checkedEvents: 2, orphanReservations: [] });
    const all = await auditor.get('/api/audit/verify');
    expect(all.status).toBe(200);
    // Registration, suspension, the reservation, and the plans seeded at start-up.
    expect(all.body).toMatchObject({ ok: true, orphanReservations: [] });
    expect(all.body.checkedEvents).toBeGreaterThanOrEqual(3);
    expect(all.body.firstBrokenAt).toBeUndefined();
  });

  it('stores the notice reference of a suspension (schema v2), normalised', async () => {
    const history = await admin.get(`/api/organizations/${id}/events`);
    expect(history.body[1]).toMatchObject({ type: 'OrganizationSuspended', schemaVersion: 2, data: { noticeRef: 'TB 01/2022' } });
  });

  it('is for auditors and admins: 403 for an analyst, 401 without a token', async () => {
    const analyst = await httpClient(api.baseUrl, { token: api.token('analyst') }).get('/api/audit/verify');
    expect(analyst.status).toBe(403);
    expect((await httpClient(api.baseUrl).get('/api/audit/verify')).status).toBe(401);
    expect((await admin.get('/api/audit/verify')).status).toBe(200);
  });

  it.each(['organization', 'x', 'Organization-1', "organization-1' OR 1=1", `organization-${'a'.repeat(101)}`])('refuses streamId %p with a 400 naming it', async (streamId) => {
    const answer = await auditor.get(`/api/audit/verify?streamId=${encodeURIComponent(streamId)}`);
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([expect.objectContaining({ path: 'streamId' })]);
  });

  it('names the altered event once its data was changed past the append-only trigger', async () => {
    const history = await admin.get(`/api/organizations/${id}/events`);
    const suspended = history.body[1];
    // As the superuser: the application's own role may neither UPDATE events nor leave replica mode.
    const client = new Client({ connectionString: database.adminUrl });
    await client.connect();
    try {
      await client.query('SET session_replication_role = replica');
      await client.query(`UPDATE events SET data = jsonb_set(data, '{reason}', '"altered"') WHERE event_id = $1`, [suspended.eventId]);
      await client.query('RESET session_replication_role');
    } finally {
      await client.end();
    }
    const broken = { streamId: `organization-${id}`, revision: 1, eventId: suspended.eventId, position: suspended.position, reason: 'hash' };
    expect((await auditor.get(`/api/audit/verify?streamId=organization-${id}`)).body).toEqual({ ok: false, checkedEvents: 2, firstBrokenAt: broken, orphanReservations: [] });
    const all = await auditor.get('/api/audit/verify');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ ok: false, firstBrokenAt: broken });
  });
});
