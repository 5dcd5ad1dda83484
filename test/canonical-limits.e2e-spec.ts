import type { Pool } from 'pg';
import type { ApiProcess } from './support/api-process';
import { type TestApi, eventCount, startTestApi } from './support/test-api';
import { httpClient } from './support/http';
import { cooperative, union } from './support/fixtures';

/**
 * Canonical ids and limits, over HTTP against the built server: what an
 * authorised but hostile user sends is refused with a 400 or a 409 naming the
 * rule, nothing of it is written, and the read side keeps answering.
 */
describe('canonical ids and one set of limits', () => {
  let api: ApiProcess;
  let pool: Pool;
  let started: TestApi;
  let kienGiang: ReturnType<typeof httpClient>;
  let yenBai: ReturnType<typeof httpClient>;
  let auditor: ReturnType<typeof httpClient>;

  beforeAll(async () => {
    ({ api, pool } = started = await startTestApi('e2e_canonical_limits', { SEED_PLANS: 'false' }));
    kienGiang = httpClient(api.baseUrl, { token: api.token('registrar', ['91'], 'registrar-kg') });
    yenBai = httpClient(api.baseUrl, { token: api.token('registrar', ['15'], 'registrar-yb') });
    auditor = httpClient(api.baseUrl, { token: api.token('auditor', [], 'auditor-1') });
  });
  afterAll(() => started?.stop());

  const streamIds = async (): Promise<string[]> =>
    (await pool.query<{ stream_id: string }>(`SELECT DISTINCT stream_id FROM events WHERE stream_id LIKE 'organization-%' ORDER BY 1`)).rows.map((r) => r.stream_id);

  /** The read side is alive: a fresh write is projected and readable (the projector did not stop). */
  async function expectReadsAnswer(): Promise<void> {
    const probe = cooperative();
    expect((await kienGiang.post('/api/organizations', probe)).status).toBe(201);
    const read = await kienGiang.get(`/api/organizations/${probe.id}`);
    expect(read.status).toBe(200);
    expect((await kienGiang.get('/api/organizations?provinceCode=91')).status).toBe(200);
    expect((await kienGiang.get('/api/provinces/91/progress')).status).toBe(200);
  }

  describe('finding 1: one UUID names one organization, whatever its case', () => {
    it('answers 409 ID_TAKEN to a registration with the upper-case form of an existing id, and writes no second stream', async () => {
      const existing = cooperative();
      expect((await kienGiang.post('/api/organizations', existing)).status).toBe(201);
      const before = await eventCount(pool);

      const upper = existing.id.toUpperCase();
      const answer = await yenBai.post('/api/organizations', cooperative({ id: upper, provinceCode: '15', registeredOn: '2021-05-01' }));
      expect(answer.status).toBe(409);
      expect(answer.body).toMatchObject({ code: 'ID_TAKEN' });
      expect(await eventCount(pool)).toBe(before);
      expect((await streamIds()).filter((id) => id.toLowerCase() === `organization-${existing.id}`)).toEqual([`organization-${existing.id}`]);
      await expectReadsAnswer();
    });

    it('stores and answers a new id given in upper case in lower case, and finds it by either spelling', async () => {
      const body = cooperative();
      const created = await kienGiang.post('/api/organizations', { ...body, id: body.id.toUpperCase() });
      expect(created.status).toBe(201);
      expect(created.body.id).toBe(body.id);
      expect(await streamIds()).toContain(`organization-${body.id}`);
      expect((await kienGiang.get(`/api/organizations/${body.id.toUpperCase()}`)).body).toMatchObject({ id: body.id });
      const rated = await kienGiang.post(`/api/organizations/${body.id.toUpperCase()}/ratings`, { rating: 'good', year: 2023, ratedOn: '2023-12-15' });
      expect(rated.status).toBe(200);
      expect(rated.body).toMatchObject({ id: body.id, version: 1 });
      expect((await auditor.get(`/api/organizations/${body.id.toUpperCase()}/events`)).body).toHaveLength(2);
    });

    it('canonicalises ids inside bodies: founding members, a joining cooperative, a correction and its replacement', async () => {
      const founders = [cooperative(), cooperative(), cooperative()];
      for (const founder of founders) expect((await kienGiang.post('/api/organizations', founder)).status).toBe(201);
      const joining = cooperative();
      expect((await kienGiang.post('/api/organizations', joining)).status).toBe(201);

      const lh = union(founders.map((f) => f.id.toUpperCase()));
      expect((await kienGiang.post('/api/organizations', lh)).status).toBe(201);
      // The same cooperative twice, in two spellings, is a duplicate once canonical.
      const twice = await kienGiang.post('/api/organizations', union([founders[0].id, founders[0].id.toUpperCase(), founders[1].id]));
      expect(twice.status).toBe(400);

      const join = await kienGiang.post(`/api/organizations/${lh.id}/members`, { cooperativeId: joining.id.toUpperCase(), effectiveOn: '2023-01-01' });
      expect(join.status).toBe(200);
      const state = await kienGiang.get(`/api/organizations/${lh.id}?asOf=2024-01-01`);
      expect([...state.body.memberCooperativeIds].sort()).toEqual([...founders.map((f) => f.id), joining.id].sort());

      const history = (await auditor.get(`/api/organizations/${lh.id}/events`)).body;
      const correction = await auditor.post(`/api/organizations/${lh.id.toUpperCase()}/corrections`, {
        eventId: history[1].eventId.toUpperCase(),
        reason: 'Sai ngày kết nạp',
        replacement: { cooperativeId: joining.id.toUpperCase(), effectiveOn: '2023-02-01' },
      });
      expect(correction.status).toBe(200);
      const corrected = (await auditor.get(`/api/organizations/${lh.id}/events`)).body.at(-1);
      expect(corrected.data).toMatchObject({ retractedEventId: history[1].eventId, replacement: { data: { cooperativeId: joining.id } } });
      await expectReadsAnswer();
    });
  });

  it("names a plan by its one spelling: an upper-case plan id in a body or a path is the same plan", async () => {
    const admin = httpClient(api.baseUrl, { token: api.adminToken });
    const plan = {
      id: 'KH-13-CANONICAL',
      title: 'Kế hoạch thử',
      issuer: 'UBND tỉnh Kiên Giang',
      provinceCode: '91',
      adoptedOn: '2024-01-10',
      targets: [{ metric: 'cooperatives', op: 'at_least', value: 10, deadline: '2030-12-31', quote: 'ít nhất 10 hợp tác xã' }],
    };
    const adopted = await admin.post('/api/plans', plan);
    expect(adopted.status).toBe(201);
    expect(adopted.body.id).toBe('kh-13-canonical');
    expect((await admin.post('/api/plans', { ...plan, id: 'kh-13-canonical' })).body).toMatchObject({ code: 'PLAN_EXISTS' });
    const amended = await admin.post('/api/plans/KH-13-Canonical/amendments', { effectiveOn: '2024-06-01', reason: 'Sửa số văn bản', document: '12/KH-UBND' });
    expect(amended.status).toBe(200);
    expect((await admin.get('/api/plans/KH-13-CANONICAL?asOf=2024-07-01')).body).toMatchObject({ id: 'kh-13-canonical' });
    expect((await admin.get('/api/plans/kh%0013')).status).toBe(400);
  });

  describe("finding 2: a correction's replacement is held to the limits of the command it replaces", () => {
    it('answers 400 to a replacement member count of 3,000,000,000, as /membership does, and writes nothing', async () => {
      const body = cooperative();
      expect((await kienGiang.post('/api/organizations', body)).status).toBe(201);
      expect((await kienGiang.post(`/api/organizations/${body.id}/membership`, { memberCount: 20, effectiveOn: '2023-01-01' })).status).toBe(200);
      const direct = await kienGiang.post(`/api/organizations/${body.id}/membership`, { memberCount: 3_000_000_000, effectiveOn: '2023-01-01' });
      expect(direct.status).toBe(400);

      const history = (await auditor.get(`/api/organizations/${body.id}/events`)).body;
      const before = await eventCount(pool);
      const answer = await auditor.post(`/api/organizations/${body.id}/corrections`, {
        eventId: history[1].eventId,
        reason: 'Sai số thành viên',
        replacement: { memberCount: 3_000_000_000, effectiveOn: '2023-01-01' },
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'replacement.memberCount', message: expect.stringContaining('10000000') }] });
      expect(await eventCount(pool)).toBe(before);

      const nul = await auditor.post(`/api/organizations/${body.id}/corrections`, {
        eventId: history[1].eventId,
        reason: 'Sai số thành viên',
        replacement: { memberCount: 30, effectiveOn: '2023-01-01x' },
      });
      expect(nul.status).toBe(400);
      expect(nul.body.errors).toEqual([{ path: 'replacement.effectiveOn', message: expect.any(String) }]);
      expect(await eventCount(pool)).toBe(before);
      await expectReadsAnswer();
    });
  });

  describe('finding 4: input the database would refuse is a 400, never a 500', () => {
    it('refuses a NUL, a control character and a lone surrogate in text fields, naming the field', async () => {
      const before = await eventCount(pool);
      for (const [field, value] of [
        ['name', 'HTX\u0000Tân Hiệp'],
        ['name', 'HTX\u001bTân Hiệp'],
        ['name', 'HTX \ud800'],
        ['name', 'HTX\nTân Hiệp'],
      ]) {
        const answer = await kienGiang.post('/api/organizations', cooperative({ [field]: value }));
        expect(answer.status).toBe(400);
        expect(answer.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: field, message: expect.any(String) }] });
      }
      const coop = cooperative();
      expect((await kienGiang.post('/api/organizations', coop)).status).toBe(201);
      const suspension = await kienGiang.post(`/api/organizations/${coop.id}/suspension`, { effectiveOn: '2024-01-01', reason: 'Thiếu vốn\u0000' });
      expect(suspension.status).toBe(400);
      expect(suspension.body.errors).toEqual([{ path: 'reason', message: expect.stringContaining('NUL') }]);
      expect(await eventCount(pool)).toBe(before + 2); // the cooperative's registration and its number reservation
    });

    it.each([
      ['/api/organizations?q=a%00b', 'q'],
      ['/api/organizations?q=a%1Bb', 'q'],
      ['/api/organizations?knownAt=2025-W01-1', 'knownAt'],
      ['/api/organizations?knownAt=2025', 'knownAt'],
      ['/api/organizations?knownAt=2025-001', 'knownAt'],
      ['/api/organizations?knownAt=2025-01-01T10:00:00', 'knownAt'],
      ['/api/organizations?asOf=2025-W01-1', 'asOf'],
      ['/api/organizations?cursor=not-a-uuid', 'cursor'],
      ['/api/provinces/91/progress?knownAt=2025-W01-1', 'knownAt'],
      ['/api/provinces/91/progress?knownAt=2025', 'knownAt'],
      ['/api/provinces/91/progress/series?from=2024-01-01&to=2024-12-31&step=month&knownAt=2025', 'knownAt'],
      ['/api/plans?knownAt=2025-W01-1', 'knownAt'],
      ['/api/audit/events?recordedBy=a%00b', 'recordedBy'],
      ['/api/audit/events?type=a%00b', 'type'],
      ['/api/audit/events?from=2025-W01-1T00:00:00Z', 'from'],
      ['/api/audit/events?to=2025-01-01T00:00Z', 'to'],
    ])('answers 400 to %s, naming %s', async (path, field) => {
      const answer = await auditor.get(path);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(answer.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    });

    it('refuses an audit cursor that names no real moment with 400', async () => {
      const cursor = Buffer.from('2026-13-45T00:00:00.000000Z|1', 'utf8').toString('base64url');
      const answer = await auditor.get(`/api/audit/events?cursor=${cursor}`);
      expect(answer.status).toBe(400);
    });

    it('reads a bare knownAt date as the end of that day in Vietnam, answered in UTC', async () => {
      const answer = await auditor.get('/api/provinces/91/progress?asOf=2024-06-30&knownAt=2026-01-15');
      expect(answer.status).toBe(200);
      expect(answer.body.knownAt).toBe('2026-01-15T16:59:59.999Z');
      const offset = await auditor.get(`/api/provinces/91/progress?asOf=2024-06-30&knownAt=${encodeURIComponent('2026-01-15T08:00:00+07:00')}`);
      expect(offset.body.knownAt).toBe('2026-01-15T01:00:00.000Z');
    });

    it('keeps every read answering after all of the above', async () => {
      await expectReadsAnswer();
    });
  });
});
