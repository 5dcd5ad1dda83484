import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createTestDatabase, testPool, type TestDatabase } from '@ktt/testing/postgres/test-database';
import { startApi, type ApiProcess } from './support/api-process';
import { httpClient } from './support/http';
import { cooperative } from './support/fixtures';
import { activeSchema, headPosition, runCli } from './support/reliability';

/**
 * architecture.md, "Reads": a poison event is isolated,
 * not fatal. Events the write side now refuses are planted by SQL as the
 * owner, as older code or a hand-made row left them; the running server is
 * asked over HTTP.
 */
describe('a poison event is quarantined, not fatal', () => {
  let database: TestDatabase;
  let api: ApiProcess;
  let owner: Pool;
  let http: ReturnType<typeof httpClient>;
  const METRICS_TOKEN = 'metrics-token-of-this-test-run';
  const poisoned = cooperative({ provinceCode: '91' });
  const healthy = cooperative({ provinceCode: '01' });
  const mixedCaseId = randomUUID();
  const mixedCaseStream = `organization-${mixedCaseId.toUpperCase()}`;
  const poisonEventId = randomUUID();

  const metadata = (eventId: string) => ({
    eventId, recordedAt: new Date().toISOString(), recordedBy: 'older-version', correlationId: randomUUID(), causationId: null, schemaVersion: 1, previousHash: null, hash: '0'.repeat(64),
  });
  const plant = (streamId: string, revision: number, type: string, data: Record<string, unknown>, eventId = randomUUID()) =>
    owner.query(`INSERT INTO events (stream_id, stream_revision, event_id, event_type, data, metadata) VALUES ($1, $2, $3, $4, $5, $6)`, [
      streamId, revision, eventId, type, JSON.stringify(data), JSON.stringify(metadata(eventId)),
    ]);
  /** Read-your-writes up to the head of the log: the projector has been through every planted event. */
  const projected = async () => `minPosition=${encodeURIComponent((await headPosition(owner))!)}`;

  beforeAll(async () => {
    database = await createTestDatabase('e2e_quarantine');
    api = await startApi({ DATABASE_URL: database.url, SEED_PLANS: 'false', METRICS_TOKEN });
    owner = testPool(database.ownerUrl, 2);
    http = httpClient(api.baseUrl, { token: api.adminToken });
    expect((await http.post('/api/organizations', poisoned)).status).toBe(201);
    expect((await http.post('/api/organizations', healthy)).status).toBe(201);
    // 3,000,000,000 members: the read model's integer column cannot hold it (older code accepted it in a correction).
    await plant(`organization-${poisoned.id}`, 1, 'MemberCountChanged', { organizationId: poisoned.id, effectiveOn: '2021-01-01', memberCount: 3_000_000_000 }, poisonEventId);
    await plant(`organization-${poisoned.id}`, 2, 'MemberCountChanged', { organizationId: poisoned.id, effectiveOn: '2022-01-01', memberCount: 15 });
    // A stream under an upper-case id, which older code accepted.
    await plant(mixedCaseStream, 0, 'OrganizationRegistered', {
      organizationId: mixedCaseId, effectiveOn: '2020-01-01', kind: 'cooperative', name: 'HTX chữ hoa', registrationNumber: 'UPPER-1', provinceCode: '15', sector: 'agriculture',
      memberCount: 10, memberCooperativeIds: [], managers: null, directorTrained: false, valueChain: false, highTech: false, enterpriseLinked: false, digitalAdoption: false,
    });
  });
  afterAll(async () => {
    await api?.stop();
    await owner?.end();
    await database?.drop();
  });

  it('goes on projecting the other organizations: reads and writes of them keep working, unmarked', async () => {
    const other = await http.get(`/api/organizations/${healthy.id}?${await projected()}`);
    expect(other.status).toBe(200);
    expect(other.body.degraded).toBeUndefined();
    expect(other.headers.get('read-model-degraded')).toBeNull();
    // A write after the poison event is projected too (read your writes through the quarantine).
    expect((await http.post(`/api/organizations/${healthy.id}/membership`, { memberCount: 30, effectiveOn: '2023-01-01' })).status).toBe(200);
    expect((await http.get(`/api/organizations/${healthy.id}`)).body).toMatchObject({ memberCount: 30, version: 1 });
    const list = await http.get('/api/organizations?provinceCode=01');
    expect(list.body.items.map((item: { id: string }) => item.id)).toContain(healthy.id);
    expect(list.body.degraded).toBeUndefined();
    const progress = await http.get('/api/provinces/01/progress');
    expect(progress.status).toBe(200);
    expect(progress.body.degraded).toBeUndefined();
  });

  it('health with an admin token names the quarantined streams; without one it says only up', async () => {
    await http.get(`/api/organizations/${healthy.id}?${await projected()}`);
    const anonymous = await fetch(`${api.baseUrl}/health`);
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ status: 'up' });
    const admin = await http.get('/health');
    expect(admin.status).toBe(200);
    expect(admin.body.details.quarantine).toMatchObject({ status: 'up', quarantinedEvents: 3 });
    expect(admin.body.details.quarantine.streams).toEqual([
      expect.objectContaining({ streamId: `organization-${poisoned.id}`, organizationId: poisoned.id, provinceCode: '91', events: 2, eventId: poisonEventId, type: 'MemberCountChanged', error: expect.stringMatching(/out of range/) }),
      expect.objectContaining({ streamId: mixedCaseStream, organizationId: mixedCaseId, provinceCode: '15', events: 1, error: expect.stringMatching(/non-canonical/) }),
    ]);
    expect(admin.body.details.projector).toMatchObject({ status: 'up', state: 'running' });
  });

  it('/metrics counts them', async () => {
    const response = await fetch(`${api.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const text = await response.text();
    expect(text).toMatch(/^read_model_quarantined_events\{reason="failed"\} 2$/m);
    expect(text).toMatch(/^read_model_quarantined_events\{reason="held"\} 1$/m);
    expect(text).toMatch(/^read_model_quarantined_streams 2$/m);
  });

  it('marks every answer that involves a quarantined organization or its province as degraded, and the audit trail shows the event', async () => {
    await http.get(`/api/organizations/${healthy.id}?${await projected()}`);
    const one = await http.get(`/api/organizations/${poisoned.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ memberCount: 12, degraded: { quarantinedEvents: 2, organizationIds: [poisoned.id] } });
    expect(one.headers.get('read-model-degraded')).toBe('quarantinedEvents=2');
    const list = await http.get('/api/organizations?provinceCode=91');
    expect(list.body.degraded).toMatchObject({ quarantinedEvents: 2, organizationIds: [poisoned.id] });
    const everywhere = await http.get('/api/organizations');
    expect(everywhere.body.degraded.organizationIds.sort()).toEqual([poisoned.id, mixedCaseId].sort());
    const progress = await http.get('/api/provinces/91/progress');
    expect(progress.body.degraded).toMatchObject({ organizationIds: [poisoned.id] });
    const series = await http.get('/api/provinces/15/progress/series?from=2024-01-01&to=2024-12-31&step=year');
    expect(series.headers.get('read-model-degraded')).toBe('quarantinedEvents=1');
    // A stream whose registration is the quarantined event is not found, and the answer says why it may be missing.
    const unseen = await http.get(`/api/organizations/${mixedCaseId}`);
    expect(unseen.status).toBe(404);
    expect(unseen.headers.get('read-model-degraded')).toBe('quarantinedEvents=1');
    const audit = await http.get('/api/audit/events?provinceCode=91&limit=500');
    expect(audit.body.degraded).toMatchObject({ quarantinedEvents: 2 });
    expect(audit.body.items.find((item: { eventId: string }) => item.eventId === poisonEventId)).toMatchObject({
      type: 'MemberCountChanged', quarantined: { reason: 'failed', error: expect.stringMatching(/out of range/) },
    });
  });

  it('refuses a write to the quarantined organization with 409 STREAM_QUARANTINED and writes nothing', async () => {
    const before = (await owner.query('SELECT count(*)::int AS n FROM events')).rows[0].n;
    const answer = await http.post(`/api/organizations/${poisoned.id}/membership`, { memberCount: 20, effectiveOn: '2024-01-01' });
    expect(answer.status).toBe(409);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({ status: 409, code: 'STREAM_QUARANTINED' });
    // Upper case in the path names the same organization (ids are lower-cased on the way in).
    expect((await http.post(`/api/organizations/${poisoned.id.toUpperCase()}/membership`, { memberCount: 20, effectiveOn: '2024-01-01' })).body.code).toBe('STREAM_QUARANTINED');
    // Authorization comes first: a registrar of another province is refused as for any organization of 91, and learns nothing of the quarantine.
    const elsewhere = httpClient(api.baseUrl, { token: api.token('registrar', ['15']) });
    const forbidden = await elsewhere.post(`/api/organizations/${poisoned.id}/membership`, { memberCount: 20, effectiveOn: '2024-01-01' });
    expect(forbidden.status).toBe(403);
    const ofItsProvince = httpClient(api.baseUrl, { token: api.token('registrar', ['91']) });
    expect((await ofItsProvince.post(`/api/organizations/${poisoned.id}/membership`, { memberCount: 20, effectiveOn: '2024-01-01' })).body.code).toBe('STREAM_QUARANTINED');
    expect((await owner.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(before);
  });

  it('`projector retry` after a fix applies and clears what now applies, and the organization is whole again', async () => {
    await http.get(`/api/organizations/${healthy.id}?${await projected()}`);
    const unfixed = await runCli(['projector', 'retry'], database.url);
    expect(unfixed).toMatch(/0 applied and cleared, 3 still quarantined/);

    // The fix, as a release that can hold the value would bring it: a wider column.
    const admin = testPool(database.adminUrl, 1);
    try {
      await admin.query(`ALTER TABLE "${await activeSchema(owner)}".organization_timeline ALTER COLUMN member_count TYPE bigint`);
    } finally {
      await admin.end();
    }
    const output = await runCli(['projector', 'retry'], database.url);
    expect(output).toMatch(/2 applied and cleared, 1 still quarantined/);
    expect(output).toContain(`applied organization-${poisoned.id} revision 1 MemberCountChanged`);
    expect(output).toContain(`still quarantined ${mixedCaseStream} revision 0`);

    const whole = await http.get(`/api/organizations/${poisoned.id}`);
    // (bigint comes back as text: the test's stand-in for a fix, not what a release would answer)
    expect({ ...whole.body, memberCount: Number(whole.body.memberCount) }).toMatchObject({ memberCount: 15, version: 2 });
    expect(whole.body.degraded).toBeUndefined();
    const write = await http.post(`/api/organizations/${poisoned.id}/membership`, { memberCount: 20, effectiveOn: '2024-01-01' });
    expect(write.status).toBe(200);
    expect((await http.get(`/api/organizations/${poisoned.id}`)).body).toMatchObject({ memberCount: '20', version: 3 });
    const health = await http.get('/health');
    expect(health.body.details.quarantine.streams.map((stream: { streamId: string }) => stream.streamId)).toEqual([mixedCaseStream]);
  });
});
