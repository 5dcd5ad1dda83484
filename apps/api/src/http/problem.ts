import type { FieldError } from '@ktt/domain';

/** RFC 9457 problem details, as api.md asks: type, title, status, detail, code, errors. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
  /** PROVINCE_NOT_IN_FORCE: the code in force that took the territory over (api.md, "Commands"). */
  successor?: string;
  /** FORMER_PROVINCE_REQUIRED, NOT_A_PREDECESSOR: the former provinces the seat may name. */
  predecessors?: string[];
}

/**
 * `extensions`: members beside the standard ones (RFC 9457 §3.2), e.g. `successor`; they never
 * replace a standard member.
 */
export function problem(status: number, code: string, title: string, detail: string, errors?: FieldError[], extensions: Readonly<Record<string, unknown>> = {}): Problem {
  return {
    ...extensions,
    type: `/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title,
    status,
    detail,
    code,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

/** Thrown by the validation pipe and header parsers: a 400 naming each bad field. */
export class RequestValidationError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((error) => `${error.path}: ${error.message}`).join('; '));
  }
}
