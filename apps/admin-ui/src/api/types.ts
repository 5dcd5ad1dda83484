/**
 * The shapes of the API's answers, as the UI reads them: each is the server's own type, imported (types
 * only, erased by the build) from the module that produces the answer, so a change of shape on the server
 * fails the UI's typecheck instead of drifting from a copy. The lists of kinds, sectors, ratings and
 * event types are the domain's own values (aliased in tsconfig.json and vite.config.mts).
 */

export type {
  DomainErrorCode,
  FieldError,
  Managers,
  MetricName,
  OrganizationKind,
  OrganizationStatus,
  PlanState,
  Rating,
  Sector,
  Target,
  TargetStatus,
} from '@ktt/domain';
export {
  AdministrativeMap,
  isUuid,
  LIMITS,
  METRIC_NAMES,
  ORGANIZATION_EVENT_TYPES,
  ORGANIZATION_KINDS,
  PLAN_EVENT_TYPES,
  PROFILE_FLAG_NAMES,
  RATINGS,
  SECTORS,
  STATUSES,
  TARGET_STATUSES,
  organizationIdOfStream,
  organizationStreamId,
  planIdOfStream,
  todayInVietnam,
} from '@ktt/domain';
export type { AuditEventView, FlowCounts, OrganizationAsOf, OrganizationPage, Page, PopulationAnswer, ProvinceFlows, ProvinceProgress, SeriesPoint, TargetProgress, TerritoryRef } from '@ktt/read-models/answers';
export type { BrokenEvent, HistoryEntry, OrphanReservation, VerificationResult } from '@ktt/application/answers';
export type { Me } from '@ktt/auth/principal';

/** A province in force on a date (GET /api/provinces?asOf=), for pickers and labels. */
export interface Province {
  code: string;
  /** The first version's name of `code`, kept by the server as an alias. */
  provinceCode: string;
  name: string;
  /** Codes on the map of the day before it came into force; a province that was not merged lists its own code. */
  predecessors: string[];
  /** Set on a province that a later reorganization ended: the code its territory went to. */
  successor?: string;
}
