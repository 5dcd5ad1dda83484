import { aCooperative, aUnion, freshId } from '@ktt/testing/builders';
import { given } from '@ktt/testing/given-when-then';
import type { DissolveOrganization } from '../organization.commands';

const dissolve = (organizationId: string, overrides: Partial<DissolveOrganization> = {}): DissolveOrganization => ({
  type: 'DissolveOrganization',
  organizationId,
  effectiveOn: '2025-10-01',
  mode: 'voluntary',
  decisionRef: '12/QĐ-UBND',
  ...overrides,
});

describe('dissolving an organization', () => {
  describe.each([
    ['active', () => aCooperative()],
    ['suspended', () => aCooperative().suspended('2025-01-01')],
    ['dormant', () => aCooperative().dormant('2025-01-01')],
  ])('when %s', (_status, build) => {
    it('records the dissolution', () => {
      const coop = build();
      given(coop).when(dissolve(coop.id, { mode: 'compulsory' })).then([
        {
          type: 'OrganizationDissolved',
          data: { organizationId: coop.id, effectiveOn: '2025-10-01', mode: 'compulsory', decisionRef: '12/QĐ-UBND' },
        },
      ]);
    });
  });

  it('dissolves a union too', () => {
    const union = aUnion([freshId(), freshId(), freshId()]);
    given(union).when(dissolve(union.id)).then([
      { type: 'OrganizationDissolved', data: { organizationId: union.id, effectiveOn: '2025-10-01', mode: 'voluntary', decisionRef: '12/QĐ-UBND' } },
    ]);
  });

  it('refuses a dissolution dated in the future', () => {
    const coop = aCooperative();
    given(coop).when(dissolve(coop.id, { effectiveOn: '2026-07-01' })).thenThrows('DATE_IN_FUTURE', 'effectiveOn');
  });

  it('refuses an unknown mode', () => {
    const coop = aCooperative();
    given(coop)
      .when(dissolve(coop.id, { mode: 'forced' as DissolveOrganization['mode'] }))
      .thenThrows('VALIDATION_FAILED', 'mode');
  });

  it('refuses a blank decision reference', () => {
    const coop = aCooperative();
    given(coop).when(dissolve(coop.id, { decisionRef: '' })).thenThrows('VALIDATION_FAILED', 'decisionRef');
  });

  describe('when a later lifecycle event is recorded', () => {
    it('refuses a dissolution dated before it', () => {
      const coop = aCooperative().suspended('2025-11-01');
      given(coop).when(dissolve(coop.id)).thenThrows('LIFECYCLE_OUT_OF_ORDER');
    });

    it('accepts a dissolution on the same day', () => {
      const coop = aCooperative().suspended('2025-10-01');
      given(coop).when(dissolve(coop.id)).then([
        { type: 'OrganizationDissolved', data: { organizationId: coop.id, effectiveOn: '2025-10-01', mode: 'voluntary', decisionRef: '12/QĐ-UBND' } },
      ]);
    });
  });

  describe('when dissolved', () => {
    it('refuses a second dissolution dated on or after the first', () => {
      const coop = aCooperative().dissolved('2025-10-01');
      given(coop).when(dissolve(coop.id)).thenThrows('ORGANIZATION_DISSOLVED');
    });

    it('refuses a second dissolution dated before the first', () => {
      const coop = aCooperative().dissolved('2025-12-01');
      given(coop).when(dissolve(coop.id)).thenThrows('LIFECYCLE_OUT_OF_ORDER');
    });
  });

  describe('when the organization is unknown', () => {
    it('refuses with not found', () => {
      given().when(dissolve(freshId())).thenThrows('ORGANIZATION_NOT_FOUND');
    });
  });

  describe('before registration', () => {
    it('refuses a dissolution dated before the registration', () => {
      const coop = aCooperative({ effectiveOn: '2025-10-02' });
      given(coop).when(dissolve(coop.id)).thenThrows('BEFORE_REGISTRATION');
    });
  });
});
