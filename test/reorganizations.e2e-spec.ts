import { createMigratedDatabase, type MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { expectCommandAnswer, expectRefused } from './support/test-api';
import { startApi, type ApiProcess } from './support/api-process';
import { httpClient } from './support/http';

/**
 * The reorganization is an event (issue 15; domain.md, "Administrative units"): the 2025 merger is
 * recorded once on first start from reference data, whatever the number of starts; an admin records a
 * later reorganization (or corrects one) through POST /api/administrative-units/reorganizations, and
 * GET /api/provinces?asOf= follows it from its effective date.
 */
describe('reorganizations of the provinces over HTTP', () => {
  let database: MigratedDatabase;
  let api: ApiProcess;
  let admin: ReturnType<typeof httpClient>;

  const streamEvents = async () =>
    (
      await database.pool.query<{ event_type: string; recorded_by: string; data: { effectiveOn: string; provinces: unknown[] } }>(
        `SELECT event_type, metadata->>'recordedBy' AS recorded_by, data FROM events WHERE stream_id = 'administrative-units' ORDER BY stream_revision`,
      )
    ).rows;

  /** Cà Mau (96) into An Giang (91) from 2027: a reorganization after the 2025 one. */
  const LATER = {
    effectiveOn: '2027-01-01',
    document: 'Nghị quyết thử nghiệm',
    provinces: [{ code: '91', name: 'An Giang', predecessors: ['96', '91'] }],
  };

  beforeAll(async () => {
    database = await createMigratedDatabase('e2e_reorganizations', 2);
    // Two apis start at once on an empty store (one projects), then one of them again.
    const [first, second] = await Promise.all([
      startApi({ DATABASE_URL: database.url, SEED_PLANS: 'false' }),
      startApi({ DATABASE_URL: database.url, SEED_PLANS: 'false', RUN_PROJECTOR: 'false' }),
    ]);
    await second.stop();
    await first.stop();
    api = await startApi({ DATABASE_URL: database.url, SEED_PLANS: 'false' });
    admin = httpClient(api.baseUrl, { token: api.adminToken });
  });
  afterAll(async () => {
    await api?.stop();
    await database?.dispose();
  });

  it('records the 2025 merger once, by system:seed, although the api started three times (two of them at once)', async () => {
    const events = await streamEvents();
    expect(events.map((e) => [e.event_type, e.recorded_by, e.data.effectiveOn, e.data.provinces.length])).toEqual([['ProvincesReorganized', 'system:seed', '2025-07-01', 34]]);
  });

  it('refuses a registrar with 403, writing nothing', async () => {
    const registrar = httpClient(api.baseUrl, { token: api.token('registrar', ['91']) });
    await expectRefused(database.pool, () => registrar.post('/api/administrative-units/reorganizations', LATER), 403);
  });

  it('refuses a predecessor not in force the day before with 409 PREDECESSOR_NOT_IN_FORCE naming the field, writing nothing', async () => {
    // 89 (former An Giang) ended on 30 June 2025.
    const problem = await expectRefused(
      database.pool,
      () => admin.post('/api/administrative-units/reorganizations', { ...LATER, provinces: [{ code: '91', name: 'An Giang', predecessors: ['89', '91'] }] }),
      409,
      'PREDECESSOR_NOT_IN_FORCE',
    );
    expect(problem.errors).toEqual([{ path: 'provinces[0].predecessors', message: expect.stringContaining('89') }]);
  });

  it.each([
    ['provinces[0].code', { provinces: [{ code: '9', name: 'X', predecessors: ['91'] }] }],
    ['effectiveOn', { effectiveOn: '2027-02-30' }],
    ['document', { document: '' }],
  ])('refuses an invalid %s with 400 VALIDATION_FAILED naming it, writing nothing', async (path, change) => {
    const problem = await expectRefused(database.pool, () => admin.post('/api/administrative-units/reorganizations', { ...LATER, ...change }), 400, 'VALIDATION_FAILED');
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('records a later reorganization by an admin: GET /api/provinces follows it from its effective date on, not before', async () => {
    expectCommandAnswer(await admin.post('/api/administrative-units/reorganizations', LATER), 200, 'administrative-units', 1);
    const before = (await admin.get('/api/provinces?asOf=2026-12-31')).body;
    expect(before).toHaveLength(34);
    // population: the 2019 census of each unit (data/reference/province-population-figures.json), summed.
    expect(before).toContainEqual({ code: '96', provinceCode: '96', name: 'Cà Mau', predecessors: ['95', '96'], successor: '91', population: 907236 + 1194476 });
    expect(before).toContainEqual({ code: '91', provinceCode: '91', name: 'An Giang', predecessors: ['89', '91'], successor: '91', population: 1908352 + 1723067 });
    const after = (await admin.get('/api/provinces?asOf=2027-01-01')).body;
    expect(after).toHaveLength(33);
    expect(after).toContainEqual({ code: '91', provinceCode: '91', name: 'An Giang', predecessors: ['91', '96'], population: 1908352 + 1723067 + 907236 + 1194476 });
    expect(after.map((p: { code: string }) => p.code)).not.toContain('96');
    // The 2025 map is as it was.
    expect((await admin.get('/api/provinces?asOf=2025-06-30')).body).toHaveLength(63);
    expect((await streamEvents()).map((e) => e.recorded_by)).toEqual(['system:seed', 'e2e-admin']);
  });

  it('leaves the projector running: it passes the stream, quarantining nothing', async () => {
    // The client's read carries minPosition of the reorganization's answer: 200 means the projector passed it.
    expect((await admin.get('/api/organizations?provinceCode=91')).status).toBe(200);
    const health = await admin.get('/health');
    expect(health.status).toBe(200);
    expect(health.body.details.quarantine).toMatchObject({ status: 'up', quarantinedEvents: 0 });
    expect(health.body.details.projector.status).toBe('up');
  });

  it('takes a reorganization of the same date as its correction: the later one replaces it', async () => {
    const correction = { ...LATER, provinces: [{ code: '96', name: 'Cà Mau', predecessors: ['91', '96'] }] };
    expectCommandAnswer(await admin.post('/api/administrative-units/reorganizations', correction), 200, 'administrative-units', 2);
    const after = (await admin.get('/api/provinces?asOf=2027-01-01')).body;
    expect(after).toHaveLength(33);
    expect(after).toContainEqual({ code: '96', provinceCode: '96', name: 'Cà Mau', predecessors: ['91', '96'], population: 1908352 + 1723067 + 907236 + 1194476 });
    expect(after.map((p: { code: string }) => p.code)).not.toContain('91');
  });

  it('refuses a reorganization that would break the one recorded for a later date with 409 BREAKS_LATER_REORGANIZATION, writing nothing', async () => {
    // 96 into 91 from 2026-06-01 would leave the 2027 reorganization naming 96, no longer in force.
    const problem = await expectRefused(
      database.pool,
      () => admin.post('/api/administrative-units/reorganizations', { ...LATER, effectiveOn: '2026-06-01', provinces: [{ code: '91', name: 'An Giang', predecessors: ['91', '96'] }] }),
      409,
      'BREAKS_LATER_REORGANIZATION',
    );
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(['effectiveOn']);
  });
});
