import { aPlan, aTarget } from '@ktt/testing/builders';
import { givenPlan } from '@ktt/testing/given-when-then';
import type { DomainErrorCode } from '../../common/domain-error';
import type { AmendPlan, EndPlan } from '../plan.commands';
import { planAsOf } from '../plan.history';

const end = (planId: string, overrides: Partial<EndPlan> = {}): EndPlan => ({
  type: 'EndPlan',
  planId,
  effectiveOn: '2025-03-01',
  reason: 'Bãi bỏ kế hoạch',
  ...overrides,
});

describe('ending a plan', () => {
  describe('when the plan is in force', () => {
    it('records a repeal', () => {
      const plan = aPlan({ adoptedOn: '2023-10-20' });
      givenPlan(plan).when(end(plan.id, { document: '12/QĐ-UBND' })).then([
        {
          type: 'PlanEnded',
          data: { planId: plan.id, effectiveOn: '2025-03-01', reason: 'Bãi bỏ kế hoạch', supersededBy: null, document: '12/QĐ-UBND' },
        },
      ]);
    });

    it('records a supersede by an adopted plan', () => {
      const plan = aPlan();
      const newer = aPlan({ adoptedOn: '2025-02-01' });
      givenPlan(plan)
        .withContext({ supersedingPlan: newer.history() })
        .when(end(plan.id, { supersededBy: newer.id }))
        .then([
          { type: 'PlanEnded', data: { planId: plan.id, effectiveOn: '2025-03-01', reason: 'Bãi bỏ kế hoạch', supersededBy: newer.id, document: null } },
        ]);
    });

    it.each<[string, Partial<EndPlan>, DomainErrorCode, string]>([
      ['a blank reason', { reason: ' ' }, 'VALIDATION_FAILED', 'reason'],
      ['an end dated in the future', { effectiveOn: '2026-07-01' }, 'DATE_IN_FUTURE', 'effectiveOn'],
      ['a supersededBy that is no plan id', { supersededBy: 'Not An Id' }, 'VALIDATION_FAILED', 'supersededBy'],
      ['an end before the plan is in force', { effectiveOn: '2023-10-19' }, 'BEFORE_ADOPTION', 'effectiveOn'],
      ['a supersede by a plan that is not adopted', { supersededBy: 'no-such-plan' }, 'SUPERSEDING_PLAN_NOT_ADOPTED', 'supersededBy'],
    ])('refuses %s', (_what, change, code, field) => {
      const plan = aPlan({ adoptedOn: '2023-10-20' });
      givenPlan(plan).withContext({ supersedingPlan: null }).when(end(plan.id, change)).thenThrows(code, field);
    });

    it('refuses a plan superseding itself', () => {
      const plan = aPlan();
      givenPlan(plan).withContext({ supersedingPlan: plan.history() }).when(end(plan.id, { supersededBy: plan.id })).thenThrows('VALIDATION_FAILED', 'supersededBy');
    });
  });

  describe('when the plan has ended', () => {
    it('refuses a second end', () => {
      const plan = aPlan().ended({ effectiveOn: '2025-03-01' });
      givenPlan(plan).when(end(plan.id, { effectiveOn: '2025-04-01' })).thenThrows('PLAN_ENDED', 'effectiveOn');
    });

    const amend = (planId: string, effectiveOn: string): AmendPlan => ({ type: 'AmendPlan', planId, effectiveOn, reason: 'Điều chỉnh', document: 'X' });

    it.each(['2025-03-01', '2025-05-01'])('refuses an amendment effective on or after the end (%s)', (effectiveOn) => {
      const plan = aPlan().ended({ effectiveOn: '2025-03-01' });
      givenPlan(plan).when(amend(plan.id, effectiveOn)).thenThrows('PLAN_ENDED', 'effectiveOn');
    });

    it('accepts an amendment of the time before the end', () => {
      const plan = aPlan().ended({ effectiveOn: '2025-03-01' });
      givenPlan(plan).when(amend(plan.id, '2025-02-28')).then([
        { type: 'PlanAmended', data: { planId: plan.id, effectiveOn: '2025-02-28', reason: 'Điều chỉnh', document: 'X' } },
      ]);
    });
  });

  describe('when the plan is unknown', () => {
    it('refuses with not found', () => {
      givenPlan().when(end('no-such-plan')).thenThrows('PLAN_NOT_FOUND');
    });
  });
});

describe('a plan as of a date', () => {
  it('keeps its targets before a repeal and has none from its date on, reported as repealed', () => {
    const history = aPlan({ adoptedOn: '2023-10-20', targets: [aTarget({ deadline: '2030-12-31' })] }).ended({ effectiveOn: '2025-03-01' }).history();
    expect(planAsOf(history, '2025-02-28')).toMatchObject({ targets: [aTarget({ deadline: '2030-12-31' })], endedOn: null, endReason: null });
    expect(planAsOf(history, '2025-03-01')).toMatchObject({ targets: [], endedOn: '2025-03-01', endReason: 'repealed', supersededBy: null });
  });

  it('reports the plan that superseded it', () => {
    const history = aPlan().ended({ effectiveOn: '2025-03-01', supersededBy: 'newer' }).history();
    expect(planAsOf(history, '2026-01-01')).toMatchObject({ targets: [], endReason: 'superseded', supersededBy: 'newer' });
  });

  it('keeps a plan whose last deadline has passed readable, ended by its deadlines', () => {
    const targets = [aTarget({ deadline: '2024-12-31' }), aTarget({ deadline: '2025-12-31' })];
    const history = aPlan({ adoptedOn: '2023-10-20', targets }).history();
    expect(planAsOf(history, '2025-12-31')).toMatchObject({ targets, endedOn: null, endReason: null });
    expect(planAsOf(history, '2026-01-01')).toMatchObject({ targets, endedOn: '2025-12-31', endReason: 'deadlines' });
  });
});
