import type { LocalDate } from '../common/local-date';
import { AdministrativeMap } from './administrative-map';

/** The parts of data/reference/administrative-units-2025.json the map is built from (its sources stay in the file). */
export interface AdministrativeUnitsReference {
  effectiveDate: LocalDate;
  before: { code: string; name: string }[];
  after: { code: string; name: string; predecessors: string[] }[];
}

/** The 63 of `before` as the first map, and `after` as the reorganization of `effectiveDate`. */
export function administrativeMapFromReference(reference: AdministrativeUnitsReference): AdministrativeMap {
  return new AdministrativeMap(
    reference.before.map(({ code, name }) => ({ code, name })),
    [{ effectiveOn: reference.effectiveDate, provinces: reference.after.map(({ code, name, predecessors }) => ({ code, name, predecessors })) }],
  );
}
