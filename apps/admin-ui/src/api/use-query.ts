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
 * The 63 provinces of the first map (before 1 July 2025, domain.md): the *units* a seat is recorded in,
 * which the audit trail names (its `provinceCode` is the seat's unit). Pickers of a province in force
 * on a date use `useProvincesOn` (api/administrative-map.ts) instead.
 */
export function useUnitProvinces(): QueryState<Province[]> {
  const api = useApi();
  return useQuery(() => api.get<Province[]>('/api/provinces', { asOf: '2025-06-30' }), [api]);
}
