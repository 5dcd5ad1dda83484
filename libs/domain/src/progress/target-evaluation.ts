import type { LocalDate } from '../common/local-date';
import { isShareMetric, type Target, type TargetOp } from '../plans/plan.types';
import { assertNever } from '../common/assert-never';

/** One word for people (domain.md, "Status"), decided on the unrounded values. */
export const TARGET_STATUSES = ['met', 'on_track', 'near', 'behind', 'unknown'] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];

/** One target of a progress answer (api.md), before the plan id is added: the target as given, and how it stands. */
export interface TargetEvaluation extends Target {
  actual: number | null;
  met: boolean | null;
  attainment: number | null;
  onTrack: boolean | null;
  status: TargetStatus;
  baseline: number | null;
  expected: number | null;
  /** Present for `between` only: true when the actual value exceeds max. */
  aboveMax?: boolean;
}

export interface TargetEvaluationInput {
  target: Target;
  actual: number | null;
  /** The actual value on the baseline date (`adoptedOn`), with the same knownAt as the question. */
  baseline: number | null;
  /** Where the expected line starts: the plan's adoption, or the effective date of the amendment that added the target. */
  adoptedOn: LocalDate;
  asOf: LocalDate;
}

/** "Within 2 % of the expected value" (domain.md, "Status"): not on track, but not shown as far behind. */
const NEAR = 0.02;

/** The highest attainment of an unmet `more_than` target: equal to its share value is not above it. */
const MORE_THAN_UNMET_CEILING = 0.999;

/** The largest number below 1: a ratio of two close numbers can round up to 1, which would read as met. */
const BELOW_ONE = 1 - Number.EPSILON / 2;

/**
 * domain.md, "Targets": met and attainment per op, "On track" and "Status".
 * Rounds nothing. The flags never contradict each other: a met target is on
 * track, and from the deadline on, on track means met.
 */
export function evaluateTarget(input: TargetEvaluationInput): TargetEvaluation {
  const { target, actual, baseline, asOf } = input;
  const aim = aimOf(target);
  const expected = expectedValue(target.op, aim, baseline, input.adoptedOn, target.deadline, asOf);
  const met = actual === null ? null : isMet(target, aim, actual);
  const onTrack = actual === null ? null : isOnTrack(target.op, actual, expected, met as boolean, asOf >= target.deadline);
  return {
    ...targetFields(target),
    actual,
    met,
    attainment: actual === null ? null : attainmentOf(target.op, aim, actual, baseline, met as boolean),
    onTrack,
    status: statusOf(target.op, actual, met, onTrack, expected),
    baseline,
    expected,
    // Between targets always say whether the top of the range is passed; an unknown actual is not known to pass it.
    ...(target.op === 'between' ? { aboveMax: actual !== null && actual > (target.max as number) } : {}),
  };
}

/** The target's own fields, without the ones it leaves out. */
function targetFields(target: Target): Target {
  return {
    metric: target.metric,
    op: target.op,
    ...(target.value !== undefined ? { value: target.value } : {}),
    ...(target.min !== undefined ? { min: target.min } : {}),
    ...(target.max !== undefined ? { max: target.max } : {}),
    deadline: target.deadline,
    quote: target.quote,
  };
}

/**
 * The number a target aims at: its value, or the bottom of its range. "Trên 50"
 * cooperatives is 51 or more (counts are whole), so a count's `more_than` aims
 * at value + 1; a share has no next value, so it aims at the value itself.
 */
export function aimOf(target: Target): number {
  if (target.op === 'between') return target.min as number;
  const value = target.value as number;
  return target.op === 'more_than' && !isShareMetric(target.metric) ? value + 1 : value;
}

function isMet(target: Target, aim: number, actual: number): boolean {
  switch (target.op) {
    case 'at_least':
    case 'between':
      return actual >= aim;
    case 'more_than':
      // A count aims at value + 1 (aimOf); a share must pass the value itself.
      return isShareMetric(target.metric) ? actual > aim : actual >= aim;
    case 'approximately':
      // "khoảng": within 5 % below the value counts; above it always does. Judged on the ratio the attainment
      // reports, so "met" and "95 % attained" cannot disagree by a rounding of 0.95 × aim (seen with tiny shares).
      return aim <= 0 ? actual >= aim : actual / aim >= 0.95;
    case 'at_most':
      return actual <= aim;
    default:
      return assertNever(target.op);
  }
}

function attainmentOf(op: TargetOp, aim: number, actual: number, baseline: number | null, met: boolean): number | null {
  if (op === 'at_most') return atMostAttainment(aim, actual, baseline, met);
  // A ratio to a zero aim is no measure of progress (it would be Infinity or NaN, which JSON cannot carry).
  if (aim === 0) return null;
  const ratio = actual / aim;
  if (met) return ratio;
  // Equal to a share's value is not above it: an unmet "trên" never reads 100 %.
  return Math.min(ratio, op === 'more_than' ? MORE_THAN_UNMET_CEILING : BELOW_ONE);
}

/**
 * "None left" measures the way travelled from the baseline: 30 dormant down to
 * 1 is (30 − 1) ÷ (30 − 0) ≈ 97 %, not 0 %. Without a baseline above the aim
 * there is no way to measure, so aim ÷ actual (0 when the aim is 0).
 */
function atMostAttainment(aim: number, actual: number, baseline: number | null, met: boolean): number {
  if (met) return 1;
  if (baseline !== null && baseline > aim) return Math.min(Math.max(0, (baseline - actual) / (baseline - aim)), BELOW_ONE);
  // Unmet means actual > aim; an aim at or below 0 with some left is no way along it.
  return aim <= 0 ? 0 : Math.min(aim / actual, BELOW_ONE);
}

/**
 * The direction of the op against the expected line, with the two rules that
 * keep the flags consistent (both whatever the baseline): a met target is on
 * track, and from the deadline on, on track means met. Otherwise there is no
 * line to judge by before the baseline date or without a baseline (null).
 */
function isOnTrack(op: TargetOp, actual: number, expected: number | null, met: boolean, pastDeadline: boolean): boolean | null {
  if (met) return true;
  if (pastDeadline) return false;
  if (expected === null) return null;
  return op === 'at_most' ? actual <= expected : actual >= expected;
}

function statusOf(op: TargetOp, actual: number | null, met: boolean | null, onTrack: boolean | null, expected: number | null): TargetStatus {
  if (actual === null || onTrack === null) return 'unknown';
  if (met) return 'met';
  if (onTrack) return 'on_track';
  // 2,610 against an expected 2,616 is close, not as far behind as 71 % of the way.
  if (expected !== null && (op === 'at_most' ? actual <= (1 + NEAR) * expected : actual >= (1 - NEAR) * expected)) return 'near';
  return 'behind';
}

/**
 * The straight line from the baseline on the baseline date to the aim on the
 * deadline, linear in calendar days, and the aim itself from the deadline on
 * (whatever the baseline). Where the baseline already meets the aim the line is
 * flat at the aim: it never slopes away from the target. The line aims at
 * `value` (`min`), not at the 95 % that meets an "approximately" target:
 * domain.md defines the aim so, and a plan that wants another line is amended,
 * not the code.
 */
function expectedValue(
  op: TargetOp,
  aim: number,
  baseline: number | null,
  adoptedOn: LocalDate,
  deadline: LocalDate,
  asOf: LocalDate,
): number | null {
  if (asOf >= deadline) return aim;
  if (baseline === null || asOf < adoptedOn) return null;
  if (op === 'at_most' ? baseline <= aim : baseline >= aim) return aim;
  const elapsed = daysBetween(adoptedOn, asOf);
  const total = daysBetween(adoptedOn, deadline);
  return baseline + ((aim - baseline) * elapsed) / total;
}

function daysBetween(from: LocalDate, to: LocalDate): number {
  return dayNumber(to) - dayNumber(from);
}

function dayNumber(date: LocalDate): number {
  const [year, month, day] = date.split('-').map(Number);
  return Date.UTC(year, month - 1, day) / 86_400_000;
}
