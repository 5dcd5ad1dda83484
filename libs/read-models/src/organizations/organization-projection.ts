import type { PoolClient } from 'pg';
import { foldHistory, type OrganizationEvent } from '@ktt/domain';
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
  const { rows } = await client.query<{ organization_id: string; event_type: string; data: OrganizationEvent['data']; revision: number }>(
    `SELECT organization_id, event_type, data, revision FROM ${rm}.organization_facts
      WHERE organization_id = ANY($1::uuid[]) ORDER BY organization_id, revision`,
    [ids],
  );
  const byOrganization = new Map<string, OrganizationEvent[]>();
  for (const row of rows) {
    const list = byOrganization.get(row.organization_id) ?? [];
    list.push({ type: row.event_type, data: row.data } as OrganizationEvent);
    byOrganization.set(row.organization_id, list);
  }

  const timelineRows: Record<string, unknown>[] = [];
  const membershipRows: Record<string, unknown>[] = [];
  for (const [id, history] of byOrganization) {
    const folded = foldHistory(history);
    if (!folded) continue;
    const segments = computeTimeline(folded);
    const version = history.length - 1;
    for (const { from, to, state } of segments) {
      timelineRows.push({
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
      });
    }
    if (folded.kind === 'union') {
      for (const range of membershipRanges(id, segments)) {
        membershipRows.push({
          union_id: range.unionId,
          cooperative_id: range.cooperativeId,
          valid: `[${range.from},${range.to ?? ''})`,
          union_province_code: segments[0].state.provinceCode,
        });
      }
    }
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
