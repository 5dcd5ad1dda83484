import { ratingLapsesOn, statesAsOf, type LocalDate, type OrganizationHistory, type OrganizationState } from '@ktt/domain';

export interface TimelineSegment {
  /** Inclusive start; `to` exclusive, null = open-ended. */
  from: string;
  to: string | null;
  state: OrganizationState;
}

export interface MembershipRange {
  unionId: string;
  cooperativeId: string;
  from: string;
  to: string | null;
  /** The union's seat unit over the range (memberships count in the union's territory). */
  unionUnit: string;
}

/**
 * An organization's state over effective-date ranges: it can only change on
 * a date some event is effective or a rating lapses (domain.md, "Ratings":
 * `ratingLapsesOn`), so evaluating the domain's own `stateAsOf` at each such
 * date gives every range (`statesAsOf`: the same at each date, in one replay; ties, back-dating and which rating is in force are
 * the domain's rules, not repeated here). A lapse date where nothing changes
 * (the lapsed rating was no longer the one in force) opens no range, so the
 * rows are those of the changes alone. Pure: a rebuild writes what the live
 * projector wrote.
 */
export function computeTimeline(history: OrganizationHistory): TimelineSegment[] {
  return timelineFrom(history, [], '');
}

/**
 * The timeline of `history` when it is `previous` (the timeline of the same
 * stream without its last facts) plus facts in force appended at its end, none
 * effective before `changedFrom`: the ranges before that date are kept and only
 * the dates from it on are evaluated again. Why that is exact (timeline-fold.property.spec.ts
 * checks it against `computeTimeline` on random histories): `stateAsOf` at a date
 * before `changedFrom` filters the new facts out (effective date > asOf) and
 * `ratingInForce` skips them the same way, so the state at every earlier date is
 * unchanged; the only earlier date the new facts can add is a new rating's lapse
 * date (a late decision about an old year), where the state is the one in force
 * just before it, so it opens no range. A correction or a registration rewrites the
 * facts in force themselves: the caller computes those versions whole.
 * `previous` is not modified; its segments before `changedFrom` are shared.
 */
export function extendTimeline(previous: readonly TimelineSegment[], history: OrganizationHistory, changedFrom: LocalDate): TimelineSegment[] {
  let kept = 0;
  while (kept < previous.length && previous[kept].from < changedFrom) kept++;
  if (kept === 0) return computeTimeline(history);
  const segments = previous.slice(0, kept);
  // The last range kept gets a new end (or none): a copy, so the previous version's ranges stay as they were.
  segments[kept - 1] = { ...segments[kept - 1], to: null };
  return timelineFrom(history, segments, changedFrom);
}

/** `segments`: the timeline before `since`, already computed; the dates from `since` on are evaluated and appended. */
function timelineFrom(history: OrganizationHistory, segments: TimelineSegment[], since: LocalDate): TimelineSegment[] {
  const from = since > history.registeredOn ? since : history.registeredOn;
  // Only dates from `from` on are evaluated, so only those are needed of both sets.
  const eventDates = new Set<LocalDate>();
  if (history.registeredOn >= from) eventDates.add(history.registeredOn);
  for (const event of history.events) if (event.data.effectiveOn >= from) eventDates.add(event.data.effectiveOn);
  const dates = new Set<LocalDate>(eventDates);
  for (const event of history.events) {
    if (event.type === 'OrganizationRated') {
      const lapse = ratingLapsesOn(event.data.year);
      if (lapse >= from) dates.add(lapse);
    }
  }
  const ascending = [...dates].sort();
  const states = statesAsOf(history, ascending); // stateAsOf at each date, in one replay
  for (let k = 0; k < ascending.length; k++) {
    const date = ascending[k];
    const state = states[k];
    if (!state) continue;
    const last = segments.at(-1);
    // No event is effective on a lapse-only date, so only the rating can differ there.
    if (last && !eventDates.has(date) && sameRating(last.state.rating, state.rating)) continue;
    if (last) last.to = date;
    segments.push({ from: date, to: null, state });
  }
  return segments;
}

function sameRating(a: OrganizationState['rating'], b: OrganizationState['rating']): boolean {
  return a === b || (a !== null && b !== null && a.rating === b.rating && a.year === b.year && a.ratedOn === b.ratedOn);
}

/**
 * A union's memberships as ranges, adjacent ranges of one cooperative merged
 * while the union's seat stays in one unit: a relocation of the union ends
 * its memberships' ranges and opens them again in its new unit.
 */
export function membershipRanges(unionId: string, segments: TimelineSegment[]): MembershipRange[] {
  const ranges: MembershipRange[] = [];
  const open = new Map<string, MembershipRange>();
  for (const segment of segments) {
    const present = new Set(segment.state.memberCooperativeIds);
    const unit = segment.state.formerProvinceCode;
    for (const [cooperativeId, range] of open) {
      if (!present.has(cooperativeId) || range.unionUnit !== unit) {
        range.to = segment.from;
        open.delete(cooperativeId);
      }
    }
    for (const cooperativeId of present) {
      if (open.has(cooperativeId)) continue;
      const range = { unionId, cooperativeId, from: segment.from, to: null, unionUnit: unit };
      open.set(cooperativeId, range);
      ranges.push(range);
    }
  }
  return ranges;
}

/** Lower-case, without diacritics (đ → d): "Hợp tác xã" and "hop tac xa" match alike. */
export function searchText(...parts: string[]): string {
  const key = parts.join('\u0000');
  let text = searchTexts.get(key);
  if (text === undefined) {
    // Every version of an organization's timeline repeats its name: remembered, not normalised again (rebuild profile).
    if (searchTexts.size >= 10_000) searchTexts.clear();
    text = foldText(parts);
    searchTexts.set(key, text);
  }
  return text;
}

const searchTexts = new Map<string, string>();

function foldText(parts: string[]): string {
  return parts
    .join(' ')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}
