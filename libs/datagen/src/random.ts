import { createHash } from 'node:crypto';
import type { LocalDate } from '@ktt/domain';

/**
 * Small deterministic helpers for the demo data: a seeded PRNG (mulberry32),
 * derived per-organization streams, and calendar arithmetic on `YYYY-MM-DD`.
 * Nothing here reads the clock or Math.random, so a seed gives one history.
 */

/** mulberry32: a tiny 32-bit PRNG, good enough for synthetic data. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the parts: a 32-bit seed for a named sub-stream. */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const char of parts.join('\u0000')) {
    h ^= char.codePointAt(0) as number;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A random source with the few distributions the demo needs. */
export class Random {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  static derive(seed: number, ...parts: (string | number)[]): Random {
    return new Random(hashSeed(seed, ...parts));
  }

  float(): number {
    return this.next();
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by weight: `[[value, weight], …]`. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let r = this.next() * total;
    for (const [value, weight] of entries) {
      r -= weight;
      if (r < 0) return value;
    }
    return entries[entries.length - 1][0];
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and sigma of the log. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** A date in [from, to], both included. */
  date(from: LocalDate, to: LocalDate): LocalDate {
    return addDays(from, this.int(0, Math.max(0, daysBetween(from, to))));
  }
}

const DAY = 86_400_000;

// Day numbers (days since 1970-01-01) and back, remembered: a data set draws millions of dates
// from a few thousand distinct days, and Date's parsing and formatting were most of its drawing time.
const dayNumbers = new Map<LocalDate, number>();
const datesByDayNumber = new Map<number, LocalDate>();

function dayNumber(date: LocalDate): number {
  let day = dayNumbers.get(date);
  if (day === undefined) {
    day = Math.round(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY);
    dayNumbers.set(date, day);
  }
  return day;
}

function dateOfDayNumber(day: number): LocalDate {
  let date = datesByDayNumber.get(day);
  if (date === undefined) {
    date = new Date(day * DAY).toISOString().slice(0, 10);
    datesByDayNumber.set(day, date);
  }
  return date;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return dateOfDayNumber(dayNumber(date) + days);
}

export function daysBetween(from: LocalDate, to: LocalDate): number {
  return dayNumber(to) - dayNumber(from);
}

export function minDate(a: LocalDate, b: LocalDate): LocalDate {
  return a <= b ? a : b;
}

export function maxDate(a: LocalDate, b: LocalDate): LocalDate {
  return a >= b ? a : b;
}

/**
 * A name-based UUID (RFC 9562 version 5: SHA-1 of namespace and name), so the
 * demo's organization ids follow from the seed and two runs match exactly.
 */
export function uuidV5(name: string, namespace = DEMO_NAMESPACE): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The namespace of the demo's ids (a fixed random UUID). */
const DEMO_NAMESPACE = '6f1d2c5e-8a3b-4f0e-9c47-2b8e5d1a7c90';
