import { LIMITS } from '../../common/limits';
import { requireOneOf, requirePastOrToday, requireText } from '../../common/validation';
import type { DecisionContext } from '../decision-context';
import type { DissolveOrganization } from '../organization.commands';
import type { OrganizationDissolved } from '../organization.events';
import { requireLifecycleChange } from '../organization.guards';
import type { OrganizationHistory } from '../organization.history';
import { DISSOLUTION_MODES } from '../organization.types';

/** Terminal, from any state. A second dissolution is refused as ORGANIZATION_DISSOLVED or LIFECYCLE_OUT_OF_ORDER. */
export function decideDissolution(
  command: DissolveOrganization,
  history: OrganizationHistory | null,
  { today }: DecisionContext,
): OrganizationDissolved[] {
  requirePastOrToday(command.effectiveOn, 'effectiveOn', today);
  requireOneOf(command.mode, DISSOLUTION_MODES, 'mode');
  const decisionRef = requireText(command.decisionRef, 'decisionRef', { max: LIMITS.text.decisionRef });
  requireLifecycleChange(history, command, ['active', 'suspended', 'dormant'], 'dissolve');
  const { organizationId, effectiveOn, mode } = command;
  return [{ type: 'OrganizationDissolved', data: { organizationId, effectiveOn, mode, decisionRef } }];
}
