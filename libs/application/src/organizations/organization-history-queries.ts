import { DomainError, organizationStreamId, upcast } from '@ktt/domain';
import type { EventStore } from '@ktt/event-store';
import type { HistoryEntry } from '../answers';

/** An organization's whole history, read from its stream (no read model needed). */
export class OrganizationHistoryQueries {
  constructor(private readonly store: EventStore) {}

  async history(id: string): Promise<HistoryEntry[]> {
    const events = await this.store.readStream(organizationStreamId(id));
    if (events.length === 0) throw DomainError.notFound('ORGANIZATION_NOT_FOUND', `no organization ${id}`);
    // Corrections link both ways: what a correction retracts, and which correction retracted an event.
    const correctedBy = new Map<string, string>();
    for (const event of events) {
      if (event.type === 'RecordCorrected') correctedBy.set(event.data.retractedEventId as string, event.metadata.eventId);
    }
    return events.map((event) => ({
      revision: event.revision,
      type: event.type,
      // The current shape (upcast), with the schemaVersion it was stored in: the stored form is what `hash` covers.
      data: upcast({ ...event, schemaVersion: event.metadata.schemaVersion }).data,
      effectiveOn: (event.data.effectiveOn as string | undefined) ?? null,
      recordedAt: event.metadata.recordedAt,
      recordedBy: event.metadata.recordedBy,
      eventId: event.metadata.eventId,
      hash: event.metadata.hash,
      previousHash: event.metadata.previousHash,
      schemaVersion: event.metadata.schemaVersion,
      correlationId: event.metadata.correlationId,
      position: event.position,
      ...(correctedBy.has(event.metadata.eventId) ? { correctedBy: correctedBy.get(event.metadata.eventId) } : {}),
      ...(event.type === 'RecordCorrected' ? { corrects: event.data.retractedEventId as string } : {}),
      // An imported event names its file (name and SHA-256): an auditor traces the record to it.
      ...(event.metadata.source ? { source: event.metadata.source as HistoryEntry['source'] } : {}),
    }));
  }
}
