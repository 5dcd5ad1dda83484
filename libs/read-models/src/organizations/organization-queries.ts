import type { AdministrativeMap, LocalDate, OrganizationKind, OrganizationState, OrganizationStatus, Sector } from '@ktt/domain';
import { DomainError } from '@ktt/domain';
import type { OrganizationAsOf, OrganizationPage } from '../answers';
import type { Generation } from '../generations';
import { unitsCondition } from '../progress/metrics-query';
import { searchText } from './timeline';
import { decodeOrganizationCursor, encodeOrganizationCursor, nameCollation, orderSql, type OrganizationCursor, type OrganizationSort } from './organization-order';

/** `knownAt`: an ISO timestamp, or omitted for what is known now (every record so far). */
export const KNOWN_NOW = 'infinity';

export interface OrganizationFilter {
  asOf: LocalDate;
  knownAt?: string;
  /**
   * The territory whose organizations are listed, as units (first-map province codes: what the
   * timeline records as a seat); the caller finds them on the map (`provinceCode` on `boundariesOn`).
   */
  units?: readonly string[];
  /** One unit, by its code (tests of one first-map province); `units` wins where both are given. */
  provinceCode?: string;
  kind?: OrganizationKind;
  status?: OrganizationStatus;
  sector?: Sector;
  /** Matches name and registration number, with or without diacritics. */
  q?: string;
  /** Registered on or after / on or before (inclusive); the caller checks from ≤ to. */
  registeredFrom?: LocalDate;
  registeredTo?: LocalDate;
  /** Default: by id (the order the list always had). */
  sort?: OrganizationSort;
  limit: number;
  /** `nextCursor` of the previous page in the same order (organization-order.ts; opaque to clients). */
  cursor?: string;
}

interface TimelineRow {
  organization_id: string;
  kind: OrganizationKind;
  name: string;
  registration_number: string;
  province_code: string;
  sector: Sector;
  status: OrganizationStatus;
  registered_on: string;
  dissolved_on: string | null;
  member_count: number | null;
  rating: OrganizationState['rating'] extends infer R ? (R extends { rating: infer V } ? V : never) | null : never;
  rating_year: number | null;
  rated_on: string | null;
  managers_total: number | null;
  managers_with_degree: number | null;
  // null: unknown (domain.md, profile flags)
  director_trained: boolean | null;
  value_chain: boolean | null;
  high_tech: boolean | null;
  enterprise_linked: boolean | null;
  digital_adoption: boolean | null;
  member_cooperative_ids: string[];
  union_ids: string[] | null;
  version: number;
}

// Dates as text so that no time zone ever shifts them; the union ids a cooperative has at the date.
const COLUMNS = (schema: string, knownParameter: string) => `
  t.organization_id, t.kind, t.name, t.registration_number, t.province_code, t.sector, t.status,
  t.registered_on::text AS registered_on, t.dissolved_on::text AS dissolved_on, t.member_count,
  t.rating, t.rating_year, t.rated_on::text AS rated_on, t.managers_total, t.managers_with_degree,
  t.director_trained, t.value_chain, t.high_tech, t.enterprise_linked, t.digital_adoption,
  -- the dissolution of either side ends a membership (domain.md): the union's stream cannot know the cooperative's
  ARRAY(SELECT x::text FROM unnest(t.member_cooperative_ids) x
         WHERE EXISTS (SELECT 1 FROM ${schema}.organization_timeline c
                        WHERE c.organization_id = x AND c.valid @> $1::date AND c.known @> $KNOWN::timestamptz AND c.status <> 'dissolved')
         ORDER BY x) AS member_cooperative_ids,
  t.version,
  CASE WHEN t.kind = 'cooperative' AND t.status <> 'dissolved' THEN
    (SELECT array_agg(m.union_id::text ORDER BY m.union_id) FROM ${schema}.union_memberships m
      WHERE m.cooperative_id = t.organization_id AND m.valid @> $1::date AND m.known @> $KNOWN::timestamptz)
  END AS union_ids`.replace(/\$KNOWN/g, knownParameter);

/**
 * Organizations as of a date, from the temporal read model of the generation
 * the answer reads (one indexed query each).
 */
export class OrganizationQueries {
  /**
   * `map`: the province in force at `asOf` is the one whose territory holds the seat's unit
   * (without it, `provinceCode` is the unit, as the timeline holds it).
   */
  async get(generation: Generation, id: string, asOf: LocalDate, knownAt: string = KNOWN_NOW, map?: AdministrativeMap): Promise<OrganizationAsOf | null> {
    const schema = generation.identifier;
    const { rows } = await generation.pool.query<TimelineRow>(
      `SELECT ${COLUMNS(schema, '$3')} FROM ${schema}.organization_timeline t
        WHERE t.organization_id = $2 AND t.valid @> $1::date AND t.known @> $3::timestamptz`,
      [asOf, id, knownAt],
    );
    return rows[0] ? toOrganizationAsOf(rows[0], provinceOn(map, asOf)) : null;
  }

  /**
   * One page in the order asked, and `total`: every match, not the page. One statement, so the
   * page and the count read one snapshot of the read model; the columns that look further (members,
   * unions) are computed for the page's rows only.
   *
   * A territory's list (a province: what the api and the bench ask) first finds its matches, ids and
   * sort keys only, and sorts them: at most the few thousand organizations of a province in force at
   * a date. Known now, they come from the index of the list (migration 1733710000000) alone. Left to
   * choose, the planner walked the whole timeline in id order, filtering, until it had a page: 241,329
   * rows for 51 at national scale (bench/manual-measurements.md, "Organization list at national scale").
   * A search `q` of the whole country, known now, reads its matches the same way, from the whole list
   * index (4.3 s → 0.4–0.8 s on the national log, on a loaded machine). The country's list without a
   * territory and without `q` keeps the earlier statement: the matches not materialized, the count reading
   * the timeline's index alone and the default order stopping after its page.
   */
  async list(generation: Generation, filter: OrganizationFilter, map?: AdministrativeMap): Promise<OrganizationPage> {
    const schema = generation.identifier;
    const units = filter.units ?? (filter.provinceCode !== undefined ? [filter.provinceCode] : undefined);
    const q = filter.q ? `%${searchText(filter.q).replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const sort = filter.sort ?? 'id';
    const cursor = filter.cursor === undefined ? null : decodeOrganizationCursor(filter.cursor);
    if (filter.cursor !== undefined && cursor?.sort !== sort) {
      throw DomainError.invalid('VALIDATION_FAILED', 'cursor', cursor ? `cursor continues sort=${cursor.sort}, not sort=${sort}` : 'cursor must be a nextCursor from an earlier answer');
    }
    const order = orderSql(sort, sort === 'name' ? await nameCollation(generation.pool) : null, '$12', '$7');
    const knownNow = (filter.knownAt ?? KNOWN_NOW) === KNOWN_NOW;
    const parameters = [
      filter.asOf, units ? [...units] : null, filter.kind ?? null, filter.status ?? null, filter.sector ?? null, q,
      cursor?.id ?? null, filter.limit + 1, filter.knownAt ?? KNOWN_NOW, filter.registeredFrom ?? null, filter.registeredTo ?? null,
      // the key of a keyed order (the default order has none: a parameter no statement names has no type)
      ...(sort === 'id' ? [] : [cursor && cursor.sort !== 'id' ? cursor.key : null]),
    ];
    const { rows } = await generation.pool.query<TimelineRow & { total: number }>(
      units || (knownNow && q) ? territoryStatement(schema, units, knownNow, sort, order) : countryStatement(schema, order),
      parameters,
    );
    const inForce = provinceOn(map, filter.asOf);
    const total = rows[0].total;
    const found = rows.filter((row) => row.organization_id !== null);
    const items = found.slice(0, filter.limit).map((row) => toOrganizationAsOf(row, inForce));
    const last = found.length > filter.limit ? found[filter.limit - 1] : null;
    return { items, nextCursor: last ? encodeOrganizationCursor(cursorOf(sort, last)) : null, total };
  }
}

/** The end of a row's `valid` range, as the list index orders it: "in force at X" implies "ends after X". */
const VALID_UNTIL = `coalesce(upper(t.valid), 'infinity'::date)`;

/** The filters of the list but the territory and the moment known; `t`: a timeline row. */
const FILTERS = `
            AND ($3::text IS NULL OR t.kind = $3)
            AND ($4::text IS NULL OR t.status = $4)
            AND ($5::text IS NULL OR t.sector = $5)
            AND ($6::text IS NULL OR t.search_text LIKE $6)
            AND ($10::date IS NULL OR t.registered_on >= $10::date)
            AND ($11::date IS NULL OR t.registered_on <= $11::date)`;

/** The whole country's list (no territory): the page found in the order's own index where it can be. */
function countryStatement(schema: string, order: { orderBy: string; after: string }): string {
  return `WITH matches AS NOT MATERIALIZED (
         SELECT t.* FROM ${schema}.organization_timeline t
          WHERE t.valid @> $1::date AND t.known @> $9::timestamptz AND $2::text[] IS NULL ${FILTERS}
       ), page AS (
         SELECT * FROM matches t WHERE $7::uuid IS NULL OR ${order.after} ORDER BY ${order.orderBy} LIMIT $8
       )
       -- the count joined even to an empty page (past the last match, or no match)
       SELECT ${COLUMNS(schema, '$9')}, c.total
         FROM (SELECT count(*)::int AS total FROM matches) c LEFT JOIN page t ON true
        ORDER BY ${order.orderBy}`;
}

/**
 * A territory's list (or a search of the country known now): its matches (ids and the order's key) materialized once for the count and the
 * page, then the page's rows read whole. Known now, the rows are those of the list's partial index
 * (`upper_inf(known)`, what `known @> 'infinity'` means for the timeline's ranges, which are open or
 * closed at an instant) and "in force at X" bounds its scan by the end of `valid`; at an earlier
 * moment the btree of every row on (province_code, end of `valid`) finds them the same way
 * (migration 1733740000000).
 */
function territoryStatement(schema: string, units: readonly string[] | undefined, knownNow: boolean, sort: OrganizationSort | 'id', order: { orderBy: string; after: string }): string {
  const known = `${knownNow ? 'upper_inf(t.known)' : 't.known @> $9::timestamptz'} AND ${VALID_UNTIL} > $1::date`;
  const key = sort === 'name' ? ', t.name' : sort === 'id' ? '' : ', t.registered_on';
  // Known now, the page's rows are found by the list index's key (one row of an organization ends on each date).
  const row = knownNow
    ? `t.province_code = p.province_code AND ${VALID_UNTIL} = p.until AND t.organization_id = p.organization_id AND upper_inf(t.known)`
    : `t.organization_id = p.organization_id AND t.known @> $9::timestamptz`;
  return `WITH matches AS MATERIALIZED (
         SELECT t.organization_id, t.province_code, ${VALID_UNTIL} AS until${key} FROM ${schema}.organization_timeline t
          WHERE t.valid @> $1::date AND ${known}
            AND ${units ? unitsCondition(units, 't.province_code', 2) : '$2::text[] IS NULL'} ${FILTERS}
       ), page AS (
         SELECT * FROM matches t WHERE $7::uuid IS NULL OR ${order.after} ORDER BY ${order.orderBy} LIMIT $8
       )
       -- the count joined even to an empty page; one row of the timeline per organization at (asOf, knownAt)
       SELECT ${COLUMNS(schema, '$9')}, c.total
         FROM (SELECT count(*)::int AS total FROM matches) c
         LEFT JOIN (page p JOIN ${schema}.organization_timeline t
                      ON ${row} AND t.valid @> $1::date) ON true
        ORDER BY ${order.orderBy}`;
}

/** Where a page stopped, in the order it was read. */
function cursorOf(sort: OrganizationSort | 'id', row: TimelineRow): OrganizationCursor {
  if (sort === 'id') return { sort, id: row.organization_id };
  return { sort, key: sort === 'name' ? row.name : row.registered_on, id: row.organization_id };
}

/**
 * The code in force at `asOf` of the province holding a unit: 89 (former An Giang) is in 91 from
 * 2025-07-01. A unit the map does not know (a record older than the map's checks) stands for itself.
 */
function provinceOn(map: AdministrativeMap | undefined, asOf: LocalDate): (unit: string) => string {
  if (!map) return (unit) => unit;
  return (unit) => {
    try {
      return map.provinceOfUnit(unit, asOf).code;
    } catch {
      return unit;
    }
  };
}

function toOrganizationAsOf(row: TimelineRow, provinceOf: (unit: string) => string): OrganizationAsOf {
  return {
    id: row.organization_id,
    kind: row.kind,
    name: row.name,
    registrationNumber: row.registration_number,
    provinceCode: provinceOf(row.province_code),
    // The seat's unit: the first-map province whose territory holds it (api.md: always set).
    formerProvinceCode: row.province_code,
    sector: row.sector,
    status: row.status,
    registeredOn: row.registered_on,
    dissolvedOn: row.dissolved_on,
    memberCount: row.member_count,
    rating: row.rating ? { rating: row.rating, year: row.rating_year!, ratedOn: row.rated_on! } : null,
    managers: row.managers_total === null ? null : { total: row.managers_total, withDegree: row.managers_with_degree! },
    directorTrained: row.director_trained,
    valueChain: row.value_chain,
    highTech: row.high_tech,
    enterpriseLinked: row.enterprise_linked,
    digitalAdoption: row.digital_adoption,
    memberCooperativeIds: row.member_cooperative_ids,
    unionIds: row.union_ids ?? [],
    version: row.version,
  };
}
