import { aPlan, aTarget } from '@ktt/testing/builders';
import { givenPlan } from '@ktt/testing/given-when-then';
import type { DomainErrorCode } from '../../common/domain-error';
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
      const change = { effectiveOn: '2022-11-20', adoptedOn: '2022-11-20', document: '05-CTr/TU' };
      givenPlan(plan).when(amend(plan.id, change)).then([
        { type: 'PlanAmended', data: { planId: plan.id, reason: 'Điều chỉnh chỉ tiêu', ...change } },
      ]);
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

    it.each<[string, Partial<AmendPlan>, DomainErrorCode, string]>([
      ['an amendment that gives none of targets, adoptedOn, document', {}, 'VALIDATION_FAILED', ''],
      ['an invalid target, naming it', { targets: [aTarget(), aTarget({ value: undefined })] }, 'VALIDATION_FAILED', 'targets[1].value'],
      ['a share target of 70 meant as 70 %', { targets: [aTarget({ metric: 'directors_trained_share', op: 'at_least', value: 70 })] }, 'VALIDATION_FAILED', 'targets[0].value'],
      ['a count target below zero', { targets: [aTarget(), aTarget({ metric: 'cooperatives', op: 'more_than', value: -3 })] }, 'VALIDATION_FAILED', 'targets[1].value'],
      ['two targets on one metric with one deadline', { targets: [aTarget(), aTarget({ op: 'at_least', value: 650 })] }, 'VALIDATION_FAILED', 'targets[1]'],
      ['a blank reason', { reason: '', document: 'X' }, 'VALIDATION_FAILED', 'reason'],
      ['an amendment dated in the future', { effectiveOn: '2026-07-01', document: 'X' }, 'DATE_IN_FUTURE', 'effectiveOn'],
      ['an adoption date in the future', { adoptedOn: '2026-07-01' }, 'DATE_IN_FUTURE', 'adoptedOn'],
    ])('refuses %s', (_what, change, code, field) => {
      const plan = aPlan();
      givenPlan(plan).when(amend(plan.id, change)).thenThrows(code, field);
    });
  });

  describe('when the plan is unknown', () => {
    it('refuses with not found', () => {
      givenPlan().when(amend('no-such-plan', { document: 'X' })).thenThrows('PLAN_NOT_FOUND');
    });
  });
});
