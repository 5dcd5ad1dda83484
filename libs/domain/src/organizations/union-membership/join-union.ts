import { DomainError } from '../../common/domain-error';
import type { DecisionContext } from '../decision-context';
import { otherHistory } from '../decision-context';
import type { JoinUnion } from '../organization.commands';
import type { CooperativeJoinedUnion } from '../organization.events';
import { requireCooperativeOn } from '../organization.guards';
import type { OrganizationHistory } from '../organization.history';
import { latestMembership, requirePairOrder, requireUnionOn } from './membership-of-pair';

/**
 * The union's general meeting admits members, so the fact is recorded in the
 * union's stream. A cooperative may belong to several unions and may join
 * while suspended or dormant, but it must exist on the join date.
 */
export function decideJoin(
  command: JoinUnion,
  history: OrganizationHistory | null,
  context: DecisionContext,
): CooperativeJoinedUnion[] {
  const union = requireUnionOn(command, history, context.today);
  const { organizationId, cooperativeId, effectiveOn } = command;
  requireCooperativeOn(otherHistory(context, cooperativeId), cooperativeId, effectiveOn);
  const latest = latestMembership(union, cooperativeId);
  if (latest?.member) {
    throw DomainError.conflict('ALREADY_A_MEMBER', `${cooperativeId} is a member of ${organizationId} since ${latest.effectiveOn}`);
  }
  requirePairOrder(latest, effectiveOn, cooperativeId);
  return [{ type: 'CooperativeJoinedUnion', data: { organizationId, effectiveOn, cooperativeId } }];
}
