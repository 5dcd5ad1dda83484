import { createTestDatabase, type TestDatabase } from '@ktt/testing/postgres/test-database';
import { startApi, type ApiProcess } from './support/api-process';
import { httpClient } from './support/http';
import { cooperative } from './support/fixtures';

/**
 * domain.md, "Ratings" and the profile flags, over real HTTP: a rating lapses after two missed
 * yearly rounds, the rating in force is the newest assessed year's (a late decision about an older
 * year never overrides it), and a flag left out is unknown (null), set back to unknown by null.
 * Province 91 (former Kiên Giang) in a database of its own.
 */
describe('ratings that lapse and flags that may be unknown, over HTTP', () => {
  let database: TestDatabase;
  let api: ApiProcess;
  let http: ReturnType<typeof httpClient>;
  const ids: Record<string, string> = {};

  const post = async (path: string, body: object) => {
    const answer = await http.post(path, body);
    if (answer.status >= 300) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const goodOrFairShare = async (asOf: string) =>
    (await http.get(`/api/provinces/91/progress?asOf=${asOf}`)).body.metrics.cooperatives_good_or_fair_share;

  beforeAll(async () => {
    database = await createTestDatabase('e2e_ratings_flags');
    api = await startApi({ DATABASE_URL: database.url });
    http = httpClient(api.baseUrl, { token: api.adminToken });
    // a: good for 2019 and never rated since. b: weak for 2019. Two cooperatives, both in scope.
    ids.a = (await post('/api/organizations', cooperative({ name: 'Hợp tác xã Nông nghiệp Tân Hiệp', registeredOn: '2018-03-01' }))).id;
    ids.b = (await post('/api/organizations', cooperative({ name: 'Hợp tác xã Thủy sản Đông Hòa', sector: 'fisheries', registeredOn: '2018-03-01' }))).id;
    await post(`/api/organizations/${ids.a}/ratings`, { rating: 'good', year: 2019, ratedOn: '2019-12-20' });
    await post(`/api/organizations/${ids.b}/ratings`, { rating: 'weak', year: 2019, ratedOn: '2019-12-20' });
    // b: fair for 2024, then (recorded later, decided later) a late decision about 2019: good.
    await post(`/api/organizations/${ids.b}/ratings`, { rating: 'fair', year: 2024, ratedOn: '2025-01-10' });
    await post(`/api/organizations/${ids.b}/ratings`, { rating: 'good', year: 2019, ratedOn: '2025-03-01' });
  });
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it('counts a 2019 "good" in cooperatives_good_or_fair_share up to 2021-12-31 and not from 2022-01-01', async () => {
    expect(await goodOrFairShare('2021-12-31')).toBe(1 / 2);
    expect(await goodOrFairShare('2022-01-01')).toBe(0);
    const a = await http.get(`/api/organizations/${ids.a}?asOf=2021-12-31`);
    expect(a.body.rating).toEqual({ rating: 'good', year: 2019, ratedOn: '2019-12-20' });
    expect((await http.get(`/api/organizations/${ids.a}?asOf=2022-01-01`)).body.rating).toBeNull();
  });

  it('keeps 2024\'s rating in force over a late decision about 2019', async () => {
    const b = await http.get(`/api/organizations/${ids.b}?asOf=2025-06-30`);
    expect(b.body.rating).toEqual({ rating: 'fair', year: 2024, ratedOn: '2025-01-10' });
    // b fair (2024), a unrated since 2022: one of two.
    expect(await goodOrFairShare('2025-06-30')).toBe(1 / 2);
    // Before 2024's was decided, nothing of 2019 was in force any more for b either.
    expect((await http.get(`/api/organizations/${ids.b}?asOf=2024-12-31`)).body.rating).toBeNull();
  });

  it('records a flag left out at registration as unknown (null), a null in a profile change as back to unknown, and says so in the history', async () => {
    const { id } = await post('/api/organizations', cooperative({ registeredOn: '2020-03-01', valueChain: true, highTech: false }));
    const registered = await http.get(`/api/organizations/${id}?asOf=2020-03-01`);
    expect(registered.body).toMatchObject({ valueChain: true, highTech: false, directorTrained: null, enterpriseLinked: null, digitalAdoption: null, managers: null });
    await post(`/api/organizations/${id}/profile`, { effectiveOn: '2021-01-01', valueChain: null, managers: { total: 3, withDegree: 1 } });
    await post(`/api/organizations/${id}/profile`, { effectiveOn: '2022-01-01', managers: null });
    expect((await http.get(`/api/organizations/${id}?asOf=2021-06-30`)).body).toMatchObject({ valueChain: null, highTech: false, managers: { total: 3, withDegree: 1 } });
    expect((await http.get(`/api/organizations/${id}?asOf=2022-06-30`)).body).toMatchObject({ valueChain: null, highTech: false, managers: null });
    const history = (await http.get(`/api/organizations/${id}/events`)).body;
    expect(history[0]).toMatchObject({ type: 'OrganizationRegistered', schemaVersion: 2, data: { valueChain: true, highTech: false, directorTrained: null } });
    expect(history[1]).toMatchObject({ type: 'ProfileChanged', schemaVersion: 2, data: { valueChain: null } });
  });

  it('refuses a flag that is not true, false or null, naming the field', async () => {
    const answer = await http.post('/api/organizations', cooperative({ valueChain: 'unknown' }));
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'valueChain' })]));
  });
});
