import type { ChangeProfile, DissolutionMode, LocalDate, Managers, OrganizationKind, ProfileFields, Rating, Sector } from '@ktt/domain';
import type { ProvinceVocabulary } from '../demo/demo-places';
import { uuidV5 } from '../random';
import type { DrawSettings } from './settings';

// A draft: an organization's drawn history (lifecycle steps, yearly attributes), before names, numbers and commands.

export type LifecycleStep =
  | { type: 'suspend'; date: LocalDate; reason: string; until: LocalDate }
  | { type: 'dormant'; date: LocalDate; finding: string }
  | { type: 'resume'; date: LocalDate }
  | { type: 'dissolve'; date: LocalDate; mode: DissolutionMode; decisionRef: string };

export type AttributeStep =
  | { type: 'members'; date: LocalDate; recordOn: LocalDate; memberCount: number }
  | { type: 'profile'; date: LocalDate; recordOn: LocalDate; changes: ProfileChanges }
  | { type: 'rating'; date: LocalDate; recordOn: LocalDate; rating: Rating; year: number }
  | { type: 'join'; date: LocalDate; cooperative: Draft }
  | { type: 'leave'; date: LocalDate; cooperative: Draft };

/** The seat moves to another unit (a first-map province) from `date` on: see seats.ts. */
export interface Relocation {
  date: LocalDate;
  unit: string;
}

/** The fields of a profile change: those of the domain's command. */
export type ProfileChanges = Omit<ChangeProfile, 'type' | 'organizationId' | 'effectiveOn'>;

/** The domain's profile fields, every one given (null where unknown). */
export type Profile = Required<Omit<ProfileFields, 'managers'>> & { managers: Managers | null };

export interface Draft {
  settings: DrawSettings;
  key: string;
  id: string;
  kind: OrganizationKind;
  vocabulary: ProvinceVocabulary;
  sector: Sector;
  district: string;
  baseName: string;
  name: string;
  registrationNumber: string;
  registeredOn: LocalDate;
  memberCount: number | null;
  profile: Profile;
  founders: Draft[];
  lifecycle: LifecycleStep[];
  attributes: AttributeStep[];
  /** Moves of the seat, in date order; the seat is in `vocabulary.provinceCode` until the first. */
  relocations: Relocation[];
  dissolvedOn: LocalDate | null;
}

export function dissolvedOn(lifecycle: LifecycleStep[]): LocalDate | null {
  return lifecycle.find((step) => step.type === 'dissolve')?.date ?? null;
}

export function statusOn(draft: Draft, date: LocalDate): 'active' | 'suspended' | 'dormant' | 'dissolved' {
  let status: 'active' | 'suspended' | 'dormant' | 'dissolved' = 'active';
  for (const step of draft.lifecycle) {
    if (step.date > date) break;
    status = step.type === 'suspend' ? 'suspended' : step.type === 'dormant' ? 'dormant' : step.type === 'resume' ? 'active' : 'dissolved';
  }
  return status;
}

export function existsOn(draft: Draft, date: LocalDate): boolean {
  return draft.registeredOn <= date && (draft.dissolvedOn === null || draft.dissolvedOn > date);
}

/** An attribute change may be dated from the later of registration and the history's start, and before the dissolution. */
export function attributeDateOk(draft: Draft, date: LocalDate): boolean {
  return date > draft.registeredOn && date >= draft.settings.historyFrom && (draft.dissolvedOn === null || date < draft.dissolvedOn);
}

export function emptyDraft(settings: DrawSettings, key: string, kind: OrganizationKind, vocabulary: ProvinceVocabulary): Draft {
  return {
    settings,
    key,
    id: uuidV5(`${settings.idPrefix}${settings.seed}:${key}`),
    kind,
    vocabulary,
    sector: 'other',
    district: '',
    baseName: '',
    name: '',
    registrationNumber: '',
    registeredOn: settings.historyFrom,
    memberCount: null,
    profile: { managers: null, directorTrained: false, valueChain: false, highTech: false, enterpriseLinked: false, digitalAdoption: false },
    founders: [],
    lifecycle: [],
    attributes: [],
    relocations: [],
    dissolvedOn: null,
  };
}
