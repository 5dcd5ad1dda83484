import { aCooperative, freshId } from '@ktt/testing/builders';
import { given } from '@ktt/testing/given-when-then';
import type { ResumeOrganization } from '../organization.commands';

const resume = (organizationId: string, effectiveOn = '2025-08-01'): ResumeOrganization => ({
  type: 'ResumeOrganization',
  organizationId,
  effectiveOn,
});

describe('resuming an organization', () => {
  describe('when suspended', () => {
    it('records the resumption', () => {
      const coop = aCooperative().suspended('2025-01-01');
      given(coop).when(resume(coop.id)).then([
        { type: 'OrganizationResumed', data: { organizationId: coop.id, effectiveOn: '2025-08-01' } },
      ]);
    });

    it('accepts a resumption on the day of the suspension', () => {
      const coop = aCooperative().suspended('2025-08-01');
      given(coop).when(resume(coop.id)).then([{ type: 'OrganizationResumed', data: { organizationId: coop.id, effectiveOn: '2025-08-01' } }]);
    });

    it('refuses a resumption dated before the suspension', () => {
      const coop = aCooperative().suspended('2025-09-01');
      given(coop).when(resume(coop.id)).thenThrows('LIFECYCLE_OUT_OF_ORDER');
    });

    it('refuses a resumption dated in the future', () => {
      const coop = aCooperative().suspended('2025-01-01');
      given(coop).when(resume(coop.id, '2026-07-01')).thenThrows('DATE_IN_FUTURE', 'effectiveOn');
    });
  });

  describe('when dormant', () => {
    it('records the resumption', () => {
      const coop = aCooperative().dormant('2025-01-01');
      given(coop).when(resume(coop.id)).then([{ type: 'OrganizationResumed', data: { organizationId: coop.id, effectiveOn: '2025-08-01' } }]);
    });
  });

  describe('when active', () => {
    it('refuses: there is nothing to resume', () => {
      const coop = aCooperative();
      given(coop).when(resume(coop.id)).thenThrows('INVALID_TRANSITION');
    });

    it('refuses after a resumption already recorded', () => {
      const coop = aCooperative().suspended('2025-01-01').resumed('2025-02-01');
      given(coop).when(resume(coop.id)).thenThrows('INVALID_TRANSITION');
    });
  });

  describe('when the organization is unknown', () => {
    it('refuses with not found', () => {
      given().when(resume(freshId())).thenThrows('ORGANIZATION_NOT_FOUND');
    });
  });

  describe('before registration', () => {
    it('refuses a resumption dated before the registration', () => {
      const coop = aCooperative({ effectiveOn: '2025-09-01' });
      given(coop).when(resume(coop.id)).thenThrows('BEFORE_REGISTRATION');
    });
  });

  describe('when dissolved', () => {
    it('refuses a resumption dated after the dissolution', () => {
      const coop = aCooperative().suspended('2025-01-01').dissolved('2025-03-01');
      given(coop).when(resume(coop.id)).thenThrows('ORGANIZATION_DISSOLVED');
    });
  });
});
