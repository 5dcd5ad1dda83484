import { aCooperative, aCooperativeGroup, aUnion, freshId } from '@ktt/testing/builders';
import { given } from '@ktt/testing/given-when-then';
import type { ChangeMemberCount } from '../organization.commands';

const change = (organizationId: string, memberCount: number, effectiveOn = '2025-04-01'): ChangeMemberCount => ({
  type: 'ChangeMemberCount',
  organizationId,
  memberCount,
  effectiveOn,
});

describe('changing the member count', () => {
  describe('of a cooperative', () => {
    it('records the new count', () => {
      const coop = aCooperative();
      given(coop).when(change(coop.id, 40)).then([
        { type: 'MemberCountChanged', data: { organizationId: coop.id, effectiveOn: '2025-04-01', memberCount: 40 } },
      ]);
    });

    it('accepts a back-dated change between two later ones', () => {
      const coop = aCooperative({ effectiveOn: '2020-01-01' }).memberCount(20, '2023-01-01').memberCount(30, '2025-01-01');
      given(coop).when(change(coop.id, 25, '2024-01-01')).then([
        { type: 'MemberCountChanged', data: { organizationId: coop.id, effectiveOn: '2024-01-01', memberCount: 25 } },
      ]);
    });

    it('accepts the minimum of 5', () => {
      const coop = aCooperative();
      given(coop).when(change(coop.id, 5)).then([
        { type: 'MemberCountChanged', data: { organizationId: coop.id, effectiveOn: '2025-04-01', memberCount: 5 } },
      ]);
    });

    it('refuses a count below the minimum of 5', () => {
      const coop = aCooperative();
      given(coop).when(change(coop.id, 4)).thenThrows('BELOW_MINIMUM_MEMBERS', 'memberCount');
    });

    it('refuses a count below 1', () => {
      const coop = aCooperative();
      given(coop).when(change(coop.id, 0)).thenThrows('VALIDATION_FAILED', 'memberCount');
    });

    it('refuses a change dated in the future', () => {
      const coop = aCooperative();
      given(coop).when(change(coop.id, 9, '2026-07-01')).thenThrows('DATE_IN_FUTURE', 'effectiveOn');
    });
  });

  describe('of a cooperative group', () => {
    it('accepts 2 members', () => {
      const group = aCooperativeGroup();
      given(group).when(change(group.id, 2)).then([
        { type: 'MemberCountChanged', data: { organizationId: group.id, effectiveOn: '2025-04-01', memberCount: 2 } },
      ]);
    });

    it('refuses 1 member', () => {
      const group = aCooperativeGroup();
      given(group).when(change(group.id, 1)).thenThrows('BELOW_MINIMUM_MEMBERS', 'memberCount');
    });
  });

  describe('of a union', () => {
    it('refuses: a union has member cooperatives, not a member count', () => {
      const union = aUnion([freshId(), freshId(), freshId()]);
      given(union).when(change(union.id, 10)).thenThrows('NOT_APPLICABLE_TO_KIND');
    });
  });

  describe('when the organization is unknown', () => {
    it('refuses with not found', () => {
      given().when(change(freshId(), 10)).thenThrows('ORGANIZATION_NOT_FOUND');
    });
  });

  describe('before registration', () => {
    it('refuses a change dated before the registration', () => {
      const coop = aCooperative({ effectiveOn: '2025-05-01' });
      given(coop).when(change(coop.id, 10, '2025-04-30')).thenThrows('BEFORE_REGISTRATION');
    });
  });

  describe('when dissolved', () => {
    it('refuses a change dated on or after the dissolution', () => {
      const coop = aCooperative().dissolved('2025-04-01');
      given(coop).when(change(coop.id, 10, '2025-04-01')).thenThrows('ORGANIZATION_DISSOLVED');
    });

    it('accepts a late change dated before the dissolution', () => {
      const coop = aCooperative().dissolved('2025-04-02');
      given(coop).when(change(coop.id, 10, '2025-04-01')).then([
        { type: 'MemberCountChanged', data: { organizationId: coop.id, effectiveOn: '2025-04-01', memberCount: 10 } },
      ]);
    });
  });
});
