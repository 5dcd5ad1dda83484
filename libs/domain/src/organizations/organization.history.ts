import { assertNever } from '../common/assert-never';
import type { LocalDate } from '../common/local-date';
import { seatUnit, type OrganizationEvent, type OrganizationRegistered } from './organization.events';
import type { OrganizationKind, OrganizationStatus } from './organization.types';

/**
 * The fold of one organization's stream that decisions and as-of queries need.
 * Attributes are not folded into "current values": they are judged per
 * effective date (see `stateAsOf`), so the whole list of events is kept, in
 * recorded order. Only what the rules consult directly is summarised.
 */
export interface OrganizationHistory {
  readonly id: string;
  readonly kind: OrganizationKind;
  readonly registeredOn: LocalDate;
  readonly registration: OrganizationRegistered['data'];
  /** Effective date of the dissolution, if one is recorded. */
  readonly dissolvedOn: LocalDate | null;
  /**
   * The state after the latest lifecycle event. Lifecycle events may not be
   * dated before the latest one, so recorded order is also effective order and
   * "the latest" needs no sorting. Registration counts as `active` from `registeredOn`.
   */
  readonly lifecycle: { readonly status: OrganizationStatus; readonly effectiveOn: LocalDate };
  /**
   * The facts in force, in recorded order (registration first): the stream
   * without retracted events and corrections, each correction's replacement
   * in the correction's place.
   */
  readonly events: readonly OrganizationEvent[];
  /** Every event of the stream by revision, corrections and retracted events included. */
  readonly recorded: readonly OrganizationEvent[];
  /** Revisions retracted by a correction. */
  readonly retracted: ReadonlySet<number>;
}

type LifecycleEvent = Extract<
  OrganizationEvent,
  { type: 'OrganizationSuspended' | 'OrganizationFoundDormant' | 'OrganizationResumed' | 'OrganizationDissolved' }
>;

/** The status each lifecycle event leaves the organization in (registration leaves it active). */
export const STATUS_AFTER: Record<LifecycleEvent['type'], OrganizationStatus> = {
  OrganizationSuspended: 'suspended',
  OrganizationFoundDormant: 'dormant',
  OrganizationResumed: 'active',
  OrganizationDissolved: 'dissolved',
};

export function evolve(history: OrganizationHistory | null, event: OrganizationEvent): OrganizationHistory {
  if (event.type === 'OrganizationRegistered') return registered(history, event);
  if (history === null) {
    throw new Error(`Corrupt stream: ${event.type} for ${event.data.organizationId} before its registration`);
  }
  if (event.type === 'RecordCorrected') return corrected(history, event);
  return withFact({ ...history, recorded: [...history.recorded, event] }, event);
}

/** Adds a fact in force and the summary it changes. */
function withFact(history: OrganizationHistory, event: Exclude<OrganizationEvent, { type: 'RecordCorrected' }>): OrganizationHistory {
  const next = { ...history, events: [...history.events, event] };
  switch (event.type) {
    case 'OrganizationRegistered':
      throw new Error(`Corrupt stream: ${history.id} registered twice`);
    case 'OrganizationSuspended':
    case 'OrganizationFoundDormant':
    case 'OrganizationResumed':
      return { ...next, lifecycle: lifecycleAfter(event) };
    case 'OrganizationDissolved':
      return { ...next, dissolvedOn: event.data.effectiveOn, lifecycle: lifecycleAfter(event) };
    case 'OrganizationRated':
    case 'MemberCountChanged':
    case 'ProfileChanged':
    case 'CooperativeJoinedUnion':
    case 'CooperativeLeftUnion':
    case 'OrganizationRelocated':
      return next;
    default:
      return assertNever(event);
  }
}

function lifecycleAfter(event: LifecycleEvent): OrganizationHistory['lifecycle'] {
  return { status: STATUS_AFTER[event.type], effectiveOn: event.data.effectiveOn };
}

/**
 * A correction: the facts in force are folded again without the retracted
 * event (and with the replacement in the correction's place), so the summary
 * (lifecycle, dissolution) follows too.
 */
function corrected(history: OrganizationHistory, correction: Extract<OrganizationEvent, { type: 'RecordCorrected' }>): OrganizationHistory {
  const recorded = [...history.recorded, correction];
  const retracted = new Set(history.retracted).add(correction.data.retractedRevision);
  let rebuilt = registered(null, recorded[0] as OrganizationRegistered);
  recorded.forEach((event, revision) => {
    if (revision === 0 || retracted.has(revision)) return;
    if (event.type === 'RecordCorrected') {
      const replacement = event.data.replacement as OrganizationEvent | null;
      if (replacement && replacement.type !== 'RecordCorrected' && replacement.type !== 'OrganizationRegistered') {
        rebuilt = withFact(rebuilt, replacement);
      }
      return;
    }
    if (event.type === 'OrganizationRegistered') throw new Error(`Corrupt stream: ${history.id} registered twice`);
    rebuilt = withFact(rebuilt, event);
  });
  return { ...rebuilt, recorded, retracted };
}

/** Events in recorded order; null for an empty stream. */
export function foldHistory(events: readonly OrganizationEvent[]): OrganizationHistory | null {
  return events.reduce<OrganizationHistory | null>(evolve, null);
}

function registered(history: OrganizationHistory | null, event: OrganizationRegistered): OrganizationHistory {
  if (history !== null) {
    throw new Error(`Corrupt stream: ${history.id} registered twice`);
  }
  const { data } = event;
  return {
    id: data.organizationId,
    kind: data.kind,
    registeredOn: data.effectiveOn,
    registration: data,
    dissolvedOn: null,
    lifecycle: { status: 'active', effectiveOn: data.effectiveOn },
    events: [event],
    recorded: [event],
    retracted: new Set(),
  };
}

/** Where the seat is from a date on: as its record (registration or relocation) names it, and its unit (`seatUnit`). */
export interface Seat {
  provinceCode: string;
  formerProvinceCode: string | null;
  unit: string;
  /** The effective date of the record that put the seat there. */
  effectiveOn: LocalDate;
}

/**
 * The seat on `date` (null before registration): the relocation in force with the greatest
 * effective date ≤ `date` (of two on one day, the one recorded later), else the registration's.
 */
export function seatOn(history: OrganizationHistory, date: LocalDate): Seat | null {
  if (date < history.registeredOn) return null;
  let seat = seatOf(history.registration);
  for (const event of history.events) {
    if (event.type !== 'OrganizationRelocated' || event.data.effectiveOn > date || event.data.effectiveOn < seat.effectiveOn) continue;
    seat = seatOf(event.data);
  }
  return seat;
}

/** The seat's unit on `date` (see `seatOn`); null before registration. */
export function seatUnitOn(history: OrganizationHistory, date: LocalDate): string | null {
  return seatOn(history, date)?.unit ?? null;
}

/** The latest relocation in force by effective date (null when the seat never moved). */
export function lastRelocationOn(history: OrganizationHistory): LocalDate | null {
  let latest: LocalDate | null = null;
  for (const event of history.events) {
    if (event.type === 'OrganizationRelocated' && (latest === null || event.data.effectiveOn > latest)) latest = event.data.effectiveOn;
  }
  return latest;
}

function seatOf(data: { provinceCode: string; formerProvinceCode?: string | null; effectiveOn: LocalDate }): Seat {
  return { provinceCode: data.provinceCode, formerProvinceCode: data.formerProvinceCode ?? null, unit: seatUnit(data), effectiveOn: data.effectiveOn };
}
