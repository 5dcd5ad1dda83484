import type { PoolClient } from 'pg';
import { ORGANIZATION_EVENT_TYPES } from '@ktt/domain';

/**
 * The projection of the peer comparison: the "same shape" as our read models
 * in the simplest form a peer would write it. Two tables, current state only:
 *
 * - `organizations`: one row per organization (kind, name, number, province,
 *   sector, status, member count and the date it took effect, rating, the
 *   number of member cooperatives of a union, version = revision of the last
 *   event applied);
 * - `province_counts`: per (province, kind), existing (not dissolved)
 *   organizations and their members.
 *
 * One SQL statement per event, idempotent (an event applied twice changes
 * nothing). What it does NOT do, and our read models do: effective-date ranges
 * (status changes apply in recorded order, "as of X" cannot be asked), the
 * recorded-time axis ("known at T"), corrections (a RecordCorrected only moves
 * the version, the retracted fact stays), union memberships over time, plan
 * facts, the audit trail, the facts table, GiST indexes and exclusion
 * constraints. A member-count change applies only when its effective date is
 * not older than the one the row holds (a back-dated change recorded late does
 * not overwrite a newer one), the one date rule it keeps.
 *
 * The same statements are used by the Emmett projection (fed by Emmett's
 * consumer) and by the control (fed by our store's readAll), so the two
 * differ only in what feeds them.
 */
export interface ProjectedEvent {
  /** 0-based revision of the event in its stream. */
  revision: number;
  type: string;
  data: Record<string, unknown>;
  recordedAt: string;
}

/** What the peer projection handles: every organization event (plans are not part of it). */
export const CURRENT_STATE_EVENT_TYPES = ORGANIZATION_EVENT_TYPES;

export function createCurrentStateTablesSql(schema: string): string {
  const s = identifier(schema);
  return `
    CREATE SCHEMA IF NOT EXISTS ${s};
    CREATE TABLE IF NOT EXISTS ${s}.organizations (
      organization_id uuid PRIMARY KEY,
      kind text NOT NULL,
      name text NOT NULL,
      registration_number text NOT NULL,
      province_code text NOT NULL,
      sector text NOT NULL,
      status text NOT NULL,
      registered_on date NOT NULL,
      dissolved_on date,
      member_count integer,
      member_count_on date,
      rating text,
      rating_year integer,
      member_cooperatives integer NOT NULL DEFAULT 0,
      version integer NOT NULL,
      updated_at timestamptz NOT NULL);
    CREATE INDEX IF NOT EXISTS organizations_province ON ${s}.organizations (province_code, kind, status);
    CREATE TABLE IF NOT EXISTS ${s}.province_counts (
      province_code text NOT NULL,
      kind text NOT NULL,
      organizations integer NOT NULL,
      members bigint NOT NULL,
      PRIMARY KEY (province_code, kind));`;
}

export function truncateCurrentStateSql(schema: string): string {
  const s = identifier(schema);
  return `TRUNCATE ${s}.organizations, ${s}.province_counts`;
}

/** The statement that applies one event, or null for events of other streams (reservations, idempotency, plans). */
export function currentStateStatement(schema: string, event: ProjectedEvent): { text: string; values: unknown[] } | null {
  const s = identifier(schema);
  const d = event.data;
  const id = d.organizationId as string;
  const common = [id, event.revision, event.recordedAt];
  switch (event.type) {
    case 'OrganizationRegistered':
      return {
        text: `WITH inserted AS (
                 INSERT INTO ${s}.organizations (organization_id, version, updated_at, kind, name, registration_number, province_code, sector,
                   status, registered_on, member_count, member_count_on, member_cooperatives)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $10, $9, $11)
                 ON CONFLICT (organization_id) DO NOTHING
                 RETURNING province_code, kind, coalesce(member_count, 0) AS members)
               INSERT INTO ${s}.province_counts (province_code, kind, organizations, members)
               SELECT province_code, kind, 1, members FROM inserted
               ON CONFLICT (province_code, kind) DO UPDATE
                 SET organizations = province_counts.organizations + 1, members = province_counts.members + EXCLUDED.members`,
        values: [
          ...common,
          d.kind,
          d.name,
          d.registrationNumber,
          d.provinceCode,
          d.sector,
          d.effectiveOn,
          d.memberCount ?? null,
          Array.isArray(d.memberCooperativeIds) ? d.memberCooperativeIds.length : 0,
        ],
      };
    case 'MemberCountChanged':
      return {
        text: `WITH previous AS (
                 SELECT organization_id, coalesce(member_count, 0) AS old_count FROM ${s}.organizations
                  WHERE organization_id = $1 AND version < $2 AND (member_count_on IS NULL OR member_count_on <= $5))
               , updated AS (
                 UPDATE ${s}.organizations o SET member_count = $4, member_count_on = $5, version = $2, updated_at = $3
                   FROM previous WHERE o.organization_id = previous.organization_id
                 RETURNING o.province_code, o.kind, o.status, previous.old_count)
               UPDATE ${s}.province_counts c SET members = c.members + $4 - updated.old_count
                 FROM updated WHERE c.province_code = updated.province_code AND c.kind = updated.kind AND updated.status <> 'dissolved'`,
        values: [...common, d.memberCount, d.effectiveOn],
      };
    case 'OrganizationDissolved':
      return {
        text: `WITH previous AS (
                 SELECT organization_id FROM ${s}.organizations WHERE organization_id = $1 AND version < $2 AND status <> 'dissolved')
               , updated AS (
                 UPDATE ${s}.organizations o SET status = 'dissolved', dissolved_on = $4, version = $2, updated_at = $3
                   FROM previous WHERE o.organization_id = previous.organization_id
                 RETURNING o.province_code, o.kind, coalesce(o.member_count, 0) AS members)
               UPDATE ${s}.province_counts c SET organizations = c.organizations - 1, members = c.members - updated.members
                 FROM updated WHERE c.province_code = updated.province_code AND c.kind = updated.kind`,
        values: [...common, d.effectiveOn],
      };
    case 'OrganizationRated':
      return {
        text: `UPDATE ${s}.organizations SET rating = $4, rating_year = $5, version = $2, updated_at = $3 WHERE organization_id = $1 AND version < $2`,
        values: [...common, d.rating, d.year],
      };
    case 'OrganizationSuspended':
    case 'OrganizationFoundDormant':
    case 'OrganizationResumed': {
      const status = event.type === 'OrganizationSuspended' ? 'suspended' : event.type === 'OrganizationFoundDormant' ? 'dormant' : 'active';
      return {
        text: `UPDATE ${s}.organizations SET status = $4, version = $2, updated_at = $3 WHERE organization_id = $1 AND version < $2 AND status <> 'dissolved'`,
        values: [...common, status],
      };
    }
    case 'CooperativeJoinedUnion':
    case 'CooperativeLeftUnion':
      return {
        text: `UPDATE ${s}.organizations SET member_cooperatives = member_cooperatives + $4, version = $2, updated_at = $3 WHERE organization_id = $1 AND version < $2`,
        values: [...common, event.type === 'CooperativeJoinedUnion' ? 1 : -1],
      };
    case 'ProfileChanged':
    case 'RecordCorrected':
      return {
        text: `UPDATE ${s}.organizations SET version = $2, updated_at = $3 WHERE organization_id = $1 AND version < $2`,
        values: common,
      };
    default:
      return null;
  }
}

/** Both tables, sorted, for checking that two projections of the same log agree row for row. */
export async function currentStateDigest(client: Pick<PoolClient, 'query'>, schema: string): Promise<{ organizations: number; counts: string }> {
  const s = identifier(schema);
  const { rows: orgs } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${s}.organizations`);
  const { rows: a } = await client.query<{ line: string }>(
    `SELECT md5(string_agg(concat_ws('|', organization_id, status, member_count, rating, member_cooperatives, version), ',' ORDER BY organization_id)) AS line
       FROM ${s}.organizations`,
  );
  const { rows: b } = await client.query<{ line: string }>(
    `SELECT md5(string_agg(concat_ws('|', province_code, kind, organizations, members), ',' ORDER BY province_code, kind)) AS line FROM ${s}.province_counts`,
  );
  const rows = [...a, ...b];
  return { organizations: orgs[0].n, counts: rows.map((r) => r.line).join(' / ') };
}

function identifier(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(schema)) throw new Error(`not a schema name: ${schema}`);
  return `"${schema}"`;
}
