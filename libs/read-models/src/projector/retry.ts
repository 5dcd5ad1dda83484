import type { Pool, PoolClient } from 'pg';
import type { EventStore, RecordedEvent } from '@ktt/event-store';
import { schemaIdentifier } from '../generations';
import { applyEvents } from './apply-batch';
import { isEventFailure } from './connection-errors';
import { listQuarantined, lockQuarantine, unprojectableReason, type QuarantinedEvent } from './quarantine';

export interface RetryReport {
  schema: string;
  /** Applied now and taken out of the quarantine. */
  cleared: QuarantinedEvent[];
  /** Still quarantined; the first of each stream carries the error of this attempt. */
  remaining: QuarantinedEvent[];
}

/**
 * `cli projector retry`: re-applies the quarantined events of the active
 * generation after a fix (an upcaster or a read-model change in a release;
 * events appended meanwhile, a correction too, are held behind the poison
 * event and retried with it). Each stream is tried whole first, then event
 * by event, in order, stopping at the first that still fails: a
 * stream's rows never skip an event. The checkpoint does not move: it
 * counted these events when they were quarantined.
 */
export async function retryQuarantined(pool: Pool, store: EventStore): Promise<RetryReport> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // FOR SHARE: like a projector batch, a rebuild's switch waits for this, or this for the switch.
    const { rows } = await client.query<{ schema_name: string }>(`SELECT schema_name FROM read_model_generations WHERE state = 'active' FOR SHARE`);
    const schema = rows[0].schema_name;
    await lockQuarantine(client, schema);
    const byStream = new Map<string, QuarantinedEvent[]>();
    for (const event of await listQuarantined(client, schema)) byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event]);
    const cleared: QuarantinedEvent[] = [];
    for (const [streamId, quarantined] of byStream) {
      const wanted = new Set(quarantined.map((event) => event.eventId));
      const events = (await store.readStream(streamId)).filter((event) => wanted.has(event.metadata.eventId));
      cleared.push(...(await retryStream(client, schema, quarantined, events)));
    }
    await client.query('COMMIT');
    return { schema, cleared, remaining: await listQuarantined(pool, schema) };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function retryStream(client: PoolClient, schema: string, quarantined: QuarantinedEvent[], events: RecordedEvent[]): Promise<QuarantinedEvent[]> {
  const quotedSchema = schemaIdentifier(schema);
  const attempt = async (some: RecordedEvent[]): Promise<string | null> => {
    await client.query('SAVEPOINT retry');
    try {
      const refused = some.map(unprojectableReason).find((reason) => reason !== null);
      if (refused) throw new Error(refused);
      await applyEvents(client, schema, some);
      await client.query('RELEASE SAVEPOINT retry');
      return null;
    } catch (error) {
      if (!isEventFailure(error)) throw error;
      await client.query('ROLLBACK TO SAVEPOINT retry');
      return (error as Error).message;
    }
  };
  const clear = async (ids: string[]) => {
    await client.query(`DELETE FROM ${quotedSchema}.quarantined_events WHERE event_id = ANY($1::uuid[])`, [ids]);
    return quarantined.filter((event) => ids.includes(event.eventId));
  };
  if ((await attempt(events)) === null) return clear(events.map((event) => event.metadata.eventId));
  const applied: string[] = [];
  for (const event of events) {
    const error = await attempt([event]);
    if (error === null) {
      applied.push(event.metadata.eventId);
      continue;
    }
    await client.query(
      `UPDATE ${quotedSchema}.quarantined_events SET error = $2, reason = 'failed', attempts = attempts + 1 WHERE event_id = $1`,
      [event.metadata.eventId, error.slice(0, 2000)],
    );
    break;
  }
  return applied.length > 0 ? clear(applied) : [];
}
