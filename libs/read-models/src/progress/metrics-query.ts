import type { Pool } from 'pg';
import type { LocalDate, MetricName } from '@ktt/domain';
import { activeSchema, schemaIdentifier } from '../generations';

export type Metrics = Record<MetricName, number | null>;

interface CountsRow {
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
  const days = [...new Set(dates)].sort();
  if (days.length === 0) return new Map();
  const [counters, memberships] = await Promise.all([
    organizationCounters(pool, rm, provinceCode, days, knownAt),
    unionMemberCooperatives(pool, rm, provinceCode, days, knownAt),
  ]);
  return new Map(days.map((day, i) => [day, toMetrics({ ...counters[i], union_member_cooperatives: memberships.get(day) ?? '0' } as CountsRow, population)]));
}

/** What each timeline row adds to the counters of the dates it covers (see organizationCounters). */
const COUNTERS = `
  sum(sign) FILTER (WHERE kind = 'cooperative_group') AS cooperative_groups,
  sum(sign * member_count) FILTER (WHERE kind = 'cooperative_group') AS cooperative_group_members,
  sum(sign) FILTER (WHERE kind = 'cooperative') AS cooperatives,
  sum(sign * member_count) FILTER (WHERE kind = 'cooperative') AS cooperative_members,
  sum(sign) FILTER (WHERE kind = 'union') AS unions,
  sum(sign) AS organizations,
  sum(sign) FILTER (WHERE kind <> 'cooperative_group') AS rated,
  sum(sign) FILTER (WHERE kind = 'cooperative' AND rating IN ('good', 'fair')) AS cooperatives_good_fair,
  sum(sign) FILTER (WHERE kind <> 'cooperative_group' AND rating IN ('good', 'fair')) AS rated_good_fair,
  sum(sign) FILTER (WHERE kind = 'cooperative' AND rating IN ('good', 'fair') AND value_chain) AS cooperatives_good_fair_value_chain,
  sum(sign) FILTER (WHERE kind <> 'cooperative_group' AND rating IN ('good', 'fair') AND value_chain) AS rated_good_fair_value_chain,
  sum(sign) FILTER (WHERE kind <> 'cooperative_group' AND value_chain) AS rated_value_chain,
  sum(sign * managers_with_degree) FILTER (WHERE kind = 'cooperative') AS managers_with_degree,
  sum(sign * managers_total) FILTER (WHERE kind = 'cooperative') AS managers_total,
  sum(sign) FILTER (WHERE kind = 'cooperative' AND director_trained) AS directors_trained,
  sum(sign) FILTER (WHERE kind = 'cooperative' AND sector IN ('agriculture', 'fisheries')) AS agricultural,
  sum(sign) FILTER (WHERE kind = 'cooperative' AND sector IN ('agriculture', 'fisheries') AND high_tech) AS high_tech_agricultural,
  sum(sign) FILTER (WHERE kind = 'cooperative' AND sector IN ('agriculture', 'fisheries') AND enterprise_linked) AS agricultural_enterprise_linked,
  sum(sign) FILTER (WHERE kind = 'cooperative' AND status = 'dormant') AS dormant,
  sum(sign) FILTER (WHERE kind = 'cooperative' AND status = 'suspended') AS suspended,
  sum(sign) FILTER (WHERE digital_adoption) AS digital`;

const COUNTER_NAMES = [...COUNTERS.matchAll(/AS (\w+)/g)].map((match) => match[1]);

/**
 * The organization counters at every date in one pass over the rows, not
 * one per (row, date): a row in force over [L, U) covers the sorted dates
 * from the first ≥ L to the last < U, so it adds itself at the first and
 * takes itself away after the last; running sums over the dates give each
 * date's counters (a sweep). The organizations that exist at a date are the
 * rows in force then and not dissolved.
 */
async function organizationCounters(pool: Pool, rm: string, provinceCode: string, days: LocalDate[], knownAt: string): Promise<Record<string, string>[]> {
  const { rows } = await pool.query<Record<string, string | null> & { i: number }>(
    `WITH r AS (
       SELECT t.*,
              width_bucket(lower(t.valid) - 1, $2::date[]) AS s,
              CASE WHEN upper_inf(t.valid) THEN $4 ELSE width_bucket(upper(t.valid) - 1, $2::date[]) END AS e
         FROM ${rm}.organization_timeline t
        WHERE t.province_code = $1 AND t.known @> $3::timestamptz AND t.status <> 'dissolved'
          AND t.valid && daterange($5::date, $6::date, '[]')
     ),
     deltas AS (
       SELECT s AS i, 1 AS sign, r.* FROM r WHERE s < e
       UNION ALL
       SELECT e AS i, -1 AS sign, r.* FROM r WHERE s < e AND e < $4
     )
     SELECT i, ${COUNTERS} FROM deltas GROUP BY i`,
    [provinceCode, days, knownAt, days.length, days[0], days[days.length - 1]],
  );
  const running: number[] = COUNTER_NAMES.map(() => 0);
  const byIndex = new Map(rows.map((row) => [row.i, row]));
  return days.map((_day, i) => {
    const delta = byIndex.get(i);
    if (delta) COUNTER_NAMES.forEach((name, k) => (running[k] += Number(delta[name] ?? 0)));
    return Object.fromEntries(COUNTER_NAMES.map((name, k) => [name, String(running[k])]));
  });
}

/** Memberships in force where both sides exist, counted in the union's province (few rows: a join per date). */
async function unionMemberCooperatives(pool: Pool, rm: string, provinceCode: string, days: LocalDate[], knownAt: string): Promise<Map<LocalDate, string>> {
  const { rows } = await pool.query<{ day: string; n: string }>(
    `SELECT d.as_of::text AS day, count(*) AS n
       FROM unnest($2::date[]) AS d(as_of)
       JOIN ${rm}.union_memberships m ON m.union_province_code = $1 AND m.valid @> d.as_of AND m.known @> $3::timestamptz
      WHERE EXISTS (SELECT 1 FROM ${rm}.organization_timeline c
                     WHERE c.organization_id = m.cooperative_id AND c.valid @> d.as_of AND c.known @> $3::timestamptz AND c.status <> 'dissolved')
        AND EXISTS (SELECT 1 FROM ${rm}.organization_timeline u
                     WHERE u.organization_id = m.union_id AND u.valid @> d.as_of AND u.known @> $3::timestamptz AND u.status <> 'dissolved')
      GROUP BY d.as_of`,
    [provinceCode, days, knownAt],
  );
  return new Map(rows.map((row) => [row.day, row.n]));
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
