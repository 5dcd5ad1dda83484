import { unitName, type MapHistory } from '../../api/administrative-map';
import type { MetricName, PopulationAnswer } from '../../api/types';
import { formatMetric, formatNumber } from '../../i18n/format';
import { useLocale, useT, type Locale, type Translate } from '../../i18n/i18n';
import type { ProgressAnswer } from './known-at';
import { messages } from './messages';
import { formatAttainment, METRIC_GROUPS } from './progress-math';

/**
 * What the coverage of a metric (api.md: `coverage`, known ÷ in scope) is a share of: the organizations
 * whose flag or manager figures the metric reads. Shares over known values only say so.
 */
const COVERAGE_SCOPE: Partial<Record<MetricName, string>> = {
  managers_with_degree_share: 'scope.cooperatives',
  directors_trained_share: 'scope.cooperatives',
  cooperatives_good_or_fair_in_value_chain_share: 'scope.goodFairCooperatives',
  rated_organizations_good_or_fair_in_value_chain_share: 'scope.goodFairRated',
  rated_organizations_value_chain_share: 'scope.rated',
  agricultural_cooperatives_enterprise_linked_share: 'scope.agricultural',
  organizations_digital_adoption_share: 'scope.organizations',
  high_tech_agricultural_cooperatives: 'scope.agricultural',
};

/**
 * Every metric of domain.md, grouped (size, quality, linkage, capacity,
 * status). Shares as percentages; a null value shows "—" with the reason
 * (the population is unknown, or the share's denominator is 0, or the date
 * is in the future). A share over flags carries its coverage: "62 % · known
 * for 80 % of cooperatives". `data-testid="metric-<name>"` holds the
 * formatted value alone.
 */
export function MetricGroups({ progress, history }: { progress: ProgressAnswer; history: MapHistory | null }) {
  const t = useT(messages);
  const { locale } = useLocale();
  const known = new Set(METRIC_GROUPS.flatMap((group) => group.metrics));
  // A metric the server adds later still shows, in a last group (until METRIC_GROUPS places it).
  const extra = (Object.keys(progress.metrics) as MetricName[]).filter((metric) => !known.has(metric));
  const groups = extra.length ? [...METRIC_GROUPS, { key: 'other', metrics: extra }] : METRIC_GROUPS;
  return (
    <div className="dashboard-groups">
      {groups.map((group) => (
        <section key={group.key} className="card dashboard-group" aria-labelledby={`dashboard-group-${group.key}`}>
          <h3 id={`dashboard-group-${group.key}`}>{group.key === 'other' ? '…' : t(`group.${group.key}`)}</h3>
          <dl className="dashboard-metrics">
            {group.metrics.map((metric) => {
              const value = progress.metrics[metric] ?? null;
              const coverage = progress.coverage?.[metric];
              const scope = COVERAGE_SCOPE[metric];
              // A share over flags is null with organizations in scope when none of them has a known answer.
              const nullReason = progress.future
                ? t('null.future')
                : scope && coverage === 0
                  ? t('null.noneKnown', { scope: t(scope) })
                  : metric === 'population_share'
                    ? populationNullReason(t, progress, history)
                    : t(`null.${metric}`);
              return (
                <div key={metric} className="dashboard-metric">
                  <dt>{t(`metric.${metric}`)}</dt>
                  <dd>
                    <span className="dashboard-metric-value" data-testid={`metric-${metric}`}>
                      {formatMetric(metric, value, locale)}
                    </span>
                    {value === null ? (
                      <span className="dashboard-metric-null">{nullReason === `null.${metric}` ? t('null.generic') : nullReason}</span>
                    ) : null}
                    {scope && typeof coverage === 'number' ? (
                      <span className={`dashboard-metric-coverage${coverage < 1 ? ' dashboard-metric-partial' : ''}`} data-testid={`coverage-${metric}`}>
                        {coverage > 0 ? t('coverage', { share: formatAttainment(coverage, locale), scope: t(scope) }) : t('coverage.none', { scope: t(scope) })}
                      </span>
                    ) : null}
                    {metric === 'population_share' && progress.population?.value ? (
                      <span className="dashboard-metric-def" data-testid="population-used">
                        {populationUsed(t, progress.population, history, locale)}
                      </span>
                    ) : null}
                    <span className="dashboard-metric-def">{t(`def.${metric}`)}</span>
                  </dd>
                </div>
              );
            })}
          </dl>
        </section>
      ))}
    </div>
  );
}

/** The population behind population_share, with its figures' years ("An Giang 2023 + Kiên Giang 2023"). */
function populationUsed(t: Translate, population: PopulationAnswer, history: MapHistory | null, locale: Locale): string {
  const figures = population.figures.map((figure) => t('population.figure', { name: figure.unit === 'country' ? figure.unit : unitName(history, figure.unit), year: figure.year }));
  return t('population.used', { value: formatNumber(population.value, locale), figures: figures.join(' + ') });
}

/** Why population_share is null: the territory's former provinces (units) without a figure for the year or before. */
function populationNullReason(t: Translate, progress: ProgressAnswer, history: MapHistory | null): string {
  const units = history?.map.unitsOf(progress.territory.code, progress.territory.boundariesOn) ?? null;
  const missing = units?.filter((unit) => !(progress.population?.figures ?? []).some((figure) => figure.unit === unit)) ?? [];
  if (!missing.length) return t('null.population_share');
  return t('null.population_share.units', { units: missing.map((unit) => `${unitName(history, unit)} (${unit})`).join(', '), year: progress.asOf.slice(0, 4) });
}
