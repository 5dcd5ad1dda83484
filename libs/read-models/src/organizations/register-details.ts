import { foldHistory, seatUnit, STATUS_AFTER, type AdministrativeMap, type DissolutionMode, type LocalDate, type OrganizationEvent } from '@ktt/domain';
import type { Generation } from '../generations';
import { KNOWN_NOW } from './organization-queries';

/**
 * What a register row (the spreadsheet export) says beyond an organization's state as of a date:
 * where it was registered, since when its status holds, and how it was dissolved.
 */
export interface RegisterDetails {
  /** The seat on the registration date, on that date's map: the code then, and the unit where domain.md asks for it (a merged province), else null. */
  registeredIn: { provinceCode: string; formerProvinceCode: string | null };
  /** The effective date of the lifecycle event the status at `asOf` comes from; null when there is none (active since its registration). */
  statusSince: LocalDate | null;
  dissolution: { mode: DissolutionMode; decisionRef: string } | null;
  /**
   * The date of the latest relocation (effective on or before `asOf`) into another province than the
   * registration's, when the seat at `asOf` is in such a province; else null. A row imports where it
   * was registered, so the export lists these apart (issue 17: a relocation would be lost on import).
   */
  relocatedOn: LocalDate | null;
}

/** The facts whose data the details read; the fold passes over the others without reading theirs. */
const DETAIL_EVENTS: OrganizationEvent['type'][] = ['OrganizationRegistered', 'OrganizationRelocated', 'RecordCorrected', ...(Object.keys(STATUS_AFTER) as OrganizationEvent['type'][])];

/**
 * The details of these organizations as of `asOf`, as known at `knownAt`: their facts (the read
 * model's copy of their streams, recorded by then) folded by the domain's own `foldHistory`, so
 * corrections and back-dated records count as they do everywhere else. One statement per call: the
 * export asks it for each page of the list.
 */
export async function registerDetails(
  generation: Generation,
  ids: readonly string[],
  asOf: LocalDate,
  knownAt: string | undefined,
  map: AdministrativeMap,
): Promise<Map<string, RegisterDetails>> {
  const details = new Map<string, RegisterDetails>();
  if (ids.length === 0) return details;
  // Only the facts the details read carry their data (the registration, the lifecycle, corrections, which
  // may retract or replace one): a rating's or a profile's is never parsed. Every fact keeps its place, since a
  // correction names the revision it retracts.
  const { rows } = await generation.pool.query<{ organization_id: string; event_type: string; data: OrganizationEvent['data'] | null }>(
    `SELECT organization_id, event_type, CASE WHEN event_type = ANY($3::text[]) THEN data END AS data
       FROM ${generation.identifier}.organization_facts
      WHERE organization_id = ANY($1::uuid[]) AND recorded_at <= $2::timestamptz
      ORDER BY organization_id, revision`,
    [[...ids], knownAt ?? KNOWN_NOW, DETAIL_EVENTS],
  );
  const streams = new Map<string, OrganizationEvent[]>();
  for (const row of rows) {
    const events = streams.get(row.organization_id) ?? [];
    events.push({ type: row.event_type, data: row.data ?? {} } as OrganizationEvent);
    streams.set(row.organization_id, events);
  }
  for (const [id, events] of streams) {
    const history = foldHistory(events);
    if (!history) continue;
    // Lifecycle events may not be dated before the latest one (domain.md), so the last one by date up to asOf holds.
    const lifecycle = history.events
      .filter((event) => event.type in STATUS_AFTER && event.data.effectiveOn <= asOf)
      .sort((a, b) => (a.data.effectiveOn < b.data.effectiveOn ? -1 : a.data.effectiveOn > b.data.effectiveOn ? 1 : 0))
      .at(-1);
    details.set(id, {
      registeredIn: seatOn(map, history.registration, history.registeredOn),
      statusSince: lifecycle?.data.effectiveOn ?? null,
      dissolution: lifecycle?.type === 'OrganizationDissolved' ? { mode: lifecycle.data.mode, decisionRef: lifecycle.data.decisionRef } : null,
      relocatedOn: relocatedOn(map, history.registration, history.events, asOf),
    });
  }
  return details;
}

/**
 * A recorded seat as a command on `date` would name it (the inverse of `judgeSeatOn`): the province
 * holding its unit then, and the unit itself where the code alone does not name it. A record made
 * before the reorganization existed under a code that had ended (89 dated 2026) reads as 91 with 89.
 */
function seatOn(map: AdministrativeMap, seat: { provinceCode: string; formerProvinceCode?: string | null }, date: LocalDate): RegisterDetails['registeredIn'] {
  const unit = seat.formerProvinceCode ?? seat.provinceCode;
  let code: string;
  try {
    code = map.provinceOfUnit(unit, date).code;
  } catch {
    // A unit the map does not know stands for itself, as in the list (organization-queries.ts).
    return { provinceCode: seat.provinceCode, formerProvinceCode: seat.formerProvinceCode ?? null };
  }
  const several = (map.unitsOf(code, date) ?? []).length > 1;
  return { provinceCode: code, formerProvinceCode: several || unit !== code ? unit : null };
}

/**
 * The date of the latest relocation on or before `asOf` whose destination lies in another province
 * than the registration's seat (both read on the map of `asOf`, so a merger alone is no move), when
 * the seat at `asOf` (the latest relocation) is in another province; else null.
 */
function relocatedOn(map: AdministrativeMap, registration: { provinceCode: string; formerProvinceCode?: string | null }, events: readonly OrganizationEvent[], asOf: LocalDate): LocalDate | null {
  const provinceOf = (seat: { provinceCode: string; formerProvinceCode?: string | null }) => {
    try {
      return map.provinceOfUnit(seatUnit(seat), asOf).code;
    } catch {
      return seatUnit(seat);
    }
  };
  const home = provinceOf(registration);
  const moves = events
    .filter((event): event is Extract<OrganizationEvent, { type: 'OrganizationRelocated' }> => event.type === 'OrganizationRelocated' && event.data.effectiveOn <= asOf)
    .sort((a, b) => (a.data.effectiveOn < b.data.effectiveOn ? -1 : a.data.effectiveOn > b.data.effectiveOn ? 1 : 0));
  const current = moves.at(-1);
  if (!current || provinceOf(current.data) === home) return null;
  return moves.filter((move) => provinceOf(move.data) !== home).at(-1)!.data.effectiveOn;
}

/**
 * The organizations with a relocation recorded by `knownAt` (any date, any destination): the few whose
 * details may list them apart, so an export can count them before its first byte without reading
 * every organization's details twice.
 */
export async function organizationsWithRelocations(generation: Generation, knownAt: string | undefined): Promise<string[]> {
  const { rows } = await generation.pool.query<{ organization_id: string }>(
    `SELECT DISTINCT organization_id FROM ${generation.identifier}.organization_facts
      WHERE event_type = 'OrganizationRelocated' AND recorded_at <= $1::timestamptz`,
    [knownAt ?? KNOWN_NOW],
  );
  return rows.map((row) => row.organization_id);
}
