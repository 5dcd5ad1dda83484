import { aCooperative, aCooperativeGroup, aUnion, freshId } from '@ktt/testing/builders';
import { given, itRefusesOutsideTheOrganizationsLife } from '@ktt/testing/given-when-then';
import { referencedOrganizationIds } from '../decide';
import type { JoinUnion, LeaveUnion } from '../organization.commands';

const join = (union: { id: string }, cooperativeId: string, effectiveOn = '2025-03-01'): JoinUnion => ({
  type: 'JoinUnion',
  organizationId: union.id,
  cooperativeId,
  effectiveOn,
});

const leave = (union: { id: string }, cooperativeId: string, effectiveOn = '2025-03-01'): LeaveUnion => ({
  type: 'LeaveUnion',
  organizationId: union.id,
  cooperativeId,
  effectiveOn,
});

/** The kind a membership command applies to, for the refusals every command shares. */
const aUnionRegisteredOn = (effectiveOn: string) => aUnion([freshId(), freshId(), freshId()], { effectiveOn });

/** A union founded on 2022-01-01 by three cooperatives registered in 2020, and a fourth cooperative outside it. */
function setting() {
  const founders = [aCooperative(), aCooperative(), aCooperative()];
  const union = aUnion(founders, { effectiveOn: '2022-01-01' });
  const outsider = aCooperative({ effectiveOn: '2021-06-01' });
  return { founders, union, outsider };
}

describe('a cooperative joining a union', () => {
  describe('when it exists and is not a member', () => {
    it('records the join in the union’s stream', () => {
      const { union, outsider } = setting();
      given(union).withOthers(outsider).when(join(union, outsider.id)).then([
        { type: 'CooperativeJoinedUnion', data: { organizationId: union.id, effectiveOn: '2025-03-01', cooperativeId: outsider.id } },
      ]);
    });

    it('accepts a suspended or dormant cooperative', () => {
      const { union, outsider } = setting();
      outsider.suspended('2024-01-01').dormant('2024-06-01');
      given(union).withOthers(outsider).when(join(union, outsider.id)).then([
        { type: 'CooperativeJoinedUnion', data: { organizationId: union.id, effectiveOn: '2025-03-01', cooperativeId: outsider.id } },
      ]);
    });

    it('accepts a cooperative that is a member of another union', () => {
      const { union, founders } = setting();
      const other = aUnion([founders[0], aCooperative(), aCooperative()]);
      given(other).withOthers(founders[1]).when(join(other, founders[1].id)).then([
        { type: 'CooperativeJoinedUnion', data: { organizationId: other.id, effectiveOn: '2025-03-01', cooperativeId: founders[1].id } },
      ]);
    });

    it('names the cooperative for the handler to load', () => {
      const { union, outsider } = setting();
      expect(referencedOrganizationIds(join(union, outsider.id))).toEqual([outsider.id]);
    });
  });

  describe('when the cooperative is not a cooperative', () => {
    it('refuses an unknown id, naming it', () => {
      const { union } = setting();
      const unknown = freshId();
      expect(given(union).when(join(union, unknown)).thenThrows('NOT_A_COOPERATIVE').message).toContain(unknown);
    });

    it('refuses a cooperative group', () => {
      const { union } = setting();
      const group = aCooperativeGroup();
      given(union).withOthers(group).when(join(union, group.id)).thenThrows('NOT_A_COOPERATIVE');
    });
  });

  describe('when the cooperative does not exist on the join date', () => {
    it('refuses a join before the cooperative’s registration', () => {
      const { union } = setting();
      const young = aCooperative({ effectiveOn: '2025-03-02' });
      given(union).withOthers(young).when(join(union, young.id)).thenThrows('BEFORE_REGISTRATION');
    });

    it('refuses a join on or after the cooperative’s dissolution', () => {
      const { union, outsider } = setting();
      outsider.dissolved('2025-03-01');
      given(union).withOthers(outsider).when(join(union, outsider.id)).thenThrows('ORGANIZATION_DISSOLVED');
    });
  });

  describe('when the union is not a union', () => {
    it('refuses a join on a cooperative', () => {
      const { outsider } = setting();
      const coop = aCooperative();
      given(coop).withOthers(outsider).when(join(coop, outsider.id)).thenThrows('NOT_APPLICABLE_TO_KIND');
    });
  });

  itRefusesOutsideTheOrganizationsLife((id, effectiveOn) => join({ id }, freshId(), effectiveOn), { organization: aUnionRegisteredOn });

  describe('when the union is dissolved later', () => {
    it('accepts a late join dated before the dissolution', () => {
      const { union, outsider } = setting();
      union.dissolved('2025-06-01');
      given(union).withOthers(outsider).when(join(union, outsider.id)).then([
        { type: 'CooperativeJoinedUnion', data: { organizationId: union.id, effectiveOn: '2025-03-01', cooperativeId: outsider.id } },
      ]);
    });
  });

  describe('when already a member', () => {
    it('refuses a founding cooperative', () => {
      const { union, founders } = setting();
      given(union).withOthers(founders[0]).when(join(union, founders[0].id)).thenThrows('ALREADY_A_MEMBER');
    });

    it('refuses a cooperative that joined earlier', () => {
      const { union, outsider } = setting();
      union.joined(outsider, '2024-01-01');
      given(union).withOthers(outsider).when(join(union, outsider.id)).thenThrows('ALREADY_A_MEMBER');
    });
  });

  describe('when the cooperative left', () => {
    it('accepts a rejoin after the leave', () => {
      const { union, founders } = setting();
      union.left(founders[0], '2024-01-01');
      given(union).withOthers(founders[0]).when(join(union, founders[0].id)).then([
        { type: 'CooperativeJoinedUnion', data: { organizationId: union.id, effectiveOn: '2025-03-01', cooperativeId: founders[0].id } },
      ]);
    });

    it('accepts a rejoin on the day of the leave', () => {
      const { union, founders } = setting();
      union.left(founders[0], '2025-03-01');
      given(union).withOthers(founders[0]).when(join(union, founders[0].id)).then([
        { type: 'CooperativeJoinedUnion', data: { organizationId: union.id, effectiveOn: '2025-03-01', cooperativeId: founders[0].id } },
      ]);
    });

    it('refuses a join dated before the leave', () => {
      const { union, founders } = setting();
      union.left(founders[0], '2025-04-01');
      given(union).withOthers(founders[0]).when(join(union, founders[0].id)).thenThrows('MEMBERSHIP_OUT_OF_ORDER');
    });
  });
});

describe('a cooperative leaving a union', () => {
  describe('when a member', () => {
    it('records the leave', () => {
      const { union, founders } = setting();
      given(union).when(leave(union, founders[1].id)).then([
        { type: 'CooperativeLeftUnion', data: { organizationId: union.id, effectiveOn: '2025-03-01', cooperativeId: founders[1].id } },
      ]);
    });

    it('accepts a union falling below three members: the minimum binds at founding only', () => {
      const { union, founders } = setting();
      union.left(founders[0], '2024-01-01');
      given(union).when(leave(union, founders[1].id)).then([
        { type: 'CooperativeLeftUnion', data: { organizationId: union.id, effectiveOn: '2025-03-01', cooperativeId: founders[1].id } },
      ]);
    });

    it('accepts a leave after the cooperative’s own dissolution', () => {
      const { union, founders } = setting();
      founders[2].dissolved('2024-01-01');
      given(union).withOthers(founders[2]).when(leave(union, founders[2].id)).then([
        { type: 'CooperativeLeftUnion', data: { organizationId: union.id, effectiveOn: '2025-03-01', cooperativeId: founders[2].id } },
      ]);
    });

    it('refuses a leave on the join date', () => {
      const { union, outsider } = setting();
      union.joined(outsider, '2025-03-01');
      given(union).when(leave(union, outsider.id)).thenThrows('MEMBERSHIP_OUT_OF_ORDER');
    });

    it('refuses a leave before the join date', () => {
      const { union, outsider } = setting();
      union.joined(outsider, '2025-05-01');
      given(union).when(leave(union, outsider.id)).thenThrows('MEMBERSHIP_OUT_OF_ORDER');
    });

    it('needs no other history', () => {
      const { union, founders } = setting();
      expect(referencedOrganizationIds(leave(union, founders[0].id))).toEqual([]);
    });
  });

  describe('when not a member', () => {
    it('refuses a cooperative that never joined', () => {
      const { union, outsider } = setting();
      given(union).when(leave(union, outsider.id)).thenThrows('NOT_A_MEMBER');
    });

    it('refuses a cooperative that already left', () => {
      const { union, founders } = setting();
      union.left(founders[0], '2024-01-01');
      given(union).when(leave(union, founders[0].id)).thenThrows('NOT_A_MEMBER');
    });
  });

  describe('when the union is not a union', () => {
    it('refuses a leave on a cooperative group', () => {
      const group = aCooperativeGroup();
      given(group).when(leave(group, freshId())).thenThrows('NOT_APPLICABLE_TO_KIND');
    });
  });

  itRefusesOutsideTheOrganizationsLife((id, effectiveOn) => leave({ id }, freshId(), effectiveOn), { organization: aUnionRegisteredOn });

  describe('when the union is dissolved later', () => {
    it('accepts a late leave dated before the dissolution', () => {
      const { union, founders } = setting();
      union.dissolved('2025-06-01');
      given(union).when(leave(union, founders[0].id)).then([
        { type: 'CooperativeLeftUnion', data: { organizationId: union.id, effectiveOn: '2025-03-01', cooperativeId: founders[0].id } },
      ]);
    });
  });
});
