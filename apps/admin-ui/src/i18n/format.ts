/**
 * Dates are shown dd/mm/yyyy whatever the language (api.md carries them as
 * YYYY-MM-DD); numbers and shares in the locale's digits grouping.
 */
import type { Locale } from './types';

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : iso;
}

/** A timestamp as dd/mm/yyyy hh:mm:ss in Vietnam's time (UTC+7, no daylight saving). */
export function formatTimestamp(iso: string | null | undefined): string {
  if (!iso) return '—';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const vietnam = new Date(time + 7 * 3600_000).toISOString();
  return `${formatDate(vietnam.slice(0, 10))} ${vietnam.slice(11, 19)}`;
}

/** dd/mm/yyyy (or d/m/yyyy) → YYYY-MM-DD; null when it is not a real calendar date. */
export function parseDate(text: string): string | null {
  const match = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text);
  if (!match) return null;
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

/** Today in Vietnam, YYYY-MM-DD (api.md: effective dates are Vietnam calendar dates): the domain's own. */
export { todayInVietnam } from '../api/types';

export function formatNumber(value: number | null | undefined, locale: Locale): string {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 2 }).format(value);
}

export function formatShare(value: number | null | undefined, locale: Locale): string {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { style: 'percent', maximumFractionDigits: 1 }).format(value);
}

/** Metrics whose name ends in `_share` are fractions 0–1 (domain.md). */
export function isShareMetric(metric: string): boolean {
  return metric.endsWith('_share');
}

export function formatMetric(metric: string, value: number | null | undefined, locale: Locale): string {
  return isShareMetric(metric) ? formatShare(value, locale) : formatNumber(value, locale);
}
