import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@ktt/event-store';
import { schemaIdentifier } from '../generations';
import { applyOrganizationEvents, insertOrganizationFacts } from '../organizations/organization-projection';
import { applyPlanEvents } from '../plans/plan-projection';
import { applyAuditEvents } from '../audit/audit-projection';

export const PROJECTION = 'read-models';

/**
 * One batch into one generation, with its checkpoint, inside the caller's
 * transaction. Events of other streams (reservations, idempotency records)
 * change no row but move the checkpoint, so `minPosition` of any command's
 * answer is reached.
 */
export async function applyBatch(client: PoolClient, schema: string, batch: RecordedEvent[], options: { timelines?: boolean } = {}): Promise<void> {
  if (batch.length === 0) return;
  await applyEvents(client, schema, batch, options);
  await writeCheckpoint(client, schema, batch[batch.length - 1].position, batch.length);
}

/** The read-model rows of these events, without moving the checkpoint (`projector retry` re-applies quarantined events so). */
export async function applyEvents(client: PoolClient, schema: string, batch: RecordedEvent[], options: { timelines?: boolean } = {}): Promise<void> {
  if (batch.length === 0) return;
  // A rebuild's first phase stores the facts only and projects the timelines afterwards (rebuild.ts).
  if (options.timelines === false) await insertOrganizationFacts(client, schema, batch);
  else await applyOrganizationEvents(client, schema, batch);
  await applyPlanEvents(client, schema, batch);
  await applyAuditEvents(client, schema, batch, PROJECTION); // after the facts: it looks up their provinces
}

/** Moves the checkpoint to `position`, counting `events` more (applied or quarantined: each has its place in the log). */
export async function writeCheckpoint(client: PoolClient, schema: string, position: string, events: number): Promise<void> {
  await client.query(
    `INSERT INTO ${schemaIdentifier(schema)}.projection_checkpoints (projection, position, events_applied, updated_at)
     VALUES ($1, $2, $3, now())
     ON CONFLICT (projection) DO UPDATE SET position = EXCLUDED.position,
       events_applied = projection_checkpoints.events_applied + EXCLUDED.events_applied, updated_at = now()`,
    [PROJECTION, position, events],
  );
}

export async function readCheckpoint(db: Pick<PoolClient, 'query'>, schema: string): Promise<string | null> {
  const { rows } = await db.query<{ position: string }>(
    `SELECT position FROM ${schemaIdentifier(schema)}.projection_checkpoints WHERE projection = $1`,
    [PROJECTION],
  );
  return rows[0]?.position ?? null;
}
