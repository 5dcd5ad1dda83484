/**
 * The arithmetic the dashboard shows, in the words of domain.md ("Metrics",
 * "Targets", "On track"). The server decides met / attainment / onTrack; the
 * UI only draws them and, for the chart, the same straight path at every
 * date of the series.
 */
import type { MetricName, TargetProgress } from '../../api/types';
import { formatMetric, isShareMetric } from '../../i18n/format';
import type { Locale } from '../../i18n/i18n';

type MetricGroupKey = 'size' | 'quality' | 'linkage' | 'capacity' | 'status';

/**
 * The group each metric of domain.md shows in, as a reader of a provincial report looks for them, in the
 * order shown. A Record of every MetricName: a metric the domain adds does not compile until it is placed.
 */
const GROUP_OF: Record<MetricName, MetricGroupKey> = {
  cooperative_groups: 'size',
  cooperative_group_members: 'size',
  cooperatives: 'size',
  cooperative_members: 'size',
  unions: 'size',
  union_member_cooperatives: 'size',
  population_share: 'size',
  cooperatives_good_or_fair_share: 'quality',
  rated_organizations_good_or_fair_share: 'quality',
  cooperatives_good_or_fair_in_value_chain_share: 'linkage',
  rated_organizations_good_or_fair_in_value_chain_share: 'linkage',
  rated_organizations_value_chain_share: 'linkage',
  agricultural_cooperatives_enterprise_linked_share: 'linkage',
  managers_with_degree_share: 'capacity',
  directors_trained_share: 'capacity',
  high_tech_agricultural_cooperatives: 'capacity',
  organizations_digital_adoption_share: 'capacity',
  suspended_cooperatives: 'status',
  dormant_cooperatives: 'status',
};

const GROUP_KEYS: MetricGroupKey[] = ['size', 'quality', 'linkage', 'capacity', 'status'];

/** The metrics of domain.md, grouped as a reader of a provincial report looks for them. */
export const METRIC_GROUPS: { key: string; metrics: MetricName[] }[] = GROUP_KEYS.map((key) => ({
  key,
  metrics: (Object.keys(GROUP_OF) as MetricName[]).filter((metric) => GROUP_OF[metric] === key),
}));

export const ALL_METRICS: MetricName[] = METRIC_GROUPS.flatMap((group) => group.metrics);

type TargetShape = Pick<TargetProgress, 'op' | 'value' | 'min' | 'max'>;

/** The number a target aims at: its value, or the bottom of its range (domain.md, "On track"). */
export function aimOf(target: TargetShape): number {
  return (target.op === 'between' ? target.min : target.value) ?? 0;
}

export type TargetStatus = 'met' | 'onTrack' | 'behind' | 'noPath' | 'unknown';

/**
 * met → "đã đạt"; otherwise the server's onTrack; `noPath` when there is no
 * path to compare with (before the adoption date, or no baseline); `unknown`
 * when the actual value itself is unknown (null).
 */
export function statusOf(target: Pick<TargetProgress, 'met' | 'onTrack'>): TargetStatus {
  if (target.met === null) return 'unknown';
  if (target.met) return 'met';
  if (target.onTrack === true) return 'onTrack';
  if (target.onTrack === false) return 'behind';
  return 'noPath';
}

export function dayNumber(date: string): number {
  const [year, month, day] = date.slice(0, 10).split('-').map(Number);
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

/** Milliseconds of a calendar date at UTC midnight: the chart's x axis. */
export function dateTime(date: string): number {
  return dayNumber(date) * 86_400_000;
}

/**
 * The expected value at `date` (domain.md, "On track"): the straight line
 * from the baseline on the adoption date to the aim on the deadline, linear
 * in calendar days, then the aim; null before the adoption date or without a
 * baseline. The same formula as the server's, so the chart's dashed line
 * passes through every `expected` the server answers.
 */
export function expectedAt(aim: number, baseline: number | null, adoptedOn: string, deadline: string, date: string): number | null {
  if (baseline === null || date < adoptedOn) return null;
  if (date >= deadline) return aim;
  const total = dayNumber(deadline) - dayNumber(adoptedOn);
  if (total <= 0) return aim;
  return baseline + ((aim - baseline) * (dayNumber(date) - dayNumber(adoptedOn))) / total;
}

/**
 * The filled part of a target's bar, 0–1. For "at least" kinds, actual ÷ aim;
 * for `at_most` ("none left") the share of the way from the baseline down to
 * the aim (full when met, empty when nothing went down).
 */
export function barFraction(target: TargetProgress): number | null {
  const { actual } = target;
  if (actual === null) return null;
  const aim = aimOf(target);
  if (target.op === 'at_most') {
    if (actual <= aim) return 1;
    const baseline = target.baseline;
    if (baseline === null || baseline <= aim) return 0;
    return clamp((baseline - actual) / (baseline - aim));
  }
  if (target.op === 'between') {
    const top = target.max ?? aim;
    return top > 0 ? clamp(actual / top) : 1;
  }
  return aim > 0 ? clamp(actual / aim) : 1;
}

/** Where a value sits on the same bar, 0–1 (the path's expected value, the aim of a range). */
export function barPosition(target: TargetProgress, value: number | null): number | null {
  if (value === null) return null;
  const aim = aimOf(target);
  if (target.op === 'at_most') {
    const baseline = target.baseline;
    if (baseline === null || baseline <= aim) return null;
    return clamp((baseline - value) / (baseline - aim));
  }
  const top = target.op === 'between' ? (target.max ?? aim) : aim;
  return top > 0 ? clamp(value / top) : null;
}

function clamp(value: number): number {
  return Math.max(0, Math.min(1, value));
}

/**
 * A metric's value for display: shares as percentages; counts as whole
 * numbers (a path's expected value between two counts, 1.431,14, reads as 1.431).
 */
export function formatValue(metric: MetricName, value: number | null | undefined, locale: Locale): string {
  if (value === null || value === undefined) return '—';
  return formatMetric(metric, isShareMetric(metric) ? value : Math.round(value), locale);
}
