/*
 * What an import refuses, with a stable code and a message in Vietnamese and English for each code
 * (issue 17: clients translate by code; the answer carries both so a registrar reads it at once).
 */

/** Codes that refuse a whole file (answered 400/413 with problem+json). */
export type FileRefusalCode =
  | 'ENCODING_NOT_UTF8'
  | 'MISSING_COLUMN'
  | 'DUPLICATE_COLUMN'
  | 'NO_HEADER'
  | 'FILE_UNREADABLE'
  | 'ZIP_TOO_LARGE'
  | 'FILE_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE';

/** A file refused as a whole: nothing of it is read further, nothing written. */
export class ImportFileRefused extends Error {
  constructor(
    readonly code: FileRefusalCode,
    message: string,
    /** `path` names the column (its Vietnamese header) or `file`. */
    readonly errors: { path: string; message: string }[] = [{ path: 'file', message }],
  ) {
    super(message);
    this.name = 'ImportFileRefused';
  }

  get status(): number {
    return this.code === 'FILE_TOO_LARGE' || this.code === 'ZIP_TOO_LARGE' ? 413 : this.code === 'UNSUPPORTED_MEDIA_TYPE' ? 415 : 400;
  }
}

/** Both languages of a refusal; `en` is also the answer's `message`. */
export interface Messages {
  vi: string;
  en: string;
}

/**
 * The Vietnamese and English texts of each row refusal code. Codes of the domain (409/400 of the API)
 * keep their API name, so a row refused here is refused there with the same code.
 */
const MESSAGES: Record<string, Messages> = {
  REQUIRED_VALUE: { vi: 'Thiếu giá trị bắt buộc', en: 'A required value is missing' },
  INVALID_VALUE: { vi: 'Giá trị không hợp lệ', en: 'The value is not valid' },
  INVALID_DATE: { vi: 'Ngày không hợp lệ (dd/mm/yyyy hoặc yyyy-mm-dd)', en: 'Not a valid date (dd/mm/yyyy or yyyy-mm-dd)' },
  FORMULA_CELL: { vi: 'Ô chứa công thức: không tính công thức, hãy nhập giá trị', en: 'The cell holds a formula: formulas are never evaluated, enter the value' },
  UNION_NOT_IN_TEMPLATE: { vi: 'Liên hiệp hợp tác xã không nhập bằng mẫu này', en: 'Unions are not imported with this template' },
  DUPLICATE_ROW: { vi: 'Số đăng ký trùng với một dòng trước trong tệp', en: 'The registration number repeats an earlier row of the file' },
  INCONSISTENT_ROW: { vi: 'Các giá trị trong dòng mâu thuẫn nhau', en: 'The values of the row contradict each other' },
  FORBIDDEN_PROVINCE: { vi: 'Không có quyền ghi cho tỉnh này', en: 'Not allowed to write for this province' },
  NOT_CHANGEABLE_BY_IMPORT: { vi: 'Giá trị này không thể thay đổi bằng tệp nhập', en: 'This value cannot be changed by an import' },
  EMPTY_ROWS_LIMIT: { vi: 'Dừng đọc sau quá nhiều dòng trống liên tiếp', en: 'Reading stopped after too many empty rows in a row' },
  VALIDATION_FAILED: { vi: 'Giá trị không đúng quy định', en: 'The value breaks a rule' },
  DATE_IN_FUTURE: { vi: 'Ngày ở tương lai', en: 'The date is in the future' },
  BELOW_MINIMUM_MEMBERS: { vi: 'Số thành viên dưới mức tối thiểu', en: 'Fewer members than the minimum' },
  UNKNOWN_PROVINCE: { vi: 'Mã tỉnh không tồn tại', en: 'No province has this code' },
  PROVINCE_NOT_IN_FORCE: { vi: 'Mã tỉnh không còn hiệu lực vào ngày này', en: 'The province code is not in force on that date' },
  FORMER_PROVINCE_REQUIRED: { vi: 'Cần Mã tỉnh cũ (tỉnh đã sáp nhập)', en: 'The former province code is required (merged province)' },
  NOT_A_PREDECESSOR: { vi: 'Mã tỉnh cũ không thuộc tỉnh này', en: 'The former province is not a predecessor of this province' },
  REGISTRATION_NUMBER_TAKEN: { vi: 'Số đăng ký đã được sử dụng', en: 'The registration number is already taken' },
  BEFORE_REGISTRATION: { vi: 'Ngày trước ngày đăng ký', en: 'The date is before the registration' },
  NOT_RATED_KIND: { vi: 'Loại hình này không được xếp loại', en: 'This kind is not rated' },
  NOT_APPLICABLE_TO_KIND: { vi: 'Không áp dụng cho loại hình này', en: 'Not applicable to this kind' },
  INVALID_TRANSITION: { vi: 'Không thể chuyển sang tình trạng này', en: 'The organization cannot move to this status' },
  LIFECYCLE_OUT_OF_ORDER: { vi: 'Ngày tình trạng trước tình trạng đã ghi', en: 'The status date is before the status already recorded' },
  ORGANIZATION_DISSOLVED: { vi: 'Tổ chức đã giải thể', en: 'The organization is dissolved' },
  STREAM_QUARANTINED: { vi: 'Hồ sơ đang bị tạm giữ', en: 'The record is quarantined' },
};

const FALLBACK: Messages = { vi: 'Dòng bị từ chối', en: 'The row is refused' };

/** The messages of a code, with the column and the specific detail appended. */
export function messagesOf(code: string, column: string | null, detail?: string): Messages {
  const base = MESSAGES[code] ?? FALLBACK;
  const where = column ? ` (${column})` : '';
  return { vi: `${base.vi}${where}${detail ? `: ${detail}` : ''}`, en: `${base.en}${where}${detail ? `: ${detail}` : ''}` };
}
