import { aCooperative, aCooperativeGroup, aUnion, freshId } from '@ktt/testing/builders';
import { given, itRefusesInvalid, itRefusesOutsideTheOrganizationsLife } from '@ktt/testing/given-when-then';
import type { RateOrganization } from '../organization.commands';
import type { OrganizationRated } from '../organization.events';

const rate = (organizationId: string, overrides: Partial<RateOrganization> = {}): RateOrganization => ({
  type: 'RateOrganization',
  organizationId,
  rating: 'good',
  year: 2024,
  ratedOn: '2024-12-20',
  ...overrides,
});

/** The rating `rate()`'s defaults decide, with the fields a test varies. */
const rated = (organizationId: string, data: Partial<OrganizationRated['data']> = {}): OrganizationRated => ({
  type: 'OrganizationRated',
  data: { organizationId, effectiveOn: '2024-12-20', rating: 'good', year: 2024, ...data },
});

describe('rating an organization', () => {
  it.each([
    ['a cooperative', () => aCooperative({ effectiveOn: '2022-01-10' })],
    ['a cooperative registered on ratedOn', () => aCooperative({ effectiveOn: '2024-12-20' })],
    ['a union', () => aUnion([freshId(), freshId(), freshId()])],
    ['a suspended, then dormant cooperative', () => aCooperative().suspended('2024-01-01').dormant('2024-06-01')],
    ['a cooperative dissolved later: a late rating dated before the dissolution', () => aCooperative().dissolved('2025-03-01')],
  ])('records the rating of %s, effective on ratedOn', (_organization, build) => {
    const organization = build();
    given(organization).when(rate(organization.id)).then([rated(organization.id)]);
  });

  it('accepts a second rating for the same year (the latest counts)', () => {
    const coop = aCooperative().rated('fair', 2024, '2024-12-10');
    given(coop).when(rate(coop.id, { rating: 'weak' })).then([rated(coop.id, { rating: 'weak' })]);
  });

  it('accepts a rating of the previous year decided in the next', () => {
    const coop = aCooperative();
    given(coop).when(rate(coop.id, { year: 2023, ratedOn: '2024-01-15' })).then([rated(coop.id, { effectiveOn: '2024-01-15', year: 2023 })]);
  });

  itRefusesInvalid(rate, [
    ['a year after the year of ratedOn', { year: 2025 }, 'year'],
    ['an unknown rating', { rating: 'excellent' as RateOrganization['rating'] }, 'rating'],
  ]);

  it('refuses to rate a cooperative group: groups are not rated', () => {
    const group = aCooperativeGroup();
    given(group).when(rate(group.id)).thenThrows('NOT_RATED_KIND');
  });

  it('refuses a year before the registration year', () => {
    const coop = aCooperative({ effectiveOn: '2024-02-01' });
    given(coop).when(rate(coop.id, { year: 2023, ratedOn: '2024-03-01' })).thenThrows('BEFORE_REGISTRATION');
  });

  itRefusesOutsideTheOrganizationsLife((organizationId, ratedOn) => rate(organizationId, { ratedOn, year: Number(ratedOn.slice(0, 4)) }), {
    dateField: 'ratedOn',
  });
});
