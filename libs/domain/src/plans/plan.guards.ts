import { LIMITS } from '../common/limits';
import { invalid, optionalText, type TextRule } from '../common/validation';
import { targetKey } from './plan.history';
import { validateTarget, type Target } from './plan.types';

export function validateTargets(targets: unknown, { allowEmpty }: { allowEmpty: boolean }): asserts targets is Target[] {
  if (!Array.isArray(targets) || (!allowEmpty && targets.length === 0)) {
    throw invalid('targets', allowEmpty ? 'targets must be a list' : 'A plan sets at least one target');
  }
  if (targets.length > LIMITS.planTargets.max) throw invalid('targets', `A plan sets at most ${LIMITS.planTargets.max} targets`);
  targets.forEach((target: Target, index) => validateTarget(target, `targets[${index}]`));
  // A target is identified by its metric and deadline (domain.md, "Targets"): the baseline of one an amendment
  // adds and a series point's expected value (`<planId>/<metric>/<deadline>`) are keyed so, and a second target
  // on the same pair would be answered in progress but silently lost there.
  const seen = new Map<string, number>();
  targets.forEach((target: Target, index) => {
    const first = seen.get(targetKey(target));
    if (first !== undefined) {
      throw invalid(`targets[${index}]`, `targets[${index}] repeats the target on ${target.metric} with deadline ${target.deadline} (targets[${first}]); a plan holds one target per metric and deadline (a range is one "between" target)`);
    }
    seen.set(targetKey(target), index);
  });
}

/** An optional text (null = none); returned normalised, as it is recorded. */
export function validateOptionalText<T extends null | undefined>(value: string | T, path: string, rule: TextRule): string | T {
  return optionalText(value, path, rule);
}
