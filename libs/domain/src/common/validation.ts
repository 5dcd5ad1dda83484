import { DomainError } from './domain-error';
import { isCanonicalUuid, isUuid } from './identity';
import { LIMITS } from './limits';
import { isValidLocalDate, type LocalDate } from './local-date';

/**
 * Value checks shared by every decision (style.md §15: limits live where every
 * path passes). The edge (DTO schema) may check shapes first for its messages;
 * these are the ones no path can skip, so `decide` never records a value the
 * read models cannot hold, whether it is called from HTTP, a correction, the
 * CLI, the demo, the generator or an import.
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

export interface TextRule {
  /** Most characters (Unicode code points) once normalised. */
  max: number;
  /**
   * Line breaks (LF, CR) are allowed only in fields that say so (api.md,
   * "Conventions"): the free texts (reasons, findings, notes, quotes). Tabs
   * are allowed in none: in a register they are layout that came along with a paste.
   */
  multiline?: boolean;
}

// C0 and C1 control characters and DEL but LF and CR, which `multiline` judges.
const CONTROL = /[\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LINE_BREAK = /[\n\r]/;
// A surrogate half without its other half: not a character; PostgreSQL's jsonb refuses it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Texts are stored in Unicode NFC, trimmed (api.md, "Fields"). */
export function normalizeText(value: string): string {
  return value.normalize('NFC').trim();
}

/**
 * Why a text breaks the rule, or null when it keeps it. Judged on the
 * normalised text, as it would be stored. Shared with the HTTP edge's
 * validators and query parameters, so both say the same.
 */
export function textProblem(value: unknown, rule: TextRule): string | null {
  if (typeof value !== 'string') return 'must be a text';
  if (LONE_SURROGATE.test(value)) return 'must not contain a lone surrogate (not a Unicode character)';
  if (value.includes('\u0000')) return 'must not contain NUL';
  if (value.includes('\t')) return 'must not contain tabs';
  if (CONTROL.test(value)) return 'must not contain control characters';
  if (!rule.multiline && LINE_BREAK.test(value)) return 'must not contain line breaks';
  const normalized = normalizeText(value);
  if (normalized.length === 0) return 'must not be empty';
  const length = [...normalized].length;
  if (length > rule.max) return `must be at most ${rule.max} characters (got ${length})`;
  return null;
}

/** A text field by its rule; returns it normalised (NFC, trimmed), the form to record. */
export function requireText(value: unknown, path: string, rule: TextRule | number = LIMITS.text.reason): string {
  const problem = textProblem(value, typeof rule === 'number' ? { max: rule } : rule);
  if (problem !== null) throw invalid(path, `${path} ${problem}`);
  return normalizeText(value as string);
}

/** An optional text: undefined and null pass as they are. */
export function optionalText<T extends null | undefined>(value: string | T, path: string, rule: TextRule): string | T {
  return value === undefined || value === null ? value : requireText(value, path, rule);
}

/** An integer within [min, max]; `max` defaults to what a PostgreSQL `integer` column holds. */
export function requireInteger(value: unknown, path: string, min: number, max: number = LIMITS.int4Max): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(path, `${path} must be an integer between ${min} and ${max}`);
  }
}

export function requireOneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  path: string,
): asserts value is T {
  if (!allowed.includes(value as T)) throw invalid(path, `${path} must be one of ${allowed.join(', ')}`);
}

/**
 * An id as the domain keys on it: a UUID in lower case. An upper-case UUID is
 * refused, not silently folded: whoever let it through skipped the edge's
 * canonicalisation, and a second spelling must never name a second stream.
 */
export function requireId(value: unknown, path: string): asserts value is string {
  if (isCanonicalUuid(value)) return;
  throw invalid(path, isUuid(value) ? `${path} must be written in lower case (the canonical form of a UUID)` : `${path} must be a UUID`);
}
