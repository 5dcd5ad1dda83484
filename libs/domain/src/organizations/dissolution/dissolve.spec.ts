import { aCooperative, aUnion, freshId } from '@ktt/testing/builders';
import { given, itRefusesInvalid, itRefusesOutsideTheOrganizationsLife } from '@ktt/testing/given-when-then';
import type { DissolveOrganization } from '../organization.commands';
import type { OrganizationDissolved } from '../organization.events';

const dissolve = (organizationId: string, overrides: Partial<DissolveOrganization> = {}): DissolveOrganization => ({
  type: 'DissolveOrganization',
  organizationId,
  effectiveOn: '2025-10-01',
  mode: 'voluntary',
  decisionRef: '12/QĐ-UBND',
  ...overrides,
});

const dissolved = (organizationId: string, data: Partial<OrganizationDissolved['data']> = {}): OrganizationDissolved => ({
  type: 'OrganizationDissolved',
  data: { organizationId, effectiveOn: '2025-10-01', mode: 'voluntary', decisionRef: '12/QĐ-UBND', ...data },
});

describe('dissolving an organization', () => {
  it.each([
    ['active', () => aCooperative()],
    ['suspended', () => aCooperative().suspended('2025-01-01')],
    ['dormant', () => aCooperative().dormant('2025-01-01')],
    ['suspended on the same day', () => aCooperative().suspended('2025-10-01')],
  ])('records the dissolution when %s', (_status, build) => {
    const coop = build();
    given(coop).when(dissolve(coop.id, { mode: 'compulsory' })).then([dissolved(coop.id, { mode: 'compulsory' })]);
  });

  it('dissolves a union too', () => {
    const union = aUnion([freshId(), freshId(), freshId()]);
    given(union).when(dissolve(union.id)).then([dissolved(union.id)]);
  });

  itRefusesInvalid(dissolve, [
    ['an unknown mode', { mode: 'forced' as DissolveOrganization['mode'] }, 'mode'],
    ['a blank decision reference', { decisionRef: '' }, 'decisionRef'],
  ]);

  it.each([
    ['a later suspension', () => aCooperative().suspended('2025-11-01')],
    ['a later dissolution', () => aCooperative().dissolved('2025-12-01')],
  ])('refuses a dissolution dated before %s: lifecycle events are ordered', (_event, build) => {
    const coop = build();
    given(coop).when(dissolve(coop.id)).thenThrows('LIFECYCLE_OUT_OF_ORDER');
  });

  itRefusesOutsideTheOrganizationsLife((organizationId, effectiveOn) => dissolve(organizationId, { effectiveOn }));
});
