/** Shapes of the public API's answers (../shared/api.md), as the UI reads them. */

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
  directorTrained: boolean | null;
  valueChain: boolean | null;
  highTech: boolean | null;
  enterpriseLinked: boolean | null;
  digitalAdoption: boolean | null;
  unionIds?: string[];
  memberCooperativeIds?: string[];
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
  correctedBy?: string | null;
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
  aboveMax?: boolean;
  quote?: string;
}

export interface Progress {
  provinceCode: string;
  asOf: string;
  knownAt: string;
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

export interface Plan {
  id: string;
  provinceCode: string;
  title?: string;
  document?: string;
  adoptedOn: string;
  targets: PlanTarget[];
  [key: string]: unknown;
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

export interface AuditEvent {
  streamId: string;
  revision: number;
  type: string;
  effectiveOn: string | null;
  recordedAt: string;
  recordedBy: string;
  provinceCode: string | null;
  eventId: string;
  position?: string;
  data?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface VerifyResult {
  ok: boolean;
  checkedEvents: number;
  firstBrokenAt?: unknown;
}
