import type { PoolClient } from 'pg';
import { schemaIdentifier } from '../generations';

/**
 * The no-overlap guarantee of the timeline (no two rows of one organization
 * overlap in both effective and recorded time; migration 1733700000000) during
 * a rebuild: its triggers are off while the rows are loaded (each statement
 * would check its rows against a table without its indexes), and the whole
 * table is checked once, set-based, after the load. Answers nothing; an
 * overlap raises SQLSTATE 23P01 naming the organization, as adding the
 * exclusion constraint after the load did, and the rebuild ends.
 */
export const NO_OVERLAP_TRIGGERS = ['organization_timeline_no_overlap_insert', 'organization_timeline_no_overlap_update'];

export async function setNoOverlapTriggers(client: PoolClient, schema: string, enabled: boolean): Promise<void> {
  const table = `${schemaIdentifier(schema)}.organization_timeline`;
  for (const trigger of NO_OVERLAP_TRIGGERS) await client.query(`ALTER TABLE ${table} ${enabled ? 'ENABLE' : 'DISABLE'} TRIGGER ${trigger}`);
}

export class TimelineOverlapError extends Error {
  readonly code = '23P01'; // exclusion_violation, as the constraint raised
  readonly severity = 'ERROR';
  constructor(
    readonly organizationId: string,
    readonly rows: string,
  ) {
    super(`timeline rows of organization ${organizationId} overlap in effective and recorded time (${rows})`);
    this.name = 'TimelineOverlapError';
  }
}

/** Checks every row of the timeline against the others of its organization (a hash join on organization_id). */
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
