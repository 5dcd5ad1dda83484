import type { LocalDate } from '../shared/local-date';
import type {
  DissolutionMode,
  Managers,
  OrganizationKind,
  Rating,
  Sector,
} from './organization.types';

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
  | CooperativeLeftUnion;

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
    sector: Sector;
    /** null for unions. */
    memberCount: number | null;
    /** Unions only: founding cooperatives ([] for other kinds). */
    memberCooperativeIds: string[];
    managers: Managers | null;
    directorTrained: boolean;
    valueChain: boolean;
    highTech: boolean;
    enterpriseLinked: boolean;
    digitalAdoption: boolean;
  }
>;

export type OrganizationRated = Fact<'OrganizationRated', { rating: Rating; year: number }>;

export type MemberCountChanged = Fact<'MemberCountChanged', { memberCount: number }>;

/** Only the fields given change; the others keep their values. */
export type ProfileChanged = Fact<
  'ProfileChanged',
  {
    managers?: Managers;
    directorTrained?: boolean;
    valueChain?: boolean;
    highTech?: boolean;
    enterpriseLinked?: boolean;
    digitalAdoption?: boolean;
  }
>;

export type OrganizationSuspended = Fact<'OrganizationSuspended', { reason: string; until: LocalDate | null }>;

export type OrganizationFoundDormant = Fact<'OrganizationFoundDormant', { finding: string }>;

export type OrganizationResumed = Fact<'OrganizationResumed', Record<never, never>>;

export type OrganizationDissolved = Fact<
  'OrganizationDissolved',
  { mode: DissolutionMode; decisionRef: string }
>;

/** Recorded in the union's stream: the union owns its membership. */
export type CooperativeJoinedUnion = Fact<'CooperativeJoinedUnion', { cooperativeId: string }>;

export type CooperativeLeftUnion = Fact<'CooperativeLeftUnion', { cooperativeId: string }>;

export const ORGANIZATION_EVENT_SCHEMA_VERSIONS: Record<OrganizationEventType, number> = {
  OrganizationRegistered: 1,
  OrganizationRated: 1,
  MemberCountChanged: 1,
  ProfileChanged: 1,
  OrganizationSuspended: 1,
  OrganizationFoundDormant: 1,
  OrganizationResumed: 1,
  OrganizationDissolved: 1,
  CooperativeJoinedUnion: 1,
  CooperativeLeftUnion: 1,
};

export const LIFECYCLE_EVENT_TYPES = [
  'OrganizationSuspended',
  'OrganizationFoundDormant',
  'OrganizationResumed',
  'OrganizationDissolved',
] as const satisfies readonly OrganizationEventType[];
