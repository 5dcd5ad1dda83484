export { EventStoreDbEventStore, type EventStoreDbClientLike, type EventStoreDbEventStoreOptions } from './eventstoredb-event-store';
export { comparePositions as compareEventStoreDbPositions, decodePosition, encodePosition } from './position';
export { translateError as translateEventStoreDbError } from './translate-error';
