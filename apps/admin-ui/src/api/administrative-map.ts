import { useEffect, useState } from 'react';
import type { ApiClient } from './client';
import { AdministrativeMap, todayInVietnam, type Province } from './types';
import { useQuery, type QueryState } from './use-query';
import { useApi } from '../session/session';

/**
 * The map of provinces through time, as the UI reads it (domain.md, "Administrative units"): the
 * server answers only "the provinces in force on a date" (GET /api/provinces?asOf=), so the UI finds
 * the dates on which the list changes and rebuilds the domain's own AdministrativeMap from the lists
 * (the first map, then the list of each change date as a reorganization). Every rule that follows a
 * unit (a first-map province) through the merges is then the domain's, not a copy: which province
 * holds a seat on a date, the units of a territory, a territory's predecessors by name.
 */

/** The earliest date asked: before any organization of the registry (and before any reorganization). */
const FIRST_DATE = '1900-01-01';
/**
 * Where a change is looked for first: the 2025 merger (Resolution 202/2025/QH15). Only a shortcut: a
 * change on another date (a later reorganization recorded by an admin) is found by bisection.
 */
const LIKELY_CHANGES = ['2025-07-01'];

export interface MapHistory {
  map: AdministrativeMap;
  /** The dates from which the map changed (the reorganizations' effective dates), oldest first. */
  changes: string[];
}

/** A list's identity without `successor` (which an older list gains when a later reorganization ends a province). */
function signature(provinces: Province[]): string {
  return provinces.map((p) => `${p.code}:${p.name}:${[...p.predecessors].sort().join('+')}`).join('|');
}

export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** Provinces lists by date, for the page's life: the map is law and changes only by an admin's rare command. */
const lists = new Map<string, Promise<Province[]>>();

export function provincesOn(api: ApiClient, date: string): Promise<Province[]> {
  let list = lists.get(date);
  if (!list) {
    list = api.get<Province[]>('/api/provinces', { asOf: date }).then((answer) => answer.map(normalize));
    // A failed read is not kept: the next page asks again.
    list.catch(() => lists.delete(date));
    lists.set(date, list);
  }
  return list;
}

/** Older answers had `provinceCode` only; newer ones `code` (with `provinceCode` as its alias). */
function normalize(province: Province): Province {
  const code = province.code ?? province.provinceCode;
  return { ...province, code, provinceCode: code, predecessors: province.predecessors ?? [code] };
}

async function discover(api: ApiClient): Promise<MapHistory> {
  const today = todayInVietnam();
  const sig = async (date: string) => signature(await provincesOn(api, date));
  const changes: string[] = [];
  let from = FIRST_DATE;
  let fromSig = await sig(from);
  const todaySig = await sig(today);
  // Each round finds the first date after `from` whose list differs from `from`'s (lists never return to an older map).
  while (fromSig !== todaySig) {
    let found: string | null = null;
    for (const candidate of LIKELY_CHANGES) {
      if (candidate > from && candidate <= today && (await sig(addDays(candidate, -1))) === fromSig && (await sig(candidate)) !== fromSig) found = candidate;
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
  const first = await provincesOn(api, FIRST_DATE);
  const reorganizations = await Promise.all(
    changes.map(async (effectiveOn) => ({
      effectiveOn,
      provinces: (await provincesOn(api, effectiveOn)).map(({ code, name, predecessors }) => ({ code, name, predecessors })),
    })),
  );
  return { map: new AdministrativeMap(first.map(({ code, name }) => ({ code, name })), reorganizations), changes };
}

let discovered: Promise<MapHistory> | null = null;

/** The map of provinces through time (null while it loads, or if the lists cannot be read: callers fall back to codes). */
export function useAdministrativeMap(): MapHistory | null {
  const api = useApi();
  const [history, setHistory] = useState<MapHistory | null>(null);
  useEffect(() => {
    let current = true;
    if (!discovered) {
      discovered = discover(api);
      discovered.catch(() => {
        discovered = null;
      });
    }
    discovered.then(
      (found) => current && setHistory(found),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [api]);
  return history;
}

/** The provinces in force on `date` (default today): 63 before 1 July 2025, 34 from then on. */
export function useProvincesOn(date: string | null | undefined): QueryState<Province[]> {
  const api = useApi();
  const day = date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : todayInVietnam();
  return useQuery(() => provincesOn(api, day), [api, day]);
}

/** The date a province took the territory it has on `date` (the merger that formed it), or null if it was never merged. */
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

export { FIRST_DATE };
