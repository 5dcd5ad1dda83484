import type { PoolClient } from 'pg';
import { schemaIdentifier } from '../generations';
import { TimelineOverlapError } from '../organizations/timeline-overlap';

/**
 * The no-overlap guarantee of the timeline (no two rows of one organization
 * overlap in both effective and recorded time; migration 1733700000000)
 * during a rebuild: its triggers are off while the rows are loaded (each
 * statement would check its rows against a table without its indexes), and
 * the timeline phase checks each organization's rows in Node as it folds them,
 * before they are written (organizations/timeline-overlap.ts, timeline-phase.ts):
 * an overlap raises TimelineOverlapError, SQLSTATE 23P01 naming the
 * organization and two rows, and the rebuild ends. The triggers are on again
 * before the switch, whose rows go the live way.
 */
export const NO_OVERLAP_TRIGGERS = ['organization_timeline_no_overlap_insert', 'organization_timeline_no_overlap_update'];

export async function setNoOverlapTriggers(client: PoolClient, schema: string, enabled: boolean): Promise<void> {
  const table = `${schemaIdentifier(schema)}.organization_timeline`;
  for (const trigger of NO_OVERLAP_TRIGGERS) await client.query(`ALTER TABLE ${table} ${enabled ? 'ENABLE' : 'DISABLE'} TRIGGER ${trigger}`);
}

export { TimelineOverlapError } from '../organizations/timeline-overlap';

/**
 * Checks every row of a timeline table against the others of its organization (a hash join on
 * organization_id), set-based: 9-13 s of CPU on the national log, so a rebuild no longer runs it (it
 * checks the rows as it folds them); kept for tests and for checking any table.
 */
export async function assertNoTimelineOverlap(client: Pick<PoolClient, 'query'>, schema: string): Promise<void> {
  const table = `${schemaIdentifier(schema)}.organization_timeline`;
  const { rows } = await client.query<{ organization_id: string; rows: string }>(
    `SELECT a.organization_id, format('valid %s known %s, valid %s known %s', a.valid, a.known, b.valid, b.known) AS rows
       FROM ${table} a JOIN ${table} b
         ON b.organization_id = a.organization_id AND b.ctid > a.ctid AND b.valid && a.valid AND b.known && a.known
      LIMIT 1`,
  );
  if (rows[0]) throw new TimelineOverlapError(rows[0].organization_id, rows[0].rows);
}
