import { DomainError } from './domain-error';
import { isValidLocalDate, type LocalDate } from './local-date';

/**
 * Value checks shared by every decision. The edge (DTO schema) checks shapes
 * first; these repeat the few that the domain relies on so that `decide` never
 * records an impossible value even when called without the HTTP layer (CLI,
 * demo data, tests).
 */
export function invalid(path: string, message: string): DomainError {
  return DomainError.invalid('VALIDATION_FAILED', path, message);
}

/** A real calendar date, not after `today` ("nothing may be dated in the future"). */
export function requirePastOrToday(value: LocalDate, path: string, today: LocalDate): void {
  requireDate(value, path);
  if (value > today) {
    throw DomainError.invalid('DATE_IN_FUTURE', path, `${path} ${value} is after today (${today})`);
  }
}

export function requireDate(value: unknown, path: string): asserts value is LocalDate {
  if (!isValidLocalDate(value)) throw invalid(path, `${path} must be a calendar date YYYY-MM-DD`);
}

export function requireText(value: unknown, path: string, maxLength = 1000): asserts value is string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > maxLength) {
    throw invalid(path, `${path} must be a non-empty text of at most ${maxLength} characters`);
  }
}

export function requireInteger(value: unknown, path: string, min: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw invalid(path, `${path} must be an integer ≥ ${min}`);
  }
}

export function requireOneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  path: string,
): asserts value is T {
  if (!allowed.includes(value as T)) throw invalid(path, `${path} must be one of ${allowed.join(', ')}`);
}
