import fc from 'fast-check';
import { aTarget } from '@ktt/testing/builders';
import { METRIC_NAMES, isShareMetric, type Target, type TargetOp } from '../plans/plan.types';
import { aimOf, evaluateTarget, type TargetEvaluationInput } from './target-evaluation';

/**
 * domain.md, "Targets": the flags never contradict each other, over random
 * targets, baselines and dates. Metrics are never negative; a share lies in
 * [0, 1], a count is whole.
 */
const day = fc.integer({ min: 0, max: 365 * 30 }).map((n) => new Date(Date.UTC(2015, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
const share = fc.double({ min: 0, max: 1, noNaN: true });
const count = fc.integer({ min: 0, max: 100_000 });

const target: fc.Arbitrary<Target> = fc
  .record({ metric: fc.constantFrom(...METRIC_NAMES), op: fc.constantFrom<TargetOp>('at_least', 'more_than', 'approximately', 'between', 'at_most'), deadline: day })
  .chain(({ metric, op, deadline }): fc.Arbitrary<Target> => {
    const number = isShareMetric(metric) ? share : count;
    const base = aTarget({ metric, op, deadline });
    if (op !== 'between') return number.map((value) => ({ ...base, value }));
    return fc.tuple(number, number).map(([a, b]) => ({ ...base, value: undefined, min: Math.min(a, b), max: Math.max(a, b) }));
  });

const input: fc.Arbitrary<TargetEvaluationInput> = target.chain((t) => {
  const number = isShareMetric(t.metric) ? share : count;
  return fc.record({
    target: fc.constant(t),
    actual: fc.option(number, { nil: null, freq: 10 }),
    baseline: fc.option(number, { nil: null, freq: 10 }),
    adoptedOn: day,
    asOf: day,
  });
});

const runs = { numRuns: 2000 };

describe('target evaluation, over random targets, baselines and dates', () => {
  it('a met target is on track', () => {
    fc.assert(fc.property(input, (i) => evaluateTarget(i).met !== true || evaluateTarget(i).onTrack === true), runs);
  });

  it('from the deadline on, on track means met', () => {
    fc.assert(
      fc.property(input, (i) => {
        const e = evaluateTarget(i);
        return i.asOf < i.target.deadline || e.actual === null || e.onTrack === e.met;
      }),
      runs,
    );
  });

  it('an unmet target is below 1 attained (an approximately one at 95 % or more is met)', () => {
    fc.assert(
      fc.property(input, (i) => {
        const e = evaluateTarget(i);
        if (e.attainment === null) return true;
        if (e.met) return i.target.op === 'approximately' ? e.attainment >= 0.95 : e.attainment >= 1;
        return e.attainment < 1 && e.attainment >= 0;
      }),
      runs,
    );
  });

  it('an unmet more_than target reads at most 0.999', () => {
    fc.assert(
      fc.property(input, (i) => {
        const e = evaluateTarget(i);
        return i.target.op !== 'more_than' || e.met !== false || e.attainment === null || e.attainment <= 0.999;
      }),
      runs,
    );
  });

  it('the status agrees with the flags', () => {
    fc.assert(
      fc.property(input, (i) => {
        const e = evaluateTarget(i);
        switch (e.status) {
          case 'met':
            return e.met === true && e.onTrack === true;
          case 'on_track':
            return e.met === false && e.onTrack === true;
          case 'near':
          case 'behind':
            return e.met === false && e.onTrack === false && e.expected !== null;
          case 'unknown':
            return e.actual === null || (e.met === false && e.onTrack === null);
        }
      }),
      runs,
    );
  });

  it('met, attainment and onTrack are null, and the status unknown, exactly when the actual value is', () => {
    fc.assert(
      fc.property(input, (i) => {
        const e = evaluateTarget(i);
        if (i.actual === null) return e.met === null && e.attainment === null && e.onTrack === null && e.status === 'unknown';
        return e.met !== null;
      }),
      runs,
    );
  });

  it('the expected value never lies beyond the aim, away from it; it lies between the baseline and the aim', () => {
    fc.assert(
      fc.property(input, (i) => {
        const e = evaluateTarget(i);
        if (e.expected === null) return true;
        const aim = aimOf(i.target);
        if (i.asOf >= i.target.deadline) return e.expected === aim;
        const toward = i.target.op === 'at_most' ? e.expected >= aim : e.expected <= aim;
        const b = i.baseline as number;
        const fromBaseline = i.target.op === 'at_most' ? e.expected <= Math.max(b, aim) : e.expected >= Math.min(b, aim);
        return toward && fromBaseline;
      }),
      runs,
    );
  });

  it('before the baseline date or without a baseline, an unmet target before its deadline is not judged', () => {
    fc.assert(
      fc.property(input, (i) => {
        const e = evaluateTarget(i);
        if (e.met !== false || i.asOf >= i.target.deadline) return true;
        return (i.baseline === null || i.asOf < i.adoptedOn) === (e.onTrack === null);
      }),
      runs,
    );
  });
});
