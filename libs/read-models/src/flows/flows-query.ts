import { FLOW_NAMES, ORGANIZATION_KINDS, type AdministrativeMap, type LocalDate, type OrganizationKind } from '@ktt/domain';
import type { FlowCounts, ProvinceFlows } from '../answers';
import type { Generation } from '../generations';
import { unitsCondition } from '../progress/metrics-query';


/** A stretch of the period over which the territory's units stay the same. */
interface Stretch {
  from: LocalDate;
  to: LocalDate;
  units: string[];
}

/**
 * Flows (domain.md, "Flows"): registrations, dissolutions, suspensions, dormancy findings,
 * resumptions and relocations effective in [from, to], and the organizations a reorganization
 * moved into or out of the territory.
 *
 * Source: the timeline (organization_timeline), not the facts. Each row is the organization's
 * state over a valid range as known over a recorded-time range, with retracted facts and
 * replacements already applied by the domain's own fold (projector), so "known at T" is
 * `known @> T` and a retracted suspension simply is not there. An event shows as the change
 * between the row that ends on its date and the row that starts on it (same organization, both
 * known at T): a status that changes, a seat (unit) that changes, or a first row (registration).
 * Only the dissolution's mode is not a column of the timeline: it is read from the facts (the
 * dissolution, or the replacement of a correction, effective that day, recorded by T and not
 * retracted by T), for the few dissolutions found. Several lifecycle events of one organization
 * on one day show as their net change (suspended and resumed the same day: neither).
 *
 * Territory: with `boundariesOn`, fixed (the code's units on that date); without, it follows
 * the map: the period is cut at each reorganization, each stretch counted on its own units,
 * and the reorganization itself moves the organizations that exist the day before it from the
 * units that join the code's territory (reorganizedIn) or leave it (reorganizedOut).
 */
export class FlowsQueries {
  /** Every unit the question counts (for the `degraded` check): the territory's units over the period. */
  unitsAsked(map: AdministrativeMap, code: string, period: { from: LocalDate; to: LocalDate; boundariesOn?: LocalDate }): string[] {
    const stretches = period.boundariesOn ? fixedTerritory(map, code, period.from, period.to, period.boundariesOn) : territoryFollowingTheMap(map, code, period.from, period.to);
    return [...new Set(stretches.flatMap((s) => s.units))].sort();
  }

  async flows(
    generation: Generation,
    map: AdministrativeMap,
    code: string,
    period: { from: LocalDate; to: LocalDate; knownAt?: string; boundariesOn?: LocalDate },
  ): Promise<ProvinceFlows> {
    const { from, to, knownAt, boundariesOn } = period;
    const stretches = boundariesOn ? fixedTerritory(map, code, from, to, boundariesOn) : territoryFollowingTheMap(map, code, from, to);
    const named = boundariesOn ?? lastDateInForce(stretches, to);
    const province = map.provinceOn(code, named)!;
    const byKind = Object.fromEntries(ORGANIZATION_KINDS.map((kind) => [kind, zero()])) as Record<OrganizationKind, FlowCounts>;
    const add = (kind: OrganizationKind, name: keyof FlowCounts, n: number) => (byKind[kind][name] += n);

    const known = knownAt ?? 'infinity';
    const counted = await Promise.all(stretches.map((s) => changesIn(generation, s, known)));
    for (const rows of counted) for (const row of rows) for (const name of FLOW_NAMES) if (row[name] !== undefined) add(row.kind, name, Number(row[name] ?? 0));

    if (!boundariesOn) {
      for (const change of reorganizationsIn(map, code, from, to)) {
        const [joined, left] = await Promise.all([aliveIn(generation, change.joining, change.dayBefore, known), aliveIn(generation, change.leaving, change.dayBefore, known)]);
        for (const row of joined) add(row.kind, 'reorganizedIn', Number(row.n));
        for (const row of left) add(row.kind, 'reorganizedOut', Number(row.n));
      }
    }
    return {
      territory: { code, boundariesOn: boundariesOn ?? null, name: province.name, predecessors: province.predecessors },
      from,
      to,
      knownAt: knownAt ?? null,
      byKind,
    };
  }
}

function zero(): FlowCounts {
  return Object.fromEntries(FLOW_NAMES.map((name) => [name, 0])) as unknown as FlowCounts;
}

function fixedTerritory(map: AdministrativeMap, code: string, from: LocalDate, to: LocalDate, boundariesOn: LocalDate): Stretch[] {
  const units = map.unitsOf(code, boundariesOn);
  if (units === null) throw map.notInForce(code, boundariesOn, 'not_found', 'path:code');
  return [{ from, to, units }];
}

/** The period cut at each reorganization, keeping the stretches where `code` is in force; none: 404 naming the successor. */
function territoryFollowingTheMap(map: AdministrativeMap, code: string, from: LocalDate, to: LocalDate): Stretch[] {
  const cuts = map.reorganizationDates().filter((date) => date > from && date <= to);
  const starts = [from, ...cuts];
  const stretches: Stretch[] = [];
  starts.forEach((start, i) => {
    const end = i + 1 < starts.length ? dayBefore(starts[i + 1]) : to;
    const units = map.unitsOf(code, start);
    if (units !== null) stretches.push({ from: start, to: end, units });
  });
  if (stretches.length === 0) throw map.notInForce(code, to, 'not_found', 'path:code');
  return stretches;
}

function lastDateInForce(stretches: Stretch[], to: LocalDate): LocalDate {
  const last = stretches[stretches.length - 1];
  return last.to < to ? last.to : to;
}

/** Each reorganization effective in [from, to] that changes the units of `code`'s territory. */
function reorganizationsIn(map: AdministrativeMap, code: string, from: LocalDate, to: LocalDate) {
  return map
    .reorganizationDates()
    .filter((date) => date >= from && date <= to)
    .map((date) => {
      const before = map.unitsOf(code, dayBefore(date)) ?? [];
      const after = map.unitsOf(code, date) ?? [];
      return { dayBefore: dayBefore(date), joining: after.filter((u) => !before.includes(u)), leaving: before.filter((u) => !after.includes(u)) };
    })
    .filter((change) => change.joining.length + change.leaving.length > 0);
}

type ChangeRow = { kind: OrganizationKind } & Record<keyof FlowCounts, string | null>;

/**
 * The changes effective in one stretch, per kind. `c` holds the rows known at T that touch the
 * territory from the day before the stretch to its end; an event on day d is the pair (p: the
 * row ending on d, r: the row starting on d). The territory's rows are found through the btree of
 * every row on (province_code, end of `valid`) (migration 1733740000000), from the stretch's eve on,
 * for a past `knownAt` and now alike. Counted where r starts in the territory
 * (registrations, lifecycle, relocations in), and where p ends in it while r is elsewhere
 * (relocations out). The (organization_id, valid) btree finds each neighbour.
 */
async function changesIn(generation: Generation, stretch: Stretch, knownAt: string): Promise<ChangeRow[]> {
  const t = generation.identifier;
  const { rows } = await generation.pool.query<ChangeRow>(
    `WITH c AS MATERIALIZED (
       SELECT organization_id, valid, kind, status, province_code
         FROM ${t}.organization_timeline
        WHERE ${unitsCondition(stretch.units, 'province_code', 1)} AND known @> $4::timestamptz AND valid && daterange($2::date - 1, $3::date, '[]')
          AND coalesce(upper(valid), 'infinity'::date) > $2::date - 1
     ),
     starting AS MATERIALIZED (
       SELECT r.organization_id, lower(r.valid) AS day, r.kind, r.status, p.status AS before_status, p.province_code AS before_unit
         FROM c r
         LEFT JOIN LATERAL (
           SELECT status, province_code FROM ${t}.organization_timeline p
            WHERE p.organization_id = r.organization_id AND upper(p.valid) = lower(r.valid) AND p.known @> $4::timestamptz
            LIMIT 1) p ON true
        WHERE lower(r.valid) BETWEEN $2::date AND $3::date
     ),
     dissolved AS (
       SELECT s.kind, (
           SELECT coalesce(f.data->>'mode', f.data->'replacement'->'data'->>'mode')
             FROM ${t}.organization_facts f
            WHERE f.organization_id = s.organization_id AND f.recorded_at <= $4::timestamptz
              AND ((f.event_type = 'OrganizationDissolved' AND f.data->>'effectiveOn' = s.day::text)
                OR (f.event_type = 'RecordCorrected' AND f.data->'replacement'->>'type' = 'OrganizationDissolved'
                    AND f.data->'replacement'->'data'->>'effectiveOn' = s.day::text))
              AND NOT EXISTS (SELECT 1 FROM ${t}.organization_facts x
                               WHERE x.organization_id = f.organization_id AND x.event_type = 'RecordCorrected'
                                 AND x.recorded_at <= $4::timestamptz AND x.data->>'retractedEventId' = f.event_id::text)
            ORDER BY f.revision DESC LIMIT 1) AS mode
         FROM starting s
        WHERE s.status = 'dissolved' AND s.before_status IS DISTINCT FROM 'dissolved'
     ),
     leaving AS (
       SELECT p.kind
         FROM c p
         JOIN ${t}.organization_timeline r
           ON r.organization_id = p.organization_id AND lower(r.valid) = upper(p.valid) AND r.known @> $4::timestamptz
        WHERE upper(p.valid) BETWEEN $2::date AND $3::date AND NOT (r.province_code = ANY($1::text[]))
     ),
     flows AS (
       SELECT kind,
              (before_status IS NULL)::int AS registered,
              0 AS dissolved_voluntary, 0 AS dissolved_compulsory,
              (status = 'suspended' AND before_status IS DISTINCT FROM 'suspended')::int AS suspended,
              (status = 'dormant' AND before_status IS DISTINCT FROM 'dormant')::int AS found_dormant,
              (status = 'active' AND before_status IN ('suspended', 'dormant'))::int AS resumed,
              (before_unit IS NOT NULL AND NOT (before_unit = ANY($1::text[])))::int AS relocated_in,
              0 AS relocated_out
         FROM starting
       UNION ALL
       -- a mode the facts do not name (never expected: every dissolution has one) counts as voluntary
       SELECT kind, 0, (mode IS DISTINCT FROM 'compulsory')::int, (mode = 'compulsory')::int, 0, 0, 0, 0, 0 FROM dissolved
       UNION ALL
       SELECT kind, 0, 0, 0, 0, 0, 0, 0, 1 FROM leaving
     )
     SELECT kind, sum(registered) AS "registered", sum(dissolved_voluntary) AS "dissolvedVoluntary", sum(dissolved_compulsory) AS "dissolvedCompulsory",
            sum(suspended) AS "suspended", sum(found_dormant) AS "foundDormant", sum(resumed) AS "resumed",
            sum(relocated_in) AS "relocatedIn", sum(relocated_out) AS "relocatedOut"
       FROM flows GROUP BY kind`,
    [stretch.units, stretch.from, stretch.to, knownAt],
  );
  return rows;
}

/** The organizations that exist (registered, not dissolved) on `day` with their seat in `units`, per kind. */
async function aliveIn(generation: Generation, units: string[], day: LocalDate, knownAt: string): Promise<{ kind: OrganizationKind; n: string }[]> {
  if (units.length === 0) return [];
  const { rows } = await generation.pool.query<{ kind: OrganizationKind; n: string }>(
    `SELECT kind, count(*) AS n FROM ${generation.identifier}.organization_timeline
      WHERE ${unitsCondition(units, 'province_code', 1)} AND coalesce(upper(valid), 'infinity'::date) > $2::date AND valid @> $2::date
        AND known @> $3::timestamptz AND status <> 'dissolved'
      GROUP BY kind`,
    [units, day, knownAt],
  );
  return rows;
}

function dayBefore(date: LocalDate): LocalDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
