import fc from 'fast-check';
import type { TimelineRow } from './timeline-fold';
import { assertNoTimelineRowsOverlap, findTimelineOverlap, TimelineOverlapError } from './timeline-overlap';

/**
 * The rebuild's no-overlap check, in Node on one organization's folded rows (timeline-phase.ts):
 * the same answer as PostgreSQL's `valid && valid AND known && known` over every pair of rows,
 * with half-open ranges, open ends (null) and empty ranges as PostgreSQL has them.
 */
const ORGANIZATION = '00000000-0000-4000-8000-0000000000aa';
const T = (day: number) => `2026-01-${String(day).padStart(2, '0')}T03:00:00.000Z`;
const row = (valid: [string, string | null], known: [string, string | null]): TimelineRow => ({
  organizationId: ORGANIZATION,
  from: valid[0],
  to: valid[1],
  knownFrom: known[0],
  knownTo: known[1],
  content: { values: [] },
  version: 0,
});

describe('the no-overlap check of one organization’s timeline rows', () => {
  it('finds no overlap when rows overlap in effective time only (one range, known one after the other)', () => {
    const rows = [row(['2020-01-01', null], [T(1), T(2)]), row(['2020-01-01', null], [T(2), T(3)]), row(['2020-01-01', null], [T(3), null])];
    expect(findTimelineOverlap(rows)).toBeNull();
  });

  it('finds no overlap when rows overlap in recorded time only (one version: ranges side by side)', () => {
    const rows = [row(['2020-01-01', '2021-01-01'], [T(1), null]), row(['2021-01-01', '2022-06-01'], [T(1), null]), row(['2022-06-01', null], [T(1), null])];
    expect(findTimelineOverlap(rows)).toBeNull();
  });

  it('finds two rows that overlap in both times, whatever their order', () => {
    const a = row(['2020-01-01', '2023-01-01'], [T(1), T(5)]);
    const b = row(['2022-12-31', null], [T(4), null]);
    const others = [row(['2019-01-01', '2020-01-01'], [T(1), null]), row(['2023-01-01', null], [T(5), null])];
    expect(findTimelineOverlap([a, ...others, b])).toEqual([a, b]);
    expect(findTimelineOverlap([b, ...others, a])).toEqual([a, b]); // reported in recorded-time order
  });

  it('takes touching ranges [a,b) [b,c) for not overlapping, in either time', () => {
    expect(findTimelineOverlap([row(['2020-01-01', '2021-01-01'], [T(1), null]), row(['2021-01-01', null], [T(1), null])])).toBeNull();
    expect(findTimelineOverlap([row(['2020-01-01', null], [T(1), T(2)]), row(['2020-01-01', null], [T(2), null])])).toBeNull();
    // One day or one millisecond more is an overlap.
    expect(findTimelineOverlap([row(['2020-01-01', '2021-01-02'], [T(1), null]), row(['2021-01-01', null], [T(1), null])])).not.toBeNull();
    expect(findTimelineOverlap([row(['2020-01-01', null], [T(1), '2026-01-02T03:00:00.001Z']), row(['2020-01-01', null], [T(2), null])])).not.toBeNull();
  });

  it('takes an open end for no end, in both times', () => {
    // A range open to the future meets every later start, however far.
    expect(findTimelineOverlap([row(['2020-01-01', null], [T(1), null]), row(['2099-12-31', '2100-01-01'], ['2100-01-01T00:00:00.000Z', null])])).not.toBeNull();
    // And nothing that ends before it starts.
    expect(findTimelineOverlap([row(['2020-01-01', null], [T(3), null]), row(['2010-01-01', '2020-01-01'], [T(1), null]), row(['2020-01-01', null], [T(1), T(3)])])).toBeNull();
  });

  it('takes an empty range for overlapping nothing, as && does', () => {
    expect(findTimelineOverlap([row(['2020-01-01', '2020-01-01'], [T(1), null]), row(['2019-01-01', null], [T(1), null])])).toBeNull();
    expect(findTimelineOverlap([row(['2020-01-01', null], [T(2), T(2)]), row(['2019-01-01', null], [T(1), null])])).toBeNull();
  });

  it('throws the error of the SQL check: 23P01, naming the organization and both rows', () => {
    const rows = [row(['2020-01-01', null], [T(1), null]), row(['2024-01-01', null], [T(2), null])];
    expect(() => assertNoTimelineRowsOverlap(ORGANIZATION, rows)).toThrow(TimelineOverlapError);
    expect(() => assertNoTimelineRowsOverlap(ORGANIZATION, rows)).toThrow(
      expect.objectContaining({
        code: '23P01',
        organizationId: ORGANIZATION,
        message: `timeline rows of organization ${ORGANIZATION} overlap in effective and recorded time (valid [2020-01-01,) known [${T(1)},), valid [2024-01-01,) known [${T(2)},))`,
      }),
    );
    expect(() => assertNoTimelineRowsOverlap(ORGANIZATION, rows.slice(0, 1))).not.toThrow();
  });

  it('answers as PostgreSQL’s && over every pair would, on random rows', () => {
    // Few distinct bounds, so that shared and touching bounds are frequent; null is no end.
    const date = fc.constantFrom('2020-01-01', '2020-06-01', '2021-01-01', '2022-01-01');
    const time = fc.constantFrom(T(1), T(2), T(3), T(4));
    const range = <V extends string>(bound: fc.Arbitrary<V>) => fc.tuple(bound, fc.option(bound, { nil: null })) as fc.Arbitrary<[string, string | null]>;
    const rows = fc.array(fc.tuple(range(date), range(time)).map(([valid, known]) => row(valid, known)), { maxLength: 8 });
    // Put another way than the checker: two ranges overlap when both hold a point, and then one holds the other's start.
    const holds = (from: string, to: string | null, point: string) => from <= point && (to === null || point < to);
    const overlaps = (from: string, to: string | null, otherFrom: string, otherTo: string | null) =>
      holds(from, to, from) && holds(otherFrom, otherTo, otherFrom) && (holds(from, to, otherFrom) || holds(otherFrom, otherTo, from));
    fc.assert(
      fc.property(rows, (drawn) => {
        const pairs = drawn.flatMap((a, i) => drawn.slice(i + 1).filter((b) => overlaps(a.from, a.to, b.from, b.to) && overlaps(a.knownFrom, a.knownTo, b.knownFrom, b.knownTo)));
        const found = findTimelineOverlap(drawn);
        expect(found !== null).toBe(pairs.length > 0);
        if (found) {
          const [a, b] = found;
          expect(overlaps(a.from, a.to, b.from, b.to) && overlaps(a.knownFrom, a.knownTo, b.knownFrom, b.knownTo)).toBe(true);
          expect(a).not.toBe(b);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
