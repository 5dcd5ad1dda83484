import fc from 'fast-check';
import { days, micros } from './timeline-copy';

/**
 * The binary encoder's dates and recorded times, read without Date parsing: the same instants as
 * JavaScript's own reading of the text, and null for anything that is not exactly such a text
 * (the row then goes to PostgreSQL as text, which decides).
 */
const reference = (text: string, pattern: RegExp): number | null => {
  if (!pattern.test(text) || text < '1000') return null;
  const ms = Date.parse(text.length === 10 ? `${text}T00:00:00.000Z` : text);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, text.length) === text ? ms - Date.UTC(2000, 0, 1) : null;
};
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const pad = (n: number, width: number) => String(n).padStart(width, '0');
// Near-valid parts too: month 13, day 31 of a short month, 29 February of any year, hour 24, second 60.
const dateText = fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`);
const timeText = fc.tuple(fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 999 })).map(([h, m, s, ms]) => `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(ms, 3)}`);
const odd = fc.constantFrom('', '2024-1-01', '2024-01-1', '２０２４-01-01', '2024/01/01', '2024-01-01 ', 'x024-01-01', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00.000+00:00');

describe('dates and recorded times in COPY binary', () => {
  it('reads a date as JavaScript reads it, or declines it', () => {
    fc.assert(
      fc.property(fc.oneof(dateText, odd), (text) => {
        const expected = reference(text, DATE);
        expect(days(text)).toBe(expected === null ? null : expected / 86_400_000);
      }),
      { numRuns: 5000 },
    );
    expect(days('2000-01-01')).toBe(0);
    expect(days('1999-12-31')).toBe(-1);
    expect(days('2024-02-29')).not.toBeNull();
    expect(days('2023-02-29')).toBeNull();
    expect(days('1900-02-29')).toBeNull();
  });

  it('reads a recorded time as JavaScript reads it, or declines it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.tuple(dateText, timeText).map(([d, t]) => `${d}T${t}Z`), odd), (text) => {
        const expected = reference(text, TIMESTAMP);
        expect(micros(text)).toBe(expected === null ? null : expected * 1000);
      }),
      { numRuns: 5000 },
    );
    expect(micros('2000-01-01T00:00:00.001Z')).toBe(1000);
  });
});
