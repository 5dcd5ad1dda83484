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
