import { isValidLocalDate } from './local-date';

/**
 * RFC 3339 timestamps (api.md, "Conventions"): `2026-01-15T08:00:00.000Z` or
 * with an offset; seconds required, fractions optional. Week dates
 * (`2025-W01-1`), ordinal dates (`2025-001`), bare years and times without an
 * offset are refused: ISO 8601 allows them, but a database or another client
 * reads them differently (a time without an offset takes the server's zone).
 */
const RFC_3339 = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** Earliest and latest instants answered: the calendar's own bounds (dates are 1900–9999). */
const EARLIEST = Date.UTC(1900, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * The instant of an RFC 3339 timestamp as UTC with milliseconds
 * (`2026-01-15T01:00:00.000Z`), or null when it is not one (or names no real
 * date or time: `2026-02-30T…`, `24:00:00`, an offset beyond ±23:59).
 */
export function parseTimestamp(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = RFC_3339.exec(value);
  if (!match) return null;
  const [, date, hours, minutes, seconds, , sign, offsetHours, offsetMinutes] = match;
  if (!isValidLocalDate(date) || Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) return null;
  if (sign !== undefined && (Number(offsetHours) > 23 || Number(offsetMinutes) > 59)) return null;
  const time = Date.parse(value.toUpperCase());
  if (Number.isNaN(time) || time < EARLIEST || time > LATEST) return null;
  return new Date(time).toISOString();
}

export function isTimestamp(value: unknown): value is string {
  return parseTimestamp(value) !== null;
}

/**
 * An inclusive upper bound in recorded time (`knownAt`): a timestamp, or a
 * bare `YYYY-MM-DD` that means the end of that day in Vietnam (UTC+7, no
 * daylight saving), as api.md keeps it. Answered as UTC with milliseconds;
 * null when it is neither.
 */
export function parseKnownAt(value: unknown): string | null {
  if (isValidLocalDate(value)) return parseTimestamp(`${value}T23:59:59.999+07:00`);
  return parseTimestamp(value);
}
