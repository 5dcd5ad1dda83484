import { AdministrativeMap, type Province } from './types';

/**
 * The map of provinces through time, rebuilt from what the server answers (domain.md, "Administrative
 * units"). GET /api/provinces?asOf= names only the provinces in force on one date, so the dates on
 * which that list changes are found (a likely date first, else by bisection) and the domain's own
 * AdministrativeMap is built from the lists: the first map, then the list of each change date as a
 * reorganization. Every rule that follows a unit (a first-map province) through the merges is then
 * the domain's, not a copy. Pure: `read` is the only way out (the hooks give it the api).
 */

export interface MapHistory {
  map: AdministrativeMap;
  /** The dates from which the map changed (the reorganizations' effective dates), oldest first. */
  changes: string[];
}

/** The earliest date asked: before any organization of the registry (and before any reorganization). */
export const FIRST_DATE = '1900-01-01';
/**
 * Where a change is looked for first: the 2025 merger (Resolution 202/2025/QH15). Only a shortcut: a
 * change on another date (a later reorganization recorded by an admin) is found by bisection.
 */
const LIKELY_CHANGES = ['2025-07-01'];

export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** A list's identity without `successor` (which an older list gains when a later reorganization ends a province). */
function signature(provinces: Province[]): string {
  return provinces.map((p) => `${p.code}:${p.name}:${[...p.predecessors].sort().join('+')}`).join('|');
}

/** Older answers had `provinceCode` only; newer ones `code` (with `provinceCode` as its alias). */
export function normalizeProvince(province: Province): Province {
  const code = province.code ?? province.provinceCode;
  return { ...province, code, provinceCode: code, predecessors: province.predecessors ?? [code] };
}

/** The map from the lists `read` answers, between FIRST_DATE and `today` (a list never returns to an older map). */
export async function discoverMap(read: (date: string) => Promise<Province[]>, today: string): Promise<MapHistory> {
  const sig = async (date: string) => signature(await read(date));
  const changes: string[] = [];
  let from = FIRST_DATE;
  let fromSig = await sig(from);
  const todaySig = await sig(today);
  // Each round finds the first date after `from` whose list differs from `from`'s.
  while (fromSig !== todaySig) {
    let found: string | null = null;
    for (const candidate of LIKELY_CHANGES) {
      if (found === null && candidate > from && candidate <= today && (await sig(addDays(candidate, -1))) === fromSig && (await sig(candidate)) !== fromSig) {
        found = candidate;
      }
    }
    if (found === null) {
      let low = from;
      let high = today;
      while (daysBetween(low, high) > 1) {
        const middle = addDays(low, Math.floor(daysBetween(low, high) / 2));
        if ((await sig(middle)) === fromSig) low = middle;
        else high = middle;
      }
      found = high;
    }
    changes.push(found);
    from = found;
    fromSig = await sig(found);
  }
  const first = await read(FIRST_DATE);
  const reorganizations = await Promise.all(
    changes.map(async (effectiveOn) => ({ effectiveOn, provinces: (await read(effectiveOn)).map(({ code, name, predecessors }) => ({ code, name, predecessors })) })),
  );
  return { map: new AdministrativeMap(first.map(({ code, name }) => ({ code, name })), reorganizations), changes };
}

/** The date a province took the territory it has on `date` (the merger that formed it) and what from, or null if it was never merged. */
export function formedOn(history: MapHistory, code: string, date: string): { on: string; predecessors: { code: string; name: string }[] } | null {
  const changes = history.changes.filter((change) => change <= date).reverse();
  for (const change of changes) {
    const province = history.map.provinceOn(code, change);
    if (!province) return null;
    const merged = province.predecessors.length !== 1 || province.predecessors[0] !== code;
    if (merged) {
      const dayBefore = addDays(change, -1);
      return { on: change, predecessors: province.predecessors.map((predecessor) => ({ code: predecessor, name: history.map.provinceOn(predecessor, dayBefore)?.name ?? predecessor })) };
    }
  }
  return null;
}

/** The name of the first-map province `unit` (the former province of a seat). */
export function unitName(history: MapHistory | null, unit: string): string {
  return history?.map.provinceOn(unit, FIRST_DATE)?.name ?? unit;
}

/** Whether the territory of `code` on `boundariesOn` is no longer what `code` names on `asOf` (Kiên Giang after the merger). */
export function isFormerTerritory(history: MapHistory | null, code: string, boundariesOn: string, asOf: string): boolean {
  if (!history || boundariesOn >= asOf) return false;
  const then = history.map.unitsOf(code, boundariesOn);
  const now = history.map.unitsOf(code, asOf);
  return then !== null && (now === null || now.join(',') !== then.join(','));
}
