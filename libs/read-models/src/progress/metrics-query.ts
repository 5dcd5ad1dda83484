import { COVERAGE_NAMES, METRIC_NAMES, type LocalDate } from '@ktt/domain';
import type { Coverage, Metrics } from '../answers';
import type { Generation } from '../generations';

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
  cooperatives_good_fair_value_chain_known: string;
  rated_good_fair_value_chain_known: string;
  rated_value_chain_known: string;
  managers_with_degree: string | null;
  managers_total: string | null;
  cooperatives_managers_known: string;
  directors_trained: string;
  directors_trained_known: string;
  agricultural: string;
  high_tech_agricultural: string;
  high_tech_agricultural_known: string;
  agricultural_enterprise_linked: string;
  agricultural_enterprise_linked_known: string;
  dormant: string;
  suspended: string;
  digital: string;
  digital_known: string;
  union_member_cooperatives: string;
}

/** A territory's answer on one date: every metric, and the coverage of those built on flags or `managers`. */
export interface Measured {
  metrics: Metrics;
  coverage: Coverage;
}

/**
 * A territory as the timeline stores it: the units (first-map province
 * codes) that make it, or `'all'` for the whole country (no province filter).
 */
export type Units = readonly string[] | 'all';

/** The population of the asked territory on a date (the latest year ≤ its year), or null where none is sourced. */
export type PopulationOn = (date: LocalDate) => number | null;

/**
 * Every metric of domain.md for one territory at one or more dates: the
 * organizations that exist at each date (rows in force, not dissolved) whose
 * seat's unit is one of `units` are aggregated from the timeline, read
 * through its covering province index (migration 1732900000000) without
 * visiting the table.
 */
export async function metricsAt(
  generation: Generation,
  units: Units,
  dates: LocalDate[],
  populationOn: PopulationOn,
  knownAt = 'infinity',
): Promise<Map<LocalDate, Measured>> {
  const days = [...new Set(dates)].sort();
  if (days.length === 0 || (units !== 'all' && units.length === 0)) return new Map(days.map((day) => [day, toMeasured(EMPTY, populationOn(day))]));
  const counting = days.length <= FEW_DATES ? countersAtEachDate : countersBySweep;
  const [counters, memberships] = await Promise.all([
    counting(generation, units, days, knownAt),
    unionMemberCooperatives(generation, units, days, knownAt),
  ]);
  return new Map(days.map((day, i) => [day, toMeasured({ ...counters[i], union_member_cooperatives: memberships.get(day) ?? '0' } as CountsRow, populationOn(day))]));
}

const EMPTY = {} as CountsRow;

/** One territory of a progress question and the dates it is counted on. */
export interface TerritoryDates {
  units: readonly string[];
  dates: LocalDate[];
  populationOn: PopulationOn;
}

/**
 * Several territories' metrics on a few dates each (a progress question: the
 * asked territory on asOf, each plan's territory on asOf and on its adoption
 * date), reading each unit's rows once per date. The counters are sums over
 * organizations, so a territory's are the sum of its units': one statement
 * per date counts every unit any territory needs then, grouped by unit (An
 * Giang as of 2026 and Plan 251's former Kiên Giang read 91's rows once).
 * Member cooperatives of unions are counted per territory, each once
 * (a cooperative may belong to unions of two of its units).
 */
export async function metricsOfTerritories(generation: Generation, territories: TerritoryDates[], knownAt = 'infinity'): Promise<Map<LocalDate, Measured>[]> {
  const unitsOn = new Map<LocalDate, Set<string>>();
  for (const { units, dates } of territories) {
    for (const date of dates) {
      const needed = unitsOn.get(date) ?? new Set<string>();
      units.forEach((unit) => needed.add(unit));
      unitsOn.set(date, needed);
    }
  }
  const [byDate, memberships] = await Promise.all([
    Promise.all(
      [...unitsOn].filter(([, units]) => units.size > 0).map(async ([date, units]) => [date, await countersByUnit(generation, [...units].sort(), date, knownAt)] as const),
    ),
    Promise.all(territories.map(({ units, dates }) => (units.length === 0 ? new Map<LocalDate, string>() : unionMemberCooperatives(generation, units, [...new Set(dates)].sort(), knownAt)))),
  ]);
  const counted = new Map(byDate);
  return territories.map(({ units, dates, populationOn }, t) => {
    const metrics = new Map<LocalDate, Measured>();
    for (const date of dates) {
      const sums: Record<string, number> = Object.fromEntries(COUNTERS.map(({ name }) => [name, 0]));
      for (const unit of units) {
        const row = counted.get(date)?.get(unit);
        if (row) COUNTERS.forEach(({ name }) => (sums[name] += Number(row[name] ?? 0)));
      }
      const row = Object.fromEntries(Object.entries(sums).map(([name, value]) => [name, String(value)]));
      metrics.set(date, toMeasured({ ...row, union_member_cooperatives: memberships[t].get(date) ?? '0' } as CountsRow, populationOn(date)));
    }
    return metrics;
  });
}

/** The counters of each of `units` at one date: one statement, grouped by unit. */
async function countersByUnit(generation: Generation, units: string[], day: LocalDate, knownAt: string): Promise<Map<string, Record<string, string | null>>> {
  const known = knownWhen(knownAt, 3);
  const { rows } = await generation.pool.query<Record<string, string | null> & { province_code: string }>(
    `SELECT province_code, ${AT_A_DATE}
       FROM ${generation.identifier}.organization_timeline
      WHERE ${unitsCondition(units, 'province_code', 1)} AND ${VALID_UNTIL} > $2::date AND valid @> $2::date AND ${known.condition} AND status <> 'dissolved'
      GROUP BY province_code`,
    [units, day, ...known.parameters],
  );
  return new Map(rows.map((row) => [row.province_code, row]));
}

/**
 * The condition "the row's unit is one of the territory's", on `column`,
 * with the units as parameter `$position` (a text[]; null for the whole
 * country, which the planner folds away: node-postgres plans each statement
 * with its parameters' values). Every index of the timeline by province is a
 * btree (migration 1733740000000), which serves `= ANY($n)`.
 */
export function unitsCondition(units: Units, column: string, position: number): string {
  if (units === 'all') return `$${position}::text[] IS NULL`;
  return units.length === 1 ? `${column} = ($${position}::text[])[1]` : `${column} = ANY($${position}::text[])`;
}

/** The units parameter of `unitsCondition`. */
export function unitsParameter(units: Units): string[] | null {
  return units === 'all' ? null : [...units];
}

/**
 * Up to this many dates (a progress question: asOf and the plans' adoption
 * dates) are counted one query per date, in parallel; more (a series) by
 * one sweep. A few dates far apart are cheaper as lookups: the sweep reads
 * every row in force between the first and the last
 * (bench/manual-measurements.md has the figures).
 */
export const FEW_DATES = 4;

/** A counter: what a row adds (1, or a column's value) when it matches `where`. */
interface Counter {
  name: string;
  adds?: string;
  where?: string;
}

const COOPERATIVE = `kind = 'cooperative'`;
const RATED = `kind <> 'cooperative_group'`;
const GOOD_FAIR = `rating IN ('good', 'fair')`;
const AGRICULTURAL = `${COOPERATIVE} AND sector IN ('agriculture', 'fisheries')`;

/**
 * A flag column holds true, false or NULL (unknown). "With the flag" is `flag IS TRUE` (NULL is not
 * true); each flag-based share also counts the rows where the flag is known (`IS NOT NULL`), its
 * denominator and the numerator of its coverage. `managers_total` is NULL where the managers are
 * unknown: sums skip NULL, so the managers' share is already over the known ones.
 */
const COUNTERS: Counter[] = [
  { name: 'cooperative_groups', where: `kind = 'cooperative_group'` },
  { name: 'cooperative_group_members', adds: 'member_count', where: `kind = 'cooperative_group'` },
  { name: 'cooperatives', where: COOPERATIVE },
  { name: 'cooperative_members', adds: 'member_count', where: COOPERATIVE },
  { name: 'unions', where: `kind = 'union'` },
  { name: 'organizations' },
  { name: 'rated', where: RATED },
  { name: 'cooperatives_good_fair', where: `${COOPERATIVE} AND ${GOOD_FAIR}` },
  { name: 'rated_good_fair', where: `${RATED} AND ${GOOD_FAIR}` },
  { name: 'cooperatives_good_fair_value_chain', where: `${COOPERATIVE} AND ${GOOD_FAIR} AND value_chain IS TRUE` },
  { name: 'cooperatives_good_fair_value_chain_known', where: `${COOPERATIVE} AND ${GOOD_FAIR} AND value_chain IS NOT NULL` },
  { name: 'rated_good_fair_value_chain', where: `${RATED} AND ${GOOD_FAIR} AND value_chain IS TRUE` },
  { name: 'rated_good_fair_value_chain_known', where: `${RATED} AND ${GOOD_FAIR} AND value_chain IS NOT NULL` },
  { name: 'rated_value_chain', where: `${RATED} AND value_chain IS TRUE` },
  { name: 'rated_value_chain_known', where: `${RATED} AND value_chain IS NOT NULL` },
  { name: 'managers_with_degree', adds: 'managers_with_degree', where: COOPERATIVE },
  { name: 'managers_total', adds: 'managers_total', where: COOPERATIVE },
  { name: 'cooperatives_managers_known', where: `${COOPERATIVE} AND managers_total IS NOT NULL` },
  { name: 'directors_trained', where: `${COOPERATIVE} AND director_trained IS TRUE` },
  { name: 'directors_trained_known', where: `${COOPERATIVE} AND director_trained IS NOT NULL` },
  { name: 'agricultural', where: AGRICULTURAL },
  { name: 'high_tech_agricultural', where: `${AGRICULTURAL} AND high_tech IS TRUE` },
  { name: 'high_tech_agricultural_known', where: `${AGRICULTURAL} AND high_tech IS NOT NULL` },
  { name: 'agricultural_enterprise_linked', where: `${AGRICULTURAL} AND enterprise_linked IS TRUE` },
  { name: 'agricultural_enterprise_linked_known', where: `${AGRICULTURAL} AND enterprise_linked IS NOT NULL` },
  { name: 'dormant', where: `${COOPERATIVE} AND status = 'dormant'` },
  { name: 'suspended', where: `${COOPERATIVE} AND status = 'suspended'` },
  { name: 'digital', where: 'digital_adoption IS TRUE' },
  { name: 'digital_known', where: 'digital_adoption IS NOT NULL' },
];

/** The timeline columns the counters read: what the covering index includes. */
const COUNTED_COLUMNS = 'kind, status, rating, sector, member_count, managers_total, managers_with_degree, director_trained, value_chain, high_tech, enterprise_linked, digital_adoption';

/** The counters as aggregates; with `sign`, each row adds itself times that column (+1 or -1). */
function aggregates(sign?: string): string {
  return COUNTERS.map(({ name, adds, where }) => {
    const term = adds ? `sum(${sign ? `${sign} * ` : ''}${adds})` : sign ? `sum(${sign})` : 'count(*)';
    return `${term}${where ? ` FILTER (WHERE ${where})` : ''} AS ${name}`;
  }).join(',\n  ');
}

const AT_A_DATE = aggregates();
const AS_DELTAS = aggregates('sign');

/**
 * Which rows were known at `knownAt`. What is known now (`infinity`, the
 * usual question) is said as `upper_inf(known)`, the predicate of the
 * partial covering index of migration 1732900000000, which leaves out the
 * timeline's superseded versions. A past `knownAt` is a parameter,
 * numbered `position`, served by the btree of every row keyed like that one
 * (migration 1733740000000), `known` among its included columns.
 */
function knownWhen(knownAt: string, position: number): { condition: string; parameters: string[] } {
  return knownAt === 'infinity'
    ? { condition: 'upper_inf(known)', parameters: [] }
    : { condition: `known @> $${position}::timestamptz`, parameters: [knownAt] };
}

/**
 * The end of a row's `valid` range, as the province indexes order it (the
 * one of rows known now, and the one of every row): "in force at X" implies
 * "ends after X", which bounds their scans.
 */
const VALID_UNTIL = `coalesce(upper(valid), 'infinity'::date)`;

/** The organizations in force and not dissolved at each date: one lookup per date, run in parallel. */
async function countersAtEachDate(generation: Generation, units: Units, days: LocalDate[], knownAt: string): Promise<Record<string, string>[]> {
  const inTerritory = unitsCondition(units, 'province_code', 1);
  return Promise.all(
    days.map(async (day) => {
      const known = knownWhen(knownAt, 3);
      const { rows } = await generation.pool.query<Record<string, string | null>>(
        `SELECT ${AT_A_DATE}
           FROM ${generation.identifier}.organization_timeline
          WHERE ${inTerritory} AND ${VALID_UNTIL} > $2::date AND valid @> $2::date AND ${known.condition} AND status <> 'dissolved'`,
        [unitsParameter(units), day, ...known.parameters],
      );
      return Object.fromEntries(COUNTERS.map(({ name }) => [name, String(rows[0][name] ?? 0)]));
    }),
  );
}

/**
 * The counters at every date in one pass over the rows, not one per (row,
 * date): a row in force over [L, U) covers the sorted dates from the first
 * ≥ L to the last < U, so it adds itself at the first and takes itself away
 * after the last; running sums over the dates give each date's counters (a
 * sweep).
 */
async function countersBySweep(generation: Generation, units: Units, days: LocalDate[], knownAt: string): Promise<Record<string, string>[]> {
  const known = knownWhen(knownAt, 6);
  const inTerritory = unitsCondition(units, 'province_code', 1);
  const { rows } = await generation.pool.query<Record<string, string | null> & { i: number }>(
    `WITH r AS MATERIALIZED (
       SELECT ${COUNTED_COLUMNS},
              width_bucket(lower(valid) - 1, $2::date[]) AS s,
              CASE WHEN upper_inf(valid) THEN $3 ELSE width_bucket(upper(valid) - 1, $2::date[]) END AS e
         FROM ${generation.identifier}.organization_timeline
        WHERE ${inTerritory} AND ${known.condition} AND status <> 'dissolved'
          AND ${VALID_UNTIL} > $4::date AND valid && daterange($4::date, $5::date, '[]')
     )
     SELECT d.i, ${AS_DELTAS}
       FROM r CROSS JOIN LATERAL (VALUES (r.s, 1), (r.e, -1)) AS d(i, sign)
      WHERE r.s < r.e AND d.i < $3
      GROUP BY d.i`,
    [unitsParameter(units), days, days.length, days[0], days[days.length - 1], ...known.parameters],
  );
  const running: number[] = COUNTERS.map(() => 0);
  const byIndex = new Map(rows.map((row) => [row.i, row]));
  return days.map((_day, i) => {
    const delta = byIndex.get(i);
    if (delta) COUNTERS.forEach(({ name }, k) => (running[k] += Number(delta[name] ?? 0)));
    return Object.fromEntries(COUNTERS.map(({ name }, k) => [name, String(running[k])]));
  });
}

/**
 * Cooperatives with a membership in force where both sides exist, in a union
 * of the territory, each counted once (domain.md: "20 HTX thành viên" counts
 * cooperatives, not memberships). A few dates: a join per date. Many (a
 * series): per cooperative, the dates it counts on as one multirange (its
 * memberships' ranges, each cut to the ranges where both sides exist), then a
 * containment test per date; the join per date looked up both sides of every
 * membership at every date (400 ms for a 10-year monthly series of two units
 * with about 950 memberships, against 30 ms for all the other counters).
 */
async function unionMemberCooperatives(generation: Generation, units: Units, days: LocalDate[], knownAt: string): Promise<Map<LocalDate, string>> {
  const counting = days.length <= FEW_DATES ? membersAtEachDate : membersOverRanges;
  return new Map((await counting(generation, units, days, knownAt)).map((row) => [row.day, row.n]));
}

/** The memberships of the territory's unions: one search of union_memberships' GiST index per unit (it takes an equality, not an array). */
function membershipsOf(units: Units): { from: string; where: string } {
  return units === 'all'
    ? { from: '', where: '$1::text[] IS NULL' }
    : { from: 'CROSS JOIN unnest($1::text[]) AS p(unit)', where: 'm.union_province_code = p.unit' };
}

async function membersAtEachDate(generation: Generation, units: Units, days: LocalDate[], knownAt: string): Promise<{ day: string; n: string }[]> {
  const memberships = membershipsOf(units);
  const { rows } = await generation.pool.query<{ day: string; n: string }>(
    `SELECT d.as_of::text AS day, count(DISTINCT m.cooperative_id) AS n
       FROM unnest($2::date[]) AS d(as_of) ${memberships.from}
       JOIN ${generation.identifier}.union_memberships m ON ${memberships.where} AND m.valid @> d.as_of AND m.known @> $3::timestamptz
      WHERE EXISTS (SELECT 1 FROM ${generation.identifier}.organization_timeline c
                     WHERE c.organization_id = m.cooperative_id AND c.valid @> d.as_of AND c.known @> $3::timestamptz AND c.status <> 'dissolved')
        AND EXISTS (SELECT 1 FROM ${generation.identifier}.organization_timeline u
                     WHERE u.organization_id = m.union_id AND u.valid @> d.as_of AND u.known @> $3::timestamptz AND u.status <> 'dissolved')
      GROUP BY d.as_of`,
    [unitsParameter(units), days, knownAt],
  );
  return rows;
}

async function membersOverRanges(generation: Generation, units: Units, days: LocalDate[], knownAt: string): Promise<{ day: string; n: string }[]> {
  const memberships = membershipsOf(units);
  const schema = generation.identifier;
  const { rows } = await generation.pool.query<{ day: string; n: string }>(
    `WITH m AS MATERIALIZED (
       SELECT m.cooperative_id, m.union_id, m.valid FROM (SELECT 1) AS one ${memberships.from}
         JOIN ${schema}.union_memberships m ON ${memberships.where} AND m.known @> $3::timestamptz AND m.valid && daterange($4::date, $5::date, '[]')
     ),
     -- where each side exists (in force, not dissolved) as known at knownAt: the union of its rows' ranges
     exists_on AS (
       SELECT t.organization_id, range_agg(t.valid) AS ranges
         FROM ${schema}.organization_timeline t
        WHERE t.organization_id IN (SELECT cooperative_id FROM m UNION SELECT union_id FROM m)
          AND t.known @> $3::timestamptz AND t.status <> 'dissolved'
        GROUP BY t.organization_id
     ),
     counted AS (
       SELECT m.cooperative_id, range_agg(datemultirange(m.valid) * c.ranges * u.ranges) AS ranges
         FROM m JOIN exists_on c ON c.organization_id = m.cooperative_id JOIN exists_on u ON u.organization_id = m.union_id
        GROUP BY m.cooperative_id
     )
     SELECT d.as_of::text AS day, count(*) AS n
       FROM unnest($2::date[]) AS d(as_of) JOIN counted ON counted.ranges @> d.as_of
      GROUP BY d.as_of`,
    [unitsParameter(units), days, knownAt, days[0], days[days.length - 1]],
  );
  return rows;
}

function toMeasured(row: CountsRow, population: number | null): Measured {
  const n = (value: string | null | undefined) => (value === null || value === undefined ? 0 : Number(value));
  const share = (part: string | null | undefined, whole: string | null | undefined) => (n(whole) === 0 ? null : n(part) / n(whole));
  const members = n(row.cooperative_group_members) + n(row.cooperative_members);
  // Each flag-based share is over the organizations whose value is known (domain.md, "Metrics").
  const metrics: Metrics = {
    cooperative_groups: n(row.cooperative_groups),
    cooperative_group_members: n(row.cooperative_group_members),
    cooperatives: n(row.cooperatives),
    cooperative_members: n(row.cooperative_members),
    unions: n(row.unions),
    union_member_cooperatives: n(row.union_member_cooperatives),
    cooperatives_good_or_fair_share: share(row.cooperatives_good_fair, row.cooperatives),
    rated_organizations_good_or_fair_share: share(row.rated_good_fair, row.rated),
    cooperatives_good_or_fair_in_value_chain_share: share(row.cooperatives_good_fair_value_chain, row.cooperatives_good_fair_value_chain_known),
    rated_organizations_good_or_fair_in_value_chain_share: share(row.rated_good_fair_value_chain, row.rated_good_fair_value_chain_known),
    rated_organizations_value_chain_share: share(row.rated_value_chain, row.rated_value_chain_known),
    // Σ withDegree ÷ Σ total over the cooperatives whose managers are known (the sums skip unknown ones).
    managers_with_degree_share: share(row.managers_with_degree, row.managers_total),
    directors_trained_share: share(row.directors_trained, row.directors_trained_known),
    // A count of the known-true: an unknown highTech is not counted (its coverage says how many are known).
    high_tech_agricultural_cooperatives: n(row.high_tech_agricultural),
    agricultural_cooperatives_enterprise_linked_share: share(row.agricultural_enterprise_linked, row.agricultural_enterprise_linked_known),
    dormant_cooperatives: n(row.dormant),
    suspended_cooperatives: n(row.suspended),
    organizations_digital_adoption_share: share(row.digital, row.digital_known),
    // An approximation, labelled so in the README: member counts include households and legal entities.
    population_share: population ? members / population : null,
  };
  // Known ÷ in scope, null where the scope is empty.
  const coverage: Coverage = {
    cooperatives_good_or_fair_in_value_chain_share: share(row.cooperatives_good_fair_value_chain_known, row.cooperatives_good_fair),
    rated_organizations_good_or_fair_in_value_chain_share: share(row.rated_good_fair_value_chain_known, row.rated_good_fair),
    rated_organizations_value_chain_share: share(row.rated_value_chain_known, row.rated),
    managers_with_degree_share: share(row.cooperatives_managers_known, row.cooperatives),
    directors_trained_share: share(row.directors_trained_known, row.cooperatives),
    high_tech_agricultural_cooperatives: share(row.high_tech_agricultural_known, row.agricultural),
    agricultural_cooperatives_enterprise_linked_share: share(row.agricultural_enterprise_linked_known, row.agricultural),
    organizations_digital_adoption_share: share(row.digital_known, row.organizations),
  };
  return { metrics, coverage };
}

/** Every metric and every coverage null: a date after today, or a point where the code names no province. */
export function unmeasured(): Measured {
  return {
    metrics: Object.fromEntries(METRIC_NAMES.map((name) => [name, null])) as Metrics,
    coverage: Object.fromEntries(COVERAGE_NAMES.map((name) => [name, null])) as Coverage,
  };
}
