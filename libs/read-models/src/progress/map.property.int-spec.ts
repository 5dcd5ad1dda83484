import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { loadAdministrativeMap } from '@ktt/application';
import { type AdministrativeMap, type OrganizationCommand, type RegisterOrganization } from '@ktt/domain';
import { Generation } from '../generations';
import { OrganizationQueries } from '../organizations/organization-queries';
import { ProgressQueries } from './progress-queries';
import {
  addDays,
  assertParameters,
  check,
  effectiveDateOf,
  eventDatesOf,
  executeAsPredicted,
  FIRST_PROBE,
  gridUpTo,
  Interpreter,
  metricsEachWay,
  opArb,
  pick,
  probeDaysUntil,
  Registrations,
  withDayBefore,
  type InterpreterOptions,
  type Op,
} from './progress-property.test-harness';
import { FreshDatabases } from './map-property.test-harness';
import { RegistryModel, type LocalDate, type ModelOrganization } from './progress.test-model';

/**
 * The map of provinces against an independent fold (domain.md,
 * "Administrative units", "Metrics"). Random histories of organizations
 * seated in former An Giang (89), former Kiên Giang (91), former Lào Cai
 * (10), former Yên Bái (15) and Hà Nội (01, not merged) — registrations
 * before and after 1 July 2025 (after it, with `formerProvinceCode` where the
 * province is merged), relocations between provinces and within a merged
 * one, ratings, members, profiles, lifecycle and union memberships, a few
 * seats refused by the map — go through the real command path at increasing
 * recorded times, and through the real projector. Then, for each code asked
 * with and without `boundariesOn` across 1 July 2025 and known at several
 * instants, the read models' metrics (metricsAt on the territory's units,
 * counted both ways; ProgressQueries.progress and .series on the code) must
 * equal the model's fold of the accepted commands recorded by then, and a code
 * not in force on the boundaries asked is refused with PROVINCE_NOT_IN_FORCE.
 *
 * The model (progress.test-model.ts) reads from the map only the reference
 * data (which units make up a code on a date, which province holds a unit):
 * the seat of each organization it folds itself, from the events.
 */

jest.setTimeout(300_000);

const TODAY: LocalDate = '2026-06-30';
const MERGER: LocalDate = '2025-07-01';
const NUM_RUNS = Number(process.env.MAP_PROPERTY_RUNS ?? 12);

/** The first-map provinces the histories are seated in: two merged pairs and one that was not merged. */
const UNITS = ['89', '91', '10', '15', '01'];
/** The codes asked: the same, and a code that never named a province is judged apart (UNKNOWN_PROVINCE). */
const CODES = ['89', '91', '10', '15', '01'];
/** `boundariesOn` asked: none (the boundaries of asOf), and dates on both sides of the merger. */
const BOUNDARIES: (LocalDate | undefined)[] = [undefined, '2024-01-01', '2025-06-30', MERGER, '2026-01-01'];

/** The grid of 1st and 15th, with the last day before the merger, so the day of the step is drawn too. */
const GRID = [...new Set([...gridUpTo(TODAY), '2025-06-30'])].sort();

const DATA = path.resolve(__dirname, '../../../../data');
const map: AdministrativeMap = loadAdministrativeMap(DATA);

type DateMode = 'window' | 'tie' | 'anywhere';

const baseOpArb = opArb<DateMode>(
  [
    ['register', 7],
    ['rate', 3],
    ['members', 3],
    ['profile', 2],
    ['suspend', 1],
    ['dormant', 1],
    ['resume', 1],
    ['dissolve', 1],
    ['join', 4],
    ['leave', 2],
  ],
  [
    ['window', 7],
    ['tie', 2],
    ['anywhere', 1],
  ],
);

/** A base op, or a relocation; `seat` draws the unit and how the seat is written; `raw` sends a seat as drawn, unchecked. */
const stepArb = fc.record({
  op: baseOpArb,
  relocate: fc.nat({ max: 9 }),
  seat: fc.nat({ max: 9999 }),
  raw: fc.nat({ max: 11 }),
});
type Step = { op: Op<DateMode>; relocate: number; seat: number; raw: number };

const MAX_STEPS = 36;
const gapArb = fc.oneof({ arbitrary: fc.constant(1), weight: 1 }, { arbitrary: fc.integer({ min: 2, max: 600_000 }), weight: 4 });

const historyArb = fc.record({
  steps: fc.array(stepArb, { minLength: 12, maxLength: MAX_STEPS }),
  gaps: fc.array(gapArb, { minLength: MAX_STEPS, maxLength: MAX_STEPS }),
  /** Records whose recorded time (and a millisecond before it) is asked as knownAt. */
  around: fc.array(fc.nat({ max: MAX_STEPS - 1 }), { minLength: 1, maxLength: 2 }),
  probes: fc.array(fc.nat({ max: probeDaysUntil(TODAY) }), { minLength: 2, maxLength: 4 }),
});

/**
 * A seat as a registrar writes it for `unit` on `date`: before the merger the unit's own code
 * (its former province sometimes repeated); from it, the code in force holding the unit, with the
 * unit as former province where that province is merged (and, where it is not, sometimes the unit,
 * sometimes null, sometimes nothing).
 */
function seatFor(unit: string, date: LocalDate, style: number): { provinceCode: string; formerProvinceCode?: string | null } {
  if (date < MERGER) return style % 4 === 0 ? { provinceCode: unit, formerProvinceCode: unit } : { provinceCode: unit };
  const code = map.provinceOfUnit(unit, date).code;
  if (map.unitsOf(code, date)!.length > 1) return { provinceCode: code, formerProvinceCode: unit };
  return style % 3 === 0 ? { provinceCode: code, formerProvinceCode: unit } : style % 3 === 1 ? { provinceCode: code, formerProvinceCode: null } : { provinceCode: code };
}

/** A seat drawn with no regard for the map: an ended code, a merged one without its former province, a wrong former province, a code that never was. */
function rawSeat(style: number): { provinceCode: string; formerProvinceCode?: string | null } {
  const provinceCode = pick([...CODES, '00'], style)!;
  const former = [undefined, null, ...UNITS][Math.floor(style / 7) % (UNITS.length + 2)];
  return former === undefined ? { provinceCode } : { provinceCode, formerProvinceCode: former };
}

/** Turns steps into commands: the base interpreter's, with the seat of a registration rewritten on the map of its date, and relocations. */
class MapInterpreter {
  private readonly base: Interpreter<DateMode>;

  constructor(
    private readonly model: RegistryModel,
    options: InterpreterOptions<DateMode>,
  ) {
    this.base = new Interpreter(model, options);
  }

  toCommand(step: Step): OrganizationCommand {
    if (step.relocate < 2 && this.model.all().length > 0) {
      const relocation = this.relocation(step);
      if (relocation) return relocation;
    }
    const command = this.base.toCommand(step.op);
    if (command.type !== 'RegisterOrganization') return command;
    const { provinceCode: _drawn, ...rest } = command;
    const seat = step.raw === 0 ? rawSeat(step.seat) : seatFor(pick(UNITS, step.seat)!, command.registeredOn, step.seat >> 3);
    return { ...rest, ...seat } as RegisterOrganization;
  }

  /**
   * A move of the seat on a date in the organization's window, after its latest move, to another
   * unit than the one it is in then (across provinces, or within a merged one after the merger).
   */
  private relocation(step: Step): OrganizationCommand | null {
    const { op } = step;
    const org = pick(this.model.all(), op.org)!;
    if (op.mode === 'anywhere' || step.raw === 0) {
      return { type: 'RelocateOrganization', organizationId: org.id, effectiveOn: pick(GRID, op.date)!, ...rawSeat(step.seat) };
    }
    const lo = [org.registeredOn, ...org.seat.map((change) => change.effectiveOn)].sort().at(-1)!;
    const hi = this.model.dissolvedOn(org);
    const inWindow = (date: LocalDate) => date >= lo && (hi === null || date < hi) && date <= TODAY;
    const preferred = op.mode === 'tie' ? this.model.datesOf(org).filter(inWindow) : [];
    const date = pick(preferred.length > 0 ? preferred : GRID.filter(inWindow), op.date);
    if (date === undefined) return null;
    const here = this.model.seatAt(org, date);
    const unit = pick(
      UNITS.filter((u) => u !== here),
      step.seat,
    )!;
    return { type: 'RelocateOrganization', organizationId: org.id, effectiveOn: date, ...seatFor(unit, date, step.seat >> 3) };
  }
}

const interpreterOptions: InterpreterOptions<DateMode> = {
  grid: GRID,
  lastEffective: TODAY,
  registrations: new Registrations('4000-a000', 'Hợp tác xã bản đồ', 'MAP'),
  suspendUntil: false,
  /** `tie`: one of the organization's own dates (for a registration: any organization's, or the days around the merger). */
  preferredDates: (op, org, inWindow, model) =>
    op.mode !== 'tie' ? [] : (org ? model.datesOf(org) : [...model.all().flatMap((o) => model.datesOf(o)), '2025-06-30', MERGER]).filter(inWindow),
};

interface Recorded {
  command: OrganizationCommand;
  recordedAt: Date;
  accepted: boolean;
}

/** What was known at T: a fold of the accepted commands recorded at or before T (all of them when T is absent). */
function modelKnownAt(history: Recorded[], knownAt: Date | undefined): RegistryModel {
  const model = new RegistryModel(UNITS[0], TODAY, map);
  for (const { command, recordedAt, accepted } of history) {
    if (accepted && (knownAt === undefined || recordedAt.getTime() <= knownAt.getTime())) model.record(command);
  }
  return model;
}

/** The territories as units: each unit alone, and each merged province after the merger. */
const TERRITORIES: string[][] = [...UNITS.map((unit) => [unit]), map.unitsOf('91', '2026-01-01')!, map.unitsOf('15', '2026-01-01')!];

/**
 * The population of a territory for a date, read from the reference data by the test itself
 * (domain.md, "Population"): each unit's figure of the latest year ≤ the date's year, summed;
 * null when a unit has none that early.
 */
const FIGURES = (JSON.parse(readFileSync(path.join(DATA, 'reference', 'province-population-figures.json'), 'utf8')) as {
  figures: { provinceCode: string; year: number; population: number }[];
}).figures;
function populationOf(units: readonly string[], date: LocalDate): number | null {
  const year = Number(date.slice(0, 4));
  let total = 0;
  for (const unit of units) {
    const latest = FIGURES.filter((f) => f.provinceCode === unit && f.year <= year).sort((a, b) => b.year - a.year)[0];
    if (!latest) return null;
    total += latest.population;
  }
  return total;
}

describe('metrics of territories on the map against an independent fold that knows the map', () => {
  const databases = new FreshDatabases('mapprop', DATA);
  const organizationQueries = new OrganizationQueries();
  const totals = {
    histories: 0, accepted: 0, refused: 0, relocations: 0, relocationsWithin: 0, registeredAfterMerger: 0, refusedSeats: 0,
    metricChecks: 0, progressChecks: 0, notInForce: 0, seriesPoints: 0, listChecks: 0, acrossMerger: 0, populationShares: 0,
  };

  afterAll(async () => {
    await databases.dispose();
  });

  it('agree for every code, with and without boundariesOn, as of many dates and known at several instants', async () => {
    const started = Date.now();
    let clock = Date.parse('2026-06-30T00:00:00.000Z');
    await fc.assert(
      fc.asyncProperty(historyArb, async ({ steps, gaps, around, probes }) => {
        const db = await databases.next();
        const model = new RegistryModel(UNITS[0], TODAY, map);
        const interpreter = new MapInterpreter(model, interpreterOptions);
        const history: Recorded[] = [];
        const log: string[] = [];
        let at = clock + 60_000;

        for (const [k, step] of steps.entries()) {
          const command = interpreter.toCommand(step);
          const recordedAt = new Date(at);
          at += gaps[k];
          const refused = await executeAsPredicted(db.commands, model, command, log, { actor: 'map-property', now: recordedAt, logPrefix: `${recordedAt.toISOString()} ` });
          history.push({ command, recordedAt, accepted: refused === null });
          if (refused !== null) {
            totals.refused++;
            if (/PROVINCE|PREDECESSOR/.test(refused)) totals.refusedSeats++;
            continue;
          }
          if (command.type === 'RelocateOrganization') {
            totals.relocations++;
            const org = model.get(command.organizationId)!;
            const from = model.seatAt(org, command.effectiveOn);
            const to = command.formerProvinceCode ?? command.provinceCode;
            if (command.effectiveOn >= MERGER && map.provinceOfUnit(from, command.effectiveOn).code === map.provinceOfUnit(to, command.effectiveOn).code) totals.relocationsWithin++;
          }
          if (command.type === 'RegisterOrganization' && command.registeredOn >= MERGER) totals.registeredAfterMerger++;
          model.record(command);
          totals.accepted++;
        }
        clock = at;

        await db.project();
        const generation = await Generation.active(db.pool);

        const times = history.map((h) => h.recordedAt.getTime());
        const instants: (Date | undefined)[] = [undefined];
        for (const a of around) {
          const t = times[a % times.length];
          instants.push(new Date(t), new Date(t - 1));
        }
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
                  expect(metrics.get(date)).toEqual(known.metricsOn(units, date, null)),
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
                // a code not in force there with PROVINCE_NOT_IN_FORCE: test/merger-done-when.e2e-spec.ts).
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
                  expect(answer.metrics).toEqual(known.metricsOn(units, asOf, populationOf(units, asOf)));
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
  });
});
