import type { LocalDate } from '../common/local-date';
import type { DissolutionMode, OrganizationKind, Profile, ProfileFields, Rating, Sector } from './organization.types';

/**
 * The facts of an organization's stream (`organization-<id>`): past tense,
 * data only, each with `effectiveOn` (when it happened in the world).
 * Schema versions live in ORGANIZATION_EVENT_SCHEMA_VERSIONS.
 */
export type OrganizationEvent =
  | OrganizationRegistered
  | OrganizationRated
  | MemberCountChanged
  | ProfileChanged
  | OrganizationSuspended
  | OrganizationFoundDormant
  | OrganizationResumed
  | OrganizationDissolved
  | CooperativeJoinedUnion
  | CooperativeLeftUnion
  | OrganizationRelocated
  | RecordCorrected;

export type OrganizationEventType = OrganizationEvent['type'];

interface Fact<Type extends string, Data> {
  type: Type;
  data: Data & { organizationId: string; effectiveOn: LocalDate };
}

export type OrganizationRegistered = Fact<
  'OrganizationRegistered',
  {
    kind: OrganizationKind;
    name: string;
    /** Normalised: trimmed, upper-case. */
    registrationNumber: string;
    provinceCode: string;
    /**
     * The first-map province (before 1 July 2025) whose former territory holds the seat, recorded
     * when `provinceCode` names a merged province on `effectiveOn` (domain.md, "Administrative
     * units"); null where the province has one unit. Absent from events recorded before the map
     * had a history: the seat's unit is then `provinceCode` (see `seatUnit`).
     */
    formerProvinceCode?: string | null;
    sector: Sector;
    /** null for unions. */
    memberCount: number | null;
    /** Unions only: founding cooperatives ([] for other kinds). */
    memberCooperativeIds: string[];
  } & Profile
>;

export type OrganizationRated = Fact<'OrganizationRated', { rating: Rating; year: number }>;

export type MemberCountChanged = Fact<'MemberCountChanged', { memberCount: number }>;

/** Only the fields given change (null: back to unknown, from v2); the others keep their values. */
export type ProfileChanged = Fact<'ProfileChanged', ProfileFields>;

/**
 * Schema v2 added `noticeRef` (the document reference of the suspension
 * notice, null when none was given); v1 events are upcast on read
 * (libs/domain/src/upcasting). Optional in the type only so that hand-built
 * test histories written before v2 still compile: every v2 event and every
 * upcast v1 event has it.
 */
export type OrganizationSuspended = Fact<
  'OrganizationSuspended',
  { reason: string; until: LocalDate | null; noticeRef?: string | null }
>;

export type OrganizationFoundDormant = Fact<'OrganizationFoundDormant', { finding: string }>;

export type OrganizationResumed = Fact<'OrganizationResumed', Record<never, never>>;

export type OrganizationDissolved = Fact<
  'OrganizationDissolved',
  { mode: DissolutionMode; decisionRef: string }
>;

/** Recorded in the union's stream: the union owns its membership. */
export type CooperativeJoinedUnion = Fact<'CooperativeJoinedUnion', { cooperativeId: string }>;

export type CooperativeLeftUnion = Fact<'CooperativeLeftUnion', { cooperativeId: string }>;

/**
 * The seat moves to another province (or, within a merged province, to another former territory)
 * from `effectiveOn` on. `formerProvinceCode` as in OrganizationRegistered: the unit when
 * `provinceCode` names a merged province on `effectiveOn`, else null.
 */
export type OrganizationRelocated = Fact<
  'OrganizationRelocated',
  { provinceCode: string; formerProvinceCode: string | null }
>;

/**
 * The first-map province whose territory holds a seat recorded as `{ provinceCode, formerProvinceCode }`
 * (a registration's or a relocation's): the former province where one is named, else the code
 * itself. It holds for every record, also old ones under a code that has ended since (domain.md,
 * "Old codes in old events"); the read models store a seat as this unit.
 */
export function seatUnit(seat: { provinceCode: string; formerProvinceCode?: string | null }): string {
  return seat.formerProvinceCode ?? seat.provinceCode;
}

/**
 * A wrong record is never deleted or edited: a correction retracts it (and
 * may put replacement facts in its place) from the moment the correction is
 * recorded. `effectiveOn` repeats the retracted event's, so the correction
 * sorts with what it corrects.
 */
export type RecordCorrected = Fact<
  'RecordCorrected',
  {
    retractedRevision: number;
    retractedEventId: string;
    retractedType: Exclude<OrganizationEventType, 'RecordCorrected' | 'OrganizationRegistered'>;
    reason: string;
    /** The fact that takes the retracted one's place, decided under the same rules; null = just retracted. */
    replacement: { type: OrganizationEventType; data: Record<string, unknown> } | null;
  }
>;

/**
 * v2 of OrganizationRegistered, ProfileChanged and RecordCorrected: profile flags (and `managers`
 * in a profile change) may be null, unknown (libs/domain/src/upcasting).
 */
export const ORGANIZATION_EVENT_SCHEMA_VERSIONS: Record<OrganizationEventType, number> = {
  OrganizationRegistered: 2,
  OrganizationRated: 1,
  MemberCountChanged: 1,
  ProfileChanged: 2,
  OrganizationSuspended: 2,
  OrganizationFoundDormant: 1,
  OrganizationResumed: 1,
  OrganizationDissolved: 1,
  CooperativeJoinedUnion: 1,
  CooperativeLeftUnion: 1,
  OrganizationRelocated: 1,
  RecordCorrected: 2,
};

/** Every organization event type, in the order a history runs (complete: the record above must name each). */
export const ORGANIZATION_EVENT_TYPES = Object.keys(ORGANIZATION_EVENT_SCHEMA_VERSIONS) as readonly OrganizationEventType[];
