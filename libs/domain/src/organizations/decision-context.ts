import type { LocalDate } from '../common/local-date';
import type { OrganizationHistory } from './organization.history';

/**
 * What a decision needs besides the organization's own history: the calendar
 * date in Vietnam, and the histories of the other organizations the command
 * names (see `referencedOrganizationIds`); null or absent = unknown id.
 */
export interface DecisionContext {
  today: LocalDate;
  others: ReadonlyMap<string, OrganizationHistory | null>;
}

export function otherHistory(context: DecisionContext, id: string): OrganizationHistory | null {
  return context.others.get(id) ?? null;
}
