import type { PoolClient } from 'pg';
import { isCanonicalStreamId, ORGANIZATION_STREAM_PREFIX, organizationIdOfStream } from '@ktt/domain';
import type { RecordedEvent } from '@ktt/event-store';
import { schemaIdentifier } from '../generations';
import { projectOrganizationTimelines, type ProjectOptions } from '../organizations/organization-projection';
import { TimelineOverlapError } from '../organizations/timeline-overlap';
import { applyAuditEvents } from '../audit/audit-projection';
import { applyBatch, PROJECTION, writeCheckpoint } from './apply-batch';
import { isEventFailure } from './connection-errors';

/**
 * Poison events are isolated, not fatal (architecture.md, "Reads"). An event
 * whose rows cannot be written is recorded in `quarantined_events` (position,
 * stream, error) in the same transaction as the checkpoint; every later event
 * of its stream is held there too, in order, so the stream's rows never skip
 * an event; every other stream goes on. `projector retry` re-applies them.
 */
export interface QuarantinedEvent {
  eventId: string;
  position: string;
  streamId: string;
  revision: number;
  type: string;
  organizationId: string | null;
  provinceCode: string | null;
  reason: 'failed' | 'held';
  error: string;
  quarantinedAt: string;
  attempts: number;
}

const ANY_CASE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Why this event must not be projected although its rows might be written: a
 * stream id that is not canonical (`organization-` and a lower-case UUID).
 * Older code accepted `organization-5F0C…`; PostgreSQL's uuid type would fold
 * it into the lower-case organization's rows, mixing two streams in one.
 */
export function unprojectableReason(event: Pick<RecordedEvent, 'streamId'>): string | null {
  return isCanonicalStreamId(event.streamId) ? null : `non-canonical stream id ${event.streamId}: an organization's stream is "organization-" and its UUID in lower case`;
}

/** The organization a stream is about, lower-cased (also for a non-canonical id), or null. */
export function organizationOfStream(streamId: string): string | null {
  const id = organizationIdOfStream(streamId);
  return id !== null && ANY_CASE_UUID.test(id) ? id.toLowerCase() : null;
}

/** Serialises the live projector's batches with `projector retry` on one generation's quarantine. */
export async function lockQuarantine(client: PoolClient, schema: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`quarantine:${schema}`]);
}

export async function quarantinedStreams(client: Pick<PoolClient, 'query'>, schema: string): Promise<Set<string>> {
  const { rows } = await client.query<{ stream_id: string }>(`SELECT DISTINCT stream_id FROM ${schemaIdentifier(schema)}.quarantined_events`);
  return new Set(rows.map((row) => row.stream_id));
}

/**
 * One batch into one generation with its checkpoint, inside the caller's
 * transaction, isolating poison events. The whole batch is tried first (the
 * common case: one set of statements); if it fails, it is applied again event
 * by event, each in a savepoint, which finds the poison event(s). An event
 * counts once in the checkpoint whether applied or quarantined, so the audit
 * trail's sequence does not depend on it. Answers what was quarantined.
 */
export async function applyBatchIsolating(client: PoolClient, schema: string, batch: RecordedEvent[], options: { timelines?: boolean } = {}): Promise<QuarantinedEvent[]> {
  if (batch.length === 0) return [];
  await lockQuarantine(client, schema);
  const held = await quarantinedStreams(client, schema);
  const suspect = batch.some((event) => held.has(event.streamId) || unprojectableReason(event) !== null);
  if (!suspect) {
    await client.query('SAVEPOINT whole_batch');
    try {
      await applyBatch(client, schema, batch, options);
      await client.query('RELEASE SAVEPOINT whole_batch');
      return [];
    } catch (error) {
      if (!isEventFailure(error)) throw error;
      await client.query('ROLLBACK TO SAVEPOINT whole_batch');
    }
  }
  const quarantined: QuarantinedEvent[] = [];
  for (const event of batch) {
    let reason: 'failed' | 'held' = 'failed';
    let failure = unprojectableReason(event);
    if (held.has(event.streamId)) {
      reason = 'held';
      failure = `held: an earlier event of stream ${event.streamId} is quarantined`;
    }
    if (failure === null) {
      await client.query('SAVEPOINT one_event');
      try {
        await applyBatch(client, schema, [event], options);
        await client.query('RELEASE SAVEPOINT one_event');
        continue;
      } catch (error) {
        if (!isEventFailure(error)) throw error;
        await client.query('ROLLBACK TO SAVEPOINT one_event');
        failure = (error as Error).message;
      }
    }
    quarantined.push(await quarantine(client, schema, event, reason, failure));
    held.add(event.streamId);
  }
  return quarantined;
}

/** Records one event in the quarantine and moves the checkpoint past it. */
async function quarantine(client: PoolClient, schema: string, event: RecordedEvent, reason: 'failed' | 'held', error: string): Promise<QuarantinedEvent> {
  const quotedSchema = schemaIdentifier(schema);
  // Auditors see it in the trail: its audit row, when even that can be written (it names no value that can overflow).
  await client.query('SAVEPOINT audit_row');
  try {
    await applyAuditEvents(client, schema, [event], PROJECTION);
    await client.query('RELEASE SAVEPOINT audit_row');
  } catch (auditError) {
    if (!isEventFailure(auditError)) throw auditError;
    await client.query('ROLLBACK TO SAVEPOINT audit_row');
  }
  const organizationId = organizationOfStream(event.streamId);
  const { rows } = await client.query<QuarantineRow>(
    `INSERT INTO ${quotedSchema}.quarantined_events (event_id, sequence, position, stream_id, revision, event_type, organization_id, province_code, reason, error)
     SELECT $1, coalesce((SELECT events_applied FROM ${quotedSchema}.projection_checkpoints WHERE projection = $2), 0) + 1, $3, $4, $5, $6, $7::uuid,
            coalesce($8, (SELECT data->>'provinceCode' FROM ${quotedSchema}.organization_facts WHERE organization_id = $7::uuid AND revision = 0)),
            $9, $10
     ON CONFLICT (event_id) DO UPDATE SET error = EXCLUDED.error
     RETURNING ${QUARANTINE_COLUMNS}`,
    [
      event.metadata.eventId,
      PROJECTION,
      event.position,
      event.streamId,
      event.revision,
      event.type,
      organizationId,
      event.type === 'OrganizationRegistered' && typeof event.data.provinceCode === 'string' ? event.data.provinceCode : null,
      reason,
      error.slice(0, 2000),
    ],
  );
  await writeCheckpoint(client, schema, event.position, 1);
  return toQuarantined(rows[0]);
}

/**
 * A rebuild's second phase projects each organization's timeline from its
 * stored facts (rebuild.ts): when that fails for an organization, its first
 * revision whose fact cannot be projected is found (each prefix of its facts
 * tried in a savepoint), its facts from there on are taken out and those
 * events quarantined as the live projector would have (the first failed, the
 * rest held), and the prefix is projected. Answers what was quarantined.
 * `options`: as the timeline phase's own projection (organization-projection.ts).
 */
export async function projectTimelineIsolating(
  client: PoolClient,
  schema: string,
  organizationId: string,
  options: Pick<ProjectOptions, 'assertNoOverlap' | 'alterFoldedRows'> = {},
): Promise<QuarantinedEvent[]> {
  const quotedSchema = schemaIdentifier(schema);
  const project = async (from: number | null): Promise<string | null> => {
    await client.query('SAVEPOINT timeline');
    try {
      if (from !== null) await client.query(`DELETE FROM ${quotedSchema}.organization_facts WHERE organization_id = $1 AND revision >= $2`, [organizationId, from]);
      await projectOrganizationTimelines(client, schema, new Map([[organizationId, 0]]), options);
      return null;
    } catch (error) {
      // Rows of the fold that overlap are the fold's fault, not an event's: the rebuild ends (rebuild/no-overlap.ts).
      if (!isEventFailure(error) || error instanceof TimelineOverlapError) throw error;
      return (error as Error).message;
    } finally {
      await client.query('ROLLBACK TO SAVEPOINT timeline'); // every attempt is a probe
    }
  };
  const whole = await project(null);
  if (whole === null) {
    await projectOrganizationTimelines(client, schema, new Map([[organizationId, 0]]), options);
    return [];
  }
  const { rows: facts } = await client.query<{ revision: number }>(`SELECT revision FROM ${quotedSchema}.organization_facts WHERE organization_id = $1 ORDER BY revision`, [organizationId]);
  let poison = facts[facts.length - 1].revision;
  let error = whole;
  // The longest prefix that projects ends just before the poison fact.
  for (let k = 1; k < facts.length; k++) {
    const failure = await project(facts[k].revision);
    if (failure !== null) {
      poison = facts[k - 1].revision;
      error = failure;
      break;
    }
  }
  await client.query(`DELETE FROM ${quotedSchema}.organization_facts WHERE organization_id = $1 AND revision >= $2`, [organizationId, poison]);
  await projectOrganizationTimelines(client, schema, new Map([[organizationId, 0]]), options);
  const { rows } = await client.query<QuarantineRow>(
    `INSERT INTO ${quotedSchema}.quarantined_events (event_id, sequence, position, stream_id, revision, event_type, organization_id, province_code, reason, error)
     SELECT a.event_id, a.sequence, a.position, a.stream_id, a.revision, a.event_type, a.organization_id, a.province_code,
            CASE WHEN a.revision = $1 THEN 'failed' ELSE 'held' END,
            CASE WHEN a.revision = $1 THEN $2 ELSE 'held: an earlier event of stream ' || a.stream_id || ' is quarantined' END
       FROM ${quotedSchema}.audit_events a
      WHERE a.stream_id = $3 AND a.revision >= $1
     ON CONFLICT (event_id) DO NOTHING
     RETURNING ${QUARANTINE_COLUMNS}`,
    [poison, error.slice(0, 2000), `${ORGANIZATION_STREAM_PREFIX}${organizationId}`],
  );
  return rows.map(toQuarantined);
}

/**
 * Streams stored under a non-canonical id that older code projected before
 * it refused them: their rows are in the read models under the lower-cased
 * id (the uuid type folds case). Found by the audit trail, which keeps the
 * stream id as stored, and quarantined at start so the health check names
 * them and the answers involving them say they are degraded.
 */
export async function quarantineStoredNonCanonicalStreams(client: PoolClient, schema: string): Promise<QuarantinedEvent[]> {
  const quotedSchema = schemaIdentifier(schema);
  await lockQuarantine(client, schema);
  const { rows } = await client.query<QuarantineRow>(
    `INSERT INTO ${quotedSchema}.quarantined_events (event_id, sequence, position, stream_id, revision, event_type, organization_id, province_code, reason, error)
     SELECT a.event_id, a.sequence, a.position, a.stream_id, a.revision, a.event_type, a.organization_id, a.province_code,
            CASE WHEN a.revision = min(a.revision) OVER (PARTITION BY a.stream_id) THEN 'failed' ELSE 'held' END,
            'non-canonical stream id ' || a.stream_id || ': an organization''s stream is "organization-" and its UUID in lower case (projected by an older version)'
       FROM ${quotedSchema}.audit_events a
      WHERE a.stream_id LIKE 'organization-%' AND a.stream_id <> lower(a.stream_id)
     ON CONFLICT (event_id) DO NOTHING
     RETURNING ${QUARANTINE_COLUMNS}`,
  );
  return rows.map(toQuarantined);
}

export interface QuarantineRow {
  event_id: string;
  position: string;
  stream_id: string;
  revision: string;
  event_type: string;
  organization_id: string | null;
  province_code: string | null;
  reason: 'failed' | 'held';
  error: string;
  quarantined_at: string;
  attempts: number;
}

export const QUARANTINE_COLUMNS = `event_id, position, stream_id, revision, event_type, organization_id, province_code, reason, error,
  to_char(quarantined_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS quarantined_at, attempts`;

export function toQuarantined(row: QuarantineRow): QuarantinedEvent {
  return {
    eventId: row.event_id,
    position: row.position,
    streamId: row.stream_id,
    revision: Number(row.revision),
    type: row.event_type,
    organizationId: row.organization_id,
    provinceCode: row.province_code,
    reason: row.reason,
    error: row.error,
    quarantinedAt: row.quarantined_at,
    attempts: row.attempts,
  };
}

/** Every quarantined event of a generation, in log order. */
export async function listQuarantined(db: Pick<PoolClient, 'query'>, schema: string): Promise<QuarantinedEvent[]> {
  const { rows } = await db.query<QuarantineRow>(
    `SELECT ${QUARANTINE_COLUMNS} FROM ${schemaIdentifier(schema)}.quarantined_events ORDER BY sequence`,
  );
  return rows.map(toQuarantined);
}

