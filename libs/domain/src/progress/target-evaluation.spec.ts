import { aTarget } from '@ktt/testing/builders';
import { readDataJson } from '@ktt/testing/data-files';
import type { Target } from '../plans/plan.types';
import { evaluateTarget, type TargetEvaluation, type TargetEvaluationInput } from './target-evaluation';

interface PlanFile {
  id: string;
  adoptedOn: string;
  targets: Target[];
}

const planFile = (id: string): PlanFile => readDataJson<PlanFile>(`plans/${id}.json`);

/** An "at least 100 cooperatives by 2030" target, varied by each test. */
const target = (overrides: Partial<Target> = {}): Target => aTarget({ op: 'at_least', value: 100, quote: 'ít nhất 100 hợp tác xã', ...overrides });

const range = (min: number, max: number): Partial<Target> => ({
  metric: 'cooperatives_good_or_fair_share',
  op: 'between',
  value: undefined,
  min,
  max,
});

const evaluate = (t: Partial<Target>, actual: number | null, more: Partial<TargetEvaluationInput> = {}) =>
  evaluateTarget({
    target: target(t),
    actual,
    baseline: null,
    adoptedOn: '2023-10-20',
    asOf: '2025-06-30',
    ...more,
  });

describe('evaluating a target', () => {
  describe('met and attainment, per op', () => {
    const between = range(0.7, 0.85);
    it.each<[string, Partial<Target>, number, Partial<TargetEvaluation>]>([
      ['at_least ("ít nhất", "đạt", "là") is met when the actual value equals the value', { op: 'at_least', value: 100 }, 100, { met: true, attainment: 1 }],
      ['at_least is met above the value, with attainment above 1', { op: 'at_least', value: 100 }, 120, { met: true, attainment: 1.2 }],
      ['at_least is not met below the value, with attainment actual ÷ value', { op: 'at_least', value: 100 }, 80, { met: false, attainment: 0.8 }],
      ['more_than ("trên") on a count is not met when the actual value only equals the value', { op: 'more_than', value: 100 }, 100, { met: false, attainment: 100 / 101 }],
      ['more_than on a count aims at value + 1, met there with attainment 1', { op: 'more_than', value: 100 }, 101, { met: true, attainment: 1 }],
      ['more_than on a count is not met below the value', { op: 'more_than', value: 100 }, 50, { met: false, attainment: 50 / 101 }],
      ['more_than on a share is not met at the value, and reads at most 0.999', { metric: 'rated_organizations_good_or_fair_share', op: 'more_than', value: 0.65 }, 0.65, { met: false, attainment: 0.999 }],
      ['more_than on a share is met just above the value', { metric: 'rated_organizations_good_or_fair_share', op: 'more_than', value: 0.65 }, 0.66, { met: true, attainment: 0.66 / 0.65 }],
      ['approximately ("khoảng") is met at 95 % of the value', { op: 'approximately', value: 700 }, 665, { met: true, attainment: 665 / 700 }],
      ['approximately is not met just below 95 % of the value', { op: 'approximately', value: 700 }, 664, { met: false, attainment: 664 / 700 }],
      // Found by the property at 100,000 runs: 0.95 × 9e-323 rounds up to 8.4e-323, so "met" disagreed with 93 % attained.
      ['approximately is judged on the ratio it reports, even for subnormal shares', { metric: 'rated_organizations_good_or_fair_share', op: 'approximately', value: 9e-323 }, 8.4e-323, { met: false }],
      ['approximately is met above the value too', { op: 'approximately', value: 700 }, 800, { met: true, attainment: 800 / 700 }],
      ['between ("từ 70% - 85%") is met inside the range, not above max', between, 0.77, { met: true, attainment: 0.77 / 0.7, aboveMax: false }],
      ['between is met at min exactly', between, 0.7, { met: true, attainment: 1, aboveMax: false }],
      ['between is met at max exactly, which is not above max', between, 0.85, { met: true, attainment: 0.85 / 0.7, aboveMax: false }],
      ['between stays met above max and reports aboveMax', between, 0.9, { met: true, attainment: 0.9 / 0.7, aboveMax: true }],
      ['between is not met below min', between, 0.35, { met: false, attainment: 0.5, aboveMax: false }],
      ['at_most ("xử lý dứt điểm") is met at the value, with attainment 1', { op: 'at_most', value: 5 }, 5, { met: true, attainment: 1 }],
      ['at_most is met below the value, with attainment still 1', { op: 'at_most', value: 5 }, 2, { met: true, attainment: 1 }],
      ['at_most without a baseline is not met above the value, with attainment value ÷ actual', { op: 'at_most', value: 5 }, 20, { met: false, attainment: 0.25 }],
      ['at_most with value 0 is met at 0', { op: 'at_most', value: 0 }, 0, { met: true, attainment: 1 }],
      ['at_most with value 0 and no baseline is 0 % attained while any are left', { op: 'at_most', value: 0 }, 3, { met: false, attainment: 0 }],
    ])('%s', (_case, t, actual, expected) => {
      expect(evaluate(t, actual)).toMatchObject(expected);
    });

    it('carries min and max of a between target, and no value', () => {
      const evaluation = evaluate(between, 0.8);
      expect(evaluation).toMatchObject({ min: 0.7, max: 0.85 });
      expect(evaluation).not.toHaveProperty('value');
    });
  });

  describe('a zero aim for the other ops', () => {
    it.each(['at_least', 'approximately'] as const)('%s gives attainment null, not Infinity', (op) => {
      expect(evaluate({ op, value: 0 }, 4).attainment).toBeNull();
    });

    it('between with min 0 gives attainment null', () => {
      expect(evaluate(range(0, 0.2), 0.1)).toMatchObject({ met: true, attainment: null, aboveMax: false });
    });
  });

  describe('when the actual value is null', () => {
    it.each([
      ['at_least', { op: 'at_least' }],
      ['more_than', { op: 'more_than' }],
      ['approximately', { op: 'approximately' }],
      ['at_most', { op: 'at_most', value: 0 }],
      ['between', range(0.7, 0.85)],
    ] as Array<[string, Partial<Target>]>)('%s has met, attainment and onTrack null', (_op, t) => {
      const evaluation = evaluate(t, null, { baseline: 10, asOf: '2026-01-01' });
      expect(evaluation).toMatchObject({ actual: null, met: null, attainment: null, onTrack: null, status: 'unknown' });
    });

    it('still gives baseline and expected, so a chart can draw the line', () => {
      const evaluation = evaluate({ value: 100, deadline: '2030-12-31' }, null, { baseline: 100, asOf: '2026-01-01' });
      expect(evaluation).toMatchObject({ baseline: 100, expected: 100 });
    });

    it('does not report a between target above max', () => {
      expect(evaluate(range(0.7, 0.85), null).aboveMax).toBe(false);
    });
  });

  describe('aboveMax', () => {
    it.each(['at_least', 'more_than', 'approximately', 'at_most'] as const)('is absent for %s', (op) => {
      expect(evaluate({ op }, 1000)).not.toHaveProperty('aboveMax');
    });
  });

  it('carries the target as given', () => {
    const t = target({ op: 'approximately', value: 700, deadline: '2030-12-31', quote: '700 hợp tác xã' });
    const evaluation = evaluateTarget({ target: t, actual: 500, baseline: 400, adoptedOn: '2023-10-20', asOf: '2023-10-20' });
    expect(evaluation).toEqual({
      metric: 'cooperatives',
      op: 'approximately',
      value: 700,
      deadline: '2030-12-31',
      quote: '700 hợp tác xã',
      actual: 500,
      met: false,
      attainment: 500 / 700,
      onTrack: true,
      status: 'on_track',
      baseline: 400,
      expected: 400,
    });
    expect(Object.keys(evaluation)).not.toContain('min');
  });

  describe('on track', () => {
    // 2024-01-01 to 2025-01-01 is 366 days (2024 is a leap year); 183 days in is 2024-07-02.
    const line = { adoptedOn: '2024-01-01', baseline: 0 };
    const yearTarget: Partial<Target> = { op: 'at_least', value: 366, deadline: '2025-01-01' };

    describe('before the adoption date', () => {
      it('is null, with expected null', () => {
        const evaluation = evaluate(yearTarget, 50, { ...line, asOf: '2023-12-31' });
        expect(evaluation).toMatchObject({ onTrack: null, expected: null, baseline: 0, met: false });
      });
    });

    describe('with a null baseline', () => {
      it('is null, with expected null', () => {
        const evaluation = evaluate(yearTarget, 50, { ...line, baseline: null, asOf: '2024-06-01' });
        expect(evaluation).toMatchObject({ onTrack: null, expected: null, baseline: null });
      });
    });

    describe('on the adoption date', () => {
      it('expects the baseline', () => {
        expect(evaluate(yearTarget, 0, { ...line, asOf: '2024-01-01' })).toMatchObject({ expected: 0, onTrack: true });
      });
    });

    describe('between adoption and deadline', () => {
      it('expects the straight line in days from baseline to aim', () => {
        expect(evaluate(yearTarget, 183, { ...line, asOf: '2024-07-02' })).toMatchObject({ expected: 183, onTrack: true });
      });

      it('is on track above the line', () => {
        expect(evaluate(yearTarget, 200, { ...line, asOf: '2024-07-02' }).onTrack).toBe(true);
      });

      it('is off track below the line', () => {
        expect(evaluate(yearTarget, 182, { ...line, asOf: '2024-07-02' }).onTrack).toBe(false);
      });

      it('leaves a fractional expected value unrounded', () => {
        const evaluation = evaluate({ value: 1, deadline: '2024-01-04' }, 0.5, { ...line, asOf: '2024-01-02' });
        expect(evaluation.expected).toBeCloseTo(1 / 3, 12);
        expect(evaluation.onTrack).toBe(true);
      });

      it('draws a between target towards min', () => {
        const evaluation = evaluate({ ...range(0.7, 0.85), deadline: '2025-01-01' }, 0.3, { ...line, asOf: '2024-07-02' });
        expect(evaluation.expected).toBeCloseTo(0.35, 12);
        expect(evaluation.onTrack).toBe(false);
      });

      it('draws an approximately target towards the value itself, not 95 % of it', () => {
        const evaluation = evaluate({ op: 'approximately', value: 100, deadline: '2025-01-01' }, 40, {
          ...line,
          asOf: '2024-07-02',
        });
        expect(evaluation.expected).toBeCloseTo(50, 12);
        expect(evaluation).toMatchObject({ met: false, onTrack: false });
      });

      it('judges a met approximately target on track, though below the line to the value', () => {
        const evaluation = evaluate({ op: 'approximately', value: 100, deadline: '2025-01-01' }, 96, {
          ...line,
          asOf: '2025-01-01',
        });
        expect(evaluation).toMatchObject({ met: true, expected: 100, onTrack: true, status: 'met' });
      });
    });

    describe('on and after the deadline', () => {
      it('expects the aim on the deadline', () => {
        expect(evaluate(yearTarget, 366, { ...line, asOf: '2025-01-01' })).toMatchObject({ expected: 366, onTrack: true });
      });

      it('expects the aim after the deadline', () => {
        expect(evaluate(yearTarget, 300, { ...line, asOf: '2027-05-05' })).toMatchObject({ expected: 366, onTrack: false });
      });
    });

    describe('for at_most, which falls towards its aim', () => {
      const dormant: Partial<Target> = { metric: 'dormant_cooperatives', op: 'at_most', value: 0, deadline: '2025-01-01' };
      const from40 = { adoptedOn: '2024-01-01', baseline: 40 };

      it('expects a falling line', () => {
        expect(evaluate(dormant, 20, { ...from40, asOf: '2024-07-02' }).expected).toBeCloseTo(40 - (40 * 183) / 366, 12);
      });

      it('is on track below the line', () => {
        expect(evaluate(dormant, 10, { ...from40, asOf: '2024-07-02' })).toMatchObject({ onTrack: true, met: false });
      });

      it('is off track above the line', () => {
        expect(evaluate(dormant, 35, { ...from40, asOf: '2024-07-02' }).onTrack).toBe(false);
      });

      it('is off track after the deadline while any are left', () => {
        expect(evaluate(dormant, 1, { ...from40, asOf: '2025-03-01' })).toMatchObject({ expected: 0, onTrack: false });
      });
    });
  });

  describe('the targets of the plans the project carries', () => {
    const kienGiang = planFile('kien-giang-251-kh-ubnd-2023');
    const yenBai = planFile('yen-bai-ctr-tu-20-nq-tw');
    const find = (plan: PlanFile, metric: string, deadline = '2030-12-31'): Target => {
      const found = plan.targets.find((t) => t.metric === metric && t.deadline === deadline);
      if (!found) throw new Error(`${plan.id} has no ${metric} target for ${deadline}`);
      return found;
    };
    const evaluateIn = (plan: PlanFile, t: Target, actual: number | null, baseline: number | null, asOf: string) =>
      evaluateTarget({ target: t, actual, baseline, adoptedOn: plan.adoptedOn, asOf });

    it('Kiên Giang: about 700 cooperatives is met by 680 (≥ 665)', () => {
      const evaluation = evaluateIn(kienGiang, find(kienGiang, 'cooperatives'), 680, 600, '2030-12-31');
      expect(evaluation).toMatchObject({ met: true, attainment: 680 / 700, expected: 700, onTrack: true, status: 'met' });
    });

    it('Kiên Giang: 660 cooperatives is not about 700', () => {
      expect(evaluateIn(kienGiang, find(kienGiang, 'cooperatives'), 660, 600, '2031-01-01').met).toBe(false);
    });

    it('Kiên Giang: 70 % - 85 % good or fair, 90 % is met and above max', () => {
      const evaluation = evaluateIn(kienGiang, find(kienGiang, 'cooperatives_good_or_fair_share'), 0.9, 0.5, '2026-01-01');
      expect(evaluation).toMatchObject({ met: true, aboveMax: true, min: 0.7, max: 0.85, onTrack: true });
    });

    it('Kiên Giang: more than 100 high-tech cooperatives is not met by exactly 100', () => {
      const evaluation = evaluateIn(kienGiang, find(kienGiang, 'high_tech_agricultural_cooperatives'), 100, 40, '2026-01-01');
      expect(evaluation).toMatchObject({ met: false, attainment: 100 / 101 });
    });

    it('Kiên Giang: no dormant cooperatives left, 12 left halfway from 30 is on track', () => {
      const t = find(kienGiang, 'dormant_cooperatives');
      // Halfway between 2023-10-20 and 2030-12-31 (2629 days) is 2027-05-26.
      const evaluation = evaluateIn(kienGiang, t, 12, 30, '2027-05-26');
      expect(evaluation.met).toBe(false);
      expect(evaluation.attainment).toBeCloseTo(18 / 30, 12);
      expect(evaluation.expected).toBeCloseTo(30 - (30 * 1314) / 2629, 12);
      expect(evaluation.onTrack).toBe(true);
    });

    it('Kiên Giang: no target short of its aim is judged before the plan was adopted', () => {
      for (const t of kienGiang.targets) {
        const evaluation = evaluateIn(kienGiang, t, t.op === 'at_most' ? 1 : 0, 1, '2023-10-19');
        expect(evaluation).toMatchObject({ met: false, onTrack: null, expected: null, status: 'unknown' });
      }
    });

    it('Yên Bái: two targets on one metric are judged against their own deadlines', () => {
      const by2030 = find(yenBai, 'rated_organizations_good_or_fair_share', '2030-12-31');
      const by2045 = find(yenBai, 'rated_organizations_good_or_fair_share', '2045-12-31');
      const asOf = '2031-01-01';
      expect(evaluateIn(yenBai, by2030, 0.7, 0.5, asOf)).toMatchObject({ met: true, expected: 0.65, onTrack: true });
      const later = evaluateIn(yenBai, by2045, 0.7, 0.5, asOf);
      expect(later.met).toBe(false);
      expect(later.attainment).toBeCloseTo(0.7 / 0.9, 12);
      expect(later.expected).toBeGreaterThan(0.5);
      expect(later.expected).toBeLessThan(0.9);
    });

    it('Yên Bái: a population share with an unknown population is null throughout', () => {
      const evaluation = evaluateIn(yenBai, find(yenBai, 'population_share', '2045-12-31'), null, null, '2026-01-01');
      expect(evaluation).toMatchObject({ met: null, attainment: null, onTrack: null, baseline: null, expected: null });
    });

    it('Yên Bái: 100 % digital adoption, 40 % reached', () => {
      const t = find(yenBai, 'organizations_digital_adoption_share', '2045-12-31');
      expect(evaluateIn(yenBai, t, 0.4, 0.1, '2026-01-01')).toMatchObject({ met: false, attainment: 0.4 });
    });

    it('every carried target evaluates without throwing and without non-finite numbers', () => {
      for (const plan of [kienGiang, yenBai]) {
        for (const t of plan.targets) {
          for (const actual of [0, 1, 1000]) {
            const evaluation = evaluateIn(plan, t, actual, 0, '2028-01-01');
            for (const n of [evaluation.attainment, evaluation.expected]) {
              if (n !== null) expect(Number.isFinite(n)).toBe(true);
            }
          }
        }
      }
    });
  });
});

describe('target flags that never contradict each other (issue 16)', () => {
  it('exactly 50 of "trên 50" after the deadline is neither met nor on track', () => {
    const evaluation = evaluate({ metric: 'high_tech_agricultural_cooperatives', op: 'more_than', value: 50, deadline: '2030-12-31' }, 50, {
      baseline: 20,
      asOf: '2031-01-01',
    });
    expect(evaluation).toMatchObject({ met: false, onTrack: false, expected: 51 });
    expect(evaluation.attainment).toBeLessThan(1);
  });

  it('51 of "trên 50" is met, on track, with attainment 1', () => {
    const evaluation = evaluate({ op: 'more_than', value: 50, deadline: '2030-12-31' }, 51, { baseline: 20, asOf: '2031-01-01' });
    expect(evaluation).toMatchObject({ met: true, onTrack: true, attainment: 1, status: 'met' });
  });

  it('30 dormant cooperatives down to 1 of "none left" is (30 − 1) ÷ (30 − 0) ≈ 0.967 attained, not 0', () => {
    const evaluation = evaluate({ metric: 'dormant_cooperatives', op: 'at_most', value: 0 }, 1, { baseline: 30, asOf: '2026-01-01' });
    expect(evaluation.met).toBe(false);
    expect(evaluation.attainment).toBeCloseTo(29 / 30, 12);
  });

  it('at_most attainment is at least 0 when more are left than at the baseline', () => {
    expect(evaluate({ op: 'at_most', value: 0 }, 40, { baseline: 30 }).attainment).toBe(0);
  });

  it('at_most with a baseline already at the aim falls back to aim ÷ actual', () => {
    expect(evaluate({ op: 'at_most', value: 5 }, 20, { baseline: 5 }).attainment).toBe(0.25);
  });

  it('a met target is on track, also below its expected line', () => {
    // Aim 100, met at 96 ("khoảng"), where the line from 0 expects 100 on the deadline.
    const evaluation = evaluate({ op: 'approximately', value: 100, deadline: '2025-01-01' }, 96, { baseline: 0, adoptedOn: '2024-01-01', asOf: '2025-06-01' });
    expect(evaluation).toMatchObject({ met: true, onTrack: true, status: 'met' });
  });

  it('a met target is on track before the plan was adopted too', () => {
    expect(evaluate({ value: 100 }, 120, { baseline: 10, asOf: '2023-01-01' })).toMatchObject({ met: true, onTrack: true, expected: null });
  });

  it('a met target is on track with a null baseline too', () => {
    expect(evaluate({ value: 100 }, 120, { baseline: null })).toMatchObject({ met: true, onTrack: true, status: 'met' });
  });

  it('from the deadline on an unmet target is off track and expects the aim, even without a baseline', () => {
    expect(evaluate({ value: 100, deadline: '2025-01-01' }, 99, { baseline: null, asOf: '2025-01-01' })).toMatchObject({
      met: false,
      onTrack: false,
      expected: 100,
      status: 'near',
    });
  });

  describe('the expected line where the baseline already meets the aim', () => {
    it('is flat at the aim, not sloping down from a higher baseline', () => {
      const evaluation = evaluate({ value: 100, deadline: '2030-12-31' }, 110, { baseline: 150, asOf: '2027-01-01' });
      expect(evaluation).toMatchObject({ expected: 100, met: true, onTrack: true });
    });

    it('is flat at the aim of an at_most target whose baseline is already at or below it', () => {
      const evaluation = evaluate({ op: 'at_most', value: 5, deadline: '2030-12-31' }, 6, { baseline: 2, asOf: '2027-01-01' });
      expect(evaluation).toMatchObject({ expected: 5, met: false, onTrack: false });
    });
  });

  describe('status', () => {
    const ahead = { baseline: 0, adoptedOn: '2024-01-01', asOf: '2024-07-02' };
    const year: Partial<Target> = { op: 'at_least', value: 5232, deadline: '2025-01-01' };

    it('is met for a met target', () => {
      expect(evaluate(year, 6000, ahead).status).toBe('met');
    });

    it('is on_track above the line', () => {
      expect(evaluate(year, 2616, ahead).status).toBe('on_track');
    });

    it('2,610 against an expected 2,616 is near, not behind', () => {
      const evaluation = evaluate(year, 2610, ahead);
      expect(evaluation.expected).toBe(2616);
      expect(evaluation).toMatchObject({ onTrack: false, status: 'near' });
    });

    it('is behind below 98 % of the expected value', () => {
      expect(evaluate(year, 2563, ahead).status).toBe('behind'); // 2563 < 0.98 × 2616 = 2563.68
    });

    it('is near for at_most within 2 % above the expected value', () => {
      // 40 dormant falling to 0 over 366 days: 20 expected on 2024-07-02 (183 days in).
      const dormant: Partial<Target> = { op: 'at_most', value: 0, deadline: '2025-01-01' };
      const from40 = { baseline: 40, adoptedOn: '2024-01-01', asOf: '2024-07-02' };
      expect(evaluate(dormant, 20.4, from40).status).toBe('near');
      expect(evaluate(dormant, 20.5, from40).status).toBe('behind');
    });

    it('is decided on unrounded values: 99.99 of 100 after the deadline is near, not met', () => {
      expect(evaluate({ value: 100, deadline: '2025-01-01' }, 99.99, { baseline: 0, asOf: '2026-01-01' })).toMatchObject({ met: false, status: 'near' });
    });

    it('is unknown when the actual value is null', () => {
      expect(evaluate(year, null, ahead).status).toBe('unknown');
    });

    it('is unknown when an unmet target cannot be judged (null baseline before its deadline)', () => {
      expect(evaluate(year, 10, { ...ahead, baseline: null })).toMatchObject({ onTrack: null, status: 'unknown' });
    });
  });
});
