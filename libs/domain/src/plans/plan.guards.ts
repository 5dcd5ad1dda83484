import { invalid, requireText } from '../common/validation';
import { validateTarget, type Target } from './plan.types';

export function validateTargets(targets: unknown, { allowEmpty }: { allowEmpty: boolean }): asserts targets is Target[] {
  if (!Array.isArray(targets) || (!allowEmpty && targets.length === 0)) {
    throw invalid('targets', allowEmpty ? 'targets must be a list' : 'A plan sets at least one target');
  }
  targets.forEach((target: Target, index) => validateTarget(target, `targets[${index}]`));
}

export function validateOptionalText(value: unknown, path: string): void {
  if (value !== undefined && value !== null) requireText(value, path, 2000);
}
