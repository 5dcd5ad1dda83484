import type { PoolClient } from 'pg';
import { planIdOfStream } from '@ktt/domain';
import type { RecordedEvent } from '@ktt/event-store';
import { schemaIdentifier } from '../generations';

/** Plan events as facts (idempotent by event id); a plan as of a date is folded per request from them. */
export async function applyPlanEvents(client: PoolClient, schema: string, events: RecordedEvent[]): Promise<void> {
  const facts = events.filter((event) => planIdOfStream(event.streamId) !== null);
  if (facts.length === 0) return;
  await client.query(
    `INSERT INTO ${schemaIdentifier(schema)}.plan_facts (event_id, plan_id, revision, event_type, data, recorded_at)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::jsonb[], $6::timestamptz[])
     ON CONFLICT (event_id) DO NOTHING`,
    [
      facts.map((event) => event.metadata.eventId),
      facts.map((event) => planIdOfStream(event.streamId)),
      facts.map((event) => event.revision),
      facts.map((event) => event.type),
      facts.map((event) => JSON.stringify(event.data)),
      facts.map((event) => event.metadata.recordedAt),
    ],
  );
}
