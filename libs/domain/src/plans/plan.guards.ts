import { LIMITS } from '../common/limits';
import { invalid, optionalText, type TextRule } from '../common/validation';
import { validateTarget, type Target } from './plan.types';

export function validateTargets(targets: unknown, { allowEmpty }: { allowEmpty: boolean }): asserts targets is Target[] {
  if (!Array.isArray(targets) || (!allowEmpty && targets.length === 0)) {
    throw invalid('targets', allowEmpty ? 'targets must be a list' : 'A plan sets at least one target');
  }
  if (targets.length > LIMITS.planTargets.max) throw invalid('targets', `A plan sets at most ${LIMITS.planTargets.max} targets`);
  targets.forEach((target: Target, index) => validateTarget(target, `targets[${index}]`));
}

/** An optional text (null = none); returned normalised, as it is recorded. */
export function validateOptionalText<T extends null | undefined>(value: string | T, path: string, rule: TextRule): string | T {
  return optionalText(value, path, rule);
}
