import { aPlan, aTarget } from '@ktt/testing/builders';
import { foldPlanHistory, planAsOf, targetsAddedOn } from './plan.history';
import { METRIC_NAMES, planStreamId, TARGET_OPS } from './plan.types';

describe('a plan as of a date', () => {
  const original = [aTarget({ value: 700 }), aTarget({ metric: 'unions', value: 3 })];
  const amended = [aTarget({ value: 800 })];

  it('is null before its adoption', () => {
    expect(planAsOf(aPlan({ adoptedOn: '2023-10-20', targets: original }).history(), '2023-10-19')).toBeNull();
  });

  it('holds the adopted targets from the adoption date', () => {
    const plan = aPlan({ adoptedOn: '2023-10-20', targets: original });
    expect(planAsOf(plan.history(), '2023-10-20')).toMatchObject({
      id: plan.id,
      adoptedOn: '2023-10-20',
      targets: original,
      amendments: 0,
    });
  });

  it('replaces the whole list of targets from the amendment’s date on', () => {
    const plan = aPlan({ adoptedOn: '2023-10-20', targets: original }).amended({ effectiveOn: '2025-01-01', targets: amended });
    const history = plan.history();
    expect(planAsOf(history, '2024-12-31')).toMatchObject({ targets: original, amendments: 0 });
    expect(planAsOf(history, '2025-01-01')).toMatchObject({ targets: amended, amendments: 1 });
  });

  it('moves the adoption date (the baseline) and the document, keeping the targets', () => {
    const plan = aPlan({ adoptedOn: '2022-12-31', document: null, targets: original }).amended({
      effectiveOn: '2023-03-01',
      adoptedOn: '2022-11-20',
      document: '05-CTr/TU',
    });
    expect(planAsOf(plan.history(), '2023-03-01')).toMatchObject({
      adoptedOn: '2022-11-20',
      document: '05-CTr/TU',
      targets: original,
    });
  });

  it('is in force from an amendment dated before the adoption', () => {
    const plan = aPlan({ adoptedOn: '2022-12-31' }).amended({ effectiveOn: '2022-11-20', adoptedOn: '2022-11-20' });
    expect(planAsOf(plan.history(), '2022-11-19')).toBeNull();
    expect(planAsOf(plan.history(), '2022-12-01')).toMatchObject({ adoptedOn: '2022-11-20', amendments: 1 });
  });

  it('applies amendments in effective order; on the same date the later recorded wins', () => {
    const plan = aPlan({ adoptedOn: '2023-01-01', targets: original })
      .amended({ effectiveOn: '2025-01-01', targets: [aTarget({ value: 1 })] })
      .amended({ effectiveOn: '2024-01-01', targets: [aTarget({ value: 2 })] })
      .amended({ effectiveOn: '2025-01-01', targets: [aTarget({ value: 3 })] });
    const history = plan.history();
    expect(planAsOf(history, '2024-06-01')?.targets).toEqual([aTarget({ value: 2 })]);
    expect(planAsOf(history, '2025-06-01')).toMatchObject({ targets: [aTarget({ value: 3 })], amendments: 3 });
  });

  it('folds an empty stream to null', () => {
    expect(foldPlanHistory([])).toBeNull();
  });
});

describe('plan vocabulary', () => {
  it('names the 19 metrics of domain.md and the 5 ops', () => {
    expect(METRIC_NAMES).toHaveLength(19);
    expect(new Set(METRIC_NAMES).size).toBe(19);
    expect(TARGET_OPS).toEqual(['at_least', 'more_than', 'approximately', 'between', 'at_most']);
  });

  it('names the stream', () => {
    expect(planStreamId('kien-giang-251-kh-ubnd-2023')).toBe('plan-kien-giang-251-kh-ubnd-2023');
  });
});

describe('the date each target takes its baseline on', () => {
  const cooperatives = aTarget({ value: 700 });
  const unions = aTarget({ metric: 'unions', value: 3 });
  const dormant = aTarget({ metric: 'dormant_cooperatives', op: 'at_most', value: 0 });

  it('is the adoption for every target the plan had from its adoption (none listed)', () => {
    const plan = aPlan({ adoptedOn: '2023-10-20', targets: [cooperatives, unions] });
    expect(targetsAddedOn(plan.history(), '2026-01-01')).toEqual(new Map());
  });

  it('is the amendment’s effectiveOn for a (metric, deadline) pair an amendment adds, from then on', () => {
    const plan = aPlan({ adoptedOn: '2023-10-20', targets: [cooperatives] })
      .amended({ effectiveOn: '2025-01-01', targets: [aTarget({ value: 800 }), dormant] })
      .amended({ effectiveOn: '2025-06-01', targets: [aTarget({ value: 800 }), dormant, unions] });
    expect(targetsAddedOn(plan.history(), '2024-12-31')).toEqual(new Map());
    expect(targetsAddedOn(plan.history(), '2025-01-01')).toEqual(new Map([['dormant_cooperatives@2030-12-31', '2025-01-01']]));
    expect(targetsAddedOn(plan.history(), '2026-01-01')).toEqual(
      new Map([
        ['dormant_cooperatives@2030-12-31', '2025-01-01'],
        ['unions@2030-12-31', '2025-06-01'],
      ]),
    );
  });

  it('is a new date for a pair that was withdrawn and given again, and a new deadline is a new target', () => {
    const plan = aPlan({ adoptedOn: '2023-10-20', targets: [cooperatives] })
      .amended({ effectiveOn: '2025-01-01', targets: [] })
      .amended({ effectiveOn: '2025-06-01', targets: [cooperatives, aTarget({ value: 2000, deadline: '2045-12-31' })] });
    expect(targetsAddedOn(plan.history(), '2025-06-01')).toEqual(
      new Map([
        ['cooperatives@2030-12-31', '2025-06-01'],
        ['cooperatives@2045-12-31', '2025-06-01'],
      ]),
    );
  });
});
