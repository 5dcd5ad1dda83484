import type { AdministrativeMap } from '../administrative-units/administrative-map';
import type { LocalDate } from '../common/local-date';
import type { OrganizationHistory } from './organization.history';

/**
 * What a decision needs besides the organization's own history: the calendar
 * date in Vietnam, and the histories of the other organizations the command
 * names (see `referencedOrganizationIds`); null or absent = unknown id; and the map of provinces
 * (as recorded), on which a seat is judged at the command's effective date.
 */
export interface DecisionContext {
  today: LocalDate;
  others: ReadonlyMap<string, OrganizationHistory | null>;
  map: AdministrativeMap;
}

export function otherHistory(context: DecisionContext, id: string): OrganizationHistory | null {
  return context.others.get(id) ?? null;
}
