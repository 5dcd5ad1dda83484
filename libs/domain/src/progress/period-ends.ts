import type { LocalDate } from '../common/local-date';
import { invalid, requireDate, requireOneOf } from '../common/validation';

export const PERIOD_STEPS = ['month', 'quarter', 'year'] as const;
export type PeriodStep = (typeof PERIOD_STEPS)[number];

/** A hundred years of months: enough for any chart, small enough to answer quickly. */
export const MAX_PERIOD_ENDS = 1200;

const MONTHS_PER_STEP: Record<PeriodStep, number> = { month: 1, quarter: 3, year: 12 };

/**
 * The dates of a progress series (api.md, `progress/series`): the last day of
 * every calendar month, quarter or year that ends within [from, to], then
 * `to` itself when it is not such an end. The last point stands for the
 * period still under way, cut at `to`, so a chart of "2024-01-01 to today"
 * ends today instead of at the last finished month. `from` itself is not a
 * point unless it is a period end: the first point closes the period that
 * holds `from`.
 */
export function periodEnds(from: LocalDate, to: LocalDate, step: PeriodStep): LocalDate[] {
  requireDate(from, 'from');
  requireDate(to, 'to');
  requireOneOf(step, PERIOD_STEPS, 'step');
  if (from > to) throw invalid('from', `from (${from}) is after to (${to})`);

  const stepMonths = MONTHS_PER_STEP[step];
  const ends: LocalDate[] = [];
  // Months counted from year 0; the first period is the one holding `from`.
  let periodEndMonth = Math.floor(monthIndex(from) / stepMonths) * stepMonths + stepMonths - 1;
  for (let end = lastDayOf(periodEndMonth); end <= to; end = lastDayOf(periodEndMonth)) {
    pushBounded(ends, end, from, to);
    periodEndMonth += stepMonths;
  }
  if (ends[ends.length - 1] !== to) pushBounded(ends, to, from, to);
  return ends;
}

function pushBounded(ends: LocalDate[], date: LocalDate, from: LocalDate, to: LocalDate): void {
  if (ends.length === MAX_PERIOD_ENDS) {
    throw invalid('to', `from ${from} to ${to} gives more than ${MAX_PERIOD_ENDS} points; choose a shorter range or a longer step`);
  }
  ends.push(date);
}

/** Zero-based month count since January of year 0, so periods align with calendar quarters and years. */
function monthIndex(date: LocalDate): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}

function lastDayOf(monthIdx: number): LocalDate {
  const year = Math.floor(monthIdx / 12);
  const month = (monthIdx % 12) + 1;
  // Day 0 of the next month is the last day of this one (29 February in leap years).
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
