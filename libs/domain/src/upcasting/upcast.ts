import { ORGANIZATION_EVENT_SCHEMA_VERSIONS } from '../organizations/organization.events';
import { createUpcast } from './create-upcast';
import { ORGANIZATION_UPCASTERS } from './organization-upcasters';

/**
 * Lifts a stored organization event to the current shape of its type, step
 * by step. Only for reading into the domain: the stored form (and its hash)
 * is never replaced.
 */
export const upcast = createUpcast(ORGANIZATION_UPCASTERS, ORGANIZATION_EVENT_SCHEMA_VERSIONS);
