/** Shapes of the public API's answers (the api.md contract; OpenAPI at /docs), as the UI reads them. */

export type OrganizationKind = 'cooperative' | 'cooperative_group' | 'union';
export type OrganizationStatus = 'active' | 'suspended' | 'dormant' | 'dissolved';
export type Rating = 'good' | 'fair' | 'average' | 'weak';
export const SECTORS = ['agriculture', 'fisheries', 'industry', 'construction', 'transport', 'trade_services', 'credit', 'other'] as const;
export type Sector = (typeof SECTORS)[number];
export const KINDS: OrganizationKind[] = ['cooperative', 'cooperative_group', 'union'];
export const STATUSES: OrganizationStatus[] = ['active', 'suspended', 'dormant', 'dissolved'];
export const RATINGS: Rating[] = ['good', 'fair', 'average', 'weak'];

export interface Managers {
  total: number;
  withDegree: number;
}

export interface OrganizationState {
  id: string;
  kind: OrganizationKind;
  name: string;
  registrationNumber: string;
  provinceCode: string;
  sector: Sector;
  status: OrganizationStatus;
  registeredOn: string;
  dissolvedOn: string | null;
  memberCount: number | null;
  rating: { rating: Rating; year: number; ratedOn: string } | null;
  managers: Managers | null;
  directorTrained: boolean;
  valueChain: boolean;
  highTech: boolean;
  enterpriseLinked: boolean;
  digitalAdoption: boolean;
  /** Cooperatives: the unions it belongs to at the date ([] for other kinds). */
  unionIds: string[];
  /** Unions: the member cooperatives in force at the date ([] for other kinds). */
  memberCooperativeIds: string[];
  /** The stream's latest revision (for If-Match) when read without knownAt. */
  version: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface HistoryEvent {
  revision: number;
  type: string;
  data: Record<string, unknown>;
  effectiveOn: string | null;
  recordedAt: string;
  recordedBy: string;
  eventId: string;
  hash: string;
  previousHash: string | null;
  schemaVersion: number;
  correlationId: string;
  position: string;
  /** The eventId of the correction that retracted this event. */
  correctedBy?: string;
  /** For a RecordCorrected: the eventId it retracts (also data.retractedEventId). */
  corrects?: string;
}

export type MetricName = string;

export interface TargetProgress {
  planId: string;
  metric: MetricName;
  op: 'at_least' | 'more_than' | 'approximately' | 'between' | 'at_most';
  value?: number;
  min?: number;
  max?: number;
  deadline: string;
  actual: number | null;
  met: boolean | null;
  attainment: number | null;
  onTrack: boolean | null;
  baseline: number | null;
  expected: number | null;
  /** Present for `between` only. */
  aboveMax?: boolean;
  /** The sentence of the source document that sets the target. */
  quote: string;
}

export interface Progress {
  provinceCode: string;
  asOf: string;
  /** null when the question gave none (now). */
  knownAt: string | null;
  metrics: Record<MetricName, number | null>;
  targets: TargetProgress[];
}

export interface SeriesPoint {
  asOf: string;
  metrics: Record<MetricName, number | null>;
}

export interface PlanTarget {
  metric: MetricName;
  op: TargetProgress['op'];
  value?: number;
  min?: number;
  max?: number;
  deadline: string;
  quote: string;
}

/** A plan as in force at the date asked (GET /api/plans?asOf=). */
export interface Plan {
  id: string;
  provinceCode: string;
  title: string;
  /** The document number, null where the source gives none. */
  document: string | null;
  issuer?: string;
  adoptedOn: string;
  source?: string;
  note?: string;
  targets: PlanTarget[];
  /** How many amendments are in force at the date. */
  amendments: number;
}

export interface Province {
  provinceCode: string;
  name: string;
}

export interface Me {
  subject: string;
  role: 'admin' | 'registrar' | 'auditor' | 'analyst';
  provinces: string[];
  permissions: string[];
}

/** A row of the audit trail (GET /api/audit/events): organization and plan events, without their data. */
export interface AuditEvent {
  eventId: string;
  position: string;
  /** `organization-<id>` or `plan-<id>`. */
  streamId: string;
  revision: number;
  type: string;
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
}

export interface BrokenEvent {
  streamId: string;
  revision: number;
  eventId: string;
  position: string;
  /** `chain`: a revision gap or a previousHash that is not the previous event's hash; `hash`: the content does not match its hash. */
  reason: 'hash' | 'chain';
}

/** A registration-number reservation whose organization was never registered. */
export interface OrphanReservation {
  streamId: string;
  registrationNumber: string;
  organizationId: string;
  eventId: string;
  recordedAt: string;
}

export interface VerifyResult {
  ok: boolean;
  checkedEvents: number;
  firstBrokenAt?: BrokenEvent;
  orphanReservations: OrphanReservation[];
}
