import { readFileSync } from 'node:fs';
import path from 'node:path';
import { administrativeMapFromReference, type AdministrativeMap, type AdministrativeUnitsReference } from '@ktt/domain';

/**
 * The map of provinces from the project's reference data alone (data/reference/administrative-units-2025.json),
 * without the database: `cli token` judges its --province codes on it. The api reads the map as recorded
 * (AdministrativeUnits: the reference's 63, then the administrative-units stream), which a later
 * reorganization changes.
 */
export function loadAdministrativeMap(dataDir: string): AdministrativeMap {
  const file = path.join(dataDir, 'reference', 'administrative-units-2025.json');
  return administrativeMapFromReference(JSON.parse(readFileSync(file, 'utf8')) as AdministrativeUnitsReference);
}

/** The project's data directory (reference data), from this module's place in the source tree or in dist. */
export const PROJECT_DATA_DIR = path.resolve(__dirname, '..', '..', '..', '..', ...(__dirname.includes(`${path.sep}dist${path.sep}`) ? ['..'] : []), 'data');

let referenceMap: AdministrativeMap | null = null;

/**
 * The map of the reference data alone, read once: for callers that decide commands without an event
 * store to read the map from (the generator's planning, specs). What is appended to a store is
 * judged on the map as recorded there (AdministrativeUnits), which starts as this one.
 */
export function referenceAdministrativeMap(): AdministrativeMap {
  referenceMap ??= loadAdministrativeMap(PROJECT_DATA_DIR);
  return referenceMap;
}
