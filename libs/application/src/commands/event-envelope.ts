import { randomUUID } from 'node:crypto';
import { hashEvent, type EventToAppend, type RecordedEvent } from '@ktt/event-store';
import type { CommandContext } from './command-context';

export interface DomainFact {
  type: string;
  data: object;
}

/** What chaining needs of the stream's last event: its revision and its hash. */
export type ChainTip = Pick<RecordedEvent, 'revision' | 'metadata'>;

/**
 * Wraps decided facts for appending after `previous` (the stream's last event):
 * metadata of architecture.md, with each event's hash chained to the previous one.
 * The one metadata and hash path of the product: the command path and the data
 * generator (which decides in memory and appends whole streams) both use it.
 *
 * `eventIds`, one per fact, are for a writer whose ids must be the same on
 * every run (the generator derives them from its seed); otherwise random.
 */
export function envelope(
  streamId: string,
  previous: ChainTip | undefined,
  facts: DomainFact[],
  context: CommandContext,
  schemaVersions: Record<string, number>,
  eventIds?: readonly string[],
): EventToAppend[] {
  const recordedAt = (context.now ?? new Date()).toISOString();
  let previousHash = (previous?.metadata.hash as string | undefined) ?? null;
  let revision = previous ? previous.revision + 1 : 0;
  return facts.map((fact, index) => {
    const metadata = {
      eventId: eventIds?.[index] ?? randomUUID(),
      recordedAt,
      recordedBy: context.principal.subject,
      correlationId: context.correlationId,
      causationId: context.causationId ?? null,
      schemaVersion: schemaVersions[fact.type] ?? 1,
      previousHash,
      // Only an import's events carry it: the metadata (and hash) of every other event stay as they were.
      ...(context.source ? { source: { ...context.source } } : {}),
    };
    const data = fact.data as Record<string, unknown>;
    const hash = hashEvent({ streamId, revision, type: fact.type, data, metadata });
    previousHash = hash;
    revision += 1;
    return { type: fact.type, data, metadata: { ...metadata, hash } };
  });
}
