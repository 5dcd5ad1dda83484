import { randomUUID } from 'node:crypto';
import { hashEvent, type EventToAppend, type RecordedEvent } from '@ktt/event-store';
import type { CommandContext } from './command-context';

export interface DomainFact {
  type: string;
  data: object;
}

/**
 * Wraps decided facts for appending after `previous` (the stream's last event):
 * metadata of architecture.md, with each event's hash chained to the previous one.
 */
export function envelope(
  streamId: string,
  previous: RecordedEvent | undefined,
  facts: DomainFact[],
  context: CommandContext,
  schemaVersions: Record<string, number>,
): EventToAppend[] {
  const recordedAt = (context.now ?? new Date()).toISOString();
  let previousHash = (previous?.metadata.hash as string | undefined) ?? null;
  let revision = previous ? previous.revision + 1 : 0;
  return facts.map((fact) => {
    const metadata = {
      eventId: randomUUID(),
      recordedAt,
      recordedBy: context.principal.subject,
      correlationId: context.correlationId,
      causationId: context.causationId ?? null,
      schemaVersion: schemaVersions[fact.type] ?? 1,
      previousHash,
    };
    const data = fact.data as Record<string, unknown>;
    const hash = hashEvent({ streamId, revision, type: fact.type, data, metadata });
    previousHash = hash;
    revision += 1;
    return { type: fact.type, data, metadata: { ...metadata, hash } };
  });
}
