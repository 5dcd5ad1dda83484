import { aPlan, aTarget } from '@ktt/testing/builders';
import { givenPlan } from '@ktt/testing/given-when-then';
import type { AmendPlan } from '../plan.commands';

const amend = (planId: string, overrides: Partial<AmendPlan> = {}): AmendPlan => ({
  type: 'AmendPlan',
  planId,
  effectiveOn: '2025-01-01',
  reason: 'Điều chỉnh chỉ tiêu',
  ...overrides,
});

describe('amending a plan', () => {
  describe('when the plan is adopted', () => {
    it('records only the fields given', () => {
      const plan = aPlan();
      const targets = [aTarget({ value: 800 })];
      givenPlan(plan).when(amend(plan.id, { targets })).then([
        { type: 'PlanAmended', data: { planId: plan.id, effectiveOn: '2025-01-01', reason: 'Điều chỉnh chỉ tiêu', targets } },
      ]);
    });

    it('records a corrected adoption date and document', () => {
      const plan = aPlan({ adoptedOn: '2022-12-31', document: null });
      const [event] = givenPlan(plan)
        .when(amend(plan.id, { effectiveOn: '2022-11-20', adoptedOn: '2022-11-20', document: '05-CTr/TU' }))
        .events();
      expect(event.data).toEqual({
        planId: plan.id,
        effectiveOn: '2022-11-20',
        reason: 'Điều chỉnh chỉ tiêu',
        adoptedOn: '2022-11-20',
        document: '05-CTr/TU',
      });
    });

    it('accepts an amendment dated before the adoption', () => {
      const plan = aPlan({ adoptedOn: '2023-10-20' });
      givenPlan(plan).when(amend(plan.id, { effectiveOn: '2023-01-01', document: 'X' })).then([
        { type: 'PlanAmended', data: { planId: plan.id, effectiveOn: '2023-01-01', reason: 'Điều chỉnh chỉ tiêu', document: 'X' } },
      ]);
    });

    it('accepts an empty list of targets: every target withdrawn', () => {
      const plan = aPlan();
      givenPlan(plan).when(amend(plan.id, { targets: [] })).then([
        { type: 'PlanAmended', data: { planId: plan.id, effectiveOn: '2025-01-01', reason: 'Điều chỉnh chỉ tiêu', targets: [] } },
      ]);
    });

    it('refuses an amendment that gives none of targets, adoptedOn, document', () => {
      const plan = aPlan();
      givenPlan(plan).when(amend(plan.id)).thenThrows('VALIDATION_FAILED', '');
    });

    it('refuses an invalid target, naming it', () => {
      const plan = aPlan();
      givenPlan(plan)
        .when(amend(plan.id, { targets: [aTarget(), aTarget({ value: undefined })] }))
        .thenThrows('VALIDATION_FAILED', 'targets[1].value');
    });

    it('refuses an amendment dated in the future', () => {
      const plan = aPlan();
      givenPlan(plan).when(amend(plan.id, { effectiveOn: '2026-07-01', document: 'X' })).thenThrows('DATE_IN_FUTURE', 'effectiveOn');
    });

    it('refuses an adoption date in the future', () => {
      const plan = aPlan();
      givenPlan(plan).when(amend(plan.id, { adoptedOn: '2026-07-01' })).thenThrows('DATE_IN_FUTURE', 'adoptedOn');
    });

    it('refuses a blank reason', () => {
      const plan = aPlan();
      givenPlan(plan).when(amend(plan.id, { reason: '', document: 'X' })).thenThrows('VALIDATION_FAILED', 'reason');
    });
  });

  describe('when the plan is unknown', () => {
    it('refuses with not found', () => {
      givenPlan().when(amend('no-such-plan', { document: 'X' })).thenThrows('PLAN_NOT_FOUND');
    });
  });
});
