/**
 * One error hierarchy with stable codes (style.md §8), mapped to HTTP in one
 * exception filter in apps/api:
 * - `invalid`  → 400: what the request alone shows (names the field);
 * - `not_found`→ 404;
 * - `conflict` → 409: what the recorded history forbids.
 */
export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict';

export type ConflictCode =
  | 'REGISTRATION_NUMBER_TAKEN'
  | 'ID_TAKEN'
  | 'ORGANIZATION_DISSOLVED'
  | 'BEFORE_REGISTRATION'
  | 'NOT_RATED_KIND'
  | 'NOT_APPLICABLE_TO_KIND'
  | 'INVALID_TRANSITION'
  | 'LIFECYCLE_OUT_OF_ORDER'
  | 'NOT_A_COOPERATIVE'
  | 'ALREADY_A_MEMBER'
  | 'NOT_A_MEMBER'
  | 'MEMBERSHIP_OUT_OF_ORDER'
  | 'FOUNDING_MEMBER_NOT_ACTIVE'
  | 'PLAN_EXISTS'
  | 'PLAN_ENDED'
  | 'BEFORE_ADOPTION'
  | 'SUPERSEDING_PLAN_NOT_ADOPTED'
  | 'NOT_RETRACTABLE'
  | 'ALREADY_RETRACTED'
  | 'PREDECESSOR_NOT_IN_FORCE'
  | 'PREDECESSOR_LISTED_TWICE'
  | 'PROVINCE_CODE_IN_USE'
  | 'BREAKS_LATER_REORGANIZATION'
  | 'PROVINCE_NOT_IN_FORCE'
  | 'FORMER_PROVINCE_REQUIRED'
  | 'NOT_A_PREDECESSOR'
  | 'ALREADY_SEATED_THERE';

export type InvalidCode =
  | 'VALIDATION_FAILED'
  | 'DATE_IN_FUTURE'
  | 'BELOW_MINIMUM_MEMBERS'
  | 'UNKNOWN_PROVINCE';

export type NotFoundCode = 'ORGANIZATION_NOT_FOUND' | 'PLAN_NOT_FOUND' | 'EVENT_NOT_FOUND' | 'UNKNOWN_PROVINCE' | 'PROVINCE_NOT_IN_FORCE';

export type DomainErrorCode = ConflictCode | InvalidCode | NotFoundCode;

export interface FieldError {
  /** JSON path of the field in the request body, e.g. `memberCount` or `managers.withDegree`. */
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: DomainErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
    /** Members the problem document carries beside its standard ones (e.g. `successor` of PROVINCE_NOT_IN_FORCE). */
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static invalid(code: InvalidCode, path: string, message: string): DomainError {
    return new DomainError('invalid', code, message, [{ path, message }]);
  }

  static conflict(code: ConflictCode, message: string): DomainError {
    return new DomainError('conflict', code, message);
  }

  static notFound(code: NotFoundCode, message: string): DomainError {
    return new DomainError('not_found', code, message);
  }
}
