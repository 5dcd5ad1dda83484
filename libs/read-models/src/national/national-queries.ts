import { METRIC_NAMES, periodEnds, todayInVietnam, type LocalDate, type PeriodStep } from '@ktt/domain';
import type { Metrics, NationalProgress, NationalSeriesPoint } from '../answers';
import type { Generation } from '../generations';
import type { Populations } from '../population/population';
import { metricsAt } from '../progress/metrics-query';

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
    const metrics = future ? NO_METRICS() : (await metricsAt(generation, 'all', [asOf], this.populations.on('all'), knownAt)).get(asOf)!;
    return { asOf, knownAt: knownAt ?? null, future, metrics, population };
  }

  async series(generation: Generation, from: LocalDate, to: LocalDate, step: PeriodStep, knownAt?: string): Promise<NationalSeriesPoint[]> {
    const dates = periodEnds(from, to, step);
    const today = todayInVietnam();
    const past = dates.filter((date) => date <= today);
    const byDate = await metricsAt(generation, 'all', past, this.populations.on('all'), knownAt);
    // Dates after today have no actual values (domain.md, "Metrics"): every metric null, `future: true`.
    return dates.map((asOf) => (asOf > today ? { asOf, future: true, metrics: NO_METRICS() } : { asOf, future: false, metrics: byDate.get(asOf)! }));
  }
}

function NO_METRICS(): Metrics {
  return Object.fromEntries(METRIC_NAMES.map((name) => [name, null])) as Metrics;
}
