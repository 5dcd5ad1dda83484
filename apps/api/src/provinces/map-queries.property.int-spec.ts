// First: it lets Jest load NestJS (ESM only).
import { startInProcessApi, type InProcessApi } from '../testing/api.test-harness';
import fc from 'fast-check';
import { OrganizationCommandHandler, seedAdministrativeUnits } from '@ktt/application';
import { evaluateTarget, todayInVietnam, type Target } from '@ktt/domain';
import type { PostgresEventStore } from '@ktt/event-store';
import { addDays, assertParameters, check, FIRST_PROBE, projectToHead, Registrations } from '../../../../libs/read-models/src/progress/progress-property.test-harness';
import {
  ALL_UNITS,
  BOUNDARIES,
  CODES,
  DATA_DIR,
  historyArb,
  instantsAround,
  map,
  MERGER,
  modelKnownAt,
  noHistoryTotals,
  populationOf,
  populationOfCountry,
  recordHistory,
  territoryChanges,
  TODAY,
  UNITS,
} from '../../../../libs/read-models/src/progress/map-property.test-harness';

/**
 * The map property over the api's routes (issue 15's "property test against an independent fold
 * that knows the map"): the histories of map-property.test-harness.ts (seats in 89, 91, 10, 15 and
 * 01 across 1 July 2025, relocations between provinces and within a merged one, registrations the
 * first demo wrote under ended codes) recorded through the real command path into the in-process
 * api's database and projected, and a few plans adopted over HTTP (some repealed; one of a code
 * not in force on its adoption date is 409 PROVINCE_NOT_IN_FORCE naming the successor). Then, for each
 * code, each `boundariesOn` (none, or dates on both sides of the merger), several dates and several
 * `knownAt`, the api must answer what the independent model folds:
 * - `GET /api/provinces/{code}/progress`: the metrics of the territory (population_share on the
 *   units' sourced population), and the targets of every plan in force whose territory lies within
 *   it, each with actual and baseline on the plan's own territory;
 * - its series (each point on its own date's map, or on fixed boundaries), the organization list
 *   (with the province in force and the former province), flows (registrations, lifecycle,
 *   relocations in and out, the merger's moves) and the national roll-up;
 * - or, where the code names no province on the boundaries asked (default: asOf), 404
 *   PROVINCE_NOT_IN_FORCE naming the province that holds its territory then;
 * - and, last, a registrar of a province of today's map may write for an organization exactly when
 *   its folded seat on the command's effective date lies within that territory (else 403), and may
 *   not move a seat into a unit outside it.
 *
 * The model reads the map (reference data) only for which units make up a code on a date and which
 * province holds a unit; the territory a query should count, the successor it should name and every
 * seat it works out itself.
 */

jest.setTimeout(300_000);

const NUM_RUNS = Number(process.env.MAP_QUERIES_RUNS ?? 4);
const admin = { role: 'admin' as const, provinces: [], subject: 'map-queries-property' };
/** Registrars of today's provinces: the merged An Giang and Lào Cai, Hà Nội, and Cao Bằng (holding none of the units). */
const REGISTRARS = ['91', '15', '01', '04'];

/** Plans adopted after the history: a code, an adoption date on either side of the merger, and perhaps a repeal. */
const ADOPTION_DATES = ['2020-01-01', '2023-10-20', '2025-06-30', MERGER, '2025-09-01', '2026-02-01'];
const planArb = fc.record({ code: fc.nat({ max: CODES.length - 1 }), adoptedOn: fc.nat({ max: ADOPTION_DATES.length - 1 }), repeal: fc.nat({ max: 3 }) });
const TARGETS = [
  { metric: 'cooperatives', op: 'at_least', value: 10, deadline: '2030-12-31', quote: 'ít nhất 10 hợp tác xã' },
  { metric: 'cooperative_members', op: 'at_least', value: 100, deadline: '2030-12-31', quote: 'ít nhất 100 thành viên' },
  { metric: 'union_member_cooperatives', op: 'at_least', value: 3, deadline: '2030-12-31', quote: 'ít nhất 3 hợp tác xã thành viên' },
  { metric: 'rated_organizations_good_or_fair_share', op: 'at_least', value: 0.5, deadline: '2030-12-31', quote: 'ít nhất 50% đạt loại tốt, khá' },
];
interface AdoptedPlan {
  id: string;
  code: string;
  adoptedOn: string;
  units: string[];
  endedOn: string | null;
}

describe('the api on the map against an independent fold: progress, series and lists for any code and boundaries', () => {
  let api: InProcessApi | null = null;
  const registrations = new Registrations('4000-b000', 'Hợp tác xã tuyến', 'MAPQ');
  const totals = { histories: 0, ...noHistoryTotals(), plans: 0, plansRefused: 0, targetsOnOtherTerritory: 0, national: 0, registrarChecks: 0, answered: 0, notInForce: 0, seriesPoints: 0, futurePoints: 0, pointsWithExpected: 0, seriesRefused: 0, lists: 0, flows: 0, flowsRefused: 0, flowsMoved: 0 };

  afterAll(async () => {
    const last = api;
    api = null;
    await last?.close();
  });

  it('answers what the fold says, or 404 PROVINCE_NOT_IN_FORCE naming the successor', async () => {
    const started = Date.now();
    let clock = Date.parse('2026-06-30T00:00:00.000Z');
    await fc.assert(
      fc.asyncProperty(historyArb(24), fc.array(planArb, { maxLength: 4 }), async ({ steps, gaps, around, probes }, drawnPlans) => {
        // A fresh api and database for each history: the histories are seated in real provinces.
        const previous = api;
        api = null;
        await previous?.close();
        // Thousands of questions a history: no rate limit.
        api = await startInProcessApi({ RATE_LIMIT_PER_MINUTE: '0', AUTH_FAILURE_LIMIT_PER_MINUTE: '0' });
        const store = api.runtime.eventStore as PostgresEventStore;
        await seedAdministrativeUnits(store, DATA_DIR);
        const { history, log, end } = await recordHistory(new OrganizationCommandHandler(store), store, { steps, gaps }, { startAt: clock + 60_000, registrations, actor: 'map-queries-property', totals });
        clock = end;
        await projectToHead(api.runtime.pool, store);

        const get = async (path: string) => {
          const response = await api!.http().get(path).set(api!.auth(admin));
          return { status: response.status, body: response.body };
        };

        // Plans of the codes in force on their adoption dates, each on the territory of that date; some repealed.
        // They are recorded now (after every instant asked as knownAt below): known now only.
        const plans: AdoptedPlan[] = [];
        for (const [i, drawn] of drawnPlans.entries()) {
          const code = CODES[drawn.code];
          const adoptedOn = ADOPTION_DATES[drawn.adoptedOn];
          const units = map.unitsOf(code, adoptedOn);
          const id = `map-plan-${totals.histories}-${i}-${Date.now()}`;
          const body = { id, document: `${i}/KH-UBND`, title: 'Kế hoạch phát triển kinh tế tập thể', issuer: `Ủy ban nhân dân tỉnh ${code}`, provinceCode: code, adoptedOn, targets: TARGETS };
          const adopted = await api.http().post('/api/plans').set(api.auth(admin)).send(body);
          if (units === null) {
            // A plan is a command too: judged on the map of its adoption date, naming the province that holds the code's territory then.
            const successor = map.provinceOfUnit(code, adoptedOn).code;
            check(log, `adopting a plan of ${code} on ${adoptedOn}, when ${code} is not in force`, () =>
              expect({ status: adopted.status, code: adopted.body.code, successor: adopted.body.successor }).toEqual({ status: 409, code: 'PROVINCE_NOT_IN_FORCE', successor }),
            );
            totals.plansRefused++;
            continue;
          }
          check(log, `adopting a plan of ${code} on ${adoptedOn}`, () => expect(adopted.status).toBe(201));
          const endedOn = drawn.repeal === 0 ? addDays(adoptedOn, 200) : null;
          if (endedOn) {
            const ended = await api.http().post(`/api/plans/${id}/end`).set(api.auth(admin)).send({ effectiveOn: endedOn, reason: 'Bãi bỏ kế hoạch', document: 'QĐ bãi bỏ' });
            check(log, `repealing plan ${id} on ${endedOn}`, () => expect(ended.status).toBe(200));
          }
          log.push(`plan ${id}: ${code} adopted on ${adoptedOn} (territory ${units.join('+')})${endedOn ? `, repealed on ${endedOn}` : ''}`);
          plans.push({ id, code, adoptedOn, units, endedOn });
        }
        if (plans.length > 0) await projectToHead(api.runtime.pool, store);
        totals.plans += plans.length;
        /** The targets a progress answer must list: of each plan in force at asOf, known, whose territory lies within `units`, on its own territory. */
        const expectedTargets = (units: string[], asOf: string, known: ReturnType<typeof modelKnownAt>, knownNow: boolean) =>
          plans
            .filter((plan) => knownNow && plan.adoptedOn <= asOf && (plan.endedOn === null || asOf < plan.endedOn) && plan.units.every((unit) => units.includes(unit)))
            .flatMap((plan) =>
              TARGETS.map((target) => ({
                planId: plan.id,
                metric: target.metric,
                planTerritory: { code: plan.code, boundariesOn: plan.adoptedOn },
                actual: known.metricsOn(plan.units, asOf, populationOf(plan.units, asOf))[target.metric],
                baseline: known.metricsOn(plan.units, plan.adoptedOn, populationOf(plan.units, plan.adoptedOn))[target.metric],
              })),
            )
            .sort((a, b) => `${a.planId}/${a.metric}`.localeCompare(`${b.planId}/${b.metric}`));
        const answeredTargets = (targets: { planId: string; metric: string; planTerritory: { code: string; boundariesOn: string }; actual: number | null; baseline: number | null }[]) =>
          targets
            .map(({ planId, metric, planTerritory, actual, baseline }) => ({ planId, metric, planTerritory: { code: planTerritory.code, boundariesOn: planTerritory.boundariesOn }, actual, baseline }))
            .sort((a, b) => `${a.planId}/${a.metric}`.localeCompare(`${b.planId}/${b.metric}`));
        const probeDates = probes.map((days) => addDays(FIRST_PROBE, days));
        const asked = [...new Set(['2025-06-30', MERGER, TODAY, ...probeDates])].sort();

        for (const knownAt of instantsAround(history, around)) {
          const known = modelKnownAt(history, knownAt);
          const iso = knownAt?.toISOString();
          const when = iso ? `known at ${iso}` : 'known now';
          for (const code of CODES) {
            for (const boundariesOn of BOUNDARIES) {
              for (const asOf of asked) {
                const query = new URLSearchParams({ asOf, ...(boundariesOn ? { boundariesOn } : {}), ...(iso ? { knownAt: iso } : {}) });
                const what = `GET /api/provinces/${code}/progress?${query}, ${when}`;
                const answer = await get(`/api/provinces/${code}/progress?${query}`);
                const on = boundariesOn ?? asOf;
                const units = map.unitsOf(code, on);
                if (units === null) {
                  // Every code asked is a first-map province (a unit): the province holding it then is the successor.
                  const successor = map.provinceOfUnit(code, on).code;
                  check(log, `${what}: ${code} is not in force on ${on}`, () =>
                    expect({ status: answer.status, code: answer.body.code, successor: answer.body.successor }).toEqual({ status: 404, code: 'PROVINCE_NOT_IN_FORCE', successor }),
                  );
                  totals.notInForce++;
                  continue;
                }
                check(log, `${what}: the territory of ${code} on ${on} is ${units.join('+')}`, () => {
                  expect(answer.status).toBe(200);
                  expect(answer.body.territory).toMatchObject({ code, boundariesOn: on });
                  expect(answer.body.metrics).toEqual(known.metricsOn(units, asOf, populationOf(units, asOf)));
                  expect(answer.body.coverage).toEqual(known.coverageOn(units, asOf));
                });
                const targets = expectedTargets(units, asOf, known, knownAt === undefined);
                check(log, `${what}: the targets of the plans in force within ${units.join('+')}, each on its own territory`, () => expect(answeredTargets(answer.body.targets)).toEqual(targets));
                if (targets.some((target) => target.planTerritory.code !== code || target.planTerritory.boundariesOn !== on)) totals.targetsOnOtherTerritory++;
                totals.answered++;
              }
            }
          }
          // The national roll-up: every unit, with the country's own population.
          for (const asOf of asked) {
            const query = new URLSearchParams({ asOf, ...(iso ? { knownAt: iso } : {}) });
            const answer = await get(`/api/national/progress?${query}`);
            check(log, `GET /api/national/progress?${query}`, () => {
              expect(answer.status).toBe(200);
              expect(answer.body.metrics).toEqual(known.metricsOn(ALL_UNITS, asOf, populationOfCountry(asOf)));
              expect(answer.body.coverage).toEqual(known.coverageOn(ALL_UNITS, asOf));
            });
            totals.national++;
          }
        }

        const known = modelKnownAt(history, undefined);
        // A series runs past today: its last points have no actual values (future), and every point in force
        // gives the expected value of each target its date's progress answer lists, by the domain's evaluation.
        const seriesToday = todayInVietnam();
        const seriesEnd = addDays(seriesToday, 62);
        const expectedOn = (units: string[], asOf: string) =>
          Object.fromEntries(
            expectedTargets(units, asOf, known, true).map(({ planId, metric, baseline }) => {
              const target = TARGETS.find((t) => t.metric === metric) as Target;
              const adoptedOn = plans.find((plan) => plan.id === planId)!.adoptedOn;
              return [`${planId}/${metric}/${target.deadline}`, evaluateTarget({ target, actual: null, baseline, adoptedOn, asOf }).expected];
            }),
          );
        for (const code of CODES) {
          // Without boundariesOn each point on its own date's map (inForce false where the code names none); with them, one territory.
          for (const boundariesOn of BOUNDARIES) {
            const query = new URLSearchParams({ from: '2024-12-01', to: seriesEnd, step: 'month', ...(boundariesOn ? { boundariesOn } : {}) });
            const answer = await get(`/api/provinces/${code}/progress/series?${query}`);
            if (boundariesOn !== undefined && map.unitsOf(code, boundariesOn) === null) {
              check(log, `series of ${code}?${query}: not in force on ${boundariesOn}`, () =>
                expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 404, code: 'PROVINCE_NOT_IN_FORCE' }),
              );
              totals.seriesRefused++;
              continue;
            }
            check(log, `series of ${code}?${query}`, () => expect(answer.status).toBe(200));
            for (const point of answer.body as { asOf: string; future: boolean; inForce: boolean; metrics: Record<string, number | null>; expected: Record<string, number | null> }[]) {
              const units = map.unitsOf(code, boundariesOn ?? point.asOf);
              const future = point.asOf > seriesToday;
              check(log, `series of ${code}?${query}, point ${point.asOf}`, () => {
                expect(point.inForce).toBe(units !== null);
                expect(point.future).toBe(future);
                if (units === null || future) expect(Object.values(point.metrics).every((value) => value === null)).toBe(true);
                else expect(point.metrics).toEqual(known.metricsOn(units, point.asOf, populationOf(units, point.asOf)));
                expect(point.expected).toEqual(units === null ? {} : expectedOn(units, point.asOf));
              });
              totals.seriesPoints++;
              if (future) totals.futurePoints++;
              if (Object.keys(point.expected).length > 0) totals.pointsWithExpected++;
            }
          }
          // The organizations seated in the territory at asOf, each with the province in force then and its former province.
          for (const asOf of asked) {
            for (const boundariesOn of [undefined, '2025-06-30']) {
              const query = new URLSearchParams({ provinceCode: code, asOf, limit: '500', ...(boundariesOn ? { boundariesOn } : {}) });
              const answer = await get(`/api/organizations?${query}`);
              const units = map.unitsOf(code, boundariesOn ?? asOf);
              if (units === null) {
                check(log, `GET /api/organizations?${query}: not in force`, () => expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 404, code: 'PROVINCE_NOT_IN_FORCE' }));
                continue;
              }
              const expected = known
                .all()
                .filter((org) => org.registeredOn <= asOf && units.includes(known.seatAt(org, asOf)))
                .map((org) => ({ id: org.id, provinceCode: map.provinceOfUnit(known.seatAt(org, asOf), asOf).code, formerProvinceCode: known.seatAt(org, asOf) }))
                .sort((a, b) => a.id.localeCompare(b.id));
              check(log, `GET /api/organizations?${query}`, () => {
                expect(answer.status).toBe(200);
                const items = answer.body.items as { id: string; provinceCode: string; formerProvinceCode: string }[];
                expect(items.map(({ id, provinceCode, formerProvinceCode }) => ({ id, provinceCode, formerProvinceCode })).sort((a, b) => a.id.localeCompare(b.id))).toEqual(expected);
              });
              totals.lists++;
            }
          }
        }

        // Flows over periods across the merger: on the map of each date (with the merger's own moves), or on fixed boundaries.
        const [p1, p2] = [probeDates[0], probeDates[1]].sort();
        const periods = [['2019-01-01', TODAY], ['2025-01-01', '2025-12-31'], [MERGER, TODAY], ['2019-01-01', '2025-06-30'], [p1, p2]];
        for (const knownAt of instantsAround(history, around).slice(0, 2)) {
          const flowsKnown = modelKnownAt(history, knownAt);
          const iso = knownAt?.toISOString();
          for (const code of CODES) {
            for (const boundariesOn of [undefined, '2025-06-30', '2026-01-01']) {
              for (const [from, to] of periods) {
                const query = new URLSearchParams({ from, to, ...(boundariesOn ? { boundariesOn } : {}), ...(iso ? { knownAt: iso } : {}) });
                const what = `GET /api/provinces/${code}/flows?${query}`;
                const answer = await get(`/api/provinces/${code}/flows?${query}`);
                const fixed = boundariesOn === undefined ? undefined : map.unitsOf(code, boundariesOn);
                // Following the map, the code must name a province on some day of the period (one reorganization: its first or its last day).
                const inForce = fixed !== undefined ? fixed !== null : map.unitsOf(code, from) !== null || map.unitsOf(code, to) !== null;
                if (!inForce) {
                  check(log, `${what}: not in force`, () => expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 404, code: 'PROVINCE_NOT_IN_FORCE' }));
                  totals.flowsRefused++;
                  continue;
                }
                const expected =
                  fixed !== undefined && fixed !== null
                    ? flowsKnown.flowsOver(() => fixed, from, to, [])
                    : flowsKnown.flowsOver((date) => map.unitsOf(code, date), from, to, territoryChanges(code, from, to));
                check(log, what, () => {
                  expect(answer.status).toBe(200);
                  expect(answer.body.byKind).toEqual(expected);
                });
                if (Object.values(expected).some((counts) => counts.relocatedIn + counts.relocatedOut + counts.reorganizedIn + counts.reorganizedOut > 0)) totals.flowsMoved++;
                totals.flows++;
              }
            }
          }
        }

        // Last (they write): a registrar's token names provinces on today's map, and a command is allowed when the seat on its
        // effective date lies within that territory (api.md, "Authentication"); for a relocation, the destination's. 403 before any 409.
        const today = todayInVietnam();
        for (const org of known.all().slice(0, 6)) {
          const dates = [...new Set([org.registeredOn, ...org.seat.map((change) => change.effectiveOn), '2025-06-30', MERGER])].filter((date) => known.exists(org, date) && date <= TODAY);
          for (const code of REGISTRARS) {
            const registrar = api.auth({ role: 'registrar', provinces: [code], subject: `registrar-${code}` });
            const territory = map.unitsOf(code, today)!;
            for (const date of dates) {
              const seat = known.seatAt(org, date);
              const answer = await api.http().post(`/api/organizations/${org.id}/profile`).set(registrar).send({ effectiveOn: date, digitalAdoption: true });
              check(log, `a registrar of ${code} (${territory.join('+')} today) changes the profile of ${org.id}, seated in ${seat} on ${date}`, () =>
                expect(answer.status).toBe(territory.includes(seat) ? 200 : 403),
              );
              totals.registrarChecks++;
            }
            // A move into a unit outside the registrar's territory: 403, whatever the seat was.
            const outside = UNITS.find((unit) => !territory.includes(unit) && map.unitsOf(map.provinceOfUnit(unit, TODAY).code, TODAY) !== null)!;
            const destination = map.provinceOfUnit(outside, TODAY).code;
            const move = await api
              .http()
              .post(`/api/organizations/${org.id}/relocation`)
              .set(registrar)
              .send({ provinceCode: destination, ...(map.unitsOf(destination, TODAY)!.length > 1 ? { formerProvinceCode: outside } : {}), effectiveOn: TODAY });
            check(log, `a registrar of ${code} moves ${org.id} into ${destination} (former ${outside})`, () => expect(move.status).toBe(403));
          }
        }
        totals.histories++;
      }),
      assertParameters({ numRuns: NUM_RUNS, interruptAfterTimeLimit: 200_000, seedVariable: 'MAP_QUERIES_SEED', endOnFailureVariable: 'MAP_QUERIES_END_ON_FAILURE' }),
    );

    process.stderr.write(`map queries property: ${totals.histories} histories in ${((Date.now() - started) / 1000).toFixed(1)} s; ${JSON.stringify(totals)}\n`);
    expect(totals.registeredAfterMerger).toBeGreaterThan(0);
    expect(totals.relocations).toBeGreaterThan(0);
    expect(totals.notInForce).toBeGreaterThan(0);
    expect(totals.seriesRefused).toBeGreaterThan(0);
    expect(totals.flowsMoved).toBeGreaterThan(0);
    expect(totals.flowsRefused).toBeGreaterThan(0);
    expect(totals.targetsOnOtherTerritory).toBeGreaterThan(0);
    expect(totals.futurePoints).toBeGreaterThan(0);
    expect(totals.pointsWithExpected).toBeGreaterThan(0);
    expect(totals.registrarChecks).toBeGreaterThan(0);
  });
});
