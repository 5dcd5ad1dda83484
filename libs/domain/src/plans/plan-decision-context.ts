import type { LocalDate } from '../common/local-date';

/** What a plan decision needs besides the plan's own history: the calendar date in Vietnam. */
export interface PlanDecisionContext {
  today: LocalDate;
}
