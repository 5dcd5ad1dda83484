import { DomainError } from '../common/domain-error';
import type { LocalDate } from '../common/local-date';
import { invalid, requireDate, requireText } from '../common/validation';
import { AdministrativeMap, type Reorganization } from './administrative-map';

/**
 * The map's history is one stream (domain.md, "Administrative units"): the provinces of the first map
 * come from reference data (the state before any reorganization), each reorganization is an event here.
 */
export const ADMINISTRATIVE_UNITS_STREAM_PREFIX = 'administrative-units';

/** The one stream of the map (the one place that spells it). */
export function administrativeUnitsStreamId(): string {
  return ADMINISTRATIVE_UNITS_STREAM_PREFIX;
}

/** A reorganization as sent (api.md, POST /api/administrative-units/reorganizations). */
export interface ReorganizeProvinces {
  type: 'ReorganizeProvinces';
  effectiveOn: LocalDate;
  document: string;
  provinces: { code: string; name: string; predecessors: string[] }[];
}

/** The provinces formed on `effectiveOn`; a province of the map before that it neither lists nor merges goes on unchanged. */
export interface ProvincesReorganized {
  type: 'ProvincesReorganized';
  data: { effectiveOn: LocalDate; document: string; provinces: { code: string; name: string; predecessors: string[] }[] };
}

export type AdministrativeUnitsEvent = ProvincesReorganized;

export const ADMINISTRATIVE_UNITS_EVENT_SCHEMA_VERSIONS: Record<AdministrativeUnitsEvent['type'], number> = { ProvincesReorganized: 1 };

/** Every event type of the stream (complete: the record above must name each). */
export const ADMINISTRATIVE_UNITS_EVENT_TYPES = Object.keys(ADMINISTRATIVE_UNITS_EVENT_SCHEMA_VERSIONS) as readonly AdministrativeUnitsEvent['type'][];

/** A document number or title (e.g. "202/2025/QH15"), and a province's name. */
const DOCUMENT_MAX = 200;
const NAME_MAX = 100;
const TWO_DIGITS = /^\d{2}$/;

/**
 * The reorganizations in force, one per effective date: a later event (recorded later, the stream's
 * order) with the same `effectiveOn` is a correction and replaces the earlier one. The map is law
 * (domain.md, "Recorded time and the map"): it applies whatever `knownAt`, so recorded time only
 * orders corrections here.
 */
export function foldReorganizations(events: readonly AdministrativeUnitsEvent[]): Reorganization[] {
  const byDate = new Map<LocalDate, Reorganization>();
  for (const { data } of events) byDate.set(data.effectiveOn, { effectiveOn: data.effectiveOn, provinces: data.provinces });
  return [...byDate.values()].sort((a, b) => a.effectiveOn.localeCompare(b.effectiveOn));
}

/** The first map (reference data) with the stream's reorganizations applied. */
export function foldAdministrativeMap(first: readonly { code: string; name: string }[], events: readonly AdministrativeUnitsEvent[]): AdministrativeMap {
  return new AdministrativeMap(first, foldReorganizations(events));
}

function dayBefore(date: LocalDate): LocalDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Decides a reorganization against the map folded so far (pure). Rules: `effectiveOn` a calendar date,
 * in the past or the future (a law names its date ahead); the date of a recorded reorganization makes
 * this its correction, judged on the map of the day before as the one it replaces was; a reorganization
 * recorded for a later date must still hold on the map this one makes; codes of two digits; names and the document NFC text without
 * control characters; every predecessor a province in force the day before, going to one new province
 * only; a listed code that is not among its own predecessors must not be a province that goes on. A
 * province neither listed nor named as a predecessor goes on unchanged, so every province in force the
 * day before goes to exactly one province.
 */
export function decideReorganization(command: ReorganizeProvinces, first: readonly { code: string; name: string }[], history: readonly AdministrativeUnitsEvent[]): ProvincesReorganized[] {
  requireDate(command.effectiveOn, 'effectiveOn');
  const document = requireText(command.document, 'document', DOCUMENT_MAX);
  if (!Array.isArray(command.provinces) || command.provinces.length === 0) throw invalid('provinces', 'provinces must list at least one province');
  const provinces = command.provinces.map((p, i) => {
    const at = `provinces[${i}]`;
    if (typeof p?.code !== 'string' || !TWO_DIGITS.test(p.code)) throw invalid(`${at}.code`, `${at}.code must be two digits`);
    const name = requireText(p.name, `${at}.name`, NAME_MAX);
    if (!Array.isArray(p.predecessors) || p.predecessors.length === 0) throw invalid(`${at}.predecessors`, `${at}.predecessors must list at least one code`);
    p.predecessors.forEach((code, j) => {
      if (typeof code !== 'string' || !TWO_DIGITS.test(code)) throw invalid(`${at}.predecessors[${j}]`, `${at}.predecessors[${j}] must be two digits`);
    });
    return { code: p.code, name, predecessors: [...new Set(p.predecessors)].sort() };
  });
  const seen = new Set<string>();
  provinces.forEach((p, i) => {
    if (seen.has(p.code)) throw invalid(`provinces[${i}].code`, `provinces[${i}].code ${p.code} is listed twice`);
    seen.add(p.code);
  });

  const reorganizations = foldReorganizations(history);
  const before = new AdministrativeMap(first, reorganizations).provincesInForce(dayBefore(command.effectiveOn));
  const inForce = new Set(before.map((p) => p.code));
  const takenBy = new Map<string, string>();
  provinces.forEach((p, i) => {
    p.predecessors.forEach((code) => {
      const path = `provinces[${i}].predecessors`;
      if (!inForce.has(code)) throw conflict('PREDECESSOR_NOT_IN_FORCE', path, `${path}: ${code} is not a province in force on ${dayBefore(command.effectiveOn)}, the day before`);
      const other = takenBy.get(code);
      if (other !== undefined) throw conflict('PREDECESSOR_LISTED_TWICE', path, `${path}: ${code} goes to both ${other} and ${p.code}; a province goes to exactly one`);
      takenBy.set(code, p.code);
    });
  });
  provinces.forEach((p, i) => {
    if (inForce.has(p.code) && !takenBy.has(p.code)) {
      throw conflict('PROVINCE_CODE_IN_USE', `provinces[${i}].code`, `provinces[${i}].code ${p.code} names a province that goes on unchanged; list it among the predecessors of the province taking its territory`);
    }
  });
  const event: ProvincesReorganized = { type: 'ProvincesReorganized', data: { effectiveOn: command.effectiveOn, document, provinces } };
  // A reorganization recorded for a later date was judged on the map this one changes: it must still
  // hold (its predecessors in force the day before it), or the history would not fold.
  try {
    new AdministrativeMap(first, foldReorganizations([...history, event]));
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw conflict('BREAKS_LATER_REORGANIZATION', 'effectiveOn', `effectiveOn ${command.effectiveOn}: a reorganization recorded for a later date would no longer hold (${why}); correct that one first`);
  }
  return [event];
}

function conflict(code: 'PREDECESSOR_NOT_IN_FORCE' | 'PREDECESSOR_LISTED_TWICE' | 'PROVINCE_CODE_IN_USE' | 'BREAKS_LATER_REORGANIZATION', path: string, message: string): DomainError {
  return new DomainError('conflict', code, message, [{ path, message }]);
}
