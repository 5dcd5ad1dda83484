import { PROFILE_FLAG_NAMES, type LocalDate, type OrganizationCommand, type OrganizationKind, type Sector } from '@ktt/domain';
import { maxDate } from '../random';
import type { AttributeStep, Draft } from './draft';
import type { Places, Seat } from './seats';

// From a draft to the commands that record it, keyed so a rerun sends the same ones.

export interface PlannedCommand {
  /** Idempotency key: stable across reruns (seed, organization key, index in its history). */
  key: string;
  command: OrganizationCommand;
  effectiveOn: LocalDate;
  /** When the registry "learns" it: the effective date, or later for a late record. Orders the sending. */
  recordOn: LocalDate;
  /** Union commands read other organizations' histories: sent after the others of their month. */
  union: boolean;
  organizationOrder: number;
  seq: number;
}

export interface PlannedOrganization {
  key: string;
  id: string;
  kind: OrganizationKind;
  /** The unit it registered in: the province of the first map (before 1 July 2025) whose territory held its seat then. */
  unit: string;
  /** The province as its registration names it (in force on `registeredOn`), and the unit where that province has several. */
  provinceCode: string;
  formerProvinceCode: string | null;
  sector: Sector;
  name: string;
  registrationNumber: string;
  registeredOn: LocalDate;
  dissolvedOn: LocalDate | null;
}

function attributeCommand(step: AttributeStep, organizationId: string): OrganizationCommand {
  switch (step.type) {
    case 'members':
      return { type: 'ChangeMemberCount', organizationId, memberCount: step.memberCount, effectiveOn: step.date };
    case 'profile':
      return { type: 'ChangeProfile', organizationId, effectiveOn: step.date, ...step.changes };
    case 'rating':
      return { type: 'RateOrganization', organizationId, rating: step.rating, year: step.year, ratedOn: step.date };
    case 'join':
      return { type: 'JoinUnion', organizationId, cooperativeId: step.cooperative.id, effectiveOn: step.date };
    case 'leave':
      return { type: 'LeaveUnion', organizationId, cooperativeId: step.cooperative.id, effectiveOn: step.date };
  }
}

/** The seat fields of a command: `formerProvinceCode` only where the province in force has several units. */
function seatFields(seat: Seat): { provinceCode: string; formerProvinceCode?: string } {
  return seat.formerProvinceCode === null ? { provinceCode: seat.provinceCode } : { provinceCode: seat.provinceCode, formerProvinceCode: seat.formerProvinceCode };
}

/**
 * The commands that record a draft, registration first, the others in effective order; keys
 * `<keyPrefix>-<draft key>-<n>`. Seats are named on the map of each command's date (`places`).
 */
export function commandsOf(draft: Draft, keyPrefix: string, organizationOrder: number, places: Places): PlannedCommand[] {
  const organizationId = draft.id;
  const union = draft.kind === 'union';
  const planned: Omit<PlannedCommand, 'key' | 'seq' | 'organizationOrder' | 'union'>[] = [];
  const registeredIn = seatFields(places.seatOn(draft.vocabulary.provinceCode, draft.registeredOn));
  planned.push({
    command: {
      type: 'RegisterOrganization',
      organizationId,
      kind: draft.kind,
      name: draft.name,
      registrationNumber: draft.registrationNumber,
      ...registeredIn,
      sector: draft.sector,
      registeredOn: draft.registeredOn,
      ...(draft.kind === 'union'
        ? { memberCooperativeIds: draft.founders.map((c) => c.id) }
        : { memberCount: draft.memberCount as number }),
      // What is unknown is left out, as a registrar would (recorded as unknown).
      ...(draft.profile.managers ? { managers: draft.profile.managers } : {}),
      ...Object.fromEntries(PROFILE_FLAG_NAMES.filter((flag) => draft.profile[flag] !== null).map((flag) => [flag, draft.profile[flag]])),
    },
    effectiveOn: draft.registeredOn,
    // Organizations registered before the history are loaded on its first day.
    recordOn: maxDate(draft.registeredOn, draft.settings.historyFrom),
  });
  const rest: (typeof planned)[number][] = [];
  for (const step of draft.lifecycle) {
    const command: OrganizationCommand =
      step.type === 'suspend'
        ? { type: 'SuspendOrganization', organizationId, effectiveOn: step.date, reason: step.reason, until: step.until }
        : step.type === 'dormant'
          ? { type: 'FindOrganizationDormant', organizationId, effectiveOn: step.date, finding: step.finding }
          : step.type === 'resume'
            ? { type: 'ResumeOrganization', organizationId, effectiveOn: step.date }
            : { type: 'DissolveOrganization', organizationId, effectiveOn: step.date, mode: step.mode, decisionRef: step.decisionRef };
    // Lifecycle events are never late: the rules order them by the latest one recorded.
    rest.push({ command, effectiveOn: step.date, recordOn: step.date });
  }
  for (const step of draft.attributes) {
    // Joins and leaves are recorded on their day; the others may be late.
    rest.push({ command: attributeCommand(step, organizationId), effectiveOn: step.date, recordOn: 'recordOn' in step ? step.recordOn : step.date });
  }
  for (const move of draft.relocations) {
    // Recorded on its day by the destination's registrar.
    const seat = seatFields(places.seatOn(move.unit, move.date));
    rest.push({ command: { type: 'RelocateOrganization', organizationId, effectiveOn: move.date, ...seat }, effectiveOn: move.date, recordOn: move.date });
  }
  // Effective order (stable: lifecycle before attributes of the same day), the key of each fixed by it.
  rest.sort((a, b) => (a.effectiveOn < b.effectiveOn ? -1 : a.effectiveOn > b.effectiveOn ? 1 : 0));
  // Spelled out rather than spread: a national data set makes a million of these.
  return [...planned, ...rest].map(({ command, effectiveOn, recordOn }, seq) => ({
    command,
    effectiveOn,
    recordOn,
    key: `${keyPrefix}-${draft.key}-${seq}`,
    union,
    organizationOrder,
    seq,
  }));
}
