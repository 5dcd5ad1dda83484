import { todayInVietnam } from './local-date';

/**
 * "Today" and "the future" are judged by the calendar in Vietnam (domain.md, "Two clocks"): every
 * answer's `future` flag and every command's "not in the future" read this one function, so its
 * boundary is pinned here (UTC+7: the Vietnamese day starts at 17:00 UTC the day before).
 */
describe('today in Vietnam', () => {
  it.each([
    ['2026-12-06T16:59:59.999Z', '2026-12-06'],
    ['2026-12-06T17:00:00.000Z', '2026-12-07'],
    ['2026-12-06T23:30:00.000Z', '2026-12-07'], // already tomorrow in Vietnam, still the 6th in UTC
    ['2026-12-31T17:00:00.000Z', '2027-01-01'], // a new year starts there first
    ['2028-02-28T17:00:00.000Z', '2028-02-29'],
  ])('at %s it is %s', (instant, day) => {
    expect(todayInVietnam(new Date(instant))).toBe(day);
  });
});
