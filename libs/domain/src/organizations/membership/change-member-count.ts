import { DomainError } from '../../common/domain-error';
import { LIMITS } from '../../common/limits';
import { requireInteger, requirePastOrToday } from '../../common/validation';
import type { DecisionContext } from '../decision-context';
import type { ChangeMemberCount } from '../organization.commands';
import type { MemberCountChanged } from '../organization.events';
import { requireExistsOn, requireHistory, requireKind } from '../organization.guards';
import type { OrganizationHistory } from '../organization.history';
import { MINIMUM_MEMBERS } from '../organization.types';

export function decideMemberCountChange(
  command: ChangeMemberCount,
  history: OrganizationHistory | null,
  { today }: DecisionContext,
): MemberCountChanged[] {
  requireInteger(command.memberCount, 'memberCount', LIMITS.memberCount.min, LIMITS.memberCount.max);
  requirePastOrToday(command.effectiveOn, 'effectiveOn', today);
  const organization = requireHistory(history, command.organizationId);
  requireKind(organization, ['cooperative', 'cooperative_group'], 'change the member count of');
  requireMinimum(organization.kind as keyof typeof MINIMUM_MEMBERS, command.memberCount);
  requireExistsOn(organization, command.effectiveOn, 'The member count change');
  const { organizationId, memberCount, effectiveOn } = command;
  return [{ type: 'MemberCountChanged', data: { organizationId, effectiveOn, memberCount } }];
}

/**
 * domain.md applies the minimums of Law 17/2023/QH15 "to every date", and
 * binds only the union's minimum "at founding only". So a cooperative or group
 * must keep 5 (resp. 2) members while it exists: a count below that is refused
 * rather than recorded. The 2012 minimums were higher, so no true record of an
 * older organization is refused. (An organization that really fell below is a
 * case for dissolution, which the registrar records as such.)
 */
function requireMinimum(kind: keyof typeof MINIMUM_MEMBERS, memberCount: number): void {
  const minimum = MINIMUM_MEMBERS[kind];
  if (memberCount < minimum) {
    throw DomainError.invalid(
      'BELOW_MINIMUM_MEMBERS',
      'memberCount',
      `A ${kind} has at least ${minimum} members; got ${memberCount}`,
    );
  }
}
