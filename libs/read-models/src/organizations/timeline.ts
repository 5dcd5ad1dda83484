import { ratingLapsesOn, stateAsOf, type OrganizationHistory, type OrganizationState } from '@ktt/domain';

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
 * date gives every range (ties, back-dating and which rating is in force are
 * the domain's rules, not repeated here). A lapse date where nothing changes
 * (the lapsed rating was no longer the one in force) opens no range, so the
 * rows are those of the changes alone. Pure: a rebuild writes what the live
 * projector wrote.
 */
export function computeTimeline(history: OrganizationHistory): TimelineSegment[] {
  const eventDates = new Set([history.registeredOn, ...history.events.map((event) => event.data.effectiveOn)]);
  const lapseDates = history.events.flatMap((event) => (event.type === 'OrganizationRated' ? [ratingLapsesOn(event.data.year)] : []));
  const dates = [...new Set([...eventDates, ...lapseDates])].filter((date) => date >= history.registeredOn).sort();
  const segments: TimelineSegment[] = [];
  for (const from of dates) {
    const state = stateAsOf(history, from);
    if (!state) continue;
    const last = segments.at(-1);
    // No event is effective on a lapse-only date, so only the rating can differ there.
    if (last && !eventDates.has(from) && sameRating(last.state.rating, state.rating)) continue;
    if (last) last.to = from;
    segments.push({ from, to: null, state });
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
