import type { Pool } from 'pg';
import type { LocalDate, MetricName } from '@ktt/domain';
import { activeSchema, schemaIdentifier } from '../generations';

export type Metrics = Record<MetricName, number | null>;

interface CountsRow {
  /** The date as text (the `as_of` of `counts.*` is a Date). */
  day: string;
  cooperative_groups: string;
  cooperative_group_members: string;
  cooperatives: string;
  cooperative_members: string;
  unions: string;
  organizations: string;
  rated: string;
  cooperatives_good_fair: string;
  rated_good_fair: string;
  cooperatives_good_fair_value_chain: string;
  rated_good_fair_value_chain: string;
  rated_value_chain: string;
  managers_with_degree: string | null;
  managers_total: string | null;
  directors_trained: string;
  agricultural: string;
  high_tech_agricultural: string;
  agricultural_enterprise_linked: string;
  dormant: string;
  suspended: string;
  digital: string;
  union_member_cooperatives: string;
}

/**
 * Every metric of domain.md for one province at one or more dates, in one
 * statement: the organizations that exist at each date (rows in force,
 * not dissolved) are aggregated from the GiST-indexed timeline.
 */
export async function metricsAt(
  pool: Pool,
  provinceCode: string,
  dates: LocalDate[],
  population: number | null,
  knownAt = 'infinity',
): Promise<Map<LocalDate, Metrics>> {
  const rm = schemaIdentifier(await activeSchema(pool));
  const { rows } = await pool.query<CountsRow>(
    `WITH d AS (SELECT DISTINCT unnest($2::date[]) AS as_of),
     o AS (
       SELECT d.as_of, t.* FROM d
         JOIN ${rm}.organization_timeline t
           ON t.province_code = $1 AND t.valid @> d.as_of AND t.known @> $3::timestamptz AND t.status <> 'dissolved'
     ),
     counts AS (
       SELECT as_of,
         count(*) FILTER (WHERE kind = 'cooperative_group') AS cooperative_groups,
         coalesce(sum(member_count) FILTER (WHERE kind = 'cooperative_group'), 0) AS cooperative_group_members,
         count(*) FILTER (WHERE kind = 'cooperative') AS cooperatives,
         coalesce(sum(member_count) FILTER (WHERE kind = 'cooperative'), 0) AS cooperative_members,
         count(*) FILTER (WHERE kind = 'union') AS unions,
         count(*) AS organizations,
         count(*) FILTER (WHERE kind <> 'cooperative_group') AS rated,
         count(*) FILTER (WHERE kind = 'cooperative' AND rating IN ('good', 'fair')) AS cooperatives_good_fair,
         count(*) FILTER (WHERE kind <> 'cooperative_group' AND rating IN ('good', 'fair')) AS rated_good_fair,
         count(*) FILTER (WHERE kind = 'cooperative' AND rating IN ('good', 'fair') AND value_chain) AS cooperatives_good_fair_value_chain,
         count(*) FILTER (WHERE kind <> 'cooperative_group' AND rating IN ('good', 'fair') AND value_chain) AS rated_good_fair_value_chain,
         count(*) FILTER (WHERE kind <> 'cooperative_group' AND value_chain) AS rated_value_chain,
         sum(managers_with_degree) FILTER (WHERE kind = 'cooperative') AS managers_with_degree,
         sum(managers_total) FILTER (WHERE kind = 'cooperative') AS managers_total,
         count(*) FILTER (WHERE kind = 'cooperative' AND director_trained) AS directors_trained,
         count(*) FILTER (WHERE kind = 'cooperative' AND sector IN ('agriculture', 'fisheries')) AS agricultural,
         count(*) FILTER (WHERE kind = 'cooperative' AND sector IN ('agriculture', 'fisheries') AND high_tech) AS high_tech_agricultural,
         count(*) FILTER (WHERE kind = 'cooperative' AND sector IN ('agriculture', 'fisheries') AND enterprise_linked) AS agricultural_enterprise_linked,
         count(*) FILTER (WHERE kind = 'cooperative' AND status = 'dormant') AS dormant,
         count(*) FILTER (WHERE kind = 'cooperative' AND status = 'suspended') AS suspended,
         count(*) FILTER (WHERE digital_adoption) AS digital
       FROM o GROUP BY as_of
     ),
     memberships AS (
       -- memberships in force where both sides exist, counted in the union's province
       SELECT d.as_of, count(*) AS union_member_cooperatives
         FROM d JOIN ${rm}.union_memberships m ON m.union_province_code = $1 AND m.valid @> d.as_of AND m.known @> $3::timestamptz
        WHERE EXISTS (SELECT 1 FROM ${rm}.organization_timeline c
                       WHERE c.organization_id = m.cooperative_id AND c.valid @> d.as_of AND c.known @> $3::timestamptz AND c.status <> 'dissolved')
          AND EXISTS (SELECT 1 FROM ${rm}.organization_timeline u
                       WHERE u.organization_id = m.union_id AND u.valid @> d.as_of AND u.known @> $3::timestamptz AND u.status <> 'dissolved')
        GROUP BY d.as_of
     )
     SELECT counts.*, d.as_of::text AS day, coalesce(memberships.union_member_cooperatives, 0) AS union_member_cooperatives
       FROM d LEFT JOIN counts USING (as_of) LEFT JOIN memberships USING (as_of)`,
    [provinceCode, dates, knownAt],
  );
  return new Map(rows.map((row) => [row.day, toMetrics(row, population)]));
}

function toMetrics(row: CountsRow, population: number | null): Metrics {
  const n = (value: string | null | undefined) => (value === null || value === undefined ? 0 : Number(value));
  const share = (part: string | null | undefined, whole: string | null | undefined) => (n(whole) === 0 ? null : n(part) / n(whole));
  const members = n(row.cooperative_group_members) + n(row.cooperative_members);
  return {
    cooperative_groups: n(row.cooperative_groups),
    cooperative_group_members: n(row.cooperative_group_members),
    cooperatives: n(row.cooperatives),
    cooperative_members: n(row.cooperative_members),
    unions: n(row.unions),
    union_member_cooperatives: n(row.union_member_cooperatives),
    cooperatives_good_or_fair_share: share(row.cooperatives_good_fair, row.cooperatives),
    rated_organizations_good_or_fair_share: share(row.rated_good_fair, row.rated),
    cooperatives_good_or_fair_in_value_chain_share: share(row.cooperatives_good_fair_value_chain, row.cooperatives_good_fair),
    rated_organizations_good_or_fair_in_value_chain_share: share(row.rated_good_fair_value_chain, row.rated_good_fair),
    rated_organizations_value_chain_share: share(row.rated_value_chain, row.rated),
    managers_with_degree_share: share(row.managers_with_degree, row.managers_total),
    directors_trained_share: share(row.directors_trained, row.cooperatives),
    high_tech_agricultural_cooperatives: n(row.high_tech_agricultural),
    agricultural_cooperatives_enterprise_linked_share: share(row.agricultural_enterprise_linked, row.agricultural),
    dormant_cooperatives: n(row.dormant),
    suspended_cooperatives: n(row.suspended),
    organizations_digital_adoption_share: share(row.digital, row.organizations),
    // An approximation, labelled so in the README: member counts include households and legal entities.
    population_share: population ? members / population : null,
  };
}
