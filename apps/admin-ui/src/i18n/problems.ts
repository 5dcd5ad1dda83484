/**
 * The server's refusals in the user's language, chosen by the problem's stable `code` (api.md:
 * application/problem+json with `code` and `errors[{path, message}]`). The server's own title and
 * detail are English and meant for logs and curl; people read these. The table is a Record over the
 * domain's codes (`DomainErrorCode`) and the api's own: a code the server adds does not compile until
 * it is worded here.
 */
import { ApiError, type Problem } from '../api/client';
import type { DomainErrorCode } from '../api/types';
import type { Locale } from './types';

/** Codes the api answers besides the domain's: authentication, concurrency, transport. */
type ApiCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'VERSION_MISMATCH'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'TOO_MUCH_CONTENTION'
  | 'STREAM_QUARANTINED'
  | 'READ_MODEL_BEHIND'
  | 'POSITION_BEYOND_HEAD'
  | 'STORAGE_UNAVAILABLE'
  | 'INTERNAL_ERROR'
  | 'MALFORMED_JSON'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE';

/** What the UI itself names: the server could not be reached, and the kinds of a refused token (one code, UNAUTHENTICATED). */
type UiCode = 'NETWORK' | 'UNAUTHENTICATED.expired' | 'UNAUTHENTICATED.revoked' | 'UNAUTHENTICATED.old' | 'UNAUTHENTICATED.lifetime' | 'UNAUTHENTICATED.malformed';

export type ProblemCode = DomainErrorCode | ApiCode | UiCode;

type Words = Record<ProblemCode, string>;

const vi: Words = {
  VALIDATION_FAILED: 'Thông tin nhập chưa hợp lệ: xem các mục được đánh dấu.',
  DATE_IN_FUTURE: 'Ngày này ở sau hôm nay: chỉ ghi nhận những gì đã xảy ra.',
  BELOW_MINIMUM_MEMBERS: 'Số thành viên thấp hơn mức tối thiểu của loại hình (hợp tác xã 5, tổ hợp tác 2).',
  UNKNOWN_PROVINCE: 'Không có tỉnh nào mang mã này.',
  ORGANIZATION_NOT_FOUND: 'Không tìm thấy tổ chức này.',
  PLAN_NOT_FOUND: 'Không tìm thấy kế hoạch này.',
  EVENT_NOT_FOUND: 'Không tìm thấy sự kiện này trong lịch sử của tổ chức.',
  REGISTRATION_NUMBER_TAKEN: 'Số đăng ký này đã được cấp cho một tổ chức khác (số đăng ký không bao giờ được dùng lại).',
  ID_TAKEN: 'Đã có tổ chức mang mã định danh này.',
  ORGANIZATION_DISSOLVED: 'Tổ chức đã giải thể trước ngày này: không ghi nhận được thay đổi từ ngày giải thể.',
  BEFORE_REGISTRATION: 'Ngày này ở trước ngày đăng ký của tổ chức.',
  NOT_RATED_KIND: 'Loại hình này không được xếp loại (chỉ hợp tác xã và liên hiệp).',
  NOT_APPLICABLE_TO_KIND: 'Thao tác này không áp dụng cho loại hình của tổ chức.',
  INVALID_TRANSITION: 'Tình trạng hiện tại của tổ chức không cho phép thay đổi này.',
  LIFECYCLE_OUT_OF_ORDER: 'Ngày này ở trước thay đổi tình trạng gần nhất đã ghi nhận: các thay đổi tình trạng phải theo thứ tự thời gian.',
  NOT_A_COOPERATIVE: 'Tổ chức được chọn không phải là hợp tác xã.',
  ALREADY_A_MEMBER: 'Hợp tác xã này đã là thành viên của liên hiệp.',
  NOT_A_MEMBER: 'Hợp tác xã này không phải là thành viên của liên hiệp vào ngày này.',
  MEMBERSHIP_OUT_OF_ORDER: 'Ngày này ở trước thay đổi thành viên gần nhất đã ghi nhận của hợp tác xã này.',
  FOUNDING_MEMBER_NOT_ACTIVE: 'Một hợp tác xã sáng lập không còn hoạt động vào ngày đăng ký.',
  PLAN_EXISTS: 'Kế hoạch này đã được ghi nhận.',
  PLAN_ENDED: 'Kế hoạch đã hết hiệu lực.',
  BEFORE_ADOPTION: 'Ngày này ở trước ngày ban hành kế hoạch.',
  SUPERSEDING_PLAN_NOT_ADOPTED: 'Kế hoạch thay thế chưa được ghi nhận.',
  NOT_RETRACTABLE: 'Sự kiện này không thể thu hồi.',
  ALREADY_RETRACTED: 'Sự kiện này đã được thu hồi.',
  PREDECESSOR_NOT_IN_FORCE: 'Một tỉnh cũ được nêu không có hiệu lực vào ngày sắp xếp.',
  PREDECESSOR_LISTED_TWICE: 'Một tỉnh cũ được nêu hai lần.',
  PROVINCE_CODE_IN_USE: 'Mã tỉnh này đang được dùng.',
  BREAKS_LATER_REORGANIZATION: 'Thay đổi này mâu thuẫn với một lần sắp xếp đơn vị hành chính sau đó.',
  PROVINCE_NOT_IN_FORCE: 'Mã tỉnh này không có hiệu lực vào ngày đã chọn{successor}: chọn tỉnh theo bản đồ hành chính của ngày đó.',
  FORMER_PROVINCE_REQUIRED: 'Tỉnh này được hợp nhất từ nhiều tỉnh cũ: chọn tỉnh cũ có địa bàn đặt trụ sở{predecessors}.',
  NOT_A_PREDECESSOR: 'Tỉnh cũ được chọn không thuộc tỉnh này{predecessors}.',
  ALREADY_SEATED_THERE: 'Tổ chức đã đặt trụ sở ở đó vào ngày này: không có gì để chuyển.',
  UNAUTHENTICATED: 'Mã truy cập không hợp lệ. Kiểm tra lại mã đã dán, hoặc xin quản trị viên cấp mã mới.',
  'UNAUTHENTICATED.expired': 'Mã truy cập đã hết hạn. Xin quản trị viên cấp mã mới.',
  'UNAUTHENTICATED.revoked': 'Mã truy cập đã bị thu hồi. Xin quản trị viên cấp mã mới.',
  'UNAUTHENTICATED.old': 'Mã truy cập do phiên bản cũ cấp, không còn dùng được. Xin quản trị viên cấp mã mới.',
  'UNAUTHENTICATED.lifetime': 'Mã truy cập có thời hạn quá dài, không được chấp nhận. Xin quản trị viên cấp mã mới.',
  'UNAUTHENTICATED.malformed': 'Đây không phải là mã truy cập (có thể bị thiếu ký tự khi sao chép).',
  FORBIDDEN: 'Vai trò hoặc địa bàn của bạn không được làm việc này.',
  RATE_LIMITED: 'Quá nhiều yêu cầu trong thời gian ngắn: chờ một phút rồi thử lại.',
  VERSION_MISMATCH: 'Người khác vừa thay đổi hồ sơ này sau khi bạn mở trang. Trang đã được tải lại: kiểm tra rồi gửi lại.',
  IDEMPOTENCY_KEY_REUSED: 'Yêu cầu này trùng khoá với một yêu cầu khác.',
  TOO_MUCH_CONTENTION: 'Có quá nhiều thay đổi cùng lúc: thử lại sau giây lát.',
  STREAM_QUARANTINED: 'Lịch sử của tổ chức này đang bị tạm giữ để kiểm tra: chưa ghi nhận được thay đổi.',
  READ_MODEL_BEHIND: 'Số liệu đang được cập nhật: thử lại sau giây lát.',
  POSITION_BEYOND_HEAD: 'Yêu cầu không hợp lệ: tải lại trang.',
  STORAGE_UNAVAILABLE: 'Cơ sở dữ liệu tạm thời không truy cập được: thử lại sau.',
  INTERNAL_ERROR: 'Máy chủ gặp lỗi ngoài dự kiến (đã được ghi lại).',
  MALFORMED_JSON: 'Yêu cầu không hợp lệ.',
  NOT_FOUND: 'Không tìm thấy.',
  METHOD_NOT_ALLOWED: 'Thao tác không được hỗ trợ.',
  PAYLOAD_TOO_LARGE: 'Dữ liệu gửi lên quá lớn.',
  UNSUPPORTED_MEDIA_TYPE: 'Định dạng dữ liệu không được hỗ trợ.',
  NETWORK: 'Không kết nối được với máy chủ. Kiểm tra mạng rồi thử lại.',
};

const en: Words = {
  VALIDATION_FAILED: 'Some entries are not valid: see the marked fields.',
  DATE_IN_FUTURE: 'This date is after today: only what has happened is recorded.',
  BELOW_MINIMUM_MEMBERS: 'Fewer members than the kind requires (a cooperative 5, a cooperative group 2).',
  UNKNOWN_PROVINCE: 'No province has this code.',
  ORGANIZATION_NOT_FOUND: 'No such organization.',
  PLAN_NOT_FOUND: 'No such plan.',
  EVENT_NOT_FOUND: "No such event in the organization's history.",
  REGISTRATION_NUMBER_TAKEN: 'This registration number was already issued to another organization (numbers are never reused).',
  ID_TAKEN: 'An organization with this identifier already exists.',
  ORGANIZATION_DISSOLVED: 'The organization was dissolved before this date: nothing can change from its dissolution on.',
  BEFORE_REGISTRATION: "This date is before the organization's registration.",
  NOT_RATED_KIND: 'This kind is not rated (only cooperatives and unions are).',
  NOT_APPLICABLE_TO_KIND: "This does not apply to the organization's kind.",
  INVALID_TRANSITION: "The organization's current status does not allow this change.",
  LIFECYCLE_OUT_OF_ORDER: 'This date is before the latest status change recorded: status changes are recorded in date order.',
  NOT_A_COOPERATIVE: 'The organization chosen is not a cooperative.',
  ALREADY_A_MEMBER: 'This cooperative is already a member of the union.',
  NOT_A_MEMBER: 'This cooperative is not a member of the union on that date.',
  MEMBERSHIP_OUT_OF_ORDER: "This date is before this cooperative's latest membership change.",
  FOUNDING_MEMBER_NOT_ACTIVE: 'A founding cooperative is not active on the registration date.',
  PLAN_EXISTS: 'This plan is already recorded.',
  PLAN_ENDED: 'The plan has ended.',
  BEFORE_ADOPTION: "This date is before the plan's adoption.",
  SUPERSEDING_PLAN_NOT_ADOPTED: 'The superseding plan is not recorded.',
  NOT_RETRACTABLE: 'This event cannot be retracted.',
  ALREADY_RETRACTED: 'This event is already retracted.',
  PREDECESSOR_NOT_IN_FORCE: 'A former province named is not in force on the date of the reorganization.',
  PREDECESSOR_LISTED_TWICE: 'A former province is named twice.',
  PROVINCE_CODE_IN_USE: 'This province code is in use.',
  BREAKS_LATER_REORGANIZATION: 'This contradicts a later administrative reorganization.',
  PROVINCE_NOT_IN_FORCE: "This province code is not in force on the chosen date{successor}: choose a province of that date's map.",
  FORMER_PROVINCE_REQUIRED: 'This province was formed from several former provinces: choose the one whose territory holds the seat{predecessors}.',
  NOT_A_PREDECESSOR: 'The former province chosen is not part of this province{predecessors}.',
  ALREADY_SEATED_THERE: 'The organization already has its seat there on that date: nothing to move.',
  UNAUTHENTICATED: 'The access token is not valid. Check what you pasted, or ask your administrator for a new one.',
  'UNAUTHENTICATED.expired': 'The access token has expired. Ask your administrator for a new one.',
  'UNAUTHENTICATED.revoked': 'The access token has been revoked. Ask your administrator for a new one.',
  'UNAUTHENTICATED.old': 'The access token was issued by an older version and no longer works. Ask your administrator for a new one.',
  'UNAUTHENTICATED.lifetime': 'The access token is valid for too long to be accepted. Ask your administrator for a new one.',
  'UNAUTHENTICATED.malformed': 'This is not an access token (some characters may have been lost when copying).',
  FORBIDDEN: 'Your role or territory does not allow this.',
  RATE_LIMITED: 'Too many requests in a short time: wait a minute and try again.',
  VERSION_MISMATCH: 'Someone else changed this record since you opened the page. The page was reloaded: check it and submit again.',
  IDEMPOTENCY_KEY_REUSED: 'This request reuses the key of another request.',
  TOO_MUCH_CONTENTION: 'Too many changes at once: try again in a moment.',
  STREAM_QUARANTINED: "This organization's history is held for checking: nothing can be recorded yet.",
  READ_MODEL_BEHIND: 'The figures are being updated: try again in a moment.',
  POSITION_BEYOND_HEAD: 'The request is not valid: reload the page.',
  STORAGE_UNAVAILABLE: 'The database cannot be reached right now: try again later.',
  INTERNAL_ERROR: 'The server met an unexpected error (it has been logged).',
  MALFORMED_JSON: 'The request is not valid.',
  NOT_FOUND: 'Not found.',
  METHOD_NOT_ALLOWED: 'This operation is not supported.',
  PAYLOAD_TOO_LARGE: 'What was sent is too large.',
  UNSUPPORTED_MEDIA_TYPE: 'This data format is not supported.',
  NETWORK: 'The server cannot be reached. Check the connection and try again.',
};

const WORDS: Record<Locale, Words> = { vi, en };

/** Every code worded here (for the tests that read them all). */
export const PROBLEM_CODES = Object.keys(vi) as ProblemCode[];

/** A title by status where the code is none the UI knows (a newer server). */
const BY_STATUS: Record<Locale, Record<number, string>> = {
  vi: { 400: 'Yêu cầu không hợp lệ.', 401: vi.UNAUTHENTICATED, 403: vi.FORBIDDEN, 404: vi.NOT_FOUND, 409: 'Lịch sử đã ghi nhận không cho phép thay đổi này.', 412: vi.VERSION_MISMATCH, 503: 'Máy chủ tạm thời không phục vụ được: thử lại sau.' },
  en: { 400: 'The request is not valid.', 401: en.UNAUTHENTICATED, 403: en.FORBIDDEN, 404: en.NOT_FOUND, 409: 'The recorded history does not allow this.', 412: en.VERSION_MISMATCH, 503: 'The server cannot answer right now: try again later.' },
};

const SUFFIX: Record<Locale, { successor: string; predecessors: string }> = {
  vi: { successor: ' (địa bàn thuộc tỉnh {value})', predecessors: ' (các tỉnh cũ: {value})' },
  en: { successor: ' (its territory is part of {value})', predecessors: ' (former provinces: {value})' },
};

/** The one code of a refused token, told apart by its detail (the server has one code for all of them). */
function unauthenticatedKind(detail: string | undefined): ProblemCode {
  if (!detail) return 'UNAUTHENTICATED';
  if (/expired/i.test(detail)) return 'UNAUTHENTICATED.expired';
  if (/revoked/i.test(detail)) return 'UNAUTHENTICATED.revoked';
  if (/older version|no id/i.test(detail)) return 'UNAUTHENTICATED.old';
  if (/must expire within/i.test(detail)) return 'UNAUTHENTICATED.lifetime';
  if (/not valid|malformed/i.test(detail)) return 'UNAUTHENTICATED.malformed';
  return 'UNAUTHENTICATED';
}

function isKnown(code: string | undefined): code is ProblemCode {
  return code !== undefined && code in vi;
}

/** The sentence a person reads for a problem, in `locale`. */
export function problemSentence(problem: Problem, locale: Locale): string {
  const words = WORDS[locale];
  const code = problem.code === 'UNAUTHENTICATED' ? unauthenticatedKind(problem.detail) : problem.code;
  if (!isKnown(code)) return BY_STATUS[locale][problem.status] ?? (locale === 'vi' ? `Yêu cầu bị từ chối (${problem.status}).` : `The request was refused (${problem.status}).`);
  const suffix = SUFFIX[locale];
  return words[code]
    .replace('{successor}', problem.successor ? suffix.successor.replace('{value}', problem.successor) : '')
    .replace('{predecessors}', problem.predecessors?.length ? suffix.predecessors.replace('{value}', problem.predecessors.join(', ')) : '');
}

/** Any failure as a sentence: a problem by its code, a fetch that never reached the server as NETWORK. */
export function errorSentence(error: unknown, locale: Locale): string {
  if (error instanceof ApiError) return problemSentence(error.problem, locale);
  if (error instanceof TypeError) return WORDS[locale].NETWORK;
  return error instanceof Error ? error.message : String(error);
}

/** Whether the problem is a validation whose field messages say everything (no coded refusal to word). */
export function isFieldValidation(problem: Problem): boolean {
  return problem.code === 'VALIDATION_FAILED' || problem.code === 'MALFORMED_JSON';
}
