import { DomainError } from '../../common/domain-error';
import type { LocalDate } from '../../common/local-date';
import { requireId, requirePastOrToday } from '../../common/validation';
import { requireExistsOn, requireHistory, requireKind } from '../organization.guards';
import type { OrganizationHistory } from '../organization.history';

/** The latest join or leave of one (union, cooperative) pair; founding counts as a join on the registration date. */
export interface PairMembership {
  member: boolean;
  effectiveOn: LocalDate;
}

export function latestMembership(union: OrganizationHistory, cooperativeId: string): PairMembership | null {
  const founding = union.registration.memberCooperativeIds.includes(cooperativeId)
    ? { member: true, effectiveOn: union.registeredOn }
    : null;
  return union.events.reduce<PairMembership | null>((latest, event) => {
    if (event.type !== 'CooperativeJoinedUnion' && event.type !== 'CooperativeLeftUnion') return latest;
    if (event.data.cooperativeId !== cooperativeId) return latest;
    if (latest !== null && event.data.effectiveOn < latest.effectiveOn) return latest;
    return { member: event.type === 'CooperativeJoinedUnion', effectiveOn: event.data.effectiveOn };
  }, founding);
}

/** Checks shared by join and leave: the command's own fields, then the union on that date. */
export function requireUnionOn(
  command: { organizationId: string; cooperativeId: string; effectiveOn: LocalDate },
  history: OrganizationHistory | null,
  today: LocalDate,
): OrganizationHistory {
  requireId(command.cooperativeId, 'cooperativeId');
  requirePastOrToday(command.effectiveOn, 'effectiveOn', today);
  const union = requireHistory(history, command.organizationId);
  requireKind(union, ['union'], 'admit or remove member cooperatives of');
  requireExistsOn(union, command.effectiveOn, 'The membership change');
  return union;
}

/** A pair's joins and leaves alternate in effective-date order; the same date as the latest is allowed. */
export function requirePairOrder(latest: PairMembership | null, effectiveOn: LocalDate, cooperativeId: string): void {
  if (latest !== null && effectiveOn < latest.effectiveOn) {
    throw DomainError.conflict(
      'MEMBERSHIP_OUT_OF_ORDER',
      `${cooperativeId}'s membership last changed on ${latest.effectiveOn}, after ${effectiveOn}`,
    );
  }
}
