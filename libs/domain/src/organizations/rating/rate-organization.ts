import { DomainError } from '../../common/domain-error';
import { yearOf } from '../../common/local-date';
import { invalid, requireInteger, requireOneOf, requirePastOrToday } from '../../common/validation';
import type { DecisionContext } from '../decision-context';
import type { RateOrganization } from '../organization.commands';
import type { OrganizationRated } from '../organization.events';
import { requireExistsOn, requireHistory } from '../organization.guards';
import type { OrganizationHistory } from '../organization.history';
import { RATINGS } from '../organization.types';

/**
 * Records what the rating authority decided (Circular 01/2020/TT-BKHĐT) without
 * second-guessing it: neither the "12 months of operation" rule nor the number
 * of ratings per year is enforced. The effective date is `ratedOn`.
 */
export function decideRating(
  command: RateOrganization,
  history: OrganizationHistory | null,
  { today }: DecisionContext,
): OrganizationRated[] {
  validateRating(command, today);
  const organization = requireHistory(history, command.organizationId);
  if (organization.kind === 'cooperative_group') {
    throw DomainError.conflict('NOT_RATED_KIND', 'Cooperative groups are not rated');
  }
  requireExistsOn(organization, command.ratedOn, 'The rating');
  if (command.year < yearOf(organization.registeredOn)) {
    throw DomainError.conflict(
      'BEFORE_REGISTRATION',
      `Year ${command.year} is before ${organization.id} was registered (${organization.registeredOn})`,
    );
  }
  const { organizationId, rating, year, ratedOn } = command;
  return [{ type: 'OrganizationRated', data: { organizationId, effectiveOn: ratedOn, rating, year } }];
}

function validateRating(command: RateOrganization, today: string): void {
  requireOneOf(command.rating, RATINGS, 'rating');
  requirePastOrToday(command.ratedOn, 'ratedOn', today);
  requireInteger(command.year, 'year', 1900);
  if (command.year > yearOf(command.ratedOn)) {
    throw invalid('year', `year ${command.year} is after the year of ratedOn (${command.ratedOn})`);
  }
}
