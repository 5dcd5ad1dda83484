import type { PoolClient } from 'pg';
import { foldHistory, type OrganizationEvent, type OrganizationState } from '@ktt/domain';
import type { RecordedEvent } from '@ktt/event-store';
import { computeTimeline, membershipRanges, searchText } from './timeline';
import { schemaIdentifier } from '../generations';

export const ORGANIZATION_STREAM_PREFIX = 'organization-';

/**
 * Applies a batch of organization events inside the caller's transaction.
 * Idempotent: facts are keyed by event id, and each touched organization's
 * timeline is recomputed from all its facts and replaced, so applying any
 * event twice leaves the same rows.
 */
export async function applyOrganizationEvents(client: PoolClient, schema: string, events: RecordedEvent[]): Promise<void> {
  const rm = schemaIdentifier(schema);
  const facts = events.filter((event) => event.streamId.startsWith(ORGANIZATION_STREAM_PREFIX));
  if (facts.length === 0) return;
  await client.query(
    `INSERT INTO ${rm}.organization_facts (event_id, organization_id, revision, event_type, data, recorded_at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::jsonb[], $6::timestamptz[])
     ON CONFLICT (event_id) DO NOTHING`,
    [
      facts.map((event) => event.metadata.eventId),
      facts.map((event) => event.streamId.slice(ORGANIZATION_STREAM_PREFIX.length)),
      facts.map((event) => event.revision),
      facts.map((event) => event.type),
      facts.map((event) => JSON.stringify(event.data)),
      facts.map((event) => event.metadata.recordedAt),
    ],
  );
  const ids = [...new Set(facts.map((event) => event.streamId.slice(ORGANIZATION_STREAM_PREFIX.length)))];
  const { rows } = await client.query<{ organization_id: string; event_type: string; data: OrganizationEvent['data']; recorded_at: string }>(
    `SELECT organization_id, event_type, data, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at
       FROM ${rm}.organization_facts WHERE organization_id = ANY($1::uuid[]) ORDER BY organization_id, revision`,
    [ids],
  );
  const byOrganization = new Map<string, KnownEvent[]>();
  for (const row of rows) {
    const list = byOrganization.get(row.organization_id) ?? [];
    list.push({ event: { type: row.event_type, data: row.data } as OrganizationEvent, recordedAt: row.recorded_at });
    byOrganization.set(row.organization_id, list);
  }

  const timelineRows: Record<string, unknown>[] = [];
  const membershipRows: Record<string, unknown>[] = [];
  for (const [id, history] of byOrganization) {
    const { timeline, memberships } = bitemporalRows(id, history);
    timelineRows.push(...timeline);
    membershipRows.push(...memberships);
  }
  await client.query(`DELETE FROM ${rm}.organization_timeline WHERE organization_id = ANY($1::uuid[])`, [ids]);
  await client.query(`DELETE FROM ${rm}.union_memberships WHERE union_id = ANY($1::uuid[])`, [ids]);
  if (timelineRows.length > 0) {
    await client.query(
      `INSERT INTO ${rm}.organization_timeline SELECT * FROM jsonb_populate_recordset(NULL::${rm}.organization_timeline, $1::jsonb)`,
      [JSON.stringify(timelineRows)],
    );
  }
  if (membershipRows.length > 0) {
    await client.query(
      `INSERT INTO ${rm}.union_memberships SELECT * FROM jsonb_populate_recordset(NULL::${rm}.union_memberships, $1::jsonb)`,
      [JSON.stringify(membershipRows)],
    );
  }
}

interface KnownEvent {
  event: OrganizationEvent;
  /** UTC, milliseconds: when the system learned it. */
  recordedAt: string;
}

/**
 * Rows over both clocks. Each recorded moment t (events recorded together
 * share one) is a version of the organization's timeline, computed from the
 * events recorded up to t; a row keeps the recorded-time range in which its
 * (valid range, state) stayed part of the timeline. So `known @> T` gives
 * exactly what the system knew at T, back-dated records and corrections
 * included, without a replay per query.
 */
export function bitemporalRows(id: string, history: KnownEvent[]): { timeline: Record<string, unknown>[]; memberships: Record<string, unknown>[] } {
  const timeline: Record<string, unknown>[] = [];
  const memberships: Record<string, unknown>[] = [];
  const openRows = new Map<string, Record<string, unknown>>();
  const openMemberships = new Map<string, Record<string, unknown>>();
  let knownFrom = '';
  for (let k = 0; k < history.length; k++) {
    // A version per recorded moment: the last event of those recorded together. Clocks of several api
    // replicas may disagree by a little: recorded times are kept non-decreasing along the stream.
    const recordedAt = history[k].recordedAt > knownFrom ? history[k].recordedAt : knownFrom;
    if (k + 1 < history.length && history[k + 1].recordedAt <= recordedAt) {
      knownFrom = recordedAt;
      continue;
    }
    knownFrom = recordedAt;
    const folded = foldHistory(history.slice(0, k + 1).map((known) => known.event));
    const segments = folded ? computeTimeline(folded) : [];
    const rowsNow = new Map<string, Record<string, unknown>>();
    for (const { from, to, state } of segments) {
      const row = timelineRow(id, from, to, state, k);
      const { version: _version, ...comparable } = row;
      rowsNow.set(JSON.stringify(comparable), row);
    }
    closeAndOpen(openRows, rowsNow, recordedAt, timeline);
    const membershipsNow = new Map<string, Record<string, unknown>>();
    if (folded?.kind === 'union') {
      for (const range of membershipRanges(id, segments)) {
        const row = {
          union_id: range.unionId,
          cooperative_id: range.cooperativeId,
          valid: `[${range.from},${range.to ?? ''})`,
          union_province_code: segments[0].state.provinceCode,
        };
        membershipsNow.set(JSON.stringify(row), row);
      }
    }
    closeAndOpen(openMemberships, membershipsNow, recordedAt, memberships);
  }
  for (const row of openRows.values()) timeline.push({ ...row, known: `[${row.knownFrom},)`, knownFrom: undefined });
  for (const row of openMemberships.values()) memberships.push({ ...row, known: `[${row.knownFrom},)`, knownFrom: undefined });
  // The latest version of the stream, for If-Match, on every row of the organization.
  const version = history.length - 1;
  for (const row of timeline) row.version = version;
  return { timeline, memberships };
}

/** Rows no longer in the new version end at `at`; new ones start there; unchanged ones stay open. */
function closeAndOpen(open: Map<string, Record<string, unknown>>, now: Map<string, Record<string, unknown>>, at: string, closed: Record<string, unknown>[]): void {
  for (const [key, row] of open) {
    if (now.has(key)) continue;
    if (row.knownFrom !== at) closed.push({ ...row, known: `[${row.knownFrom},${at})`, knownFrom: undefined });
    open.delete(key);
  }
  for (const [key, row] of now) if (!open.has(key)) open.set(key, { ...row, knownFrom: at });
}

function timelineRow(id: string, from: string, to: string | null, state: OrganizationState, version: number): Record<string, unknown> {
  return {
    organization_id: id,
    valid: `[${from},${to ?? ''})`,
    kind: state.kind,
    name: state.name,
    search_text: searchText(state.name, state.registrationNumber),
    registration_number: state.registrationNumber,
    province_code: state.provinceCode,
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
    version,
  };
}
