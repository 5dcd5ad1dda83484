import { ApiError, type Problem } from '../../apps/admin-ui/src/api/client';
import { distinctDigits, expectedAt, formatAttainment, formatDistinct } from '../../apps/admin-ui/src/pages/dashboard/progress-math';
import { errorSentence, PROBLEM_CODES, problemSentence } from '../../apps/admin-ui/src/i18n/problems';

/**
 * The admin UI's words for numbers and refusals, as pure functions: rounding never makes two different
 * values look equal (domain.md, "Status": "the display says so where rounding makes two
 * equal-looking numbers differ"), and every refusal reads in the user's language by its code.
 */
describe('numbers that rounding would make look equal', () => {
  it('shows an expected 13.96 against an actual 14 with the decimals that tell them apart', () => {
    expect(formatDistinct('cooperatives', 13.96, [14], 'vi')).toBe('13,96');
    // The exact count reads as it is: the other one carries the decimals.
    expect(formatDistinct('cooperatives', 14, [13.96], 'vi')).toBe('14');
    expect(formatDistinct('cooperatives', 13.96, [14], 'en')).toBe('13.96');
  });

  it('keeps the plain format where the values already read differently, or are equal', () => {
    expect(distinctDigits('cooperatives', 2610, [2616.4])).toBeUndefined();
    expect(formatDistinct('cooperatives', 2616.4, [2610], 'vi')).toBe('2.616');
    expect(distinctDigits('cooperatives', 14, [14])).toBeUndefined();
    expect(distinctDigits('cooperatives', 13.5, [null, undefined])).toBeUndefined();
  });

  it('adds decimals to a share until it differs: 69.96 % against 70 %', () => {
    expect(formatDistinct('cooperatives_good_or_fair_share', 0.6996, [0.7], 'vi')).toMatch(/^69,96\s?%$/);
    expect(formatDistinct('cooperatives_good_or_fair_share', 0.69996, [0.7], 'en')).toMatch(/^69\.996\s?%$/);
    expect(formatDistinct('cooperatives_good_or_fair_share', 0.62, [0.7], 'vi')).toMatch(/^62\s?%$/);
  });

  it('never shows an unmet attainment as 100 %', () => {
    expect(formatAttainment(0.9996, 'en')).toBe('99.96%');
    expect(formatAttainment(1, 'en')).toBe('100%');
    expect(formatAttainment(null, 'en')).toBe('—');
  });

  it('draws a flat line where the baseline already meets the aim (older servers without per-point expected)', () => {
    expect(expectedAt(50, 60, '2024-01-01', '2026-01-01', '2025-01-01')).toBe(50);
    expect(expectedAt(0, 0, '2024-01-01', '2026-01-01', '2025-01-01', true)).toBe(0);
    expect(expectedAt(100, 0, '2024-01-01', '2026-01-01', '2026-06-01')).toBe(100);
    expect(expectedAt(100, null, '2024-01-01', '2026-01-01', '2025-01-01')).toBeNull();
  });
});

describe('refusals in the user’s language', () => {
  const problem = (code: string, extra: Partial<Problem> = {}): Problem => ({ title: 'Refused by the recorded history', status: 409, code, detail: 'english detail', ...extra });

  // The table is a Record over the domain's DomainErrorCode (and the api's codes): the typecheck fails on a code left out.
  it('words every code in Vietnamese and English, never with the server’s English title or detail', () => {
    expect(PROBLEM_CODES).toEqual(expect.arrayContaining(['REGISTRATION_NUMBER_TAKEN', 'LIFECYCLE_OUT_OF_ORDER', 'PROVINCE_NOT_IN_FORCE', 'FORMER_PROVINCE_REQUIRED', 'NOT_A_PREDECESSOR', 'ALREADY_SEATED_THERE', 'VERSION_MISMATCH', 'FORBIDDEN']));
    for (const code of PROBLEM_CODES) {
      for (const locale of ['vi', 'en'] as const) {
        const sentence = problemSentence(problem(code), locale);
        expect({ code, locale, sentence }).toEqual({ code, locale, sentence: expect.not.stringMatching(/Refused by|english detail|\{/) });
      }
    }
    expect(problemSentence(problem('REGISTRATION_NUMBER_TAKEN'), 'vi')).toContain('Số đăng ký này đã được cấp');
  });

  it('names the successor and the former provinces the problem carries', () => {
    expect(problemSentence(problem('PROVINCE_NOT_IN_FORCE', { successor: '91' }), 'en')).toContain('part of 91');
    expect(problemSentence(problem('NOT_A_PREDECESSOR', { predecessors: ['89', '91'] }), 'vi')).toContain('89, 91');
  });

  it('tells a refused token apart by what the server says of it', () => {
    const unauthenticated = (detail: string) => problemSentence({ title: 'Not authenticated', status: 401, code: 'UNAUTHENTICATED', detail }, 'vi');
    expect(unauthenticated('the token has expired')).toContain('hết hạn');
    expect(unauthenticated('the token abc has been revoked; ask for a new one')).toContain('thu hồi');
    expect(unauthenticated('the token is not valid')).toContain('không phải là mã truy cập');
  });

  it('falls back on the status for a code it does not know, and on "cannot reach" for a failed fetch', () => {
    expect(problemSentence({ title: 'x', status: 409, code: 'SOMETHING_NEW' }, 'en')).toBe('The recorded history does not allow this.');
    expect(errorSentence(new TypeError('Failed to fetch'), 'vi')).toContain('Không kết nối được');
    expect(errorSentence(new ApiError({ title: 'x', status: 403, code: 'FORBIDDEN' }), 'en')).toContain('does not allow');
  });
});
