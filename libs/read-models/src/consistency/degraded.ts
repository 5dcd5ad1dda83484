import type { Pool } from 'pg';
import { Generation } from '../generations';

/**
 * What an answer lacks because events are quarantined (api.md: an answer that
 * involves an organization whose events are quarantined carries
 * `degraded: { quarantinedEvents, organizationIds }`). `streamIds` names every
 * stream held, plans' included.
 */
export interface Degraded {
  quarantinedEvents: number;
  organizationIds: string[];
  streamIds: string[];
}

/**
 * What an answer involves:
 * - `organization`: one organization;
 * - `province`: a province's organizations, by the codes their registrations name (a territory: its
 *   units and its code) (and the plans, whose targets a
 *   province's progress evaluates); a quarantined organization whose province
 *   is unknown (its registration is the poison event) may be anywhere, so it counts too;
 * - `plans`: the plans;
 * - `all`: everything (a list without a province filter, the audit trail).
 */
export type DegradedScope = { organization: string } | { province: string | readonly string[] } | { plans: true } | { all: true };

/** Null when nothing the answer involves is quarantined (the usual case: one indexed look at a small table). */
export async function degradedFor(generation: Generation, scope: DegradedScope): Promise<Degraded | null> {
  const [where, parameters] =
    'organization' in scope
      ? ['organization_id = $1::uuid', [scope.organization]]
      : 'province' in scope
        ? [`province_code = ANY($1::text[]) OR (organization_id IS NOT NULL AND province_code IS NULL) OR stream_id LIKE 'plan-%'`, [typeof scope.province === 'string' ? [scope.province] : [...scope.province]]]
        : 'plans' in scope
          ? [`stream_id LIKE 'plan-%'`, []]
          : ['true', []];
  const { rows } = await generation.pool.query<{ events: number; organization_ids: string[] | null; stream_ids: string[] | null }>(
    `SELECT count(*)::int AS events,
            array_agg(DISTINCT organization_id::text ORDER BY organization_id::text) FILTER (WHERE organization_id IS NOT NULL) AS organization_ids,
            array_agg(DISTINCT stream_id ORDER BY stream_id) AS stream_ids
       FROM ${generation.identifier}.quarantined_events WHERE ${where}`,
    parameters,
  );
  const row = rows[0];
  if (!row || row.events === 0) return null;
  return { quarantinedEvents: row.events, organizationIds: row.organization_ids ?? [], streamIds: row.stream_ids ?? [] };
}

/** Whether commands to this organization are refused (409 STREAM_QUARANTINED) until `projector retry` clears it. */
export class StreamQuarantinedError extends Error {
  readonly code = 'STREAM_QUARANTINED';
}

/**
 * Throws StreamQuarantinedError when the active generation holds events of
 * this organization's stream in quarantine: a command decided on history the
 * read side cannot show would only add to what is held. `authorize` runs
 * first, with the province the quarantine knows for it, so a caller who may
 * not write there learns nothing about the quarantine (403 before 409).
 */
export async function refuseIfQuarantined(pool: Pool, organizationId: string, authorize: (provinceCode: string | null) => void = () => undefined): Promise<void> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(organizationId)) return; // the command's own validation answers
  const id = organizationId.toLowerCase();
  const { rows } = await pool.query<{ schema_name: string }>(`SELECT schema_name FROM read_model_generations WHERE state = 'active'`);
  if (!rows[0]) return;
  const generation = new Generation(pool, rows[0].schema_name);
  const degraded = await degradedFor(generation, { organization: id });
  if (!degraded) return;
  const { rows: province } = await pool.query<{ province_code: string | null }>(
    `SELECT province_code FROM ${generation.identifier}.quarantined_events WHERE organization_id = $1 AND province_code IS NOT NULL LIMIT 1`,
    [id],
  );
  authorize(province[0]?.province_code ?? null);
  throw new StreamQuarantinedError(
    `the events of organization ${id} are quarantined (${degraded.quarantinedEvents}; streams ${degraded.streamIds.join(', ')}): ` +
      'no command is accepted until an operator fixes them and runs `projector retry`',
  );
}
