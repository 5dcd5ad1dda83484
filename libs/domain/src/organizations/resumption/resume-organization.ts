import { requirePastOrToday } from '../../common/validation';
import type { DecisionContext } from '../decision-context';
import type { ResumeOrganization } from '../organization.commands';
import type { OrganizationResumed } from '../organization.events';
import { requireLifecycleChange } from '../organization.guards';
import type { OrganizationHistory } from '../organization.history';

export function decideResumption(
  command: ResumeOrganization,
  history: OrganizationHistory | null,
  { today }: DecisionContext,
): OrganizationResumed[] {
  requirePastOrToday(command.effectiveOn, 'effectiveOn', today);
  requireLifecycleChange(history, command, ['suspended', 'dormant'], 'resume');
  const { organizationId, effectiveOn } = command;
  return [{ type: 'OrganizationResumed', data: { organizationId, effectiveOn } }];
}
