import type { CoverageName, FlowName, LocalDate, MetricName, OrganizationState, PlanState, TargetEvaluation } from '@ktt/domain';

/**
 * What the read side answers, in the shapes the api sends (api.md). Types only, importing only the
 * domain's: the admin UI reads its answers through these same types (`import type`), so a change of
 * shape here fails the UI's typecheck instead of drifting from a copy.
 */

/** An organization as the read model knows it on a date (GET /api/organizations/:id and each item of the list). */
export interface OrganizationAsOf extends OrganizationState {
  /** Cooperatives: the unions it belongs to at the date ([] for other kinds). */
  unionIds: string[];
  /** The stream's latest revision (for If-Match). */
  version: number;
}

/** One page of a list; `nextCursor` asks for the next (null on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** GET /api/organizations: a page, and `total`, how many organizations match (all pages). */
export type OrganizationPage = Page<OrganizationAsOf> & { total: number };

/** GET /api/audit/events. */
export type AuditEventPage = Page<AuditEventView>;

/** A plan as in force at a date (GET /api/plans, GET /api/plans/:id): the domain's own. */
export type { PlanState } from '@ktt/domain';

/** Every metric of domain.md ("Metrics"); null where it cannot be computed (no population known, no rated organization) or the date is after today. */
export type Metrics = Record<MetricName, number | null>;

/**
 * For each metric built on a profile flag or on `managers` (COVERAGE_NAMES): the organizations of its
 * scope whose value is known ÷ the organizations of its scope (domain.md, "Metrics"); null when the
 * scope is empty or the date is after today.
 */
export type Coverage = Record<CoverageName, number | null>;

/** A code on the boundaries of a date (domain.md: `91@2023-10-20` is former Kiên Giang). */
export interface TerritoryRef {
  code: string;
  boundariesOn: LocalDate;
  name: string;
}

/** GET /api/provinces/:code/progress. */
export interface ProvinceProgress {
  provinceCode: string;
  /** The territory counted: the code on the boundaries of `boundariesOn` (default `asOf`), with its predecessors then. */
  territory: TerritoryRef & { predecessors: string[] };
  asOf: LocalDate;
  /** null when the question gave none (now). */
  knownAt: string | null;
  /** true for a date after today in Vietnam: every metric and coverage is then null, and the targets give only `expected`. */
  future: boolean;
  metrics: Metrics;
  coverage: Coverage;
  /** The territory's population used for `population_share` (its units' figures), or why there is none. */
  population: PopulationAnswer;
  targets: TargetProgress[];
}

/** One target of a progress answer: the domain's evaluation, the plan that sets it and the territory it is evaluated on. */
export type TargetProgress = TargetEvaluation & {
  planId: string;
  planTerritory: TerritoryRef;
  /** On a `population_share` target: the population of the plan's territory it was measured against, or why there is none. */
  population?: PopulationAnswer;
};

/** One point of GET /api/provinces/:code/progress/series. */
export interface SeriesPoint {
  asOf: LocalDate;
  /** true for a date after today in Vietnam: every metric is then null (the expected values are still given). */
  future: boolean;
  /** false where the code names no province on the point's boundaries: every metric is then null. */
  inForce: boolean;
  /** Every metric, or only those asked for (`metrics=`). */
  metrics: Partial<Metrics>;
  /**
   * The expected value on the point's date of each target the progress answer of that date would list,
   * keyed `<planId>/<metric>/<deadline>` (only the asked metrics' with `metrics=`); null where it has no line (no baseline).
   */
  expected: Record<string, number | null>;
}

/** A plan as answered by GET /api/plans: its state at the date and the territory it covers. */
export type PlanAnswer = PlanState & { territory: TerritoryRef };

/** A row of the audit trail (GET /api/audit/events): an organization or plan event, without its data. */
export interface AuditEventView {
  eventId: string;
  position: string;
  /** `organization-<id>` or `plan-<id>`. */
  streamId: string;
  revision: number;
  type: string;
  /** UTC, milliseconds. */
  recordedAt: string;
  recordedBy: string;
  /** The organization's id for organization streams, null for plans. */
  organizationId: string | null;
  /**
   * The organization's name and registration number as the register knows them now (its latest
   * timeline row as currently recorded), not as of the event: one organization reads the same on every row.
   * null for plans, and for an organization the read model does not hold (its registration quarantined).
   */
  organizationName: string | null;
  registrationNumber: string | null;
  provinceCode: string | null;
  effectiveOn: string | null;
  /** A dissolution's decision. */
  decisionRef: string | null;
  /** For a RecordCorrected: the event it retracts. */
  correctsEventId: string | null;
  /** The correction that retracted this event. */
  correctedByEventId: string | null;
  /** Only on an event the projector could not apply (or holds behind one): why. */
  quarantined?: { reason: 'failed' | 'held'; error: string };
  /** Only on an imported event: the file it came from (issue 17). */
  source?: { kind: 'import'; fileName: string; sha256: string };
}

/** The population of a territory on a date (domain.md, "Population"), answered beside `population_share`. */
export interface PopulationAnswer {
  /** Null where some unit of the territory has no sourced figure for a year ≤ the date's year: `population_share` is then null. */
  value: number | null;
  /** The figures added up: one per unit (a province before 1 July 2025), each of the latest year ≤ the date's; `country` for the national figure. */
  figures: { unit: string; year: number; kind: string; population: number }[];
  /** Why `value` is null (which units lack a figure); absent when it is a number. */
  reason?: string;
}

/** What moved in a territory over a period, per kind (domain.md, "Flows"; the names: FLOW_NAMES). */
export type FlowCounts = Record<FlowName, number>;

/** GET /api/provinces/:code/flows. */
export interface ProvinceFlows {
  /** The code named; `boundariesOn` null when the territory followed the map over the period (then the name and predecessors are those of the last date in force). */
  territory: { code: string; boundariesOn: LocalDate | null; name: string; predecessors: string[] };
  from: LocalDate;
  to: LocalDate;
  /** null when the question gave none (now). */
  knownAt: string | null;
  byKind: { cooperative_group: FlowCounts; cooperative: FlowCounts; union: FlowCounts };
}

/** GET /api/national/progress: the metrics over the whole country (no targets until national targets are data). */
export interface NationalProgress {
  asOf: LocalDate;
  /** null when the question gave none (now). */
  knownAt: string | null;
  /** true for a date after today in Vietnam: every metric and coverage is then null. */
  future: boolean;
  metrics: Metrics;
  coverage: Coverage;
  /** The country's population used for `population_share`, or why there is none. */
  population: PopulationAnswer;
}

/** One point of GET /api/national/series. */
export interface NationalSeriesPoint {
  asOf: LocalDate;
  future: boolean;
  /** Every metric, or only those asked for (`metrics=`). */
  metrics: Partial<Metrics>;
}
