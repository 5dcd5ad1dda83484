import { periodEnds, todayInVietnam, type LocalDate, type MetricName, type PeriodStep } from '@ktt/domain';
import type { NationalProgress, NationalSeriesPoint } from '../answers';
import type { Generation } from '../generations';
import type { Populations } from '../population/population';
import { metricsAt, unmeasured } from '../progress/metrics-query';
import { pickMetrics } from '../progress/progress-queries';

/**
 * The national roll-up (api.md, GET /api/national/progress and /series): every metric of domain.md over
 * the whole country, counted by the same statement as a province's (`metricsAt` with no territory
 * filter, `'all'`), so the country is exactly the sum of its provinces on any map. No targets until
 * national targets are data. `population_share` uses the country's own population figure.
 */
export class NationalQueries {
  constructor(private readonly populations: Populations) {}

  async progress(generation: Generation, asOf: LocalDate, knownAt?: string): Promise<NationalProgress> {
    const future = asOf > todayInVietnam();
    const population = this.populations.populationOf('all', asOf);
    // Dates after today have no actual values (domain.md, "Metrics"): every metric and coverage null, `future: true`.
    const { metrics, coverage } = future ? unmeasured() : (await metricsAt(generation, 'all', [asOf], this.populations.on('all'), knownAt)).get(asOf)!;
    return { asOf, knownAt: knownAt ?? null, future, metrics, coverage, population };
  }

  /** `metrics`: only these (`metrics=`); default every metric. */
  async series(generation: Generation, from: LocalDate, to: LocalDate, step: PeriodStep, knownAt?: string, metrics?: readonly MetricName[]): Promise<NationalSeriesPoint[]> {
    const dates = periodEnds(from, to, step);
    const today = todayInVietnam();
    const past = dates.filter((date) => date <= today);
    const byDate = await metricsAt(generation, 'all', past, this.populations.on('all'), knownAt);
    return dates.map((asOf) => ({ asOf, future: asOf > today, metrics: pickMetrics((byDate.get(asOf) ?? unmeasured()).metrics, metrics) }));
  }
}
