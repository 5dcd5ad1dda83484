import type { PoolClient } from 'pg';
import { evolve, foldHistory, organizationIdOfStream, upcast, type OrganizationEvent, type OrganizationHistory, type OrganizationState } from '@ktt/domain';
import type { RecordedEvent } from '@ktt/event-store';
import { computeTimeline, membershipRanges, searchText } from './timeline';
import { schemaIdentifier } from '../generations';

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
export async function projectOrganizationTimelines(client: PoolClient, schema: string, firstNewRevision: Map<string, number>): Promise<void> {
  if (firstNewRevision.size === 0) return;
  const quotedSchema = schemaIdentifier(schema);
  const ids = [...firstNewRevision.keys()];
  const { rows } = await client.query<{ organization_id: string; event_type: string; data: OrganizationEvent['data']; recorded_at: string }>(
    `SELECT organization_id, event_type, data, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at
       FROM ${quotedSchema}.organization_facts WHERE organization_id = ANY($1::uuid[]) ORDER BY organization_id, revision`,
    [ids],
  );
  const byOrganization = new Map<string, KnownEvent[]>();
  for (const row of rows) {
    const list = byOrganization.get(row.organization_id) ?? [];
    list.push({ event: { type: row.event_type, data: row.data } as OrganizationEvent, recordedAt: row.recorded_at });
    byOrganization.set(row.organization_id, list);
  }

  const change: RowChanges = { timelineInserts: [], timelineCloses: [], membershipInserts: [], membershipCloses: [] };
  for (const [id, history] of byOrganization) bitemporalChanges(id, history, firstNewRevision.get(id)!, change);
  // Only organizations with rows from earlier batches may hold open rows of an older version.
  const stale = [...byOrganization].filter(([id]) => firstNewRevision.get(id)! > 0);
  await writeChanges(client, quotedSchema, change, stale.map(([id, history]) => [id, history.length - 1] as const));
}

interface KnownEvent {
  event: OrganizationEvent;
  /** UTC, milliseconds: when the system learned it. */
  recordedAt: string;
}

interface RowChanges {
  timelineInserts: Record<string, unknown>[];
  /** Rows open in the table (upper_inf(known)) that end at `at`; one organization's open rows never share a valid range. */
  timelineCloses: { organizationId: string; valid: string; at: string; version: number }[];
  membershipInserts: Record<string, unknown>[];
  membershipCloses: { unionId: string; cooperativeId: string; valid: string; at: string }[];
}

interface OpenRow {
  key: string;
  row: Record<string, unknown>;
  /** Null: already in the table (opened by an earlier batch); else opened at this moment in this batch. */
  openedAt: string | null;
}

/**
 * What the new facts of one organization change, over both clocks. Each
 * recorded moment t (events recorded together share one) is a version of the
 * timeline, computed from the facts recorded up to t; a row keeps the
 * recorded-time range in which its (valid range, state) stayed in the
 * timeline. So `known @> T` gives exactly what the system knew at T,
 * back-dated records and corrections included, without a replay per query.
 * Incremental: the versions before the first new fact are already in the
 * table; only later versions are computed, and rows they end are closed.
 */
export function bitemporalChanges(id: string, history: KnownEvent[], firstNew: number, change: RowChanges): void {
  const open = new Map<string, OpenRow>();
  const openMemberships = new Map<string, OpenRow>();
  // The fold grows one event at a time (the domain's own evolve), not refolded from the start for every version.
  let folded: OrganizationHistory | null = firstNew > 0 ? foldHistory(history.slice(0, firstNew).map((known) => known.event)) : null;
  if (firstNew > 0) {
    // The table's open rows are the timeline of the version before the first new fact.
    const before = versionRows(id, folded);
    for (const [valid, row] of before.timeline) open.set(valid, { ...row, openedAt: null });
    for (const [key, row] of before.memberships) openMemberships.set(key, { ...row, openedAt: null });
  }
  let knownFrom = firstNew > 0 ? history[firstNew - 1].recordedAt : '';
  // A row that a version ends carries, as its version, the stream's last revision while it was known:
  // deterministic whatever the batches, so a rebuild writes the same rows as the live projector.
  let lastKnownRevision = firstNew - 1;
  for (let k = firstNew; k < history.length; k++) {
    folded = evolve(folded, history[k].event);
    // Clocks of several api replicas may disagree a little: recorded times are kept non-decreasing.
    const recordedAt = history[k].recordedAt > knownFrom ? history[k].recordedAt : knownFrom;
    knownFrom = recordedAt;
    if (k + 1 < history.length && history[k + 1].recordedAt <= recordedAt) continue; // recorded together: one version
    const now = versionRows(id, folded);
    const version = lastKnownRevision;
    diff(open, now.timeline, recordedAt, (valid, ended) =>
      ended.openedAt === null
        ? change.timelineCloses.push({ organizationId: id, valid, at: recordedAt, version })
        : ended.openedAt !== recordedAt && change.timelineInserts.push({ ...ended.row, version, known: `[${ended.openedAt},${recordedAt})` }),
    );
    lastKnownRevision = k;
    diff(openMemberships, now.memberships, recordedAt, (_key, ended) =>
      ended.openedAt === null
        ? change.membershipCloses.push({ unionId: id, cooperativeId: ended.row.cooperative_id as string, valid: ended.row.valid as string, at: recordedAt })
        : ended.openedAt !== recordedAt && change.membershipInserts.push({ ...ended.row, known: `[${ended.openedAt},${recordedAt})` }),
    );
  }
  // Rows still open carry the stream's latest version (If-Match); rows opened by earlier batches get it in writeChanges.
  const latest = history.length - 1;
  for (const row of open.values()) if (row.openedAt !== null) change.timelineInserts.push({ ...row.row, version: latest, known: `[${row.openedAt},)` });
  for (const row of openMemberships.values()) if (row.openedAt !== null) change.membershipInserts.push({ ...row.row, known: `[${row.openedAt},)` });
}

/** Rows no longer in the new version end (`onEnd`); new ones open at `at`; unchanged ones stay open. */
function diff(open: Map<string, OpenRow>, now: Map<string, { key: string; row: Record<string, unknown> }>, at: string, onEnd: (slot: string, row: OpenRow) => void): void {
  for (const [slot, current] of open) {
    if (now.get(slot)?.key === current.key) continue;
    onEnd(slot, current);
    open.delete(slot);
  }
  for (const [slot, next] of now) if (!open.has(slot)) open.set(slot, { ...next, openedAt: at });
}

/** One version's rows: timeline by valid range, memberships by (cooperative, valid range). */
function versionRows(id: string, folded: OrganizationHistory | null) {
  const segments = folded ? computeTimeline(folded) : [];
  const timeline = new Map<string, { key: string; row: Record<string, unknown> }>();
  for (const { from, to, state } of segments) {
    const row = timelineRow(id, from, to, state);
    timeline.set(row.valid as string, { key: JSON.stringify(row), row });
  }
  const memberships = new Map<string, { key: string; row: Record<string, unknown> }>();
  if (folded?.kind === 'union') {
    for (const range of membershipRanges(id, segments)) {
      const row = { union_id: range.unionId, cooperative_id: range.cooperativeId, valid: `[${range.from},${range.to ?? ''})`, union_province_code: range.unionUnit };
      const key = JSON.stringify(row);
      memberships.set(`${range.cooperativeId}|${row.valid}`, { key, row });
    }
  }
  return { timeline, memberships };
}

async function writeChanges(client: PoolClient, quotedSchema: string, change: RowChanges, versions: (readonly [string, number])[]): Promise<void> {
  if (change.timelineCloses.length > 0) {
    // The organizations' open rows are found by `organization_id = ANY(…)` alone, which only the btree can
    // serve (GiST has no array search), then matched in memory and updated by ctid. Joined directly, the
    // planner probed the province GiST index with `valid = …` per row, searching most of it each time,
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
  if (change.timelineInserts.length > 0) {
    await client.query(
      `INSERT INTO ${quotedSchema}.organization_timeline SELECT * FROM jsonb_populate_recordset(NULL::${quotedSchema}.organization_timeline, $1::jsonb)`,
      [JSON.stringify(change.timelineInserts)],
    );
  }
  if (change.membershipInserts.length > 0) {
    await client.query(
      `INSERT INTO ${quotedSchema}.union_memberships SELECT * FROM jsonb_populate_recordset(NULL::${quotedSchema}.union_memberships, $1::jsonb)`,
      [JSON.stringify(change.membershipInserts)],
    );
  }
  // The stream's latest version (for If-Match) on every row in force now, also on rows no fact changed.
  if (versions.length === 0) return;
  await client.query(
    `UPDATE ${quotedSchema}.organization_timeline t SET version = v.version
       FROM unnest($1::uuid[], $2::int[]) AS v(organization_id, version)
      WHERE t.organization_id = v.organization_id AND upper_inf(t.known) AND t.version <> v.version`,
    [versions.map(([id]) => id), versions.map(([, version]) => version)],
  );
}

function timelineRow(id: string, from: string, to: string | null, state: OrganizationState): Record<string, unknown> {
  return {
    organization_id: id,
    valid: `[${from},${to ?? ''})`,
    kind: state.kind,
    name: state.name,
    search_text: searchText(state.name, state.registrationNumber),
    registration_number: state.registrationNumber,
    // The seat's unit (the first-map province holding it), not the code as recorded: a territory is a set of units.
    province_code: state.formerProvinceCode,
    sector: state.sector,
    status: state.status,
    registered_on: state.registeredOn,
    dissolved_on: state.dissolvedOn,
    member_count: state.memberCount,
    rating: state.rating?.rating ?? null,
    rating_year: state.rating?.year ?? null,
    rated_on: state.rating?.ratedOn ?? null,
    managers_total: state.managers?.total ?? null,
    managers_with_degree: state.managers?.withDegree ?? null,
    director_trained: state.directorTrained,
    value_chain: state.valueChain,
    high_tech: state.highTech,
    enterprise_linked: state.enterpriseLinked,
    digital_adoption: state.digitalAdoption,
    member_cooperative_ids: `{${state.memberCooperativeIds.join(',')}}`,
    version: 0, // set to the stream's latest version in writeChanges
  };
}
