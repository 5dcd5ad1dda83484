import { evaluateTarget, METRIC_NAMES, periodEnds, type AdministrativeMap, type LocalDate, type PeriodStep, type Territory } from '@ktt/domain';
import type { Metrics, PopulationAnswer, ProvinceProgress, SeriesPoint } from '../answers';
import type { Generation } from '../generations';
import { liesWithin, planTerritory, territoryAnswer } from '../plans/plan-territory';
import type { PlanQueries } from '../plans/plan-queries';
import { Populations } from '../population/population';
import { metricsAt, metricsOfTerritories, type Units } from './metrics-query';

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
}

/** Every metric null: a point where the asked code names no province. */
const NO_METRICS = Object.fromEntries(METRIC_NAMES.map((name) => [name, null])) as Metrics;

/**
 * Province progress against the targets in force (domain.md, "Metrics" and
 * "Targets"): plans and metrics alike read the one generation it is given.
 * A territory is a set of units (first-map province codes), which is what the
 * timeline records as a seat; each distinct set of units is counted by one
 * metrics statement for all its dates.
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
    const all = [...countings.values()];
    const counted = await metricsOfTerritories(
      generation,
      all.map(({ units, dates }) => ({ units, dates, populationOn: (date: LocalDate) => this.populationOf(units, date) })),
      knownAt,
    );
    all.forEach((counting, i) => (counting.metrics = counted[i]));
    const targets = plans.flatMap(({ plan, territory: covers }) => {
      const counted = countings.get(Counting.keyOf(covers.units))!;
      const actual = counted.metrics.get(asOf)!;
      return plan.targets.map((target) => {
        const baselineOn = this.plans.baselineOn(plan, target);
        const baseline = counted.metrics.get(baselineOn);
        return {
          planId: plan.id,
          planTerritory: territoryAnswer(covers),
          ...evaluateTarget({ target, actual: actual[target.metric], baseline: baseline?.[target.metric] ?? null, adoptedOn: baselineOn, asOf }),
          // A population target says which population it was measured against (its plan's territory), or why none.
          ...(target.metric === 'population_share' ? { population: this.describePopulation(covers.units, asOf) } : {}),
        };
      });
    });
    return {
      provinceCode: territory.code,
      territory: { ...territoryAnswer(territory), predecessors: territory.predecessors },
      asOf,
      knownAt: knownAt ?? null,
      metrics: asked.metrics.get(asOf)!,
      population: this.describePopulation(territory.units, asOf),
      targets,
    };
  }

  /**
   * One point per period end. Without `boundariesOn` each point counts the territory the code names
   * on its own date (the line of 91 steps up on 2025-07-01, when it starts to hold former An Giang)
   * and a point where the code names no province is `inForce: false` with null metrics; with it, every
   * point counts the one territory of that date. Points are grouped by territory: one metrics
   * statement per distinct set of units.
   */
  async series(generation: Generation, question: SeriesQuestion): Promise<SeriesPoint[]> {
    const { map, code, knownAt, boundariesOn } = question;
    const dates = periodEnds(question.from, question.to, question.step);
    const fixed = boundariesOn === undefined ? undefined : map.unitsOf(code, boundariesOn);
    const countings = new Map<string, Counting>();
    const unitsOn = new Map<LocalDate, string | null>();
    for (const date of dates) {
      const units = fixed !== undefined ? fixed : map.unitsOf(code, date);
      if (units === null) {
        unitsOn.set(date, null);
        continue;
      }
      const key = Counting.keyOf(units);
      unitsOn.set(date, key);
      const counting = countings.get(key);
      if (counting) counting.dates.push(date);
      else countings.set(key, new Counting(units, [date]));
    }
    await Promise.all([...countings.values()].map((counting) => counting.count(generation, this.populationOf, knownAt)));
    return dates.map((asOf) => {
      const key = unitsOn.get(asOf);
      return key ? { asOf, inForce: true, metrics: countings.get(key)!.metrics.get(asOf)! } : { asOf, inForce: false, metrics: NO_METRICS };
    });
  }
}

/** One territory's dates to count, and then their metrics. */
class Counting {
  readonly key: string;
  metrics = new Map<LocalDate, Metrics>();

  constructor(
    readonly units: string[],
    readonly dates: LocalDate[],
  ) {
    this.key = Counting.keyOf(units);
  }

  static keyOf(units: readonly string[]): string {
    return [...units].sort().join(',');
  }

  async count(generation: Generation, populationOf: PopulationOf, knownAt: string | undefined): Promise<void> {
    this.metrics = await metricsAt(generation, this.units, this.dates, (date) => populationOf(this.units, date), knownAt);
  }
}
