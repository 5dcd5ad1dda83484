import { readFileSync } from 'node:fs';
import path from 'node:path';
import { administrativeMapFromReference, type AdministrativeMap, type AdministrativeUnitsReference } from '@ktt/domain';

/**
 * The map of provinces from the project's reference data (data/reference/administrative-units-2025.json).
 * Read once at start: until the reorganization is recorded as an event (issue 15), the file is the map.
 */
export function loadAdministrativeMap(dataDir: string): AdministrativeMap {
  const file = path.join(dataDir, 'reference', 'administrative-units-2025.json');
  return administrativeMapFromReference(JSON.parse(readFileSync(file, 'utf8')) as AdministrativeUnitsReference);
}
