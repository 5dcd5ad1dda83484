import { DomainError } from '../common/domain-error';
import { MAX_PERIOD_ENDS, periodEnds, type PeriodStep } from './period-ends';

const thrown = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
};

describe('period ends of a progress series', () => {
  describe('by month', () => {
    it('gives the last day of every month, with the lengths of the calendar', () => {
      expect(periodEnds('2023-01-01', '2023-12-31', 'month')).toEqual([
        ...['2023-01-31', '2023-02-28', '2023-03-31', '2023-04-30', '2023-05-31', '2023-06-30'],
        ...['2023-07-31', '2023-08-31', '2023-09-30', '2023-10-31', '2023-11-30', '2023-12-31'],
      ]);
    });

    it.each([
      ['ends February on the 29th in a leap year', '2024-02-01', '2024-03-31', ['2024-02-29', '2024-03-31']],
      ['ends February on the 28th in a century year that is not a leap year', '2100-02-01', '2100-02-28', ['2100-02-28']],
      ['ends February on the 29th in 2000, a leap century', '2000-02-10', '2000-02-29', ['2000-02-29']],
      ['closes the month that holds from, not from itself', '2024-01-15', '2024-02-29', ['2024-01-31', '2024-02-29']],
      ['appends to when it cuts a month short', '2024-01-15', '2024-03-10', ['2024-01-31', '2024-02-29', '2024-03-10']],
      ['gives only to when the range lies inside one month', '2024-02-03', '2024-02-20', ['2024-02-20']],
      ['gives one point for a single day', '2024-02-29', '2024-02-29', ['2024-02-29']],
      ['includes from when it is itself a month end', '2024-01-31', '2024-02-29', ['2024-01-31', '2024-02-29']],
      ['crosses the turn of the year', '2024-11-30', '2025-01-31', ['2024-11-30', '2024-12-31', '2025-01-31']],
    ])('%s', (_case, from, to, ends) => {
      expect(periodEnds(from, to, 'month')).toEqual(ends);
    });
  });

  describe('by quarter', () => {
    it('gives the calendar quarter ends', () => {
      expect(periodEnds('2024-01-01', '2024-12-31', 'quarter')).toEqual(['2024-03-31', '2024-06-30', '2024-09-30', '2024-12-31']);
    });

    it('aligns with calendar quarters whatever from is, and appends an unfinished quarter at to', () => {
      expect(periodEnds('2023-10-20', '2024-05-15', 'quarter')).toEqual(['2023-12-31', '2024-03-31', '2024-05-15']);
    });

    it('gives only to inside one quarter', () => {
      expect(periodEnds('2024-04-01', '2024-05-31', 'quarter')).toEqual(['2024-05-31']);
    });
  });

  describe('by year', () => {
    it('gives 31 December of each year, then to', () => {
      expect(periodEnds('2022-12-31', '2026-04-30', 'year')).toEqual(['2022-12-31', '2023-12-31', '2024-12-31', '2025-12-31', '2026-04-30']);
    });

    it('covers a plan from adoption to deadline', () => {
      expect(periodEnds('2023-10-20', '2030-12-31', 'year')).toEqual([
        ...['2023-12-31', '2024-12-31', '2025-12-31', '2026-12-31'],
        ...['2027-12-31', '2028-12-31', '2029-12-31', '2030-12-31'],
      ]);
    });
  });

  describe('refusals', () => {
    it('refuses from after to, naming from', () => {
      const error = thrown(() => periodEnds('2024-03-01', '2024-02-29', 'month'));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.errors[0].path).toBe('from');
    });

    it(`accepts exactly ${MAX_PERIOD_ENDS} points`, () => {
      const ends = periodEnds('1926-01-01', '2025-12-31', 'month');
      expect(ends).toHaveLength(MAX_PERIOD_ENDS);
      expect(ends[ends.length - 1]).toBe('2025-12-31');
    });

    it('refuses one point more, naming to', () => {
      const error = thrown(() => periodEnds('1926-01-01', '2026-01-05', 'month'));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.kind).toBe('invalid');
      expect(error.errors[0].path).toBe('to');
    });

    it('refuses a huge range quickly, without building it', () => {
      const error = thrown(() => periodEnds('1900-01-01', '9999-12-31', 'month'));
      expect(error.errors[0].path).toBe('to');
    });

    it('allows centuries by year', () => {
      expect(periodEnds('1900-01-01', '2099-12-31', 'year')).toHaveLength(200);
    });

    it.each([
      ['from', '2024-02-30', '2024-03-31'],
      ['to', '2024-01-01', '2024-13-01'],
    ])('refuses a date that is not on the calendar, naming %s', (field, from, to) => {
      expect(thrown(() => periodEnds(from, to, 'month')).errors[0].path).toBe(field);
    });

    it('refuses an unknown step', () => {
      expect(thrown(() => periodEnds('2024-01-01', '2024-12-31', 'week' as PeriodStep)).errors[0].path).toBe('step');
    });
  });
});
