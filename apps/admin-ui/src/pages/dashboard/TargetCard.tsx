import { useId } from 'react';
import type { TargetProgress } from '../../api/types';
import { formatDate, formatMetric } from '../../i18n/format';
import { useLocale, useT, type Translate } from '../../i18n/i18n';
import type { Locale } from '../../i18n/i18n';
import { messages } from './messages';
import { aimOf, barFraction, barPosition, formatAttainment, formatDistinct, formatValue, type TargetStatus } from './progress-math';

/** Each status has its own shape as well as its colour (never colour alone). */
export const STATUS_ICON: Record<TargetStatus, string> = {
  met: '✓',
  on_track: '↗',
  near: '≈',
  behind: '!',
  unknown: '?',
};

/** The target in the source's words: "khoảng 3.000", "từ 70% đến 85%", "không còn". */
export function describeAim(target: Pick<TargetProgress, 'metric' | 'op' | 'value' | 'min' | 'max'>, t: Translate, locale: Locale): string {
  const format = (value: number | undefined) => formatMetric(target.metric, value ?? null, locale);
  if (target.op === 'between') return t('op.between', { min: format(target.min), max: format(target.max) });
  if (target.op === 'at_most' && target.value === 0) return t('op.at_most.zero');
  return t(`op.${target.op}`, { value: format(target.value) });
}

export function StatusBadge({ status }: { status: TargetStatus }) {
  const t = useT(messages);
  return (
    <span className={`badge dashboard-status dashboard-status-${status}`}>
      <span aria-hidden="true">{STATUS_ICON[status]} </span>
      {t(`status.${status}`)}
    </span>
  );
}

/**
 * One target of a plan in force: actual against the aim as a bar (with the
 * path's expected value as a mark), the server's status in colour, shape and
 * words, the deadline and the source sentence (a tooltip on hover and a
 * disclosure for keyboard and screen-reader users). Actual and expected are
 * worded so that rounding never makes them look equal when they are not.
 */
export function TargetCard({
  target,
  adoptedOn,
  quote,
  territory = null,
  future = false,
}: {
  target: TargetProgress;
  adoptedOn: string | null;
  quote: string | null;
  /** The territory the target is evaluated on, in words ("former Kiên Giang"), when the answer names it. */
  territory?: string | null;
  /** The date asked is after today: no actual value yet, only the path's. */
  future?: boolean;
}) {
  const t = useT(messages);
  const { locale } = useLocale();
  const headingId = useId();
  const status: TargetStatus = target.status;
  const format = (value: number | null | undefined) => formatValue(target.metric, value, locale);
  const aim = aimOf(target);
  const actualText = formatDistinct(target.metric, target.actual, [target.expected, aim], locale);
  const expectedText = formatDistinct(target.metric, target.expected, [target.actual], locale);
  const fraction = barFraction(target);
  const expectedMark = target.op === 'at_most' ? null : barPosition(target, target.expected);
  const rangeMark = target.op === 'between' ? barPosition(target, target.min ?? null) : null;
  const metricName = t(`metric.${target.metric}`);
  const barText = t('target.bar', { metric: metricName, actual: future ? t('target.future') : actualText, aim: describeAim(target, t, locale) });
  const testId = `target-${target.metric}-${target.deadline}`;

  return (
    <article className={`dashboard-target dashboard-target-${status}`} data-testid={testId} aria-labelledby={headingId}>
      <header className="dashboard-target-head">
        <h4 id={headingId} title={quote ?? undefined}>
          {metricName}
        </h4>
        <StatusBadge status={status} />
      </header>
      <p className="dashboard-target-aim">
        <span className="dashboard-target-label">{t('target.aim')}:</span> <strong>{describeAim(target, t, locale)}</strong>
      </p>
      {territory ? (
        <p className="dashboard-target-aim dashboard-target-territory" data-testid="target-territory">
          <span className="dashboard-target-label">{t('target.territory')}:</span> <strong>{territory}</strong>
        </p>
      ) : null}
      <p className="dashboard-target-aim">
        <span className="dashboard-target-label">{t('target.deadline')}:</span> <strong>{formatDate(target.deadline)}</strong>
      </p>
      <div
        className="dashboard-bar"
        role="img"
        aria-label={`${barText}.${target.expected !== null && expectedMark !== null ? ` ${t('target.bar.expected', { expected: expectedText })}` : ''}`}
      >
        <div className="dashboard-bar-fill" style={{ width: `${(fraction ?? 0) * 100}%` }} />
        {rangeMark !== null ? <div className="dashboard-bar-range" style={{ left: `${rangeMark * 100}%` }} /> : null}
        {expectedMark !== null ? <div className="dashboard-bar-expected" style={{ left: `${expectedMark * 100}%` }} /> : null}
      </div>
      <dl className="dashboard-target-facts">
        <div>
          <dt>{t('target.actual')}</dt>
          <dd data-testid="target-actual">{future ? t('target.future') : target.actual === null ? t('target.noValue') : actualText}</dd>
        </div>
        <div>
          <dt>{t('target.attainment')}</dt>
          <dd>{formatAttainment(target.attainment, locale)}</dd>
        </div>
        <div>
          <dt>{t('target.expected')}</dt>
          <dd data-testid="target-expected">{target.expected === null ? '—' : expectedText}</dd>
        </div>
        <div>
          <dt>{t('target.baseline', { date: formatDate(adoptedOn) })}</dt>
          <dd>{target.baseline === null ? '—' : format(target.baseline)}</dd>
        </div>
      </dl>
      {target.aboveMax ? <p className="hint">{t('target.aboveMax', { max: format(target.max) })}</p> : null}
      {target.op === 'at_most' && target.actual !== null && target.actual > aim ? (
        <p className="hint">
          {target.baseline !== null && target.baseline > aim
            ? t('target.atMostNote', { baseline: format(target.baseline), aim: format(aim) })
            : t('target.atMostWorse', { baseline: format(target.baseline) })}
        </p>
      ) : null}
      {status === 'near' && target.expected !== null ? <p className="hint">{t('target.nearNote', { expected: expectedText })}</p> : null}
      <details className="dashboard-quote">
        <summary title={quote ?? undefined}>{t('quote.summary')}</summary>
        {quote ? (
          <blockquote lang="vi" className="dashboard-quote-text">
            “{quote}”
          </blockquote>
        ) : (
          <p className="hint">{t('quote.none')}</p>
        )}
      </details>
    </article>
  );
}
