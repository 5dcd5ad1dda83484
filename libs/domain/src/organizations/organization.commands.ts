import type { LocalDate } from '../common/local-date';
import type { DissolutionMode, OrganizationKind, ProfileFields, Rating, Sector } from './organization.types';

/** Commands are what a registrar asks for; `decide` turns them into events or refuses them. */
export type OrganizationCommand =
  | RegisterOrganization
  | RateOrganization
  | ChangeMemberCount
  | ChangeProfile
  | SuspendOrganization
  | FindOrganizationDormant
  | ResumeOrganization
  | DissolveOrganization
  | JoinUnion
  | LeaveUnion
  | RelocateOrganization
  | CorrectRecord;

/** The profile, where given; a field not given (or null) is recorded as unknown. */
export interface RegisterOrganization extends ProfileFields {
  type: 'RegisterOrganization';
  organizationId: string;
  kind: OrganizationKind;
  name: string;
  registrationNumber: string;
  provinceCode: string;
  /** Required where `provinceCode` names a merged province on `registeredOn` (domain.md, "Administrative units"). */
  formerProvinceCode?: string | null;
  sector: Sector;
  registeredOn: LocalDate;
  memberCount?: number;
  memberCooperativeIds?: string[];
}

export interface RateOrganization {
  type: 'RateOrganization';
  organizationId: string;
  rating: Rating;
  year: number;
  ratedOn: LocalDate;
}

export interface ChangeMemberCount {
  type: 'ChangeMemberCount';
  organizationId: string;
  memberCount: number;
  effectiveOn: LocalDate;
}

/** Only the fields given change (null: back to unknown); at least one is given. */
export interface ChangeProfile extends ProfileFields {
  type: 'ChangeProfile';
  organizationId: string;
  effectiveOn: LocalDate;
}

export interface SuspendOrganization {
  type: 'SuspendOrganization';
  organizationId: string;
  effectiveOn: LocalDate;
  reason: string;
  until?: LocalDate;
  /** Document reference of the suspension notice (schema v2 of OrganizationSuspended). */
  noticeRef?: string;
}

export interface FindOrganizationDormant {
  type: 'FindOrganizationDormant';
  organizationId: string;
  effectiveOn: LocalDate;
  finding: string;
}

export interface ResumeOrganization {
  type: 'ResumeOrganization';
  organizationId: string;
  effectiveOn: LocalDate;
}

export interface DissolveOrganization {
  type: 'DissolveOrganization';
  organizationId: string;
  effectiveOn: LocalDate;
  mode: DissolutionMode;
  decisionRef: string;
}

/** `organizationId` is the union's: the union owns its membership. */
export interface JoinUnion {
  type: 'JoinUnion';
  organizationId: string;
  cooperativeId: string;
  effectiveOn: LocalDate;
}

export interface LeaveUnion {
  type: 'LeaveUnion';
  organizationId: string;
  cooperativeId: string;
  effectiveOn: LocalDate;
}

/** Moves the seat to `provinceCode` (and, in a merged province, the former territory `formerProvinceCode`) from `effectiveOn`. */
export interface RelocateOrganization {
  type: 'RelocateOrganization';
  organizationId: string;
  provinceCode: string;
  formerProvinceCode?: string | null;
  effectiveOn: LocalDate;
}

/**
 * Retracts one event of this organization's history (auditors and admins).
 * `replacement` holds the fields of the command that would have recorded the
 * right fact (for a rating: `{ rating, year, ratedOn }`), judged by the same
 * rules against the history without the retracted event.
 */
export interface CorrectRecord {
  type: 'CorrectRecord';
  organizationId: string;
  retractedEventId: string;
  /** Found by the handler from the event id. */
  retractedRevision: number;
  reason: string;
  replacement?: Record<string, unknown>;
}
