export { createUpcast, UnknownSchemaVersionError, type CurrentFact, type StoredFact, type Upcaster, type UpcasterRegistry } from './create-upcast';
export { ORGANIZATION_UPCASTERS } from './organization-upcasters';
export { upcast } from './upcast';
