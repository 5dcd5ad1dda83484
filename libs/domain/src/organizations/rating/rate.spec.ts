import { aCooperative, aCooperativeGroup, aUnion, freshId } from '@ktt/testing/builders';
import { given } from '@ktt/testing/given-when-then';
import type { RateOrganization } from '../organization.commands';

const rate = (organizationId: string, overrides: Partial<RateOrganization> = {}): RateOrganization => ({
  type: 'RateOrganization',
  organizationId,
  rating: 'good',
  year: 2024,
  ratedOn: '2024-12-20',
  ...overrides,
});

describe('rating an organization', () => {
  describe('when the cooperative exists', () => {
    it('records the rating effective on ratedOn', () => {
      const coop = aCooperative({ effectiveOn: '2022-01-10' });
      given(coop).when(rate(coop.id)).then([
        { type: 'OrganizationRated', data: { organizationId: coop.id, effectiveOn: '2024-12-20', rating: 'good', year: 2024 } },
      ]);
    });

    it('accepts a second rating for the same year (the latest counts)', () => {
      const coop = aCooperative().rated('fair', 2024, '2024-12-10');
      given(coop).when(rate(coop.id, { rating: 'weak' })).then([
        { type: 'OrganizationRated', data: { organizationId: coop.id, effectiveOn: '2024-12-20', rating: 'weak', year: 2024 } },
      ]);
    });

    it('accepts a rating of the previous year decided in the next', () => {
      const coop = aCooperative();
      given(coop).when(rate(coop.id, { year: 2023, ratedOn: '2024-01-15' })).then([
        { type: 'OrganizationRated', data: { organizationId: coop.id, effectiveOn: '2024-01-15', rating: 'good', year: 2023 } },
      ]);
    });

    it('refuses a year after the year of ratedOn', () => {
      const coop = aCooperative();
      given(coop).when(rate(coop.id, { year: 2025 })).thenThrows('VALIDATION_FAILED', 'year');
    });

    it('refuses a rating dated in the future', () => {
      const coop = aCooperative();
      given(coop).when(rate(coop.id, { ratedOn: '2026-07-01', year: 2026 })).thenThrows('DATE_IN_FUTURE', 'ratedOn');
    });

    it('refuses an unknown rating', () => {
      const coop = aCooperative();
      given(coop)
        .when(rate(coop.id, { rating: 'excellent' as RateOrganization['rating'] }))
        .thenThrows('VALIDATION_FAILED', 'rating');
    });
  });

  describe('when the organization is a union', () => {
    it('records the rating', () => {
      const union = aUnion([freshId(), freshId(), freshId()]);
      given(union).when(rate(union.id)).then([
        { type: 'OrganizationRated', data: { organizationId: union.id, effectiveOn: '2024-12-20', rating: 'good', year: 2024 } },
      ]);
    });
  });

  describe('when the organization is a cooperative group', () => {
    it('refuses the rating: groups are not rated', () => {
      const group = aCooperativeGroup();
      given(group).when(rate(group.id)).thenThrows('NOT_RATED_KIND');
    });
  });

  describe('when the organization is unknown', () => {
    it('refuses with not found', () => {
      given().when(rate(freshId())).thenThrows('ORGANIZATION_NOT_FOUND');
    });
  });

  describe('before registration', () => {
    it('refuses a rating dated before the registration', () => {
      const coop = aCooperative({ effectiveOn: '2024-12-21' });
      given(coop).when(rate(coop.id)).thenThrows('BEFORE_REGISTRATION');
    });

    it('accepts a rating dated on the registration date', () => {
      const coop = aCooperative({ effectiveOn: '2024-12-20' });
      given(coop).when(rate(coop.id)).then([
        { type: 'OrganizationRated', data: { organizationId: coop.id, effectiveOn: '2024-12-20', rating: 'good', year: 2024 } },
      ]);
    });

    it('refuses a year before the registration year', () => {
      const coop = aCooperative({ effectiveOn: '2024-02-01' });
      given(coop).when(rate(coop.id, { year: 2023, ratedOn: '2024-03-01' })).thenThrows('BEFORE_REGISTRATION');
    });
  });

  describe('when dissolved', () => {
    it('refuses a rating dated after the dissolution', () => {
      const coop = aCooperative().dissolved('2024-06-30');
      given(coop).when(rate(coop.id)).thenThrows('ORGANIZATION_DISSOLVED');
    });

    it('refuses a rating dated on the dissolution date', () => {
      const coop = aCooperative().dissolved('2024-12-20');
      given(coop).when(rate(coop.id)).thenThrows('ORGANIZATION_DISSOLVED');
    });

    it('accepts a late rating dated before the dissolution, though recorded after it', () => {
      const coop = aCooperative().dissolved('2025-03-01');
      given(coop).when(rate(coop.id)).then([
        { type: 'OrganizationRated', data: { organizationId: coop.id, effectiveOn: '2024-12-20', rating: 'good', year: 2024 } },
      ]);
    });
  });

  describe('when suspended or dormant', () => {
    it('accepts a rating', () => {
      const coop = aCooperative().suspended('2024-01-01').dormant('2024-06-01');
      given(coop).when(rate(coop.id)).then([
        { type: 'OrganizationRated', data: { organizationId: coop.id, effectiveOn: '2024-12-20', rating: 'good', year: 2024 } },
      ]);
    });
  });
});
