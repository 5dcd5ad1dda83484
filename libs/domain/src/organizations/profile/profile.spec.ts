import { aCooperative, aCooperativeGroup, aUnion, freshId } from '@ktt/testing/builders';
import { given } from '@ktt/testing/given-when-then';
import type { ChangeProfile } from '../organization.commands';

const change = (organizationId: string, fields: Partial<ChangeProfile> = {}): ChangeProfile => ({
  type: 'ChangeProfile',
  organizationId,
  effectiveOn: '2025-02-01',
  ...fields,
});

describe('changing the profile', () => {
  describe('when the organization exists', () => {
    it('records only the fields given', () => {
      const coop = aCooperative();
      given(coop).when(change(coop.id, { valueChain: true, managers: { total: 5, withDegree: 2 } })).then([
        {
          type: 'ProfileChanged',
          data: { organizationId: coop.id, effectiveOn: '2025-02-01', valueChain: true, managers: { total: 5, withDegree: 2 } },
        },
      ]);
    });

    it('records a flag set back to false', () => {
      const coop = aCooperative({ highTech: true });
      given(coop).when(change(coop.id, { highTech: false })).then([
        { type: 'ProfileChanged', data: { organizationId: coop.id, effectiveOn: '2025-02-01', highTech: false } },
      ]);
    });

    it('accepts profile flags for every kind', () => {
      const group = aCooperativeGroup();
      const union = aUnion([freshId(), freshId(), freshId()]);
      given(group).when(change(group.id, { digitalAdoption: true })).then([
        { type: 'ProfileChanged', data: { organizationId: group.id, effectiveOn: '2025-02-01', digitalAdoption: true } },
      ]);
      given(union).when(change(union.id, { valueChain: true })).then([
        { type: 'ProfileChanged', data: { organizationId: union.id, effectiveOn: '2025-02-01', valueChain: true } },
      ]);
    });

    it('refuses a change that gives no field', () => {
      const coop = aCooperative();
      given(coop).when(change(coop.id)).thenThrows('VALIDATION_FAILED', '');
    });

    it('refuses more managers with a degree than managers', () => {
      const coop = aCooperative();
      given(coop)
        .when(change(coop.id, { managers: { total: 1, withDegree: 2 } }))
        .thenThrows('VALIDATION_FAILED', 'managers.withDegree');
    });

    it('refuses a change dated in the future', () => {
      const coop = aCooperative();
      given(coop).when(change(coop.id, { valueChain: true, effectiveOn: '2026-07-01' })).thenThrows('DATE_IN_FUTURE', 'effectiveOn');
    });
  });

  describe('when the organization is unknown', () => {
    it('refuses with not found', () => {
      given().when(change(freshId(), { valueChain: true })).thenThrows('ORGANIZATION_NOT_FOUND');
    });
  });

  describe('before registration', () => {
    it('refuses a change dated before the registration', () => {
      const coop = aCooperative({ effectiveOn: '2025-03-01' });
      given(coop).when(change(coop.id, { valueChain: true })).thenThrows('BEFORE_REGISTRATION');
    });
  });

  describe('when dissolved', () => {
    it('refuses a change dated after the dissolution', () => {
      const coop = aCooperative().dissolved('2025-01-31');
      given(coop).when(change(coop.id, { valueChain: true })).thenThrows('ORGANIZATION_DISSOLVED');
    });

    it('accepts a late change dated before the dissolution', () => {
      const coop = aCooperative().dissolved('2025-06-01');
      given(coop).when(change(coop.id, { valueChain: true })).then([
        { type: 'ProfileChanged', data: { organizationId: coop.id, effectiveOn: '2025-02-01', valueChain: true } },
      ]);
    });
  });
});
