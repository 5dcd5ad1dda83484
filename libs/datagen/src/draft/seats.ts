import type { AdministrativeMap, LocalDate } from '@ktt/domain';
import { regionOf } from '../generate/national-places';
import { addDays, maxDate, minDate, type Random } from '../random';
import { statusOn, type Draft, type Relocation } from './draft';
import { WINDOW_END } from './settings';

// Where a drawn organization has its seat, on the map of each date (domain.md, "Administrative units").
//
// A draft lives in a *unit*: a province of the first map (the 63 before 1 July 2025), the
// vocabulary it is drawn from. A command names the province in force on its effective date that
// holds the unit, and the unit itself as `formerProvinceCode` where that province was formed from
// several (An Giang 91 from 89 and 91): so a registration in former An Giang dated 2026 is
// `91` / `89`, and nothing dated on or after the merger names a code that ended.

/** The seat as a command names it on `date`. */
export interface Seat {
  provinceCode: string;
  /** The unit, where the province in force on `date` has several (or another code); null where its code names it. */
  formerProvinceCode: string | null;
}

/**
 * The map and the units a data set draws (the demo's three, the generator's selection): the seats
 * of its commands, and where its organizations may move.
 */
export class Places {
  constructor(
    readonly map: AdministrativeMap,
    /** First-map codes of the provinces drawn: destinations of relocations. */
    readonly units: readonly string[],
  ) {
    for (const unit of units) map.provinceOfUnit(unit, '2000-01-01'); // throws on a code that is not a first-map province
  }

  seatOn(unit: string, date: LocalDate): Seat {
    const province = this.map.provinceOfUnit(unit, date);
    const units = this.map.unitsOf(province.code, date) as string[];
    // As the domain records it (judgeSeatOn): wherever the code alone does not name the unit.
    return { provinceCode: province.code, formerProvinceCode: units.length > 1 || province.code !== unit ? unit : null };
  }

  /**
   * Where an organization seated in `unit` moves on `date`, or null when no unit of the data set
   * fits: half the time (where there is one) another former territory of the same merged
   * province; else another province of the same region (a neighbour rather than the other end of
   * the country), or, one time in ten where the region has none in the data set, any other.
   */
  destination(random: Random, unit: string, date: LocalDate): string | null {
    const here = this.map.provinceOfUnit(unit, date).code;
    const others = this.units.filter((u) => u !== unit);
    const sameProvince = others.filter((u) => this.map.provinceOfUnit(u, date).code === here);
    const drawWithin = random.float();
    const drawPlace = random.float();
    if (sameProvince.length > 0 && drawWithin < 0.5) return sameProvince[Math.floor(drawPlace * sameProvince.length)];
    const elsewhere = others.filter((u) => !sameProvince.includes(u));
    const region = regionOf(unit);
    const near = elsewhere.filter((u) => regionOf(u) === region);
    if (near.length > 0) return near[Math.floor(drawPlace * near.length)];
    return elsewhere.length > 0 && drawWithin > 0.9 ? elsewhere[Math.floor(drawPlace * elsewhere.length)] : null;
  }
}

/** Share of cooperatives and groups that move their seat once in the window (domain.md: relocation). */
export const RELOCATION_SHARE = 0.035;

/**
 * At most one relocation of a cooperative or group: on a day it is active, at least three months
 * after its registration (and the history's start), and at least three months before its
 * dissolution or any later lifecycle step, so the move never meets a suspension or a finding.
 */
export function drawRelocations(random: Random, draft: Draft, places: Places): Relocation[] {
  const moves = random.chance(RELOCATION_SHARE);
  const from = addDays(maxDate(draft.registeredOn, draft.settings.historyFrom), 90);
  const to = minDate(draft.dissolvedOn === null ? WINDOW_END : addDays(draft.dissolvedOn, -90), WINDOW_END);
  const date = random.date(from, to > from ? to : from);
  if (!moves || to <= from || statusOn(draft, date) !== 'active') return [];
  const nearStep = draft.lifecycle.some((step) => Math.abs(Date.parse(step.date) - Date.parse(date)) < 90 * 86_400_000);
  if (nearStep) return [];
  const unit = places.destination(random, draft.vocabulary.provinceCode, date);
  return unit === null ? [] : [{ date, unit }];
}
