import { invalid, requireDate, requirePastOrToday, requireText } from '../../common/validation';
import type { DecisionContext } from '../decision-context';
import type { SuspendOrganization } from '../organization.commands';
import type { OrganizationSuspended } from '../organization.events';
import { requireLifecycleChange } from '../organization.guards';
import type { OrganizationHistory } from '../organization.history';

/**
 * Suspension is notified by the organization itself and lasts until it
 * resumes: the system never ends it by itself. `until` (the notice's end date,
 * at most 12 months a notice) may lie in the future and is only recorded.
 */
export function decideSuspension(
  command: SuspendOrganization,
  history: OrganizationHistory | null,
  { today }: DecisionContext,
): OrganizationSuspended[] {
  validateSuspension(command, today);
  requireLifecycleChange(history, command, ['active'], 'suspend');
  const { organizationId, effectiveOn, reason } = command;
  return [
    { type: 'OrganizationSuspended', data: { organizationId, effectiveOn, reason, until: command.until ?? null, noticeRef: command.noticeRef ?? null } },
  ];
}

function validateSuspension(command: SuspendOrganization, today: string): void {
  requirePastOrToday(command.effectiveOn, 'effectiveOn', today);
  requireText(command.reason, 'reason');
  if (command.noticeRef !== undefined) requireText(command.noticeRef, 'noticeRef', 200);
  if (command.until === undefined) return;
  requireDate(command.until, 'until');
  if (command.until < command.effectiveOn) throw invalid('until', `until ${command.until} is before effectiveOn`);
}
