import { LIMITS } from '../../common/limits';
import { requirePastOrToday, requireText } from '../../common/validation';
import type { DecisionContext } from '../decision-context';
import type { FindOrganizationDormant } from '../organization.commands';
import type { OrganizationFoundDormant } from '../organization.events';
import { requireLifecycleChange } from '../organization.guards';
import type { OrganizationHistory } from '../organization.history';

/** Found by the authority after an inspection: the organization stopped operating without dissolving. */
export function decideDormancy(
  command: FindOrganizationDormant,
  history: OrganizationHistory | null,
  { today }: DecisionContext,
): OrganizationFoundDormant[] {
  requirePastOrToday(command.effectiveOn, 'effectiveOn', today);
  const finding = requireText(command.finding, 'finding', { max: LIMITS.text.finding, multiline: true });
  requireLifecycleChange(history, command, ['active', 'suspended'], 'find dormant');
  const { organizationId, effectiveOn } = command;
  return [{ type: 'OrganizationFoundDormant', data: { organizationId, effectiveOn, finding } }];
}
