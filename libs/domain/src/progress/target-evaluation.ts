import type { LocalDate } from '../common/local-date';
import type { Target, TargetOp } from '../plans/plan.types';
import { assertNever } from '../common/assert-never';

/** One target of a progress answer (api.md), before the plan id is added: the target as given, and how it stands. */
export interface TargetEvaluation extends Target {
  actual: number | null;
  met: boolean | null;
  attainment: number | null;
  onTrack: boolean | null;
  baseline: number | null;
  expected: number | null;
  /** Present for `between` only: true when the actual value exceeds max. */
  aboveMax?: boolean;
}

export interface TargetEvaluationInput {
  target: Target;
  actual: number | null;
  /** The actual value on the plan's adoption date, with the same knownAt as the question. */
  baseline: number | null;
  adoptedOn: LocalDate;
  asOf: LocalDate;
}

/** domain.md, "Targets": met and attainment per op, and "On track". Rounds nothing. */
export function evaluateTarget(input: TargetEvaluationInput): TargetEvaluation {
  const { target, actual, baseline } = input;
  const aim = aimOf(target);
  const expected = expectedValue(aim, baseline, input.adoptedOn, target.deadline, input.asOf);
  return {
    ...targetFields(target),
    actual,
    met: actual === null ? null : isMet(target, aim, actual),
    attainment: actual === null ? null : attainmentOf(target.op, aim, actual),
    onTrack: actual === null || expected === null ? null : isOnTrack(target.op, actual, expected),
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

/** The number a target aims at: its value, or the bottom of its range. */
function aimOf(target: Target): number {
  return (target.op === 'between' ? target.min : target.value) as number;
}

function isMet(target: Target, aim: number, actual: number): boolean {
  switch (target.op) {
    case 'at_least':
    case 'between':
      return actual >= aim;
    case 'more_than':
      return actual > aim;
    case 'approximately':
      // "khoảng": within 5 % below the value counts; above it always does.
      return actual >= 0.95 * aim;
    case 'at_most':
      return actual <= aim;
    default:
      return assertNever(target.op);
  }
}

function attainmentOf(op: TargetOp, aim: number, actual: number): number | null {
  if (op === 'at_most') {
    if (actual <= aim) return 1;
    // "None left" (value 0) with some left is 0 % attained. Unmet with actual 0 needs a negative
    // value, which no metric reaches; the ratio to zero is meaningless there, so null.
    return actual === 0 ? null : aim / actual;
  }
  // A ratio to a zero aim is no measure of progress (it would be Infinity or NaN, which JSON cannot carry).
  return aim === 0 ? null : actual / aim;
}

function isOnTrack(op: TargetOp, actual: number, expected: number): boolean {
  return op === 'at_most' ? actual <= expected : actual >= expected;
}

/**
 * The straight line from the baseline on the adoption date to the aim on the
 * deadline, linear in calendar days, and the aim itself from the deadline on.
 * The line aims at `value` (`min`), not at the 95 % that meets an
 * "approximately" target: domain.md defines the aim so, and a plan that wants
 * another line is amended, not the code.
 */
function expectedValue(
  aim: number,
  baseline: number | null,
  adoptedOn: LocalDate,
  deadline: LocalDate,
  asOf: LocalDate,
): number | null {
  if (baseline === null || asOf < adoptedOn) return null;
  if (asOf >= deadline) return aim;
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
