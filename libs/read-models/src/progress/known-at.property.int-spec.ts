import fc from 'fast-check';
import type { OrganizationCommand } from '@ktt/domain';
import { Generation, metricsAt } from '@ktt/read-models';
import {
  addDays,
  assertParameters,
  check,
  DAY_MS,
  effectiveDateOf,
  eventDatesOf,
  executeAsPredicted,
  expectSameState,
  expectSameStates,
  FIRST_PROBE,
  FreshProvinces,
  metricsEachWay,
  gridUpTo,
  Interpreter,
  opArb,
  probeDaysUntil,
  Registrations,
  withDayBefore,
  type InterpreterOptions,
} from './progress-property.test-harness';
import { RegistryModel, type LocalDate, type ModelState } from './progress.test-model';

/**
 * "As of X, known at T". Random valid histories of one
 * province (the three kinds, ratings, member counts, profiles, the whole
 * lifecycle, union joins and leaves, back-dated records, a few refused
 * commands) go through the real command path, each command at its own,
 * strictly increasing recorded time (`context.now`, millisecond gaps
 * included), and through the real projector. Then, for many instants T
 * (before the first record, exactly at a record's time, a millisecond before
 * it, between two records, after the last) and many dates X, every metric of
 * `metricsAt(…, knownAt = T)`, `list({ asOf: X, knownAt: T })` and
 * `get(id, X, T)` must equal a plain fold (progress.test-model.ts, written
 * from domain.md) of only the accepted commands recorded at or before T
 * ("known at T (inclusive) means recorded ≤ T").
 *
 * The generator, the projector run and the comparisons are shared with
 * progress.property.int-spec.ts (progress-property.test-harness.ts).
 */

jest.setTimeout(180_000);

/** Effective dates stay in 2025 and before; every recorded time is in 2026, so "today" in Vietnam is after all of them. */
const LAST_EFFECTIVE: LocalDate = '2025-12-31';
const TODAY: LocalDate = '2026-01-01';
const NUM_RUNS = Number(process.env.KNOWN_AT_RUNS ?? 15);

/** Effective dates on a coarse grid (1st and 15th, and the last day of 2025), so that ties are frequent. */
const GRID = gridUpTo(LAST_EFFECTIVE);

type DateMode = 'window' | 'late' | 'anywhere';

const opsArb = opArb<DateMode>(
  [
    ['register', 6],
    ['rate', 4],
    ['members', 3],
    ['profile', 3],
    ['suspend', 2],
    ['dormant', 1],
    ['resume', 2],
    ['dissolve', 2],
    ['join', 4],
    ['leave', 2],
  ],
  // `late`: dated at or before the organization's own dates already recorded (a back-dated record, or a tie).
  [
    ['window', 5],
    ['late', 4],
    ['anywhere', 1],
  ],
);

const MAX_OPS = 30;
/** Gaps between two recorded times: one millisecond, under a second, or minutes. Never zero: times are distinct. */
const gapArb = fc.oneof(
  { arbitrary: fc.constant(1), weight: 2 },
  { arbitrary: fc.integer({ min: 2, max: 999 }), weight: 3 },
  { arbitrary: fc.integer({ min: 1_000, max: 600_000 }), weight: 5 },
);

const historyArb = fc.record({
  ops: fc.array(opsArb, { minLength: 10, maxLength: MAX_OPS }),
  gaps: fc.array(gapArb, { minLength: MAX_OPS, maxLength: MAX_OPS }),
  /** Which records the probes of T sit on, exactly, a millisecond before, and half-way to the next. */
  around: fc.array(fc.nat({ max: MAX_OPS - 1 }), { minLength: 2, maxLength: 4 }),
  probes: fc.array(fc.nat({ max: probeDaysUntil(LAST_EFFECTIVE) }), { minLength: 3, maxLength: 6 }),
});

const interpreterOptions: InterpreterOptions<DateMode> = {
  grid: GRID,
  lastEffective: LAST_EFFECTIVE,
  registrations: new Registrations('4000-9000', 'Hợp tác xã biết lúc', 'KA'),
  suspendUntil: false,
  /** `late`: at or before the latest date already recorded for the organization. */
  preferredDates: (op, org, inWindow, model) => {
    if (op.mode !== 'late' || !org) return [];
    const latest = model.datesOf(org).at(-1)!;
    return [...GRID, ...model.datesOf(org)].filter((date) => inWindow(date) && date <= latest);
  },
  /** Lifecycle events may not be dated before the latest one: `late` gives a tie with it at most. */
  lifecycleOnLatest: (op) => op.mode === 'late',
};

interface Recorded {
  command: OrganizationCommand;
  recordedAt: Date;
  accepted: boolean;
}

/** The independent model of what was known at T: a fold of the accepted commands recorded at or before T, in recorded order. */
function modelKnownAt(provinceCode: string, history: Recorded[], knownAt: Date): RegistryModel {
  const model = new RegistryModel(provinceCode, TODAY);
  for (const { command, recordedAt, accepted } of history) {
    if (accepted && recordedAt.getTime() <= knownAt.getTime()) model.record(command);
  }
  return model;
}

describe('"as of X, known at T" against a plain fold of the events recorded up to T', () => {
  const provinces = new FreshProvinces('knownat');
  /** Recorded times only move forward, across histories too (shrinking included). */
  let clock = Date.parse('2026-01-01T00:00:00.000Z');
  const totals = {
    commandsMs: 0, projectMs: 0, queriesMs: 0, histories: 0, accepted: 0, refused: 0, backDated: 0, instants: 0, instantsDiffering: 0, metricChecks: 0, listChecks: 0, getChecks: 0, hiddenGets: 0,
  };

  afterAll(async () => {
    await provinces.dispose();
  });

  it('metricsAt, list and get at T agree with the fold of the commands recorded ≤ T', async () => {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(historyArb, async ({ ops, gaps, around, probes }) => {
        const provinceCode = await provinces.next();
        const model = new RegistryModel(provinceCode, TODAY);
        const interpreter = new Interpreter(model, interpreterOptions);
        const history: Recorded[] = [];
        const log: string[] = [];
        let at = clock + 3_600_000;
        let phase = Date.now();

        for (const [k, op] of ops.entries()) {
          const command = interpreter.toCommand(op);
          const recordedAt = new Date(at);
          at += gaps[k];
          const refused = await executeAsPredicted(provinces.commands, model, command, log, {
            actor: 'known-at-property',
            now: recordedAt,
            logPrefix: `${recordedAt.toISOString()} `,
          });
          history.push({ command, recordedAt, accepted: refused === null });
          if (refused !== null) {
            totals.refused++;
            continue;
          }
          if (command.type !== 'RegisterOrganization') {
            const date = effectiveDateOf(command);
            if (model.datesOf(model.get(command.organizationId)!).some((d) => d > date)) totals.backDated++;
          }
          model.record(command);
          totals.accepted++;
        }
        clock = at;
        totals.commandsMs += Date.now() - phase;
        phase = Date.now();

        await provinces.project();
        totals.projectMs += Date.now() - phase;
        phase = Date.now();

        // The instants T: long before and just before the first record, exactly at a record (inclusive),
        // a millisecond before it, half-way to the next one (or a millisecond after), and after the last.
        const times = history.map((h) => h.recordedAt.getTime());
        const instants = new Set<number>([times[0] - DAY_MS, times[0] - 1, times[0], times.at(-1)!, times.at(-1)! + 1, times.at(-1)! + DAY_MS]);
        for (const a of around) {
          const k = a % times.length;
          instants.add(times[k]);
          instants.add(times[k] - 1);
          instants.add(k + 1 < times.length ? Math.floor((times[k] + times[k + 1]) / 2) : times[k] + 1);
        }

        const orgs = model.all();
        const probeDates = probes.map((days) => addDays(FIRST_PROBE, days));
        const dates = withDayBefore(eventDatesOf(model), ...probeDates, LAST_EFFECTIVE, TODAY, '2018-12-31').sort();
        const listDates = [...new Set([probeDates[0], LAST_EFFECTIVE])];
        const generation = await Generation.active(provinces.pool);
        const knownNow = await metricsAt(generation, [provinceCode], dates, () => null);

        for (const instant of [...instants].sort((a, b) => a - b)) {
          const knownAt = new Date(instant);
          const iso = knownAt.toISOString();
          const known = modelKnownAt(provinceCode, history, knownAt);
          const where = `province ${provinceCode}, known at ${iso}`;

          // Every metric, at every date where something changes, the day before each, and random dates.
          let differs = false;
          for (const { way, metrics } of await metricsEachWay(provinces.pool, provinceCode, dates, iso)) {
            for (const date of dates) {
              const expected = known.measuredAt(date);
              check(log, `metrics of ${where}, as of ${date}, counted ${way}`, () => expect(metrics.get(date)).toEqual(expected));
              if (JSON.stringify(expected) !== JSON.stringify(knownNow.get(date))) differs = true;
              totals.metricChecks++;
            }
          }
          if (differs) totals.instantsDiffering++;

          // The list of the province at a random date and at the end of 2025.
          for (const date of listDates) {
            const { items } = await provinces.queries.list(generation, { asOf: date, knownAt: iso, provinceCode, limit: 1000 });
            const expected = known.all().map((org) => known.stateAt(org, date)).filter((s): s is ModelState => s !== null);
            check(log, `organizations of ${where}, as of ${date}`, () => expectSameStates(items, expected));
            totals.listChecks++;
          }

          // get(id, X, T) for every organization ever registered in the history, at its own dates, the day
          // before each, and one random date (the list covers the others): null when not yet recorded at T.
          const lookups = orgs.flatMap((org) => withDayBefore(model.datesOf(org), probeDates[0]).map((date) => ({ org, date })));
          const views = await Promise.all(lookups.map(({ org, date }) => provinces.queries.get(generation, org.id, date, iso)));
          lookups.forEach(({ org, date }, i) => {
            const knownOrg = known.get(org.id);
            const expected = knownOrg ? known.stateAt(knownOrg, date) : null;
            if (expected === null) totals.hiddenGets++;
            check(log, `organization ${org.id} (${org.kind}) as of ${date}, known at ${iso}`, () => expectSameState(views[i], expected));
          });
          totals.getChecks += lookups.length;
          totals.instants++;
        }
        totals.queriesMs += Date.now() - phase;
        totals.histories++;
      }),
      assertParameters({ numRuns: NUM_RUNS, interruptAfterTimeLimit: 120_000, seedVariable: 'KNOWN_AT_SEED' }),
    );

    process.stderr.write(
      `known-at property: ${totals.histories} histories in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `${totals.accepted} commands accepted, ${totals.refused} refused (${totals.backDated} back-dated); ` +
        `${totals.instants} instants T (${totals.instantsDiffering} where the answer differs from known-now), ` +
        `${totals.metricChecks} metric dates, ${totals.listChecks} list checks, ${totals.getChecks} get() checks (${totals.hiddenGets} expected null); ` +
        `time in commands ${(totals.commandsMs / 1000).toFixed(1)} s, projector ${(totals.projectMs / 1000).toFixed(1)} s, queries and model ${(totals.queriesMs / 1000).toFixed(1)} s\n`,
    );
    expect(totals.backDated).toBeGreaterThan(0);
    expect(totals.instantsDiffering).toBeGreaterThan(0);
  });
});
