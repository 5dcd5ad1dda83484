import { assertNever } from '../common/assert-never';
import type { LocalDate } from '../common/local-date';
import { seatUnit, type OrganizationEvent } from './organization.events';
import { STATUS_AFTER, type OrganizationHistory } from './organization.history';
import { PROFILE_FLAG_NAMES, type OrganizationState } from './organization.types';
import { ratingInForce } from './rating/rating-in-force';

/**
 * The organization as of `asOf` (effective dates ≤ asOf), or null before its
 * registration. Events are replayed in effective-date order; `Array#sort` is
 * stable, so of two events with the same effective date the one recorded later
 * is applied later and wins. Hence, per attribute, the change with the
 * greatest effective date ≤ asOf holds, and a back-dated change between two
 * later ones holds only until the next. The rating is the exception: the one
 * of the newest assessed year holds, until it lapses (`ratingInForce`).
 */
export function stateAsOf(history: OrganizationHistory, asOf: LocalDate): OrganizationState | null {
  if (history.registeredOn > asOf) return null;
  const inForce = history.events
    .filter((event) => event.data.effectiveOn <= asOf)
    .sort((a, b) => compareDates(a.data.effectiveOn, b.data.effectiveOn));
  const replay = inForce.reduce(apply, initialReplay(history));
  // Not "the latest change wins" like the other attributes: the newest assessed year wins, and lapses.
  replay.state.rating = ratingInForce(history.events, asOf);
  return finish(replay);
}

/**
 * `stateAsOf` at each of `dates` (ascending), in one replay: the facts in force at a date, in the stable
 * effective-date order `stateAsOf` replays them in, are a prefix of all the facts in that order, so each
 * date applies only the facts effective since the date before, to the same replay. (The timeline asks
 * for every date some fact is effective or a rating lapses: refiltering and resorting the facts for each
 * was the largest part of a rebuild's fold, with the garbage it left.) The rating is judged per date as
 * there. The property spec of the timeline fold holds it to `stateAsOf` on random histories.
 */
export function statesAsOf(history: OrganizationHistory, dates: readonly LocalDate[]): (OrganizationState | null)[] {
  const ordered = [...history.events].sort((a, b) => compareDates(a.data.effectiveOn, b.data.effectiveOn));
  const replay = initialReplay(history);
  let applied = 0;
  let previous: LocalDate | null = null;
  return dates.map((asOf) => {
    if (previous !== null && asOf < previous) throw new Error(`statesAsOf: dates must ascend (${asOf} after ${previous})`);
    previous = asOf;
    if (history.registeredOn > asOf) return null;
    while (applied < ordered.length && ordered[applied].data.effectiveOn <= asOf) apply(replay, ordered[applied++]);
    replay.state.rating = ratingInForce(history.events, asOf);
    return finish(replay);
  });
}

interface Replay {
  state: OrganizationState;
  members: Set<string>;
}

function initialReplay(history: OrganizationHistory): Replay {
  const r = history.registration;
  const state: OrganizationState = {
    id: history.id,
    kind: r.kind,
    name: r.name,
    registrationNumber: r.registrationNumber,
    provinceCode: r.provinceCode,
    formerProvinceCode: seatUnit(r),
    sector: r.sector,
    status: 'active',
    registeredOn: r.effectiveOn,
    dissolvedOn: null,
    memberCount: r.memberCount,
    rating: null,
    managers: r.managers ? { ...r.managers } : null,
    directorTrained: r.directorTrained,
    valueChain: r.valueChain,
    highTech: r.highTech,
    enterpriseLinked: r.enterpriseLinked,
    digitalAdoption: r.digitalAdoption,
    memberCooperativeIds: [],
  };
  return { state, members: new Set(r.memberCooperativeIds) };
}

function apply(replay: Replay, event: OrganizationEvent): Replay {
  const { state, members } = replay;
  switch (event.type) {
    case 'OrganizationRegistered':
      return replay;
    case 'OrganizationRated': // judged apart, by `ratingInForce`
      return replay;
    case 'MemberCountChanged':
      state.memberCount = event.data.memberCount;
      return replay;
    case 'ProfileChanged':
      applyProfile(state, event.data);
      return replay;
    case 'OrganizationSuspended':
    case 'OrganizationFoundDormant':
    case 'OrganizationResumed':
      state.status = STATUS_AFTER[event.type];
      return replay;
    case 'OrganizationDissolved':
      state.status = STATUS_AFTER[event.type];
      state.dissolvedOn = event.data.effectiveOn;
      return replay;
    case 'OrganizationRelocated':
      state.provinceCode = event.data.provinceCode;
      state.formerProvinceCode = seatUnit(event.data);
      return replay;
    case 'CooperativeJoinedUnion':
      members.add(event.data.cooperativeId);
      return replay;
    case 'RecordCorrected': // never among the facts in force: evolve puts its replacement there instead
      return replay;
    case 'CooperativeLeftUnion':
      members.delete(event.data.cooperativeId);
      return replay;
    default:
      return assertNever(event);
  }
}

function applyProfile(state: OrganizationState, change: Extract<OrganizationEvent, { type: 'ProfileChanged' }>['data']) {
  // undefined: not given, unchanged; null: back to unknown.
  if (change.managers !== undefined) state.managers = change.managers === null ? null : { ...change.managers };
  for (const flag of PROFILE_FLAG_NAMES) {
    const value = change[flag];
    if (value !== undefined) state[flag] = value;
  }
}

/** The dissolution of either side ends a membership; the union's own ends them all. */
function finish({ state, members }: Replay): OrganizationState {
  const memberCooperativeIds = state.status === 'dissolved' ? [] : [...members].sort();
  return { ...state, memberCooperativeIds };
}

function compareDates(a: LocalDate, b: LocalDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
