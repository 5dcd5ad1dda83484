import { aCooperative, freshId } from '@ktt/testing/builders';
import { given } from '@ktt/testing/given-when-then';
import type { FindOrganizationDormant } from '../organization.commands';

const findDormant = (organizationId: string, overrides: Partial<FindOrganizationDormant> = {}): FindOrganizationDormant => ({
  type: 'FindOrganizationDormant',
  organizationId,
  effectiveOn: '2025-05-10',
  finding: 'Biên bản kiểm tra: không còn hoạt động',
  ...overrides,
});

describe('finding an organization dormant', () => {
  describe('when active', () => {
    it('records the finding', () => {
      const coop = aCooperative();
      given(coop).when(findDormant(coop.id)).then([
        {
          type: 'OrganizationFoundDormant',
          data: { organizationId: coop.id, effectiveOn: '2025-05-10', finding: 'Biên bản kiểm tra: không còn hoạt động' },
        },
      ]);
    });

    it('refuses a finding dated in the future', () => {
      const coop = aCooperative();
      given(coop).when(findDormant(coop.id, { effectiveOn: '2026-07-01' })).thenThrows('DATE_IN_FUTURE', 'effectiveOn');
    });

    it('refuses a blank finding', () => {
      const coop = aCooperative();
      given(coop).when(findDormant(coop.id, { finding: '' })).thenThrows('VALIDATION_FAILED', 'finding');
    });
  });

  describe('when suspended', () => {
    it('records the finding', () => {
      const coop = aCooperative().suspended('2025-01-01');
      given(coop).when(findDormant(coop.id)).then([
        {
          type: 'OrganizationFoundDormant',
          data: { organizationId: coop.id, effectiveOn: '2025-05-10', finding: 'Biên bản kiểm tra: không còn hoạt động' },
        },
      ]);
    });
  });

  describe('when already dormant', () => {
    it('refuses a second finding', () => {
      const coop = aCooperative().dormant('2025-01-01');
      given(coop).when(findDormant(coop.id)).thenThrows('INVALID_TRANSITION');
    });
  });

  describe('when a later lifecycle event is recorded', () => {
    it('refuses a finding dated before it', () => {
      const coop = aCooperative().suspended('2025-06-01');
      given(coop).when(findDormant(coop.id)).thenThrows('LIFECYCLE_OUT_OF_ORDER');
    });
  });

  describe('when the organization is unknown', () => {
    it('refuses with not found', () => {
      given().when(findDormant(freshId())).thenThrows('ORGANIZATION_NOT_FOUND');
    });
  });

  describe('before registration', () => {
    it('refuses a finding dated before the registration', () => {
      const coop = aCooperative({ effectiveOn: '2025-06-01' });
      given(coop).when(findDormant(coop.id)).thenThrows('BEFORE_REGISTRATION');
    });
  });

  describe('when dissolved', () => {
    it('refuses a finding dated on the dissolution date', () => {
      const coop = aCooperative().dissolved('2025-05-10');
      given(coop).when(findDormant(coop.id)).thenThrows('ORGANIZATION_DISSOLVED');
    });
  });
});
