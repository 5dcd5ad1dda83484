import type { LocalDate } from '../common/local-date';
import type { PlanChanges, Target } from './plan.types';

/** The facts of a plan's stream (`plan-<id>`). */
export type PlanEvent = PlanAdopted | PlanAmended | PlanEnded;
export type PlanEventType = PlanEvent['type'];

export interface PlanAdopted {
  type: 'PlanAdopted';
  data: {
    planId: string;
    provinceCode: string;
    document: string | null;
    title: string;
    issuer: string;
    adoptedOn: LocalDate;
    source: string | null;
    note: string | null;
    targets: Target[];
    /** = adoptedOn. */
    effectiveOn: LocalDate;
  };
}

/** Takes effect on `effectiveOn`; carries only the changes given. */
export interface PlanAmended {
  type: 'PlanAmended';
  data: PlanChanges & { planId: string; effectiveOn: LocalDate; reason: string };
}

/**
 * The plan is no longer in force from `effectiveOn` (domain.md, "A plan ends
 * when an event ends it"): repealed, or superseded by `supersededBy`.
 * `document` is the decision that ends it.
 */
export interface PlanEnded {
  type: 'PlanEnded';
  data: { planId: string; effectiveOn: LocalDate; reason: string; supersededBy: string | null; document: string | null };
}

export const PLAN_EVENT_SCHEMA_VERSIONS: Record<PlanEventType, number> = {
  PlanAdopted: 1,
  PlanAmended: 1,
  PlanEnded: 1,
};

/** Every plan event type (complete: the record above must name each). */
export const PLAN_EVENT_TYPES = Object.keys(PLAN_EVENT_SCHEMA_VERSIONS) as readonly PlanEventType[];
