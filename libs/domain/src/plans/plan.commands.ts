import type { LocalDate } from '../common/local-date';
import type { PlanChanges, Target } from './plan.types';

export type PlanCommand = AdoptPlan | AmendPlan | EndPlan;

/** A plan as in `plans/*.json` (api.md: `POST /api/plans`). */
export interface AdoptPlan {
  type: 'AdoptPlan';
  planId: string;
  provinceCode: string;
  document?: string | null;
  title: string;
  issuer: string;
  adoptedOn: LocalDate;
  source?: string | null;
  note?: string | null;
  targets: Target[];
}

export interface AmendPlan extends PlanChanges {
  type: 'AmendPlan';
  planId: string;
  effectiveOn: LocalDate;
  reason: string;
}

/** Repeal (no `supersededBy`) or supersede by a named, adopted plan; effective on `effectiveOn`. */
export interface EndPlan {
  type: 'EndPlan';
  planId: string;
  effectiveOn: LocalDate;
  reason: string;
  supersededBy?: string | null;
  document?: string | null;
}
