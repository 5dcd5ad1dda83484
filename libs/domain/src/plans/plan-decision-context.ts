import type { LocalDate } from '../common/local-date';
import type { PlanHistory } from './plan.history';

/** What a plan decision needs besides the plan's own history: the calendar date in Vietnam. */
export interface PlanDecisionContext {
  today: LocalDate;
  /** EndPlan with `supersededBy`: that plan's history (null = not adopted); loaded by the handler. */
  supersedingPlan?: PlanHistory | null;
}
