import type { PoolClient } from 'pg';
import { organizationIdOfStream, upcast, type OrganizationEvent } from '@ktt/domain';
import type { RecordedEvent } from '@ktt/event-store';
import { bitemporalChanges, emptyRowChanges, MEMBERSHIP_COLUMNS, type KnownEvent, type RowChanges, type TimelineRow } from './timeline-fold';
import { assertNoTimelineRowsOverlap } from './timeline-overlap';
import { copyTextLines, copyTimelineRows } from './timeline-copy';
import { schemaIdentifier } from '../generations';

export { bitemporalChanges, type KnownEvent, type RowChanges } from './timeline-fold';

/**
 * Applies a batch of organization events inside the caller's transaction.
 * Idempotent: facts are keyed by event id, and only facts new to the table
 * change rows, so applying any event twice leaves the same rows.
 */
export async function applyOrganizationEvents(client: PoolClient, schema: string, events: RecordedEvent[]): Promise<void> {
  await projectOrganizationTimelines(client, schema, await insertOrganizationFacts(client, schema, events));
}

/**
 * Stores the organization events of a batch as facts; answers, for each
 * organization with facts new to the table, the revision of its first new one
 * (an event applied again is not new).
 */
export async function insertOrganizationFacts(client: PoolClient, schema: string, events: RecordedEvent[]): Promise<Map<string, number>> {
  const quotedSchema = schemaIdentifier(schema);
  const facts = events.filter((event) => organizationIdOfStream(event.streamId) !== null);
  const firstNewRevision = new Map<string, number>();
  if (facts.length === 0) return firstNewRevision;
  // RETURNING names the facts that are new: an event applied again adds nothing and changes nothing.
  const inserted = await client.query<{ organization_id: string; revision: number }>(
    `INSERT INTO ${quotedSchema}.organization_facts (event_id, organization_id, revision, event_type, data, recorded_at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::jsonb[], $6::timestamptz[])
     ON CONFLICT (event_id) DO NOTHING
     RETURNING organization_id, revision`,
    [
      facts.map((event) => event.metadata.eventId),
      facts.map((event) => organizationIdOfStream(event.streamId)),
      facts.map((event) => event.revision),
      facts.map((event) => event.type),
      // The facts table holds the current shape: stored v1 events are upcast on the way in.
      facts.map((event) => JSON.stringify(upcast({ ...event, schemaVersion: event.metadata.schemaVersion }).data)),
      facts.map((event) => event.metadata.recordedAt),
    ],
  );
  for (const row of inserted.rows) {
    firstNewRevision.set(row.organization_id, Math.min(firstNewRevision.get(row.organization_id) ?? Infinity, row.revision));
  }
  return firstNewRevision;
}

/**
 * Brings the timeline and membership rows of these organizations up to their
 * stored facts, given each one's first revision not yet reflected in the rows
 * (0: none is, as in a rebuild's second phase, which projects every
 * organization's whole history at once and so writes only inserts).
 */
export async function projectOrganizationTimelines(
  client: PoolClient,
  schema: string,
  firstNewRevision: Map<string, number>,
  options: Pick<ProjectOptions, 'assertNoOverlap' | 'alterFoldedRows'> = {},
): Promise<void> {
  if (firstNewRevision.size === 0) return;
  await projectKnownEvents(client, schema, await readKnownEvents(client, schema, [...firstNewRevision.keys()]), firstNewRevision, options);
}

/** Every stored fact of these organizations, by organization, in stream order. */
export async function readKnownEvents(client: PoolClient, schema: string, ids: string[]): Promise<Map<string, KnownEvent[]>> {
  const { rows } = await client.query<{ organization_id: string; event_type: string; data: OrganizationEvent['data']; recorded_at: string }>(
    `SELECT organization_id, event_type, data, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at
       FROM ${schemaIdentifier(schema)}.organization_facts WHERE organization_id = ANY($1::uuid[]) ORDER BY organization_id, revision`,
    [ids],
  );
  const byOrganization = new Map<string, KnownEvent[]>();
  for (const row of rows) {
    const list = byOrganization.get(row.organization_id) ?? [];
    list.push({ event: { type: row.event_type, data: row.data } as OrganizationEvent, recordedAt: row.recorded_at });
    byOrganization.set(row.organization_id, list);
  }
  return byOrganization;
}

export interface ProjectOptions {
  /** Timeline rows in COPY's binary format (timeline-copy.ts `binaryFits`). */
  binaryCopy?: boolean;
  /**
   * Checks each organization's new timeline rows among themselves before anything is written
   * (timeline-overlap.ts): an overlap throws TimelineOverlapError (23P01). Complete for organizations
   * projected from revision 0, whose new rows are all their rows: a rebuild's timeline phase, which
   * writes with the no-overlap triggers off. The live path leaves the check to the triggers.
   */
  assertNoOverlap?: boolean;
  /** Tests only: changes an organization's folded timeline rows before they are checked and written (a fold that yields an overlap). */
  alterFoldedRows?: (rows: TimelineRow[]) => TimelineRow[];
}

/** `projectOrganizationTimelines` once the facts are read (`readKnownEvents`): a rebuild reads the next chunk's meanwhile. */
export async function projectKnownEvents(
  client: PoolClient,
  schema: string,
  byOrganization: Map<string, KnownEvent[]>,
  firstNewRevision: Map<string, number>,
  options: ProjectOptions = {},
): Promise<void> {
  const change = emptyRowChanges();
  for (const [id, history] of byOrganization) {
    const before = change.timelineInserts.length; // the fold appends this organization's rows
    bitemporalChanges(id, history, firstNewRevision.get(id)!, change);
    if (options.alterFoldedRows) change.timelineInserts.push(...options.alterFoldedRows(change.timelineInserts.splice(before)));
    if (options.assertNoOverlap) assertNoTimelineRowsOverlap(id, change.timelineInserts.slice(before));
  }
  // Only organizations with rows from earlier batches may hold open rows of an older version.
  const stale = [...byOrganization].filter(([id]) => firstNewRevision.get(id)! > 0);
  await writeChanges(client, schemaIdentifier(schema), change, stale.map(([id, history]) => [id, history.length - 1] as const), options.binaryCopy ?? false);
}

async function writeChanges(client: PoolClient, quotedSchema: string, change: RowChanges, versions: (readonly [string, number])[], binaryCopy: boolean): Promise<void> {
  if (change.timelineCloses.length > 0) {
    // The organizations' open rows are found by `organization_id = ANY(…)` alone, which only the btree can
    // serve (GiST has no array search), then matched in memory and updated by ctid. Joined directly, the
    // planner probed the province GiST index (since replaced by a btree) with `valid = …` per row, searching most of it each time,
    // which made a catch-up on the national log crawl.
    await client.query(
      `WITH candidates AS MATERIALIZED (
         SELECT ctid AS row_id, organization_id, valid FROM ${quotedSchema}.organization_timeline
          WHERE organization_id = ANY($1::uuid[]) AND upper_inf(known))
       UPDATE ${quotedSchema}.organization_timeline t SET known = tstzrange(lower(t.known), c.at), version = c.version
         FROM candidates k
         JOIN unnest($1::uuid[], $2::daterange[], $3::timestamptz[], $4::int[]) AS c(organization_id, valid, at, version)
           ON k.organization_id = c.organization_id AND k.valid = c.valid
        WHERE t.ctid = k.row_id`,
      [change.timelineCloses.map((c) => c.organizationId), change.timelineCloses.map((c) => c.valid), change.timelineCloses.map((c) => c.at), change.timelineCloses.map((c) => c.version)],
    );
  }
  if (change.membershipCloses.length > 0) {
    await client.query(
      `UPDATE ${quotedSchema}.union_memberships m SET known = tstzrange(lower(m.known), c.at)
         FROM unnest($1::uuid[], $2::uuid[], $3::daterange[], $4::timestamptz[]) AS c(union_id, cooperative_id, valid, at)
        WHERE m.union_id = c.union_id AND m.cooperative_id = c.cooperative_id AND m.valid = c.valid AND upper_inf(m.known)`,
      [change.membershipCloses.map((c) => c.unionId), change.membershipCloses.map((c) => c.cooperativeId), change.membershipCloses.map((c) => c.valid), change.membershipCloses.map((c) => c.at)],
    );
  }
  if (change.timelineCloses.length + change.membershipCloses.length > 0) {
    // A row closed at the moment it opened (a command's events split over two batches) was never known: drop it,
    // so the rows do not depend on where batches happen to end.
    const ids = versions.map(([id]) => id);
    await client.query(`DELETE FROM ${quotedSchema}.organization_timeline WHERE organization_id = ANY($1::uuid[]) AND isempty(known)`, [ids]);
    await client.query(`DELETE FROM ${quotedSchema}.union_memberships WHERE union_id = ANY($1::uuid[]) AND isempty(known)`, [ids]);
  }
  // COPY, not an INSERT of one JSON document: PostgreSQL parses the rows as it receives them (rebuild profile).
  if (change.timelineInserts.length > 0) await copyTimelineRows(client, `${quotedSchema}.organization_timeline`, change.timelineInserts, binaryCopy);
  if (change.membershipInserts.length > 0) await copyTextLines(client, `${quotedSchema}.union_memberships`, MEMBERSHIP_COLUMNS, change.membershipInserts);
  // The stream's latest version (for If-Match) on every row in force now, also on rows no fact changed.
  if (versions.length === 0) return;
  await client.query(
    `UPDATE ${quotedSchema}.organization_timeline t SET version = v.version
       FROM unnest($1::uuid[], $2::int[]) AS v(organization_id, version)
      WHERE t.organization_id = v.organization_id AND upper_inf(t.known) AND t.version <> v.version`,
    [versions.map(([id]) => id), versions.map(([, version]) => version)],
  );
}

