import fc from 'fast-check';
import { stateAsOf, type Rating } from '@ktt/domain';
import { aCooperative } from '@ktt/testing/builders';
import { computeTimeline } from './timeline';

const dayAfter2015 = (n: number) => new Date(Date.UTC(2015, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
const day = fc.integer({ min: 0, max: 365 * 13 }).map(dayAfter2015);
const change = fc.oneof(
  fc.record({ kind: fc.constant('rating' as const), rating: fc.constantFrom<Rating>('good', 'fair', 'average', 'weak'), on: day, back: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('members' as const), count: fc.integer({ min: 5, max: 50 }), on: day }),
  fc.record({ kind: fc.constant('profile' as const), valueChain: fc.constantFrom(true, false, null), on: day }),
);

describe('the timeline of an organization', () => {
  it('closes a rating on its lapse date (domain.md, "Ratings"): good for 2019, nothing since, is a row up to 2022-01-01', () => {
    const coop = aCooperative({ effectiveOn: '2018-03-01' }).rated('good', 2019, '2019-12-20');
    expect(computeTimeline(coop.history()).map(({ from, to, state }) => [from, to, state.rating?.year ?? null])).toEqual([
      ['2018-03-01', '2019-12-20', null],
      ['2019-12-20', '2022-01-01', 2019],
      ['2022-01-01', null, null],
    ]);
  });

  it('opens no row on the lapse date of a rating no longer in force', () => {
    const coop = aCooperative({ effectiveOn: '2018-03-01' }).rated('good', 2019, '2019-12-20').rated('fair', 2020, '2020-12-20');
    expect(computeTimeline(coop.history()).map(({ from }) => from)).toEqual(['2018-03-01', '2019-12-20', '2020-12-20', '2023-01-01']);
  });

  it('is, at every date, the state as of that date: contiguous rows, each starting where something changes', () => {
    fc.assert(
      fc.property(fc.array(change, { maxLength: 10 }), fc.array(day, { maxLength: 8 }), (changes, dates) => {
        const coop = aCooperative({ effectiveOn: '2015-01-01', memberCount: 7 });
        for (const c of changes) {
          if (c.kind === 'rating') coop.rated(c.rating, Math.max(2015, Number(c.on.slice(0, 4)) - c.back), c.on);
          else if (c.kind === 'members') coop.memberCount(c.count, c.on);
          else coop.profile({ valueChain: c.valueChain }, c.on);
        }
        const history = coop.history();
        const segments = computeTimeline(history);
        expect(segments[0].from).toBe('2015-01-01');
        expect(segments.at(-1)!.to).toBeNull();
        segments.slice(1).forEach((segment, i) => expect(segments[i].to).toBe(segment.from));
        const lapses = history.events.flatMap((e) => (e.type === 'OrganizationRated' ? [`${e.data.year + 3}-01-01`, `${e.data.year + 2}-12-31`] : []));
        for (const asOf of [...dates, ...lapses, ...segments.map((s) => s.from)]) {
          const segment = segments.find((s) => s.from <= asOf && (s.to === null || asOf < s.to));
          expect(segment?.state).toEqual(stateAsOf(history, asOf));
        }
      }),
      { numRuns: 500 },
    );
  });
});
