import fc from 'fast-check';
import { aCooperative } from '@ktt/testing/builders';
import { RATINGS, type Rating } from '../organization.types';
import { stateAsOf } from '../organization.state';

/**
 * domain.md, "Ratings", over random sets of ratings recorded in random order: the rating in force
 * at X is, among those with ratedOn ≤ X, the one of the greatest year; of several for that year, the
 * latest ratedOn; of several on that day, the one recorded later; and none once that one's year
 * is more than two years past (from 1 January of year + 3). The reference below reads the rule
 * literally: sort every candidate, take the first, check its lapse with date arithmetic.
 */
const REGISTERED = '2015-01-01';
const dayAfter2015 = (n: number) => new Date(Date.UTC(2015, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
const day = fc.integer({ min: 0, max: 365 * 13 }).map(dayAfter2015);

interface Decision {
  rating: Rating;
  ratedOn: string;
  /** How many years before ratedOn's year the assessed year is (0–4; never before registration). */
  back: number;
}

const decision: fc.Arbitrary<Decision> = fc.record({
  rating: fc.constantFrom(...RATINGS),
  // Few distinct days, so ties of year and of day happen often.
  ratedOn: fc.oneof(day, fc.constantFrom('2019-12-20', '2020-12-20', '2021-12-31', '2022-01-01')),
  back: fc.integer({ min: 0, max: 4 }),
});

function yearOf(d: Decision): number {
  return Math.max(2015, Number(d.ratedOn.slice(0, 4)) - d.back);
}

function reference(decisions: Decision[], asOf: string) {
  const candidates = decisions
    .map((d, recorded) => ({ rating: d.rating, year: yearOf(d), ratedOn: d.ratedOn, recorded }))
    .filter((c) => c.ratedOn <= asOf)
    .sort((a, b) => b.year - a.year || (a.ratedOn < b.ratedOn ? 1 : a.ratedOn > b.ratedOn ? -1 : 0) || b.recorded - a.recorded);
  const best = candidates[0];
  if (!best) return null;
  // In force through 31 December of year + 2.
  if (asOf > `${best.year + 2}-12-31`) return null;
  return { rating: best.rating, year: best.year, ratedOn: best.ratedOn };
}

describe('the rating in force, over random ratings (domain.md, "Ratings")', () => {
  it('is the reference reading of the rule at every date', () => {
    fc.assert(
      fc.property(fc.array(decision, { maxLength: 8 }), fc.array(day, { minLength: 1, maxLength: 10 }), (decisions, dates) => {
        const coop = aCooperative({ effectiveOn: REGISTERED });
        for (const d of decisions) coop.rated(d.rating, yearOf(d), d.ratedOn);
        const history = coop.history();
        // The dates asked include every lapse boundary and the day before it.
        const asked = [...dates, ...decisions.flatMap((d) => [`${yearOf(d) + 2}-12-31`, `${yearOf(d) + 3}-01-01`, d.ratedOn])];
        for (const asOf of asked) expect(stateAsOf(history, asOf)?.rating ?? null).toEqual(reference(decisions, asOf));
      }),
      { numRuns: 1000 },
    );
  });
});
