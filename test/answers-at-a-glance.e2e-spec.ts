import { todayInVietnam } from '@ktt/domain';
import { startTestApi, type TestApi } from './support/test-api';
import { httpClient } from './support/http';
import { cooperative, cooperativeGroup } from './support/fixtures';

const PLAN = 'kien-giang-251-kh-ubnd-2023';
const FLAG_SHARES = [
  'cooperatives_good_or_fair_in_value_chain_share',
  'rated_organizations_good_or_fair_in_value_chain_share',
  'rated_organizations_value_chain_share',
  'managers_with_degree_share',
  'directors_trained_share',
  'high_tech_agricultural_cooperatives',
  'agricultural_cooperatives_enterprise_linked_share',
  'organizations_digital_adoption_share',
];

type Target = { planId: string; metric: string; deadline: string; expected: number | null; actual: number | null; met: boolean | null; onTrack: boolean | null; status: string };
type Point = { asOf: string; future: boolean; inForce: boolean; metrics: Record<string, number | null>; expected: Record<string, number | null> };

/**
 * Answers an official can trust at a glance (issue 16), over real HTTP: a flag left out is unknown, not
 * "no" (every flag-based share is over the known values and says its coverage); a date after today
 * has no actual values but still the targets' expected line; a series point carries the expected value
 * of each target and `metrics=` keeps only the metrics asked for. Province 91 (former Kiên Giang, Plan
 * 251 adopted 2023-10-20) on a database of its own.
 */
describe('answers at a glance over HTTP', () => {
  let started: TestApi;
  let http: ReturnType<typeof httpClient>;
  const ids: Record<string, string> = {};
  const today = todayInVietnam();
  const nextYear = Number(today.slice(0, 4)) + 1;

  beforeAll(async () => {
    started = await startTestApi('e2e_answers_at_a_glance');
    http = httpClient(started.api.baseUrl, { token: started.api.adminToken });
    const post = async (path: string, body: object) => {
      const answer = await http.post(path, body);
      if (answer.status >= 300) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body;
    };
    // A: every flag given, managers known. B: some flags said false, the others (and managers) left out. C: nothing said.
    ids.a = (
      await post(
        '/api/organizations',
        cooperative({
          registeredOn: '2023-01-01',
          valueChain: true,
          highTech: true,
          directorTrained: true,
          enterpriseLinked: true,
          digitalAdoption: false,
          managers: { total: 4, withDegree: 2 },
        }),
      )
    ).id;
    ids.b = (await post('/api/organizations', cooperative({ sector: 'fisheries', registeredOn: '2023-01-01', valueChain: false, directorTrained: false }))).id;
    ids.c = (await post('/api/organizations', cooperative({ sector: 'transport', registeredOn: '2023-01-01' }))).id;
    ids.g = (await post('/api/organizations', cooperativeGroup({ registeredOn: '2023-01-01', digitalAdoption: true }))).id;
    for (const id of [ids.a, ids.b, ids.c]) await post(`/api/organizations/${id}/ratings`, { rating: 'good', year: 2023, ratedOn: '2023-06-01' });
    // A's value chain goes back to unknown in September 2024 (null in a profile change).
    await post(`/api/organizations/${ids.a}/profile`, { effectiveOn: '2024-09-01', valueChain: null });
  });
  afterAll(async () => {
    await started?.stop();
  });

  it('counts a flag left out as unknown: each flag-based share is over the known values, with its coverage', async () => {
    const answer = await http.get('/api/provinces/91/progress?asOf=2024-06-30');
    expect(answer.status).toBe(200);
    expect(answer.body.future).toBe(false);
    expect(answer.body.metrics).toMatchObject({
      cooperatives: 3,
      // A yes, B no, C unknown: 1 of the 2 known, not 1 of 3.
      cooperatives_good_or_fair_in_value_chain_share: 1 / 2,
      rated_organizations_good_or_fair_in_value_chain_share: 1 / 2,
      rated_organizations_value_chain_share: 1 / 2,
      // Only A's managers are known: 2 of 4.
      managers_with_degree_share: 2 / 4,
      directors_trained_share: 1 / 2,
      // A count of the known-true: B's highTech is unknown, not "no".
      high_tech_agricultural_cooperatives: 1,
      agricultural_cooperatives_enterprise_linked_share: 1,
      // A no, the group yes, B and C unknown.
      organizations_digital_adoption_share: 1 / 2,
    });
    expect(answer.body.coverage).toEqual({
      cooperatives_good_or_fair_in_value_chain_share: 2 / 3,
      rated_organizations_good_or_fair_in_value_chain_share: 2 / 3,
      rated_organizations_value_chain_share: 2 / 3,
      managers_with_degree_share: 1 / 3,
      directors_trained_share: 2 / 3,
      high_tech_agricultural_cooperatives: 1 / 2,
      agricultural_cooperatives_enterprise_linked_share: 1 / 2,
      organizations_digital_adoption_share: 2 / 4,
    });
    for (const name of FLAG_SHARES) expect(answer.body.coverage[name]).toBeLessThan(1);

    // Set back to unknown: A leaves both sides of the value-chain shares.
    const later = await http.get('/api/provinces/91/progress?asOf=2024-12-31');
    expect(later.body.metrics.rated_organizations_value_chain_share).toBe(0);
    expect(later.body.coverage.rated_organizations_value_chain_share).toBe(1 / 3);

    // Nothing exists yet: every coverage null (no scope), like the shares.
    const before = await http.get('/api/provinces/91/progress?asOf=2022-12-31');
    expect(Object.values(before.body.coverage).every((value) => value === null)).toBe(true);

    // The country says the same.
    const national = await http.get('/api/national/progress?asOf=2024-06-30');
    expect(national.body.coverage).toEqual(answer.body.coverage);
    expect(national.body.metrics.directors_trained_share).toBe(1 / 2);
  });

  it('answers a date after today with future: true, every metric and coverage null, and each target\'s expected value', async () => {
    const asOf = `${nextYear + 10}-12-31`;
    const answer = await http.get(`/api/provinces/91/progress?asOf=${asOf}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ asOf, future: true });
    expect(Object.values(answer.body.metrics).every((value) => value === null)).toBe(true);
    expect(Object.values(answer.body.coverage).every((value) => value === null)).toBe(true);
    const targets: Target[] = answer.body.targets;
    expect(targets).toHaveLength(13);
    for (const target of targets) expect(target).toMatchObject({ planId: PLAN, actual: null, met: null, onTrack: null, status: 'unknown' });
    // Past the deadline the expected value is the aim, whatever the baseline.
    expect(targets.find((t) => t.metric === 'directors_trained_share')!.expected).toBe(0.8);
    expect(targets.find((t) => t.metric === 'cooperatives')!.expected).toBe(700);

    // Today is not in the future.
    expect((await http.get(`/api/provinces/91/progress?asOf=${today}`)).body.future).toBe(false);
    expect((await http.get(`/api/national/progress?asOf=${asOf}`)).body).toMatchObject({ future: true, coverage: { directors_trained_share: null } });
  });

  it('gives each series point the expected value of every target its date\'s progress answer lists, after today too', async () => {
    const series = await http.get(`/api/provinces/91/progress/series?from=2023-01-01&to=${nextYear}-12-31&step=year`);
    expect(series.status).toBe(200);
    const points: Point[] = series.body;
    expect(points.map((point) => point.asOf)).toEqual(Array.from({ length: nextYear - 2022 }, (_, i) => `${2023 + i}-12-31`));
    for (const point of points) {
      const progress = (await http.get(`/api/provinces/91/progress?asOf=${point.asOf}`)).body;
      expect(point.future).toBe(point.asOf > today);
      expect(point.metrics).toEqual(progress.metrics);
      expect(point.expected).toEqual(Object.fromEntries(progress.targets.map((t: Target) => [`${t.planId}/${t.metric}/${t.deadline}`, t.expected])));
    }
    // Plan 251 was adopted on 2023-10-20: 13 lines from its first year-end on.
    expect(Object.keys(points[0].expected)).toHaveLength(13);
    const last = points.at(-1)!;
    expect(last.future).toBe(true);
    expect(Object.values(last.metrics).every((value) => value === null)).toBe(true);
    expect(last.expected[`${PLAN}/cooperatives/2030-12-31`]).toEqual(expect.any(Number));

    // Before the plan's adoption there is no line.
    const early = await http.get('/api/provinces/91/progress/series?from=2023-01-01&to=2023-06-30&step=month');
    expect(early.body.every((point: Point) => Object.keys(point.expected).length === 0)).toBe(true);
  });

  it('keeps only the metrics asked for with metrics=, in a province\'s and the country\'s series, and refuses an unknown name with 400', async () => {
    const asked = 'directors_trained_share,cooperatives';
    const series = await http.get(`/api/provinces/91/progress/series?from=2024-01-01&to=2024-12-31&step=quarter&metrics=${asked}`);
    expect(series.status).toBe(200);
    for (const point of series.body as Point[]) {
      expect(Object.keys(point.metrics).sort()).toEqual(['cooperatives', 'directors_trained_share']);
      expect(Object.keys(point.expected).sort()).toEqual([`${PLAN}/cooperatives/2030-12-31`, `${PLAN}/directors_trained_share/2030-12-31`]);
    }
    expect((series.body as Point[])[1].metrics).toEqual({ cooperatives: 3, directors_trained_share: 1 / 2 });

    const national = await http.get(`/api/national/series?from=2024-01-01&to=2024-12-31&step=year&metrics=${asked}`);
    expect(national.status).toBe(200);
    expect(national.body).toEqual([{ asOf: '2024-12-31', future: false, metrics: { directors_trained_share: 1 / 2, cooperatives: 3 } }]);

    for (const path of ['/api/provinces/91/progress/series', '/api/national/series']) {
      const refused = await http.get(`${path}?from=2024-01-01&to=2024-12-31&step=year&metrics=cooperatives,cooperatives_share`);
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(refused.body.code).toBe('VALIDATION_FAILED');
      expect(refused.body.errors).toEqual([{ path: 'metrics', message: expect.stringContaining('"cooperatives_share"') }]);
      // The allowed names are listed.
      expect(refused.body.errors[0].message).toContain('population_share');
      expect((await http.get(`${path}?from=2024-01-01&to=2024-12-31&step=year&metrics=`)).status).toBe(400);
    }
  });
});
