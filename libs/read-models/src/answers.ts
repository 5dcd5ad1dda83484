import type { LocalDate, MetricName, OrganizationState, TargetEvaluation } from '@ktt/domain';

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

/** GET /api/organizations. */
export type OrganizationPage = Page<OrganizationAsOf>;

/** GET /api/audit/events. */
export type AuditEventPage = Page<AuditEventView>;

/** A plan as in force at a date (GET /api/plans, GET /api/plans/:id): the domain's own. */
export type { PlanState } from '@ktt/domain';

/** Every metric of domain.md ("Metrics"); null where it cannot be computed (no population known, no rated organization). */
export type Metrics = Record<MetricName, number | null>;

/** GET /api/provinces/:code/progress. */
export interface ProvinceProgress {
  provinceCode: string;
  asOf: LocalDate;
  /** null when the question gave none (now). */
  knownAt: string | null;
  metrics: Metrics;
  targets: TargetProgress[];
}

/** One target of a progress answer: the domain's evaluation and the plan that sets it. */
export type TargetProgress = TargetEvaluation & { planId: string };

/** One point of GET /api/provinces/:code/progress/series. */
export interface SeriesPoint {
  asOf: LocalDate;
  metrics: Metrics;
}

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
}
