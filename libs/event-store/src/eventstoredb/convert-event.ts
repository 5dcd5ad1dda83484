import type { AllStreamResolvedEvent, Position as EsdbPosition, ResolvedEvent } from '@eventstore/db-client';
import { EventStoreError } from '../errors';
import type { EventMetadata, RecordedEvent } from '../event-store.port';
import { encodePosition } from './position';

type AnyResolvedEvent = ResolvedEvent | AllStreamResolvedEvent;

/**
 * System records in `$all`: events with a `$`-prefixed type (`$metadata`,
 * `$statsCollected`, links `$>`, …) or in a `$`-prefixed stream. The port
 * never shows them.
 */
export function isSystemEvent(resolved: AnyResolvedEvent): boolean {
  const event = resolved.event;
  if (!event) return true; // an unresolved link, or a record without an event
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

/** Position of a resolved event: the event's own (commit, prepare), else the record's commit position. */
export function positionOf(resolved: AnyResolvedEvent): EsdbPosition | undefined {
  const own = resolved.event?.position;
  if (own) return own;
  if (resolved.commitPosition !== undefined) {
    return { commit: resolved.commitPosition, prepare: resolved.commitPosition };
  }
  return undefined;
}

/** The client's resolved event as the port's `RecordedEvent` (JSON events only: this store writes nothing else). */
export function toRecordedEvent(resolved: AnyResolvedEvent): RecordedEvent {
  const event = resolved.event;
  if (!event) throw new EventStoreError('EventStoreDB returned a record without an event');
  const where = `${event.streamId}@${event.revision}`;
  if (!event.isJson) throw new EventStoreError(`event ${where} is not JSON (content type application/octet-stream)`);
  if (!isPlainObject(event.data)) throw new EventStoreError(`event ${where} has data that is not a JSON object`);
  if (!isPlainObject(event.metadata)) throw new EventStoreError(`event ${where} has no JSON-object metadata`);
  const position = positionOf(resolved);
  if (!position) {
    throw new EventStoreError(`event ${where} came without a position (EventStoreDB older than 22.6 is not supported)`);
  }
  if (event.revision > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new EventStoreError(`event ${where} has a revision beyond Number.MAX_SAFE_INTEGER`);
  }
  return {
    streamId: event.streamId,
    revision: Number(event.revision),
    position: encodePosition(position),
    type: event.type,
    data: event.data,
    metadata: event.metadata as EventMetadata,
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
