import type { LocalDate } from '../common/local-date';
import type { Target } from './plan.types';

/** The facts of a plan's stream (`plan-<id>`). */
export type PlanEvent = PlanAdopted | PlanAmended;
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

/**
 * Takes effect on `effectiveOn`. `targets`, where given, replace the whole
 * list; `adoptedOn`, where given, moves the baseline of on-track; `document`
 * corrects the document number. Fields not given keep their values.
 */
export interface PlanAmended {
  type: 'PlanAmended';
  data: {
    planId: string;
    effectiveOn: LocalDate;
    reason: string;
    targets?: Target[];
    adoptedOn?: LocalDate;
    document?: string | null;
  };
}

export const PLAN_EVENT_SCHEMA_VERSIONS: Record<PlanEventType, number> = {
  PlanAdopted: 1,
  PlanAmended: 1,
};

/** Every plan event type (complete: the record above must name each). */
export const PLAN_EVENT_TYPES = Object.keys(PLAN_EVENT_SCHEMA_VERSIONS) as readonly PlanEventType[];
