/**
 * Calendar dates in Vietnam as `YYYY-MM-DD` strings. Lexical order is
 * chronological order, so comparisons are plain string comparisons.
 */
export type LocalDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date (`2024-02-30` is not). */
export function isValidLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** "Today" is judged by the calendar in Vietnam (domain.md, "Two clocks"). */
export function todayInVietnam(now: Date = new Date()): LocalDate {
  // Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving since 1975).
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

export function yearOf(date: LocalDate): number {
  return Number(date.slice(0, 4));
}

export function maxDate(a: LocalDate, b: LocalDate): LocalDate {
  return a >= b ? a : b;
}
