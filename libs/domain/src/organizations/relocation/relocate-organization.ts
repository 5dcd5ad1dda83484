import { DomainError } from '../../common/domain-error';
import { requirePastOrToday } from '../../common/validation';
import type { DecisionContext } from '../decision-context';
import type { RelocateOrganization } from '../organization.commands';
import type { OrganizationRelocated } from '../organization.events';
import { requireExistsOn, requireHistory } from '../organization.guards';
import { lastRelocationOn, seatOn, type OrganizationHistory } from '../organization.history';
import { judgeSeatOn, validateSeat } from '../seat';

/**
 * Moves the seat (domain.md, "Relocation"): the organization exists on `effectiveOn`, the move
 * follows its registration and its latest relocation (a seat has one history, read in date order),
 * the destination is judged on the map of `effectiveOn`, and it is not where the seat already is
 * (a move within a merged province names another former territory).
 */
export function decideRelocation(
  command: RelocateOrganization,
  history: OrganizationHistory | null,
  context: DecisionContext,
): OrganizationRelocated[] {
  requirePastOrToday(command.effectiveOn, 'effectiveOn', context.today);
  validateSeat(context.map, command);
  const organization = requireHistory(history, command.organizationId);
  requireExistsOn(organization, command.effectiveOn, 'The relocation');
  requireAfterLastRelocation(organization, command.effectiveOn);
  const seat = judgeSeatOn(context.map, command, command.effectiveOn);
  const current = seatOn(organization, command.effectiveOn)!;
  if (current.unit === seat.unit) {
    throw new DomainError(
      'conflict',
      'ALREADY_SEATED_THERE',
      `${organization.id} is seated in ${describe(current)} on ${command.effectiveOn} already (since ${current.effectiveOn}): a relocation moves the seat to another province or former province`,
      [{ path: 'provinceCode', message: 'the seat is there already' }],
    );
  }
  const { organizationId, effectiveOn } = command;
  return [{ type: 'OrganizationRelocated', data: { organizationId, effectiveOn, provinceCode: seat.provinceCode, formerProvinceCode: seat.formerProvinceCode } }];
}

/** Relocations are read in date order: one dated before the latest would rewrite a later move. */
function requireAfterLastRelocation(organization: OrganizationHistory, date: string): void {
  const latest = lastRelocationOn(organization);
  if (latest !== null && date < latest) {
    throw DomainError.conflict(
      'LIFECYCLE_OUT_OF_ORDER',
      `A relocation dated ${date} is before the latest relocation of ${organization.id} (on ${latest})`,
    );
  }
}

function describe(seat: { provinceCode: string; unit: string }): string {
  return seat.unit === seat.provinceCode ? `province ${seat.provinceCode}` : `province ${seat.provinceCode} (former ${seat.unit})`;
}

