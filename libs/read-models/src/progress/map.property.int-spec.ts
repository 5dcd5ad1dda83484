import fc from 'fast-check';
import { Generation } from '../generations';
import { OrganizationQueries } from '../organizations/organization-queries';
import { addDays, assertParameters, check, eventDatesOf, FIRST_PROBE, metricsEachWay, pick, Registrations, withDayBefore } from './progress-property.test-harness';
import {
  BOUNDARIES,
  CODES,
  FreshDatabases,
  historyArb,
  instantsAround,
  map,
  MERGER,
  modelKnownAt,
  noHistoryTotals,
  populationOf,
  recordHistory,
  TERRITORIES,
  TODAY,
} from './map-property.test-harness';
import type { ModelOrganization } from './progress.test-model';

/**
 * The map of provinces against an independent fold (domain.md,
 * "Administrative units", "Metrics"). Random histories of organizations
 * seated in former An Giang (89), former Kiên Giang (91), former Lào Cai
 * (10), former Yên Bái (15) and Hà Nội (01, not merged) — registrations
 * before and after 1 July 2025 (after it, with `formerProvinceCode` where the
 * province is merged), relocations between provinces and within a merged
 * one and corrections of a move, ratings, members, profiles, lifecycle and
 * union memberships, a few seats refused by the map — go through the real command path at increasing
 * recorded times, and through the real projector. Then, for each code asked
 * with and without `boundariesOn` across 1 July 2025 and known at several
 * instants, the read models' metrics (metricsAt on the territory's units,
 * counted both ways; ProgressQueries.progress and .series on the code) must
 * equal the model's fold of the accepted commands recorded by then.
 *
 * The model (progress.test-model.ts) reads from the map only the reference
 * data (which units make up a code on a date, which province holds a unit):
 * the seat of each organization it folds itself, from the events. The
 * histories and the model are shared with the same property over the api's
 * routes (map-property.test-harness.ts), which checks the refusals too.
 */

jest.setTimeout(300_000);

const NUM_RUNS = Number(process.env.MAP_PROPERTY_RUNS ?? 12);

describe('metrics of territories on the map against an independent fold that knows the map', () => {
  const databases = new FreshDatabases('mapprop');
  const organizationQueries = new OrganizationQueries();
  const registrations = new Registrations('4000-a000', 'Hợp tác xã bản đồ', 'MAP');
  const totals = {
    histories: 0, ...noHistoryTotals(), metricChecks: 0, progressChecks: 0, notInForce: 0, seriesPoints: 0, listChecks: 0, seatChecks: 0, acrossMerger: 0, populationShares: 0,
  };

  afterAll(async () => {
    await databases.dispose();
  });

  it('agree for every code, with and without boundariesOn, as of many dates and known at several instants', async () => {
    const started = Date.now();
    let clock = Date.parse('2026-06-30T00:00:00.000Z');
    await fc.assert(
      fc.asyncProperty(historyArb(36), async ({ steps, gaps, around, probes }) => {
        const db = await databases.next();
        const { model, history, log, end } = await recordHistory(db.commands, db.store, { steps, gaps }, { startAt: clock + 60_000, registrations, actor: 'map-property', totals });
        clock = end;

        await db.project();
        const generation = await Generation.active(db.pool);

        const instants = instantsAround(history, around);
        const probeDates = probes.map((days) => addDays(FIRST_PROBE, days));
        const dates = withDayBefore(eventDatesOf(model), ...probeDates, '2025-06-30', MERGER, TODAY, '2018-12-31').sort();
        const asked = [...new Set(['2025-06-30', MERGER, TODAY, ...probeDates, pick(dates, around[0])!])].sort();

        for (const knownAt of instants) {
          const known = modelKnownAt(history, knownAt);
          const iso = knownAt?.toISOString();
          const when = iso ? `known at ${iso}` : 'known now';

          // The read model's count for each territory's units, by sweep and date by date.
          for (const units of TERRITORIES) {
            for (const { way, metrics } of await metricsEachWay(db.pool, units, dates, iso)) {
              for (const date of dates) {
                check(log, `metrics of units ${units.join('+')} as of ${date}, ${when}, counted ${way}`, () =>
                  expect(metrics.get(date)).toEqual(known.measuredOn(units, date, null)),
                );
                totals.metricChecks++;
              }
            }
          }

          // The query on a code: its territory on boundariesOn (default asOf), or PROVINCE_NOT_IN_FORCE.
          for (const code of CODES) {
            for (const boundariesOn of BOUNDARIES) {
              for (const asOf of asked) {
                // The map is reference data: which units the code names on those boundaries (the api refuses
                // a code not in force there with PROVINCE_NOT_IN_FORCE: apps/api/src/provinces/map-queries.property.int-spec.ts).
                const territory = map.territory(code, boundariesOn ?? asOf);
                if (territory === null) {
                  totals.notInForce++;
                  continue;
                }
                const { units } = territory;
                const what = `progress of ${code} as of ${asOf}${boundariesOn ? ` on the boundaries of ${boundariesOn}` : ''}, ${when}`;
                const answer = await db.progress.progress(generation, { map, territory, asOf, knownAt: iso });
                check(log, `${what}: answered on ${units.join('+')}`, () => {
                  expect(answer.territory).toMatchObject({ code, boundariesOn: boundariesOn ?? asOf });
                  expect({ metrics: answer.metrics, coverage: answer.coverage }).toEqual(known.measuredOn(units, asOf, populationOf(units, asOf)));
                  expect(answer.future).toBe(false);
                });
                if (boundariesOn && (boundariesOn < MERGER) !== (asOf < MERGER)) totals.acrossMerger++;
                if (answer.metrics.population_share !== null) totals.populationShares++;
                totals.progressChecks++;
              }
            }
          }
        }

        // A monthly series across the merger: without boundariesOn each point on its own date's map.
        const known = modelKnownAt(history, undefined);
        for (const code of CODES) {
          for (const boundariesOn of BOUNDARIES) {
            if (boundariesOn !== undefined && map.unitsOf(code, boundariesOn) === null) continue; // the api refuses it
            const points = await db.progress.series(generation, { map, code, from: '2024-12-01', to: TODAY, step: 'month', boundariesOn });
            for (const point of points) {
              const units = map.unitsOf(code, boundariesOn ?? point.asOf);
              check(log, `series of ${code}${boundariesOn ? ` on the boundaries of ${boundariesOn}` : ''}, point ${point.asOf}`, () => {
                expect(point.inForce).toBe(units !== null);
                if (units === null) expect(Object.values(point.metrics).every((value) => value === null)).toBe(true);
                else expect(point.metrics).toEqual(known.metricsOn(units, point.asOf, populationOf(units, point.asOf)));
              });
              totals.seriesPoints++;
            }
          }
        }

        // Each organization on the days its seat changes and the day before each, and around the merger: the province in force and the unit.
        const lookups = known.all().flatMap((org) =>
          withDayBefore([...org.seat.map((change) => change.effectiveOn), MERGER], TODAY)
            .filter((date) => date >= org.registeredOn)
            .map((date) => ({ org, date })),
        );
        const views = await Promise.all(lookups.map(({ org, date }) => organizationQueries.get(generation, org.id, date, undefined, map)));
        lookups.forEach(({ org, date }, i) => {
          const unit = known.seatAt(org, date);
          check(log, `organization ${org.id} as of ${date}: seated in ${unit}`, () =>
            expect({ provinceCode: views[i]?.provinceCode, formerProvinceCode: views[i]?.formerProvinceCode }).toEqual({ provinceCode: map.provinceOfUnit(unit, date).code, formerProvinceCode: unit }),
          );
          totals.seatChecks++;
        });

        // The list of a code's organizations: those seated in its territory at asOf, each with the province in force then and its unit.
        for (const code of CODES) {
          for (const asOf of asked) {
            const units = map.unitsOf(code, asOf);
            if (units === null) continue;
            const { items } = await organizationQueries.list(generation, { asOf, units, limit: 1000 }, map);
            const expected = known
              .all()
              .filter((org: ModelOrganization) => org.registeredOn <= asOf && units.includes(known.seatAt(org, asOf)))
              .map((org) => ({ id: org.id, provinceCode: map.provinceOfUnit(known.seatAt(org, asOf), asOf).code, formerProvinceCode: known.seatAt(org, asOf) }))
              .sort((a, b) => a.id.localeCompare(b.id));
            check(log, `organizations listed for ${code} as of ${asOf}`, () =>
              expect(
                items
                  .map((item) => ({ id: item.id, provinceCode: item.provinceCode, formerProvinceCode: item.formerProvinceCode }))
                  .sort((a, b) => a.id.localeCompare(b.id)),
              ).toEqual(expected),
            );
            totals.listChecks++;
          }
        }
        totals.histories++;
      }),
      assertParameters({ numRuns: NUM_RUNS, interruptAfterTimeLimit: 200_000, seedVariable: 'MAP_PROPERTY_SEED', endOnFailureVariable: 'MAP_PROPERTY_END_ON_FAILURE' }),
    );

    process.stderr.write(`map property: ${totals.histories} histories in ${((Date.now() - started) / 1000).toFixed(1)} s; ${JSON.stringify(totals)}\n`);
    // The histories did reach what the property is about.
    expect(totals.registeredAfterMerger).toBeGreaterThan(0);
    expect(totals.relocations).toBeGreaterThan(0);
    expect(totals.relocationsWithin).toBeGreaterThan(0);
    expect(totals.refusedSeats).toBeGreaterThan(0);
    expect(totals.notInForce).toBeGreaterThan(0);
    expect(totals.acrossMerger).toBeGreaterThan(0);
    expect(totals.legacy).toBeGreaterThan(0);
    expect(totals.corrections).toBeGreaterThan(0);
  });
});
