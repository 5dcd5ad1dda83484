import { readFileSync } from 'node:fs';
import { evaluateTarget, periodEnds, type LocalDate, type PeriodStep } from '@ktt/domain';
import type { ProvinceProgress, SeriesPoint } from '../answers';
import type { Generation } from '../generations';
import type { PlanQueries } from '../plans/plan-queries';
import { metricsAt } from './metrics-query';

export interface PopulationEntry {
  provinceCode: string;
  population: number | null;
  year: number | null;
  source: string | null;
}

/** Reference data: population by province, with its source; unknown = null (population_share is then null). */
export function loadPopulations(file: string): Map<string, PopulationEntry> {
  const data = JSON.parse(readFileSync(file, 'utf8')) as { provinces: PopulationEntry[] };
  return new Map(data.provinces.map((entry) => [entry.provinceCode, entry]));
}

/**
 * Province progress against the targets in force (domain.md, "Metrics" and
 * "Targets"): plans and metrics alike read the one generation it is given.
 */
export class ProgressQueries {
  constructor(
    private readonly plans: PlanQueries,
    private readonly populations: Map<string, PopulationEntry>,
  ) {}

  async progress(generation: Generation, provinceCode: string, asOf: LocalDate, knownAt?: string): Promise<ProvinceProgress> {
    const plans = await this.plans.inForce(generation, asOf, provinceCode, knownAt);
    // The baseline of each target is the actual value on its plan's adoption date: one statement for all dates.
    const dates = [asOf, ...new Set(plans.map((plan) => plan.adoptedOn))];
    // The baseline is taken with the same knownAt as the question (domain.md, "On track").
    const byDate = await metricsAt(generation, [provinceCode], dates, () => this.population(provinceCode), knownAt);
    const metrics = byDate.get(asOf)!;
    const targets = plans.flatMap((plan) =>
      plan.targets.map((target) => ({
        planId: plan.id,
        ...evaluateTarget({
          target,
          actual: metrics[target.metric],
          baseline: byDate.get(plan.adoptedOn)?.[target.metric] ?? null,
          adoptedOn: plan.adoptedOn,
          asOf,
        }),
      })),
    );
    return { provinceCode, asOf, knownAt: knownAt ?? null, metrics, targets };
  }

  async series(generation: Generation, provinceCode: string, from: LocalDate, to: LocalDate, step: PeriodStep, knownAt?: string): Promise<SeriesPoint[]> {
    const dates = periodEnds(from, to, step);
    const byDate = await metricsAt(generation, [provinceCode], dates, () => this.population(provinceCode), knownAt);
    return dates.map((asOf) => ({ asOf, metrics: byDate.get(asOf)! }));
  }

  private population(provinceCode: string): number | null {
    return this.populations.get(provinceCode)?.population ?? null;
  }
}
