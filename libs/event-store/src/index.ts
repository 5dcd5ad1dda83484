export * from './event-store.port';
export * from './errors';
export * from './canonical-stream-ids';
export * from './hashing';
export { PostgresEventStore, translatePostgresError } from './postgres/postgres-event-store';
export { comparePostgresPositions, decodePostgresPosition, encodePostgresPosition } from './postgres/postgres-position';
export { EventStore1732400000000 } from './postgres/migrations/1732400000000-event-store';
export { AppendFunction1732800000000 } from './postgres/migrations/1732800000000-append-function';
export { AppendBatchFunction1733720000000 } from './postgres/migrations/1733720000000-append-batch-function';
