import { aCooperative } from '@ktt/testing/builders';
import { given, itRefusesOutsideTheOrganizationsLife } from '@ktt/testing/given-when-then';
import type { FindOrganizationDormant } from '../organization.commands';
import type { OrganizationFoundDormant } from '../organization.events';

const FINDING = 'Biên bản kiểm tra: không còn hoạt động';

const findDormant = (organizationId: string, overrides: Partial<FindOrganizationDormant> = {}): FindOrganizationDormant => ({
  type: 'FindOrganizationDormant',
  organizationId,
  effectiveOn: '2025-05-10',
  finding: FINDING,
  ...overrides,
});

const foundDormant = (organizationId: string): OrganizationFoundDormant => ({
  type: 'OrganizationFoundDormant',
  data: { organizationId, effectiveOn: '2025-05-10', finding: FINDING },
});

describe('finding an organization dormant', () => {
  it.each([
    ['active', () => aCooperative()],
    ['suspended', () => aCooperative().suspended('2025-01-01')],
  ])('records the finding when %s', (_status, build) => {
    const coop = build();
    given(coop).when(findDormant(coop.id)).then([foundDormant(coop.id)]);
  });

  it('refuses a blank finding', () => {
    const coop = aCooperative();
    given(coop).when(findDormant(coop.id, { finding: '' })).thenThrows('VALIDATION_FAILED', 'finding');
  });

  it('refuses a second finding when already dormant', () => {
    const coop = aCooperative().dormant('2025-01-01');
    given(coop).when(findDormant(coop.id)).thenThrows('INVALID_TRANSITION');
  });

  it('refuses a finding dated before a later lifecycle event', () => {
    const coop = aCooperative().suspended('2025-06-01');
    given(coop).when(findDormant(coop.id)).thenThrows('LIFECYCLE_OUT_OF_ORDER');
  });

  itRefusesOutsideTheOrganizationsLife((organizationId, effectiveOn) => findDormant(organizationId, { effectiveOn }));
});
