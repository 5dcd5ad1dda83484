import { useEffect, useState } from 'react';
import type { Province } from './types';
import { useApi } from '../session/session';

export interface QueryState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/**
 * Runs `load` whenever one of `deps` changes; the answer of a superseded run is
 * dropped (a slow answer for an old date never overwrites a newer one).
 */
export function useQuery<T>(load: () => Promise<T>, deps: readonly unknown[]): QueryState<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true, error: null }));
    // A load that throws at once (a value apiPath refuses) fails this query like a refused request, not the page.
    new Promise<T>((resolve) => resolve(load())).then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: unknown) => current && setState({ data: undefined, error, loading: false }),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((n) => n + 1) };
}

/**
 * The 63 provinces (codes as before 1 July 2025, domain.md) with their names. Asked as of 30 June 2025:
 * the list defaults to today's 34, but the read models still count organizations under the codes they
 * were recorded with, so pickers and labels keep the 63 until the UI follows the map (issue 15).
 */
export function useProvinces(): QueryState<Province[]> {
  const api = useApi();
  return useQuery(() => api.get<Province[]>('/api/provinces', { asOf: '2025-06-30' }), [api]);
}
