import { aCooperative } from '@ktt/testing/builders';
import { given, itRefusesOutsideTheOrganizationsLife } from '@ktt/testing/given-when-then';
import type { ResumeOrganization } from '../organization.commands';

const resume = (organizationId: string, effectiveOn = '2025-08-01'): ResumeOrganization => ({
  type: 'ResumeOrganization',
  organizationId,
  effectiveOn,
});

describe('resuming an organization', () => {
  it.each([
    ['suspended', () => aCooperative().suspended('2025-01-01')],
    ['suspended on the same day', () => aCooperative().suspended('2025-08-01')],
    ['dormant', () => aCooperative().dormant('2025-01-01')],
  ])('records the resumption when %s', (_status, build) => {
    const coop = build();
    given(coop).when(resume(coop.id)).then([{ type: 'OrganizationResumed', data: { organizationId: coop.id, effectiveOn: '2025-08-01' } }]);
  });

  it('refuses a resumption dated before the suspension', () => {
    const coop = aCooperative().suspended('2025-09-01');
    given(coop).when(resume(coop.id)).thenThrows('LIFECYCLE_OUT_OF_ORDER');
  });

  it.each([
    ['active: there is nothing to resume', () => aCooperative()],
    ['active again after a resumption already recorded', () => aCooperative().suspended('2025-01-01').resumed('2025-02-01')],
  ])('refuses when %s', (_status, build) => {
    const coop = build();
    given(coop).when(resume(coop.id)).thenThrows('INVALID_TRANSITION');
  });

  itRefusesOutsideTheOrganizationsLife(resume);
});
