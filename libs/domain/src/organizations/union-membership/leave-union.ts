import { DomainError } from '../../common/domain-error';
import type { DecisionContext } from '../decision-context';
import type { LeaveUnion } from '../organization.commands';
import type { CooperativeLeftUnion } from '../organization.events';
import type { OrganizationHistory } from '../organization.history';
import { latestMembership, requireUnionOn } from './membership-of-pair';

/**
 * Judged on the union's history alone: only a member can leave, after the
 * date it joined (a membership holds from its join date up to, not including,
 * its leave date, so a leave on the join date would be an empty membership).
 * The cooperative's own dissolution does not block a leave: it already ended
 * the membership, and recording the union's decision as well is harmless.
 */
export function decideLeave(
  command: LeaveUnion,
  history: OrganizationHistory | null,
  { today }: DecisionContext,
): CooperativeLeftUnion[] {
  const union = requireUnionOn(command, history, today);
  const { organizationId, cooperativeId, effectiveOn } = command;
  const latest = latestMembership(union, cooperativeId);
  if (!latest?.member) throw DomainError.conflict('NOT_A_MEMBER', `${cooperativeId} is not a member of ${organizationId}`);
  if (effectiveOn <= latest.effectiveOn) {
    throw DomainError.conflict(
      'MEMBERSHIP_OUT_OF_ORDER',
      `${cooperativeId} joined ${organizationId} on ${latest.effectiveOn}; it can only leave after that date`,
    );
  }
  return [{ type: 'CooperativeLeftUnion', data: { organizationId, effectiveOn, cooperativeId } }];
}
