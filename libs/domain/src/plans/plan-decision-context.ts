import type { LocalDate } from '../common/local-date';
import type { AdministrativeMap } from '../administrative-units/administrative-map';
import type { PlanHistory } from './plan.history';

/** What a plan decision needs besides the plan's own history: the calendar date in Vietnam and the map of provinces. */
export interface PlanDecisionContext {
  today: LocalDate;
  /** The map as recorded: a plan is adopted by a province in force on its adoption date (domain.md, "Plans bind to a territory"). */
  map: AdministrativeMap;
  /** EndPlan with `supersededBy`: that plan's history (null = not adopted); loaded by the handler. */
  supersedingPlan?: PlanHistory | null;
}
