import type { LocalDate } from '../../common/local-date';
import type { OrganizationEvent } from '../organization.events';
import type { OrganizationState } from '../organization.types';

export type RatingInForce = NonNullable<OrganizationState['rating']>;

/**
 * A rating of year Y is no longer in force after 31 December of Y + 2 (domain.md, "Ratings"): one
 * yearly round may be missed, after two missed rounds the organization is unrated again. The first
 * day it no longer holds.
 */
export function ratingLapsesOn(year: number): LocalDate {
  return `${String(year + 3).padStart(4, '0')}-01-01`;
}

/**
 * The rating in force at `asOf` (domain.md, "Ratings"): among the ratings with `ratedOn` ≤ asOf,
 * the one of the greatest `year`; of several for that year, the latest `ratedOn`; of several on that
 * day, the one recorded later (`events` come in recorded order, a correction's replacement in the
 * correction's place). Null when none, or when that one has lapsed: a late decision about an old
 * year never overrides a newer year's rating, and an older year lapses no later than a newer one, so
 * when the newest has lapsed every other has too.
 */
export function ratingInForce(events: readonly OrganizationEvent[], asOf: LocalDate): RatingInForce | null {
  let best: RatingInForce | null = null;
  for (const event of events) {
    if (event.type !== 'OrganizationRated' || event.data.effectiveOn > asOf) continue;
    const candidate = { rating: event.data.rating, year: event.data.year, ratedOn: event.data.effectiveOn };
    // `>=` on the last key: of two equal in year and day, the one recorded later wins.
    if (best === null || candidate.year > best.year || (candidate.year === best.year && candidate.ratedOn >= best.ratedOn)) {
      best = candidate;
    }
  }
  return best !== null && asOf < ratingLapsesOn(best.year) ? best : null;
}
