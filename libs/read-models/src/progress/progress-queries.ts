import { evaluateTarget, periodEnds, todayInVietnam, type AdministrativeMap, type LocalDate, type MetricName, type PeriodStep, type Target, type Territory } from '@ktt/domain';
import type { Metrics, PopulationAnswer, ProvinceProgress, SeriesPoint } from '../answers';
import type { Generation } from '../generations';
import { liesWithin, planTerritory, territoryAnswer } from '../plans/plan-territory';
import type { PlanQueries } from '../plans/plan-queries';
import { Populations } from '../population/population';
import { metricsAt, metricsOfTerritories, unmeasured, type Measured, type Units } from './metrics-query';

/** The population of a territory (its units, or the whole country) on a date; null where none is sourced. */
export type PopulationOf = (units: Units, date: LocalDate) => number | null;

/** The asked province's territory (api.md: "Queries"). */
export interface ProgressQuestion {
  map: AdministrativeMap;
  /** The code on the boundaries asked for (`boundariesOn`, default `asOf`). */
  territory: Territory;
  asOf: LocalDate;
  knownAt?: string;
}

export interface SeriesQuestion {
  map: AdministrativeMap;
  code: string;
  from: LocalDate;
  to: LocalDate;
  step: PeriodStep;
  knownAt?: string;
  /** Fixed boundaries; without them each point uses the boundaries of its own date. */
  boundariesOn?: LocalDate;
  /** Only these metrics (`metrics=`), and only their targets' expected values; default: every metric. */
  metrics?: readonly MetricName[];
}

/** The metrics asked for (`metrics=`): all of them without a list. */
export function pickMetrics(metrics: Metrics, names?: readonly MetricName[]): Partial<Metrics> {
  return names ? Object.fromEntries(names.map((name) => [name, metrics[name]])) : metrics;
}

/** The key of a target's expected value in a series point (api.md): `<planId>/<metric>/<deadline>`. */
export const expectedKey = (planId: string, target: Pick<Target, 'metric' | 'deadline'>): string => `${planId}/${target.metric}/${target.deadline}`;

/**
 * Province progress against the targets in force (domain.md, "Metrics" and
 * "Targets"): plans and metrics alike read the one generation it is given.
 * A territory is a set of units (first-map province codes), which is what the
 * timeline records as a seat; each distinct set of units is counted by one
 * metrics statement for all its dates. A date after today (Vietnam) is never
 * counted: it has no actual values, every metric and coverage is null, and
 * the targets still give their expected values (domain.md, "Dates after today").
 */
export class ProgressQueries {
  private readonly populationOf: PopulationOf;
  /** The population answered beside the metrics: its figures, or why there is none. */
  private readonly describePopulation: (units: Units, date: LocalDate) => PopulationAnswer;

  constructor(
    private readonly plans: PlanQueries,
    populations: Populations | PopulationOf,
  ) {
    if (populations instanceof Populations) {
      this.describePopulation = (units, date) => populations.populationOf(units, date);
      this.populationOf = (units, date) => populations.populationOf(units, date).value;
      return;
    }
    const populationOf = populations;
    this.populationOf = populationOf;
    this.describePopulation = (units, date) => {
      const value = populationOf(units, date);
      return value === null ? { value, figures: [], reason: 'no sourced population for this territory' } : { value, figures: [] };
    };
  }

  /**
   * The territory's metrics at `asOf`, and the targets of every plan in force then whose territory
   * lies within it, each evaluated on the plan's own territory (Plan 251 on former Kiên Giang, also
   * when An Giang as of 2026 is asked).
   */
  async progress(generation: Generation, question: ProgressQuestion): Promise<ProvinceProgress> {
    const { map, territory, asOf, knownAt } = question;
    const today = todayInVietnam();
    const plans = (await this.plans.inForce(generation, asOf, undefined, knownAt))
      .map((plan) => ({ plan, territory: planTerritory(map, plan) }))
      .filter((covered) => liesWithin(covered.territory, territory));
    // Each territory's dates: asOf, and the baseline dates of the targets on it (with the same knownAt): the plan's
    // adoption, or the amendment that added the target.
    const asked = new Counting(territory.units, [asOf]);
    const countings = new Map<string, Counting>([[asked.key, asked]]);
    for (const covered of plans) {
      const baselineDates = covered.plan.targets.map((target) => this.plans.baselineOn(covered.plan, target));
      const counting = new Counting(covered.territory.units, [...new Set([asOf, covered.plan.adoptedOn, ...baselineDates])]);
      const same = countings.get(counting.key);
      if (same) same.dates.push(...counting.dates);
      else countings.set(counting.key, counting);
    }
    // Few dates per territory: every territory in one pass per date, each unit's rows read once (metricsOfTerritories).
    // Dates after today are left uncounted (`Counting.on` answers them with nulls).
    const all = [...countings.values()];
    const counted = await metricsOfTerritories(
      generation,
      all.map(({ units, dates }) => ({ units, dates: dates.filter((date) => date <= today), populationOn: (date: LocalDate) => this.populationOf(units, date) })),
      knownAt,
    );
    all.forEach((counting, i) => (counting.measured = counted[i]));
    const targets = plans.flatMap(({ plan, territory: covers }) => {
      const counting = countings.get(Counting.keyOf(covers.units))!;
      const actual = counting.on(asOf).metrics;
      return plan.targets.map((target) => {
        const baselineOn = this.plans.baselineOn(plan, target);
        const baseline = counting.on(baselineOn).metrics[target.metric];
        return {
          planId: plan.id,
          planTerritory: territoryAnswer(covers),
          ...evaluateTarget({ target, actual: actual[target.metric], baseline, adoptedOn: baselineOn, asOf }),
          // A population target says which population it was measured against (its plan's territory), or why none.
          ...(target.metric === 'population_share' ? { population: this.describePopulation(covers.units, asOf) } : {}),
        };
      });
    });
    const { metrics, coverage } = asked.on(asOf);
    return {
      provinceCode: territory.code,
      territory: { ...territoryAnswer(territory), predecessors: territory.predecessors },
      asOf,
      knownAt: knownAt ?? null,
      future: asOf > today,
      metrics,
      coverage,
      population: this.describePopulation(territory.units, asOf),
      targets,
    };
  }

  /**
   * One point per period end. Without `boundariesOn` each point counts the territory the code names
   * on its own date (the line of 91 steps up on 2025-07-01, when it starts to hold former An Giang)
   * and a point where the code names no province is `inForce: false` with null metrics; with it, every
   * point counts the one territory of that date. Points are grouped by territory: one metrics
   * statement per distinct set of units. Each point also carries the expected values of the targets
   * its date's progress answer would list (`expectedOnEach`), also after today.
   */
  async series(generation: Generation, question: SeriesQuestion): Promise<SeriesPoint[]> {
    const { map, code, knownAt, boundariesOn } = question;
    const dates = periodEnds(question.from, question.to, question.step);
    const today = todayInVietnam();
    const fixed = boundariesOn === undefined ? undefined : map.unitsOf(code, boundariesOn);
    const countings = new Map<string, Counting>();
    const pointsOn = new Map<LocalDate, Counting | null>();
    for (const date of dates) {
      const units = fixed !== undefined ? fixed : map.unitsOf(code, date);
      if (units === null) {
        pointsOn.set(date, null);
        continue;
      }
      const key = Counting.keyOf(units);
      const counting = countings.get(key) ?? new Counting(units, []);
      countings.set(key, counting);
      pointsOn.set(date, counting);
      // A date after today is not counted: it has no actual values.
      if (date <= today) counting.dates.push(date);
    }
    const [expected] = await Promise.all([
      this.expectedOnEach(generation, question, pointsOn, today),
      ...[...countings.values()].map((counting) => counting.count(generation, this.populationOf, knownAt)),
    ]);
    return dates.map((asOf) => {
      const counting = pointsOn.get(asOf) ?? null;
      const metrics = (counting ?? NOWHERE).on(asOf).metrics;
      return { asOf, future: asOf > today, inForce: counting !== null, metrics: pickMetrics(metrics, question.metrics), expected: expected.get(asOf) ?? {} };
    });
  }

  /**
   * For each point in force, the expected value of every target the progress answer of its date would
   * list (the plans in force then whose territory lies within the point's), by the domain's evaluation
   * (`evaluateTarget`; the expected line needs only the baseline, not the actual value). The plans are
   * folded once for all the dates, and each baseline (a plan's territory on a baseline date) is counted
   * once however many points need it: no progress question per point.
   */
  private async expectedOnEach(
    generation: Generation,
    question: SeriesQuestion,
    pointsOn: Map<LocalDate, Counting | null>,
    today: LocalDate,
  ): Promise<Map<LocalDate, Record<string, number | null>>> {
    const { map, knownAt } = question;
    const wanted = question.metrics ? new Set<MetricName>(question.metrics) : null;
    const inForce = await this.plans.inForceOnEach(generation, [...pointsOn.keys()], knownAt);
    const baselines = new Map<string, Counting>();
    const linesOn = new Map<LocalDate, { planId: string; target: Target; baselineOn: LocalDate; counting: Counting }[]>();
    for (const [date, point] of pointsOn) {
      if (!point) continue;
      const lines = [];
      for (const plan of inForce.get(date) ?? []) {
        const covers = planTerritory(map, plan);
        if (!liesWithin(covers, point)) continue;
        const counting = baselines.get(Counting.keyOf(covers.units)) ?? new Counting(covers.units, []);
        baselines.set(counting.key, counting);
        for (const target of plan.targets) {
          if (wanted && !wanted.has(target.metric)) continue;
          const baselineOn = this.plans.baselineOn(plan, target);
          if (baselineOn <= today && !counting.dates.includes(baselineOn)) counting.dates.push(baselineOn);
          lines.push({ planId: plan.id, target, baselineOn, counting });
        }
      }
      linesOn.set(date, lines);
    }
    const all = [...baselines.values()];
    const counted = await metricsOfTerritories(
      generation,
      all.map(({ units, dates }) => ({ units, dates, populationOn: (date: LocalDate) => this.populationOf(units, date) })),
      knownAt,
    );
    all.forEach((counting, i) => (counting.measured = counted[i]));
    return new Map(
      [...linesOn].map(([asOf, lines]) => [
        asOf,
        Object.fromEntries(
          lines.map(({ planId, target, baselineOn, counting }) => {
            const baseline = counting.on(baselineOn).metrics[target.metric];
            return [expectedKey(planId, target), evaluateTarget({ target, actual: null, baseline, adoptedOn: baselineOn, asOf }).expected];
          }),
        ),
      ]),
    );
  }
}

/** One territory's dates to count, and then what they measure. */
class Counting {
  readonly key: string;
  measured = new Map<LocalDate, Measured>();

  constructor(
    readonly units: string[],
    readonly dates: LocalDate[],
  ) {
    this.key = Counting.keyOf(units);
  }

  static keyOf(units: readonly string[]): string {
    return [...units].sort().join(',');
  }

  /** What the territory measures on a date it counted; on a date it did not (one after today), every value null. */
  on(date: LocalDate): Measured {
    return this.measured.get(date) ?? unmeasured();
  }

  async count(generation: Generation, populationOf: PopulationOf, knownAt: string | undefined): Promise<void> {
    this.measured = await metricsAt(generation, this.units, this.dates, (date) => populationOf(this.units, date), knownAt);
  }
}

/** A point where the code names no province: nothing counted, every metric null. */
const NOWHERE = new Counting([], []);
