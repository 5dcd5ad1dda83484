import type { LocalDate } from '../common/local-date';

export const ORGANIZATION_KINDS = ['cooperative_group', 'cooperative', 'union'] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

export const SECTORS = [
  'agriculture',
  'fisheries',
  'industry',
  'construction',
  'transport',
  'trade_services',
  'credit',
  'other',
] as const;
export type Sector = (typeof SECTORS)[number];

export const RATINGS = ['good', 'fair', 'average', 'weak'] as const;
export type Rating = (typeof RATINGS)[number];

export const STATUSES = ['active', 'suspended', 'dormant', 'dissolved'] as const;
export type OrganizationStatus = (typeof STATUSES)[number];

export const DISSOLUTION_MODES = ['voluntary', 'compulsory'] as const;
export type DissolutionMode = (typeof DISSOLUTION_MODES)[number];

export interface Managers {
  total: number;
  withDegree: number;
}

/** The profile flags of domain.md; every kind accepts them. */
export const PROFILE_FLAG_NAMES = [
  'directorTrained',
  'valueChain',
  'highTech',
  'enterpriseLinked',
  'digitalAdoption',
] as const;
export type ProfileFlagName = (typeof PROFILE_FLAG_NAMES)[number];

/**
 * An organization's whole profile: its managers and every flag, each null where unknown
 * (domain.md: an omitted flag is unknown, not false).
 */
export type Profile = { managers: Managers | null } & Record<ProfileFlagName, boolean | null>;

/**
 * Part of a profile, as a registration or a profile change gives it: only the fields given
 * (undefined = not given; null = unknown, which in a profile change sets the field back to unknown).
 */
export type ProfileFields = { managers?: Managers | null } & Partial<Record<ProfileFlagName, boolean | null>>;

/** The state of an organization as of one date (api.md, "The state of an organization"). */
export interface OrganizationState extends Profile {
  id: string;
  kind: OrganizationKind;
  name: string;
  registrationNumber: string;
  /** The province code as the seat's record (registration or latest relocation) names it. */
  provinceCode: string;
  /**
   * The seat's unit: the first-map province (before 1 July 2025) whose territory holds the seat
   * (`seatUnit` of the seat's record), always set; the province in force at a date is the one
   * holding this unit on that date's map.
   */
  formerProvinceCode: string;
  sector: Sector;
  status: OrganizationStatus;
  registeredOn: LocalDate;
  dissolvedOn: LocalDate | null;
  memberCount: number | null;
  rating: { rating: Rating; year: number; ratedOn: LocalDate } | null;
  /** Unions only: the member cooperatives in force at the date. */
  memberCooperativeIds: string[];
}

/** Minimums of Law 17/2023/QH15 (in force 1 July 2024), applied to every date (domain.md). */
export const MINIMUM_MEMBERS: Record<Exclude<OrganizationKind, 'union'>, number> = {
  cooperative: 5,
  cooperative_group: 2,
};
export const MINIMUM_FOUNDING_COOPERATIVES = 3;
