import { useEffect, useState } from 'react';
import type { ApiClient } from './client';
import { discoverMap, normalizeProvince, type MapHistory } from './map-history';
import { todayInVietnam, type Province } from './types';
import { useQuery, type QueryState } from './use-query';
import { useApi } from '../session/session';

/**
 * The pages' access to the map of provinces through time (map-history.ts rebuilds it from
 * GET /api/provinces?asOf=). Lists and the map are kept for the page's life: the map is law and
 * changes only by an admin's rare command (a reload shows a new one).
 */
export { addDays, formedOn, isFormerTerritory, unitName, type MapHistory } from './map-history';

const lists = new Map<string, Promise<Province[]>>();

/** The provinces in force on `date`, asked once per date. */
export function provincesOn(api: ApiClient, date: string): Promise<Province[]> {
  let list = lists.get(date);
  if (!list) {
    list = api.get<Province[]>('/api/provinces', { asOf: date }).then((answer) => answer.map(normalizeProvince));
    // A failed read is not kept: the next page asks again.
    list.catch(() => lists.delete(date));
    lists.set(date, list);
  }
  return list;
}

let discovered: Promise<MapHistory> | null = null;

/** The map of provinces through time (null while it loads, or if the lists cannot be read: callers fall back to codes). */
export function useAdministrativeMap(): MapHistory | null {
  const api = useApi();
  const [history, setHistory] = useState<MapHistory | null>(null);
  useEffect(() => {
    let current = true;
    if (!discovered) {
      discovered = discoverMap((date) => provincesOn(api, date), todayInVietnam());
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
