import type { FieldError } from '@ktt/domain';

/** RFC 9457 problem details, as api.md asks: type, title, status, detail, code, errors. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
}

export function problem(status: number, code: string, title: string, detail: string, errors?: FieldError[]): Problem {
  return {
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
