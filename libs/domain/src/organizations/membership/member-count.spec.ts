import { aCooperative, aCooperativeGroup, aUnion, freshId } from '@ktt/testing/builders';
import { given, itRefusesOutsideTheOrganizationsLife } from '@ktt/testing/given-when-then';
import type { ChangeMemberCount } from '../organization.commands';

const change = (organizationId: string, memberCount: number, effectiveOn = '2025-04-01'): ChangeMemberCount => ({
  type: 'ChangeMemberCount',
  organizationId,
  memberCount,
  effectiveOn,
});

describe('changing the member count', () => {
  it.each([
    ['the new count of a cooperative', () => aCooperative(), 40],
    ['the minimum of 5 for a cooperative', () => aCooperative(), 5],
    ['the minimum of 2 for a cooperative group', () => aCooperativeGroup(), 2],
    ['a late change dated before the dissolution', () => aCooperative().dissolved('2025-04-02'), 10],
  ])('records %s', (_what, build, memberCount) => {
    const organization = build();
    given(organization).when(change(organization.id, memberCount)).then([
      { type: 'MemberCountChanged', data: { organizationId: organization.id, effectiveOn: '2025-04-01', memberCount } },
    ]);
  });

  it('accepts a back-dated change between two later ones', () => {
    const coop = aCooperative({ effectiveOn: '2020-01-01' }).memberCount(20, '2023-01-01').memberCount(30, '2025-01-01');
    given(coop).when(change(coop.id, 25, '2024-01-01')).then([
      { type: 'MemberCountChanged', data: { organizationId: coop.id, effectiveOn: '2024-01-01', memberCount: 25 } },
    ]);
  });

  it.each([
    ['a cooperative', () => aCooperative(), 4],
    ['a cooperative group', () => aCooperativeGroup(), 1],
  ])('refuses a count below the minimum of %s', (_kind, build, memberCount) => {
    const organization = build();
    given(organization).when(change(organization.id, memberCount)).thenThrows('BELOW_MINIMUM_MEMBERS', 'memberCount');
  });

  it('refuses a count below 1', () => {
    const coop = aCooperative();
    given(coop).when(change(coop.id, 0)).thenThrows('VALIDATION_FAILED', 'memberCount');
  });

  it('refuses a union: a union has member cooperatives, not a member count', () => {
    const union = aUnion([freshId(), freshId(), freshId()]);
    given(union).when(change(union.id, 10)).thenThrows('NOT_APPLICABLE_TO_KIND');
  });

  itRefusesOutsideTheOrganizationsLife((organizationId, effectiveOn) => change(organizationId, 10, effectiveOn));
});
