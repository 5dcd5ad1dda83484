import type { PoolClient } from 'pg';
import { organizationIdOfStream, planIdOfStream } from '@ktt/domain';
import type { RecordedEvent } from '@ktt/event-store';
import { schemaIdentifier } from '../generations';

/**
 * The audit trail (`audit_events`): one row per organization or plan event,
 * with who recorded it, where (the province), what it was about and whether a
 * correction retracted it. Reservations and idempotency records are
 * bookkeeping of the write side, not facts an auditor reviews.
 *
 * Runs after the organization and plan facts of the same batch are stored, so
 * the province of a later event is found from its stream's registration (or
 * adoption) fact, or its latest relocation, even when both arrive in one batch. Idempotent: rows are
 * keyed by event id, and the correction links are set to the same values again.
 * `checkpoint` names the projection whose checkpoint row counts the events applied (see `sequence`).
 */
export async function applyAuditEvents(client: PoolClient, schema: string, batch: RecordedEvent[], checkpoint: string): Promise<void> {
  const quotedSchema = schemaIdentifier(schema);
  const rows = batch
    .map((event, index) => ({ event, index }))
    .filter(({ event }) => organizationIdOfStream(event.streamId) !== null || planIdOfStream(event.streamId) !== null);
  if (rows.length === 0) return;

  // `sequence` orders the trail in log order where recorded times tie. It is the event's place in the
  // whole log: the checkpoint's count of events applied before this batch plus its index in the batch.
  // That number does not depend on how the log was cut into batches, so a rebuild or a replay gives
  // every event the same sequence as the live projector did (and it costs one row, not a max() scan).
  const { rows: applied } = await client.query<{ events_applied: string }>(
    `SELECT events_applied FROM ${quotedSchema}.projection_checkpoints WHERE projection = $1`,
    [checkpoint],
  );
  const before = Number(applied[0]?.events_applied ?? 0);

  await client.query(
    `INSERT INTO ${quotedSchema}.audit_events (event_id, position, stream_id, revision, event_type, recorded_at, recorded_by,
                                      organization_id, province_code, effective_on, decision_ref, corrects_event_id, sequence, source)
     SELECT u.event_id, u.position, u.stream_id, u.revision, u.event_type, u.recorded_at, u.recorded_by,
            u.organization_id,
            -- where: the seat's unit as the event itself names it (a registration, a relocation), else as the latest
            -- registration or relocation before it in its stream names it; a plan's adopting province
            coalesce(u.province_code, o.unit, p.data->>'provinceCode'),
            u.effective_on, u.decision_ref, u.corrects_event_id, u.sequence, u.source
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::text[], $6::timestamptz[], $7::text[],
                   $8::uuid[], $9::text[], $10::text[], $11::date[], $12::text[], $13::uuid[], $14::bigint[], $15::jsonb[])
         AS u(event_id, position, stream_id, revision, event_type, recorded_at, recorded_by,
              organization_id, plan_id, province_code, effective_on, decision_ref, corrects_event_id, sequence, source)
       LEFT JOIN LATERAL (
         SELECT coalesce(f.data->>'formerProvinceCode', f.data->>'provinceCode') AS unit FROM ${quotedSchema}.organization_facts f
          WHERE f.organization_id = u.organization_id AND f.revision < u.revision AND f.event_type IN ('OrganizationRegistered', 'OrganizationRelocated')
          ORDER BY f.revision DESC LIMIT 1) o ON u.organization_id IS NOT NULL
       LEFT JOIN ${quotedSchema}.plan_facts p
         ON p.plan_id = u.plan_id AND p.revision = 0 AND p.event_type = 'PlanAdopted'
     ON CONFLICT (event_id) DO NOTHING`,
    [
      rows.map(({ event }) => event.metadata.eventId),
      rows.map(({ event }) => event.position),
      rows.map(({ event }) => event.streamId),
      rows.map(({ event }) => event.revision),
      rows.map(({ event }) => event.type),
      rows.map(({ event }) => event.metadata.recordedAt),
      rows.map(({ event }) => event.metadata.recordedBy),
      rows.map(({ event }) => organizationIdOfStream(event.streamId)),
      rows.map(({ event }) => planIdOfStream(event.streamId)),
      rows.map(({ event }) => (NAMES_A_SEAT.has(event.type) ? text(event.data.formerProvinceCode) ?? text(event.data.provinceCode) : null)),
      rows.map(({ event }) => text(event.data.effectiveOn)),
      rows.map(({ event }) => decisionRef(event.data)),
      rows.map(({ event }) => (event.type === 'RecordCorrected' ? text(event.data.retractedEventId) : null)),
      rows.map(({ index }) => String(before + index + 1)),
      // The file an imported event came from (its metadata `source`), so the trail traces a record to it.
      rows.map(({ event }) => (event.metadata.source ? JSON.stringify(event.metadata.source) : null)),
    ],
  );

  // The retracted event's row points to its correction (it was recorded earlier, in this batch or before).
  const corrections = rows.filter(({ event }) => event.type === 'RecordCorrected' && text(event.data.retractedEventId));
  if (corrections.length > 0) {
    await client.query(
      `UPDATE ${quotedSchema}.audit_events a SET corrected_by_event_id = c.correction
         FROM unnest($1::uuid[], $2::uuid[]) AS c(retracted, correction)
        WHERE a.event_id = c.retracted`,
      [corrections.map(({ event }) => event.data.retractedEventId), corrections.map(({ event }) => event.metadata.eventId)],
    );
  }
}

/**
 * The events that name a place: an organization's seat (its unit: `formerProvinceCode ?? provinceCode`,
 * domain.md "Administrative units") or a plan's adopting province; later events take it from these.
 */
const NAMES_A_SEAT = new Set(['OrganizationRegistered', 'OrganizationRelocated', 'PlanAdopted']);

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A dissolution's decision, also when a correction puts a dissolution with another decision in place. */
function decisionRef(data: Record<string, unknown>): string | null {
  const replacement = data.replacement as { data?: Record<string, unknown> } | null | undefined;
  return text(data.decisionRef) ?? text(replacement?.data?.decisionRef);
}
