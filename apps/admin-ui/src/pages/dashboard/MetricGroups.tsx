import type { MetricName, ProvinceProgress } from '../../api/types';
import { formatMetric } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/i18n';
import { messages } from './messages';
import { METRIC_GROUPS } from './progress-math';

/**
 * Every metric of domain.md, grouped (size, quality, linkage, capacity,
 * status). Shares as percentages; a null value shows "—" with the reason
 * (the population is unknown, or the share's denominator is 0).
 * `data-testid="metric-<name>"` holds the formatted value alone.
 */
export function MetricGroups({ progress }: { progress: ProvinceProgress }) {
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
              const nullReason = t(`null.${metric}`);
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
