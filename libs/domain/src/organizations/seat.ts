import type { AdministrativeMap } from '../administrative-units/administrative-map';
import type { LocalDate } from '../common/local-date';
import { invalid } from '../common/validation';

/** A seat as a command names it, judged on the map of its date: what the event records, and the unit it is in. */
export interface JudgedSeat {
  provinceCode: string;
  /** The unit when `provinceCode` names a province of several units on the date (or not the unit itself), else null (domain.md: "not given"). */
  formerProvinceCode: string | null;
  unit: string;
}

/**
 * What the request alone shows of a seat (400): two-digit codes, and a code that names a province
 * on some date (UNKNOWN_PROVINCE). A decision checks this before existence (404) and the map of the
 * date (409), in the tiers of `decide`.
 */
export function validateSeat(map: AdministrativeMap, seat: { provinceCode: unknown; formerProvinceCode?: unknown }): { provinceCode: string; formerProvinceCode: string | null } {
  if (typeof seat.provinceCode !== 'string' || !/^\d{2}$/.test(seat.provinceCode)) throw invalid('provinceCode', 'provinceCode must be two digits');
  const former = seat.formerProvinceCode;
  if (former !== undefined && former !== null && (typeof former !== 'string' || !/^\d{2}$/.test(former))) {
    throw invalid('formerProvinceCode', 'formerProvinceCode must be two digits');
  }
  map.requireKnownProvinceCode(seat.provinceCode, 'provinceCode');
  if (typeof former === 'string') map.requireKnownProvinceCode(former, 'formerProvinceCode');
  return { provinceCode: seat.provinceCode, formerProvinceCode: (former as string | null | undefined) ?? null };
}

/**
 * Judges `{ provinceCode, formerProvinceCode }` of a registration or relocation on the map of `date`
 * (shape 400, UNKNOWN_PROVINCE 400, PROVINCE_NOT_IN_FORCE / FORMER_PROVINCE_REQUIRED /
 * NOT_A_PREDECESSOR 409: `AdministrativeMap.judgeSeat`). Every path that records a seat passes here
 * (HTTP, corrections' replacements, the cli, the generator), so no seat is recorded off the map.
 */
export function judgeSeatOn(map: AdministrativeMap, seat: { provinceCode: unknown; formerProvinceCode?: unknown }, date: LocalDate): JudgedSeat {
  const { provinceCode, formerProvinceCode } = validateSeat(map, seat);
  const unit = map.judgeSeat({ provinceCode, formerProvinceCode }, date);
  // Recorded wherever the code alone does not name the unit (`seatUnit` reads formerProvinceCode ?? provinceCode):
  // a merged province, and a province a later reorganization might give a new code without merging it.
  const several = (map.unitsOf(provinceCode, date) ?? []).length > 1;
  return { provinceCode, formerProvinceCode: several || unit !== provinceCode ? unit : null, unit };
}
