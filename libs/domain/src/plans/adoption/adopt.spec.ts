import { aPlan, aTarget } from '@ktt/testing/builders';
import { listDataJson, readDataJson } from '@ktt/testing/data-files';
import { givenPlan, TODAY } from '@ktt/testing/given-when-then';
import type { AdoptPlan } from '../plan.commands';
import type { PlanAdopted } from '../plan.events';
import type { Target } from '../plan.types';

/** The plan every test adopts, unless it varies a field. */
const PLAN = {
  planId: 'kien-giang-251-kh-ubnd-2023',
  provinceCode: '91',
  document: '251/KH-UBND',
  title: 'Kế hoạch về việc tiếp tục đổi mới kinh tế tập thể',
  issuer: 'Ủy ban nhân dân tỉnh Kiên Giang',
  adoptedOn: '2023-10-20',
  targets: [aTarget()],
};

const adopt = (overrides: Partial<AdoptPlan> = {}): AdoptPlan => ({ type: 'AdoptPlan', ...PLAN, ...overrides });

/** The adoption `adopt()`'s defaults decide (omitted texts null, effective on the adoption date), with the fields a test varies. */
const adopted = (data: Partial<PlanAdopted['data']> = {}): PlanAdopted => ({
  type: 'PlanAdopted',
  data: { ...PLAN, source: null, note: null, effectiveOn: '2023-10-20', ...data },
});

describe('adopting a plan', () => {
  it('records the adoption effective on its adoption date, with omitted texts null', () => {
    givenPlan().when(adopt()).then([adopted()]);
  });

  it.each(listDataJson('plans'))('accepts the seeded plan %s', (file) => {
    const { id, ...plan } = readDataJson<Omit<AdoptPlan, 'type' | 'planId'> & { id: string }>(`plans/${file}`);
    const { document = null, source = null, note = null } = plan;
    givenPlan().when({ type: 'AdoptPlan', planId: id, ...plan }).then([
      { type: 'PlanAdopted', data: { planId: id, ...plan, document, source, note, effectiveOn: plan.adoptedOn } },
    ]);
  });

  it('refuses a plan already adopted', () => {
    const existing = aPlan();
    givenPlan(existing).when(adopt({ planId: existing.id })).thenThrows('PLAN_EXISTS');
  });

  it('refuses an adoption dated in the future', () => {
    givenPlan().when(adopt({ adoptedOn: '2026-07-01' })).thenThrows('DATE_IN_FUTURE', 'adoptedOn');
  });

  it('accepts an adoption dated today', () => {
    givenPlan().when(adopt({ adoptedOn: TODAY })).then([adopted({ adoptedOn: TODAY, effectiveOn: TODAY })]);
  });

  it('refuses a plan without targets', () => {
    givenPlan().when(adopt({ targets: [] })).thenThrows('VALIDATION_FAILED', 'targets');
  });

  it('refuses a province code that is not two digits', () => {
    givenPlan().when(adopt({ provinceCode: 'KG' })).thenThrows('VALIDATION_FAILED', 'provinceCode');
  });

  it('binds a plan to a province in force on its adoption date: 89 before the merger, 91 after it', () => {
    givenPlan().when(adopt({ provinceCode: '89', adoptedOn: '2024-05-01' })).then([adopted({ provinceCode: '89', adoptedOn: '2024-05-01', effectiveOn: '2024-05-01' })]);
    givenPlan().when(adopt({ provinceCode: '91', adoptedOn: '2026-01-05' })).then([adopted({ provinceCode: '91', adoptedOn: '2026-01-05', effectiveOn: '2026-01-05' })]);
  });

  it('refuses a plan of a province not in force on its adoption date (89 in 2026) and of a code that never named one', () => {
    givenPlan().when(adopt({ provinceCode: '89', adoptedOn: '2026-01-05' })).thenThrows('PROVINCE_NOT_IN_FORCE', 'provinceCode');
    givenPlan().when(adopt({ provinceCode: '99' })).thenThrows('UNKNOWN_PROVINCE', 'provinceCode');
  });

  it('refuses a blank title', () => {
    givenPlan().when(adopt({ title: '' })).thenThrows('VALIDATION_FAILED', 'title');
  });

  describe('its targets', () => {
    // Three targets before the one a test varies (targets[3]), each on a deadline of its own: a target is
    // identified by its metric and deadline, so the fourth (deadline 2030-12-31 unless varied) repeats none.
    const FILLERS = ['2027-12-31', '2028-12-31', '2029-12-31'].map((deadline) => aTarget({ deadline }));
    const withTarget = (target: Partial<Target>) => adopt({ targets: [...FILLERS, aTarget(target)] });

    it('refuses two targets on one metric with one deadline, naming the second: a target is its metric and deadline', () => {
      const again = aTarget({ op: 'at_least', value: 650, quote: 'ít nhất 650 hợp tác xã' });
      const error = givenPlan().when(adopt({ targets: [aTarget(), aTarget({ metric: 'unions', value: 3 }), again] })).thenThrows('VALIDATION_FAILED', 'targets[2]');
      expect(error.errors).toEqual([{ path: 'targets[2]', message: expect.stringMatching(/cooperatives.*2030-12-31.*targets\[0\]/) }]);
    });

    it('accepts two targets on one metric with different deadlines (Yên Bái: 2030 and 2045)', () => {
      const targets = [aTarget(), aTarget({ deadline: '2045-12-31', value: 1200 })];
      givenPlan().when(adopt({ targets })).then([adopted({ targets })]);
    });

    it('accepts a "between" target with min ≤ max', () => {
      const target = aTarget({ op: 'between', value: undefined, min: 0.7, max: 0.85 });
      givenPlan().when(withTarget(target)).then([adopted({ targets: [...FILLERS, target] })]);
    });

    it('refuses a "between" target with min > max, naming the field', () => {
      givenPlan()
        .when(withTarget({ op: 'between', value: undefined, min: 0.9, max: 0.85 }))
        .thenThrows('VALIDATION_FAILED', 'targets[3].min');
    });

    it('refuses a "between" target with a value', () => {
      givenPlan().when(withTarget({ op: 'between', value: 1, min: 0.7, max: 0.85 })).thenThrows('VALIDATION_FAILED', 'targets[3].value');
    });

    it('refuses a "between" target without max', () => {
      givenPlan().when(withTarget({ op: 'between', value: undefined, min: 0.7 })).thenThrows('VALIDATION_FAILED', 'targets[3].max');
    });

    it('refuses an "at_most" target without value', () => {
      givenPlan().when(withTarget({ op: 'at_most', value: undefined })).thenThrows('VALIDATION_FAILED', 'targets[3].value');
    });

    it('refuses a value target with min', () => {
      givenPlan().when(withTarget({ op: 'at_least', value: 1, min: 0 })).thenThrows('VALIDATION_FAILED', 'targets[3].min');
    });

    it.each<[string, Partial<Target>, string]>([
      ['a value above 1 (70 meant as 70 %)', { metric: 'directors_trained_share', op: 'at_least', value: 70 }, 'targets[3].value'],
      ['a negative value', { metric: 'population_share', op: 'at_least', value: -0.1 }, 'targets[3].value'],
      ['a range with min below 0', { metric: 'cooperatives_good_or_fair_share', op: 'between', value: undefined, min: -0.2, max: 0.85 }, 'targets[3].min'],
      ['a range with max above 1', { metric: 'cooperatives_good_or_fair_share', op: 'between', value: undefined, min: 0.7, max: 85 }, 'targets[3].max'],
    ])('refuses a share target with %s, naming the field', (_what, target, field) => {
      givenPlan().when(withTarget(target)).thenThrows('VALIDATION_FAILED', field);
    });

    it.each<[string, Partial<Target>]>([
      ['0', { metric: 'directors_trained_share', op: 'at_least', value: 0 }],
      ['1 (100 %)', { metric: 'organizations_digital_adoption_share', op: 'at_least', value: 1 }],
      ['a range from 0 to 1', { metric: 'cooperatives_good_or_fair_share', op: 'between', value: undefined, min: 0, max: 1 }],
    ])('accepts a share target of %s', (_what, target) => {
      givenPlan().when(withTarget(target)).then([adopted({ targets: [...FILLERS, aTarget(target)] })]);
    });

    it.each<[string, Partial<Target>, string]>([
      ['a negative value', { metric: 'cooperatives', op: 'at_least', value: -5 }, 'targets[3].value'],
      ['a negative "at_most" (none left is 0)', { metric: 'dormant_cooperatives', op: 'at_most', value: -1 }, 'targets[3].value'],
      ['a range with min below 0', { metric: 'cooperative_members', op: 'between', value: undefined, min: -10, max: 100 }, 'targets[3].min'],
      ['a range below 0 altogether', { metric: 'cooperative_members', op: 'between', value: undefined, min: -10, max: -1 }, 'targets[3].min'],
    ])('refuses a count target with %s, naming the field and the rule', (_what, target, field) => {
      const error = givenPlan().when(withTarget(target)).thenThrows('VALIDATION_FAILED', field);
      expect(error.errors).toEqual([{ path: field, message: expect.stringMatching(/count target \(\w+\) must not be negative/) }]);
    });

    it('accepts a count target of 0 ("none left")', () => {
      const none = aTarget({ metric: 'dormant_cooperatives', op: 'at_most', value: 0 });
      givenPlan().when(withTarget(none)).then([adopted({ targets: [...FILLERS, none] })]);
    });

    it('accepts a count target above 1', () => {
      givenPlan().when(withTarget({ metric: 'cooperatives', op: 'at_least', value: 70 })).then([adopted({ targets: [...FILLERS, aTarget({ metric: 'cooperatives', op: 'at_least', value: 70 })] })]);
    });

    it('refuses an unknown metric', () => {
      givenPlan()
        .when(withTarget({ metric: 'happiness' as Target['metric'] }))
        .thenThrows('VALIDATION_FAILED', 'targets[3].metric');
    });

    it('refuses an unknown op', () => {
      givenPlan().when(withTarget({ op: 'about' as Target['op'] })).thenThrows('VALIDATION_FAILED', 'targets[3].op');
    });

    it('accepts a deadline in the future', () => {
      givenPlan().when(withTarget({ deadline: '2045-12-31' })).then([adopted({ targets: [...FILLERS, aTarget({ deadline: '2045-12-31' })] })]);
    });

    it('refuses a deadline that is not a date', () => {
      givenPlan().when(withTarget({ deadline: '2030-02-30' })).thenThrows('VALIDATION_FAILED', 'targets[3].deadline');
    });

    it('refuses a blank quote', () => {
      givenPlan().when(withTarget({ quote: ' ' })).thenThrows('VALIDATION_FAILED', 'targets[3].quote');
    });
  });
});
