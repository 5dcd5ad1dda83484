import type { Pool } from 'pg';
import type { ApiProcess } from './support/api-process';
import { type TestApi, eventCount, startTestApi } from './support/test-api';
import { httpClient } from './support/http';
import { cooperative } from './support/fixtures';

/** A wrong record is never deleted or edited: a correction retracts it from then on. */
describe('corrections over HTTP', () => {
  let api: ApiProcess;
  let pool: Pool;
  let started: TestApi;
  let registrar: ReturnType<typeof httpClient>;
  let auditor: ReturnType<typeof httpClient>;

  beforeAll(async () => {
    ({ api, pool } = started = await startTestApi('e2e_corrections', { SEED_PLANS: 'false' }));
    registrar = httpClient(api.baseUrl, { token: api.token('registrar', ['91'], 'registrar-kg') });
    auditor = httpClient(api.baseUrl, { token: api.token('auditor', [], 'auditor-1') });
  });
  afterAll(() => started?.stop());

  it('retracts a wrong rating and puts the right one in its place; knownAt before the correction still shows the old answer', async () => {
    const body = cooperative({ registeredOn: '2021-01-01' });
    expect((await registrar.post('/api/organizations', body)).status).toBe(201);
    expect((await registrar.post(`/api/organizations/${body.id}/ratings`, { rating: 'weak', year: 2023, ratedOn: '2023-12-15' })).status).toBe(200);
    const history = (await auditor.get(`/api/organizations/${body.id}/events`)).body;
    const wrong = history[1];
    const beforeCorrection = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));

    const correction = await auditor.post(`/api/organizations/${body.id}/corrections`, {
      eventId: wrong.eventId,
      reason: 'Quyết định phân loại số 12/QĐ ghi loại tốt, nhập nhầm loại yếu',
      replacement: { rating: 'good', year: 2023, ratedOn: '2023-12-15' },
    });
    expect(correction.status).toBe(200);
    expect(correction.body.version).toBe(2);

    // Read models: the right rating from now on, as of every effective date; the old one as known before.
    auditor = httpClient(api.baseUrl, { token: api.token('auditor', [], 'auditor-1') });
    const now = await registrar.get(`/api/organizations/${body.id}?asOf=2024-01-01&minPosition=${correction.body.position}`);
    expect(now.body.rating).toEqual({ rating: 'good', year: 2023, ratedOn: '2023-12-15' });
    const then = await registrar.get(`/api/organizations/${body.id}?asOf=2024-01-01&knownAt=${beforeCorrection}`);
    expect(then.body.rating).toEqual({ rating: 'weak', year: 2023, ratedOn: '2023-12-15' });

    // History shows both, linked, with who recorded each.
    const after = (await registrar.get(`/api/organizations/${body.id}/events`)).body;
    expect(after.map((e: { type: string }) => e.type)).toEqual(['OrganizationRegistered', 'OrganizationRated', 'RecordCorrected']);
    expect(after[1]).toMatchObject({ eventId: wrong.eventId, correctedBy: after[2].eventId, recordedBy: 'registrar-kg' });
    expect(after[2]).toMatchObject({ corrects: wrong.eventId, recordedBy: 'auditor-1', data: { reason: expect.stringContaining('nhập nhầm') } });
  });

  it('lets only auditors and admins correct, and refuses what cannot be retracted, writing nothing', async () => {
    const body = cooperative();
    await registrar.post('/api/organizations', body);
    const [registration] = (await auditor.get(`/api/organizations/${body.id}/events`)).body;
    const before = await eventCount(pool);
    const forbidden = await registrar.post(`/api/organizations/${body.id}/corrections`, { eventId: registration.eventId, reason: 'x' });
    expect(forbidden.status).toBe(403);
    const analyst = httpClient(api.baseUrl, { token: api.token('analyst') });
    expect((await analyst.post(`/api/organizations/${body.id}/corrections`, { eventId: registration.eventId, reason: 'x' })).status).toBe(403);
    const notRetractable = await auditor.post(`/api/organizations/${body.id}/corrections`, { eventId: registration.eventId, reason: 'x' });
    expect(notRetractable.status).toBe(409);
    expect(notRetractable.body.code).toBe('NOT_RETRACTABLE');
    const unknown = await auditor.post(`/api/organizations/${body.id}/corrections`, { eventId: '00000000-0000-4000-8000-000000000000', reason: 'x' });
    expect(unknown.status).toBe(404);
    const bad = await auditor.post(`/api/organizations/${body.id}/corrections`, { eventId: 'nope', reason: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['eventId', 'reason']);
    expect(await eventCount(pool)).toBe(before);
  });
});
