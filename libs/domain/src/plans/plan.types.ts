import type { LocalDate } from '../common/local-date';
import { LIMITS } from '../common/limits';
import { invalid, requireDate, requireOneOf, requireText } from '../common/validation';

/** The 19 metrics of domain.md ("Metrics"), in its order. */
export const METRIC_NAMES = [
  'cooperative_groups',
  'cooperative_group_members',
  'cooperatives',
  'cooperative_members',
  'unions',
  'union_member_cooperatives',
  'cooperatives_good_or_fair_share',
  'rated_organizations_good_or_fair_share',
  'cooperatives_good_or_fair_in_value_chain_share',
  'rated_organizations_good_or_fair_in_value_chain_share',
  'rated_organizations_value_chain_share',
  'managers_with_degree_share',
  'directors_trained_share',
  'high_tech_agricultural_cooperatives',
  'agricultural_cooperatives_enterprise_linked_share',
  'dormant_cooperatives',
  'suspended_cooperatives',
  'organizations_digital_adoption_share',
  'population_share',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/**
 * The metrics built on a profile flag or on `managers` (domain.md, "Metrics"): each counts only the
 * organizations whose value is known, and its answer carries `coverage` (known ÷ in scope).
 */
export const COVERAGE_NAMES = [
  'cooperatives_good_or_fair_in_value_chain_share',
  'rated_organizations_good_or_fair_in_value_chain_share',
  'rated_organizations_value_chain_share',
  'managers_with_degree_share',
  'directors_trained_share',
  'high_tech_agricultural_cooperatives',
  'agricultural_cooperatives_enterprise_linked_share',
  'organizations_digital_adoption_share',
] as const satisfies readonly MetricName[];
export type CoverageName = (typeof COVERAGE_NAMES)[number];

/** A share is a ratio in [0, 1] (0.7, not 70); every other metric is a count. The names say which (domain.md, "Metrics"). */
export function isShareMetric(metric: MetricName): boolean {
  return metric.endsWith('_share');
}

/** domain.md, "Targets": `between` has min and max; every other op has a value. */
export const TARGET_OPS = ['at_least', 'more_than', 'approximately', 'between', 'at_most'] as const;
export type TargetOp = (typeof TARGET_OPS)[number];

export interface Target {
  metric: MetricName;
  op: TargetOp;
  value?: number;
  min?: number;
  max?: number;
  deadline: LocalDate;
  /** The sentence of the source document that sets the target. */
  quote: string;
}

/**
 * What an amendment changes; fields not given keep their values. `targets`
 * replace the whole list; `adoptedOn` moves the baseline of on-track;
 * `document` corrects the document number.
 */
export interface PlanChanges {
  targets?: Target[];
  adoptedOn?: LocalDate;
  document?: string | null;
}

/** Throws VALIDATION_FAILED naming the field, e.g. `targets[3].min`. Deadlines lie in the future by nature. */
export function validateTarget(target: Target, path: string): void {
  if (typeof target !== 'object' || target === null) throw invalid(path, `${path} must be an object`);
  requireOneOf(target.metric, METRIC_NAMES, `${path}.metric`);
  requireOneOf(target.op, TARGET_OPS, `${path}.op`);
  if (target.op === 'between') validateRange(target, path);
  else validateValue(target, path);
  if (isShareMetric(target.metric)) validateShareBounds(target, path);
  else validateCountBounds(target, path);
  requireDate(target.deadline, `${path}.deadline`);
  requireText(target.quote, `${path}.quote`, { max: LIMITS.text.targetQuote, multiline: true });
}

function validateRange(target: Target, path: string): void {
  if (target.value !== undefined) throw invalid(`${path}.value`, 'A "between" target has min and max, not value');
  requireNumber(target.min, `${path}.min`);
  requireNumber(target.max, `${path}.max`);
  if (target.min > target.max) throw invalid(`${path}.min`, `min (${target.min}) exceeds max (${target.max})`);
}

function validateValue(target: Target, path: string): void {
  requireNumber(target.value, `${path}.value`);
  if (target.min !== undefined) throw invalid(`${path}.min`, `A "${target.op}" target has a value, not min`);
  if (target.max !== undefined) throw invalid(`${path}.max`, `A "${target.op}" target has a value, not max`);
}

/** A share target's numbers are ratios: `70` meant as 70 % would be a target no share can reach, so it is refused. */
function validateShareBounds(target: Target, path: string): void {
  for (const field of ['value', 'min', 'max'] as const) {
    const n = target[field];
    if (n !== undefined && (n < 0 || n > 1)) {
      throw invalid(`${path}.${field}`, `${path}.${field} of a share target (${target.metric}) is a ratio between 0 and 1 (0.7 for 70 %), not ${n}`);
    }
  }
}

/** A count is never below zero: a negative aim is a typing error, which no organization count could meet or miss honestly. */
function validateCountBounds(target: Target, path: string): void {
  for (const field of ['value', 'min', 'max'] as const) {
    const n = target[field];
    if (n !== undefined && n < 0) {
      throw invalid(`${path}.${field}`, `${path}.${field} of a count target (${target.metric}) must not be negative, not ${n}`);
    }
  }
}

function requireNumber(value: unknown, path: string): asserts value is number {
  const { maxAbs } = LIMITS.targetValue;
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > maxAbs) {
    throw invalid(path, `${path} must be a number between -${maxAbs} and ${maxAbs}`);
  }
}

/**
 * A plan's id in its one spelling (style.md §16): 1–100 lower-case letters,
 * digits and "-", as the plans the project carries are named. The HTTP edge
 * lower-cases a path's id; the domain refuses any other form, so one plan
 * cannot get a second stream under another case.
 */
const PLAN_ID = /^[a-z0-9][a-z0-9-]{0,99}$/;

export function isPlanId(value: unknown): value is string {
  return typeof value === 'string' && PLAN_ID.test(value);
}

/** A plan's stream is `plan-<id>` (the one place that spells it). */
export const PLAN_STREAM_PREFIX = 'plan-';

export function planStreamId(id: string): string {
  if (!isPlanId(id)) throw invalid('id', 'id must be 1–100 lower-case letters, digits and "-"');
  return `${PLAN_STREAM_PREFIX}${id}`;
}

/** The id a `plan-<id>` stream is named by; null for any other stream. */
export function planIdOfStream(streamId: string): string | null {
  return streamId.startsWith(PLAN_STREAM_PREFIX) ? streamId.slice(PLAN_STREAM_PREFIX.length) : null;
}
