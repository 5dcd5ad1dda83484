import { LIMITS } from '../../common/limits';
import { invalid, optionalText, requireDate, requirePastOrToday, requireText } from '../../common/validation';
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
  const { reason, noticeRef } = validateSuspension(command, today);
  requireLifecycleChange(history, command, ['active'], 'suspend');
  const { organizationId, effectiveOn } = command;
  return [
    { type: 'OrganizationSuspended', data: { organizationId, effectiveOn, reason, until: command.until ?? null, noticeRef: noticeRef ?? null } },
  ];
}

function validateSuspension(command: SuspendOrganization, today: string): { reason: string; noticeRef: string | undefined } {
  requirePastOrToday(command.effectiveOn, 'effectiveOn', today);
  const texts = {
    reason: requireText(command.reason, 'reason', { max: LIMITS.text.reason, multiline: true }),
    noticeRef: optionalText(command.noticeRef, 'noticeRef', { max: LIMITS.text.noticeRef }),
  };
  if (command.until === undefined) return texts;
  requireDate(command.until, 'until');
  if (command.until < command.effectiveOn) throw invalid('until', `until ${command.until} is before effectiveOn`);
  return texts;
}
