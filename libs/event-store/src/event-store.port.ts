/**
 * The event store port. Both adapters (PostgreSQL, EventStoreDB) implement it
 * and pass one conformance suite (libs/event-store/src/conformance).
 */

/** Opaque token of a place in the global log. Compare only with `EventStore.comparePositions`. */
export type Position = string & { readonly __position: unique symbol };

/** Metadata every event carries (architecture.md, "Writes"). */
export interface EventMetadata {
  eventId: string;
  /** Server time the event was recorded (UTC, ISO-8601 with milliseconds). */
  recordedAt: string;
  /** Subject of whoever recorded it: the token's subject, or the name an in-process writer (cli, import) gives its system principal. */
  recordedBy: string;
  correlationId: string;
  causationId: string | null;
  /** Schema version of the event's `data`. */
  schemaVersion: number;
  /** SHA-256 of the previous event of the same stream, null for the first one. */
  previousHash: string | null;
  /** SHA-256 over this event's canonical content (see hashing.ts). */
  hash: string;
  [key: string]: unknown;
}

export interface EventToAppend {
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export interface RecordedEvent {
  streamId: string;
  /** 0-based revision of the event in its stream. */
  revision: number;
  position: Position;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

/**
 * `no_stream`: the stream must not exist yet; `any`: no check;
 * a number: the revision of the stream's last event must be exactly that.
 */
export type ExpectedRevision = 'no_stream' | 'any' | number;

export interface StreamAppend {
  streamId: string;
  expectedRevision: ExpectedRevision;
  events: EventToAppend[];
}

export interface AppendResult {
  /** Revision of the last event appended to each stream, by stream id. */
  revisions: Record<string, number>;
  /** Position of the last event appended (the whole batch is at or before it). */
  position: Position;
}

export interface ReadAllOptions {
  /** Read events strictly after this position; omitted = from the start. */
  after?: Position;
  /** Only streams whose id starts with one of these prefixes. */
  streamPrefixes?: string[];
  limit?: number;
}

export interface SubscribeOptions {
  after?: Position;
  streamPrefixes?: string[];
  /** Largest number of events handed to the handler at once. */
  batchSize?: number;
}

/** A running subscription: catch-up, then live. */
export interface Subscription {
  /** Stops delivery; resolves once no handler call is in flight. */
  stop(): Promise<void>;
  /** Resolves when the subscription ends: stopped (ok) or failed (rejects with the handler's error). */
  readonly done: Promise<void>;
}

export type BatchHandler = (events: RecordedEvent[]) => Promise<void>;

export interface EventStore {
  readonly engine: 'postgres' | 'eventstoredb';

  /**
   * Appends to one or more streams. On PostgreSQL all streams are written in
   * one transaction; on EventStoreDB they are written in the given order
   * (the caller puts reservations first), each with its expected revision.
   * Throws `WrongExpectedRevisionError` when a stream is not where expected.
   */
  append(appends: StreamAppend[]): Promise<AppendResult>;

  /** The whole stream, oldest first; [] when it does not exist. */
  readStream(streamId: string): Promise<RecordedEvent[]>;

  /**
   * Several whole streams at once, in the order asked (each as `readStream` answers it): on
   * PostgreSQL one round trip, in one snapshot. Optional: `readStreams` below falls back to one
   * `readStream` each.
   */
  readStreams?(streamIds: string[]): Promise<RecordedEvent[][]>;

  /** A page of the global log in commit order, only events whose order is final. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  /** Delivers every event after `after` in global order, then new ones as they commit. */
  subscribe(handler: BatchHandler, options?: SubscribeOptions): Subscription;

  /** Position of the last event in the global log (for lag and read-your-writes). */
  headPosition(): Promise<Position | null>;

  /** Negative, zero or positive like Array.prototype.sort's comparator. */
  comparePositions(a: Position, b: Position): number;

  close(): Promise<void>;
}

/** Several streams through the store's `readStreams` when it has one, else one `readStream` each. */
export function readStreams(store: EventStore, streamIds: string[]): Promise<RecordedEvent[][]> {
  return store.readStreams ? store.readStreams(streamIds) : Promise.all(streamIds.map((id) => store.readStream(id)));
}
