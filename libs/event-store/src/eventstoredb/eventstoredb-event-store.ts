/**
 * The EventStore port on EventStoreDB (`@eventstore/db-client`, gRPC).
 *
 * Streams are EventStoreDB streams (`organization-<id>`, `plan-<id>`, …); the
 * global log is `$all`; positions are `$all` positions (commit, prepare)
 * encoded as `<commit>/<prepare>` (see ./position.ts). System records
 * (`$`-prefixed event types or streams) never leave this adapter.
 *
 * Cross-stream writes. The client has no multi-stream append, so `append`
 * writes the streams one after the other, in the order given, each with its
 * own expected revision. The caller puts the registration-number reservation
 * first and the organization's stream after it. Before writing anything the
 * adapter checks the expected revisions of the later streams, so an ordinary
 * conflict (another writer got there first) fails cleanly without leaving a
 * half-written change behind. It remains possible — a crash, a lost
 * connection, or a writer slipping in between that check and the write — to
 * have written the reservation but not the registration. That state is
 * detected and reported by `cli verify` (a reservation without its
 * registration); nothing here tries to undo the first write.
 */
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type Position as EsdbPosition,
  type ReadPosition,
} from '@eventstore/db-client';
import { requireCanonicalStreamIds } from '../canonical-stream-ids';
import { EventStoreError, WrongExpectedRevisionError } from '../errors';
import type {
  AppendResult,
  BatchHandler,
  EventStore,
  Position,
  ReadAllOptions,
  RecordedEvent,
  StreamAppend,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import { BatchDelivery, type SubscriptionSource } from './batch-delivery';
import { isSystemEvent, positionOf, toRecordedEvent } from './convert-event';
import { satisfiesExpectedRevision, toEsdbExpectedRevision } from './expected-revision';
import { compareEsdbPositions, comparePositions, decodePosition, encodePosition } from './position';
import { isStreamNotFound, translateError, type ErrorContext } from './translate-error';

/** The part of the client this adapter uses (lets tests hand in a fake). */
export type EventStoreDbClientLike = Pick<
  EventStoreDBClient,
  'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'
>;

export interface EventStoreDbEventStoreOptions {
  /** Events read from `$all` per request when paging `readAll` / `headPosition`. */
  readPageSize?: number;
  /** Largest delay before a partial batch is handed to a subscriber (ms). */
  subscriptionFlushAfterMs?: number;
  /** Default `SubscribeOptions.batchSize`. */
  defaultBatchSize?: number;
}

export class EventStoreDbEventStore implements EventStore {
  readonly engine = 'eventstoredb' as const;
  private readonly readPageSize: number;
  private readonly flushAfterMs: number;
  private readonly defaultBatchSize: number;
  private closed = false;

  constructor(
    private readonly client: EventStoreDbClientLike,
    options: EventStoreDbEventStoreOptions = {},
  ) {
    this.readPageSize = Math.max(2, options.readPageSize ?? 500);
    this.flushAfterMs = options.subscriptionFlushAfterMs ?? 10;
    this.defaultBatchSize = options.defaultBatchSize ?? 100;
  }

  /** `esdb://host:2113?tls=false`, `esdb+discover://…` — see the client's connection string documentation. */
  static fromConnectionString(connectionString: string, options?: EventStoreDbEventStoreOptions): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString), options);
  }

  async append(appends: StreamAppend[]): Promise<AppendResult> {
    if (!appends.some((a) => a.events.length > 0)) {
      throw new EventStoreError('append needs at least one event');
    }
    requireCanonicalStreamIds(appends);
    await this.checkExpectedRevisions(appends);

    // Written strictly one after the other, in the given order (see the file comment).
    const revisions: Record<string, number> = {};
    let last: { streamId: string; revision: bigint } | undefined;
    for (const { streamId, expectedRevision, events } of appends) {
      const context: ErrorContext = { streamId, expectedRevision };
      const expected = toEsdbExpectedRevision(expectedRevision);
      try {
        const result = await this.client.appendToStream(
          streamId,
          events.map(({ type, data, metadata }) => jsonEvent({ id: metadata.eventId, type, data, metadata })),
          { expectedRevision: expected },
        );
        if (events.length === 0) continue;
        revisions[streamId] = Number(result.nextExpectedRevision);
        last = { streamId, revision: result.nextExpectedRevision };
      } catch (error) {
        throw translateError(error, context);
      }
    }
    // The append response carries a log position, but whether it is exactly the `$all` position
    // of the batch's last event (as the port promises) depends on server internals for
    // multi-event writes; reading that one event back (by revision, so a concurrent writer
    // cannot shift it) costs one round trip and is certain.
    const position = last && (await this.positionOfRevision(last.streamId, last.revision));
    if (!position) throw new EventStoreError('EventStoreDB did not report the position of the append');
    return { revisions, position: encodePosition(position) };
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, { direction: FORWARDS, fromRevision: START })) {
        if (resolved.event) events.push(toRecordedEvent(resolved));
      }
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw translateError(error, { streamId });
    }
    return events;
  }

  /**
   * Pages `$all` forwards from `after`. The client (6.2.1) has no server-side
   * filter on `readAll` (only on `subscribeToAll`), so stream prefixes and
   * system events are filtered here, page by page, until `limit` events are
   * found or the end of the log is reached. A forward read from a position
   * includes the event at that position: it is skipped (strictly after).
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const { after, streamPrefixes, limit } = options;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
      throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
    }
    const wanted = limit ?? Number.POSITIVE_INFINITY;
    const afterPosition = after === undefined ? undefined : decodePosition(after);
    const matches = streamMatcher(streamPrefixes);
    const events: RecordedEvent[] = [];
    // Everything at or before `seen` has been considered already: the caller's `after`, then
    // the last record of the previous page (which the next page, read from it, repeats).
    let seen: EsdbPosition | undefined = afterPosition;

    while (events.length < wanted) {
      const page = await this.readAllPage(seen ?? START, FORWARDS);
      for (const resolved of page) {
        if (events.length >= wanted) break;
        const position = positionOf(resolved);
        if (seen && position && compareEsdbPositions(position, seen) <= 0) continue;
        if (isSystemEvent(resolved) || !matches(resolved.event!.streamId)) continue;
        events.push(toRecordedEvent(resolved));
      }
      const lastPosition = page.length > 0 ? positionOf(page[page.length - 1]) : undefined;
      if (page.length < this.readPageSize || !lastPosition) break;
      if (seen && compareEsdbPositions(lastPosition, seen) <= 0) break; // no progress
      seen = lastPosition;
    }
    return events;
  }

  subscribe(handler: BatchHandler, options: SubscribeOptions = {}): Subscription {
    if (this.closed) throw new EventStoreError('the event store is closed');
    const afterPosition = options.after === undefined ? undefined : decodePosition(options.after);
    const prefixes = options.streamPrefixes;
    const matches = streamMatcher(prefixes);
    // Catch-up subscription on $all, filtered on the server (never a persistent subscription:
    // those do not keep order). With stream prefixes the filter is on stream names; system
    // events are then dropped here, as one filter cannot test both names and types.
    const source = this.client.subscribeToAll({
      fromPosition: afterPosition ?? START,
      filter: prefixes && prefixes.length > 0 ? streamNameFilter({ prefixes }) : excludeSystemEvents(),
    }) as unknown as SubscriptionSource;

    return new BatchDelivery<AllStreamResolvedEvent>(source, handler, {
      batchSize: options.batchSize ?? this.defaultBatchSize,
      flushAfterMs: this.flushAfterMs,
      translateError: (error) => translateError(error),
      convert: (resolved) => {
        if (isSystemEvent(resolved) || !matches(resolved.event!.streamId)) return null;
        const position = positionOf(resolved);
        // Subscribing from a position is exclusive already; this guards against a server that is not.
        if (afterPosition && position && compareEsdbPositions(position, afterPosition) <= 0) return null;
        return toRecordedEvent(resolved);
      },
    });
  }

  /** Position of the newest non-system event of `$all`, read backwards. */
  async headPosition(): Promise<Position | null> {
    let cursor: ReadPosition = END;
    for (;;) {
      const page = await this.readAllPage(cursor, BACKWARDS);
      for (const resolved of page) {
        if (!isSystemEvent(resolved)) {
          const position = positionOf(resolved);
          if (position) return encodePosition(position);
        }
      }
      const lastPosition = page.length > 0 ? positionOf(page[page.length - 1]) : undefined;
      if (page.length < this.readPageSize || !lastPosition) return null;
      if (cursor !== END && compareEsdbPositions(lastPosition, cursor as EsdbPosition) >= 0) return null; // no progress
      cursor = lastPosition;
    }
  }

  comparePositions(a: Position, b: Position): number {
    return comparePositions(a, b);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.dispose();
  }

  private async readAllPage(fromPosition: ReadPosition, direction: typeof FORWARDS | typeof BACKWARDS) {
    const page: AllStreamResolvedEvent[] = [];
    try {
      for await (const resolved of this.client.readAll({ fromPosition, direction, maxCount: this.readPageSize })) {
        page.push(resolved);
      }
    } catch (error) {
      throw translateError(error);
    }
    return page;
  }

  /** Refuses, before writing anything, a multi-stream append whose later streams are already elsewhere. */
  private async checkExpectedRevisions(appends: StreamAppend[]): Promise<void> {
    const seen = new Set<string>();
    for (const [index, { streamId, expectedRevision }] of appends.entries()) {
      const checkable = index > 0 && !seen.has(streamId) && expectedRevision !== 'any';
      seen.add(streamId);
      if (!checkable) continue; // the first write is checked by the server with nothing written before it
      const current = await this.currentRevision(streamId);
      if (!satisfiesExpectedRevision(expectedRevision, current)) {
        throw new WrongExpectedRevisionError(streamId, String(expectedRevision), current);
      }
    }
  }

  private async currentRevision(streamId: string): Promise<number | 'no_stream'> {
    try {
      for await (const resolved of this.client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
        if (resolved.event) return Number(resolved.event.revision);
      }
      return 'no_stream';
    } catch (error) {
      if (isStreamNotFound(error)) return 'no_stream';
      throw translateError(error, { streamId });
    }
  }

  /** `$all` position of one event of a stream (reads that single event back). */
  private async positionOfRevision(streamId: string, revision: bigint): Promise<EsdbPosition | undefined> {
    try {
      for await (const resolved of this.client.readStream(streamId, { direction: FORWARDS, fromRevision: revision, maxCount: 1 })) {
        return positionOf(resolved);
      }
    } catch (error) {
      throw translateError(error, { streamId });
    }
    return undefined;
  }
}

function streamMatcher(prefixes: string[] | undefined): (streamId: string) => boolean {
  if (!prefixes || prefixes.length === 0) return () => true;
  return (streamId) => prefixes.some((prefix) => streamId.startsWith(prefix));
}
