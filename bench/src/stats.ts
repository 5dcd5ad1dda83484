import { mulberry32 } from '@ktt/datagen';
/** Nearest-rank percentile (p in 0..100) of a sample; the sample is not modified. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of an empty sample');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

/** Median and range of the per-run figures. */
export function spread(runs: number[]): Spread {
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs };
}

/** Milliseconds since `started` (process.hrtime.bigint()). */
export function msSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Deterministic generator (the demo's mulberry32): every run asks the same questions. */
export const seededRandom = mulberry32;

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** A calendar date (YYYY-MM-DD) drawn uniformly between two dates, inclusive. */
export function randomDate(random: () => number, from: string, to: string): string {
  const start = Date.parse(`${from}T00:00:00Z`);
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - start) / 86_400_000);
  return new Date(start + Math.floor(random() * (days + 1)) * 86_400_000).toISOString().slice(0, 10);
}
