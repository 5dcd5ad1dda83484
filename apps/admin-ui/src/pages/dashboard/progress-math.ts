/**
 * The arithmetic the dashboard shows, in the words of domain.md ("Metrics",
 * "Targets", "On track", "Status"). The server decides met, attainment, status
 * and the expected values (per series point too); the UI only draws them, and
 * words numbers so that rounding never makes two different values look equal.
 */
import type { MetricName, TargetProgress } from '../../api/types';
import { formatMetric, isShareMetric } from '../../i18n/format';
import type { Locale } from '../../i18n/types';

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

/** The server's status of a target (domain.md, "Status"), decided on unrounded values: the UI shows it, never recomputes it. */
export type { TargetStatus } from '../../api/types';
export { TARGET_STATUSES } from '../../api/types';

export function dayNumber(date: string): number {
  const [year, month, day] = date.slice(0, 10).split('-').map(Number);
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

/** Milliseconds of a calendar date at UTC midnight: the chart's x axis. */
export function dateTime(date: string): number {
  return dayNumber(date) * 86_400_000;
}

/**
 * The expected value at `date` (domain.md, "On track"), for a server that
 * answers no per-point `expected` in its series: the straight line from the
 * baseline on the baseline date to the aim on the deadline, linear in calendar
 * days, then the aim; flat at the aim where the baseline already meets it;
 * null before the baseline date or without a baseline.
 */
export function expectedAt(aim: number, baseline: number | null, adoptedOn: string, deadline: string, date: string, atMost = false): number | null {
  if (date >= deadline) return aim;
  if (baseline === null || date < adoptedOn) return null;
  if (atMost ? baseline <= aim : baseline >= aim) return aim;
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
 * A metric's value for display: shares as percentages (one decimal); counts
 * as whole numbers (a path's expected value between two counts, 1.431,14,
 * reads as 1.431). `digits` asks for more decimals (see distinctDigits).
 */
export function formatValue(metric: MetricName, value: number | null | undefined, locale: Locale, digits?: number): string {
  if (value === null || value === undefined) return '—';
  if (digits === undefined) return formatMetric(metric, isShareMetric(metric) ? value : Math.round(value), locale);
  const share = isShareMetric(metric);
  return new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
    ...(share ? { style: 'percent' } : {}),
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

/** The decimals a metric shows by default: one for a percentage, none for a count. */
function baseDigits(metric: MetricName): number {
  return isShareMetric(metric) ? 1 : 0;
}

function roundTo(metric: MetricName, value: number, digits: number): number {
  const scale = 10 ** (digits + (isShareMetric(metric) ? 2 : 0));
  return Math.round(value * scale) / scale;
}

/**
 * The decimals `value` needs so that it does not read as equal to any of
 * `others` when it is not (domain.md: "the display says so where rounding
 * makes two equal-looking numbers differ"): 13,96 against an expected 14
 * reads "13,96 / 14", not "14 / 14"; 69,96 % against 70 % reads "69,96 %".
 * undefined when the default reading already differs (or is equal in fact).
 */
export function distinctDigits(metric: MetricName, value: number | null | undefined, others: (number | null | undefined)[]): number | undefined {
  if (value === null || value === undefined) return undefined;
  const base = baseDigits(metric);
  // A value exact at the default precision (a count of 14, 70 %) reads as it is: the other one gets the decimals.
  if (roundTo(metric, value, base) === value) return undefined;
  let needed: number | undefined;
  for (const other of others) {
    if (other === null || other === undefined || other === value) continue;
    if (roundTo(metric, value, base) !== roundTo(metric, other, base)) continue;
    let digits = base + 1;
    while (digits < base + 6 && roundTo(metric, value, digits) === roundTo(metric, other, digits)) digits += 1;
    needed = Math.max(needed ?? 0, digits);
  }
  return needed;
}

/** A value worded so it differs from `others` wherever it does (the default format elsewhere). */
export function formatDistinct(metric: MetricName, value: number | null | undefined, others: (number | null | undefined)[], locale: Locale): string {
  return formatValue(metric, value, locale, distinctDigits(metric, value, others));
}

/** An attainment (a ratio) worded so that an unmet one never reads as 100 %. */
export function formatAttainment(value: number | null, locale: Locale): string {
  if (value === null) return '—';
  const digits = distinctDigits('cooperatives_good_or_fair_share', value, [1]);
  return formatValue('cooperatives_good_or_fair_share', value, locale, digits);
}
