import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { DomainError } from '@ktt/domain';
import { EventStoreUnavailableError } from '@ktt/event-store';
import { IdempotencyKeyReusedError, PreconditionFailedError, TooMuchContentionError } from '@ktt/application';
import { isConnectionError, PositionBeyondHeadError, ReadModelBehindError, StreamQuarantinedError } from '@ktt/read-models';
import { AuthenticationError, ForbiddenError } from '@ktt/auth';
import { ThrottlerException } from '@nestjs/throttler';
import { problem, RequestValidationError, type Problem } from './problem';
import { CheckpointPendingError } from '@ktt/transparency';

const DOMAIN_STATUS = { invalid: 400, not_found: 404, conflict: 409 } as const;

/** The one place where errors become HTTP (style.md §8). Never a stack trace in an answer. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const answer = this.toProblem(error);
    if (answer.status === 503 || answer.status === 429) response.setHeader('Retry-After', answer.status === 429 ? '60' : '5');
    if (answer.status === 401) response.setHeader('WWW-Authenticate', 'Bearer realm="ktt-registry"');
    if (answer.status >= 500 && answer.status !== 503) this.logger.error({ err: error }, 'unexpected error');
    response.status(answer.status).type('application/problem+json').send(JSON.stringify(answer));
  }

  private toProblem(error: unknown): Problem {
    if (error instanceof AuthenticationError) return problem(401, error.code, 'Not authenticated', error.message);
    if (error instanceof ForbiddenError) return problem(403, error.code, 'Forbidden', error.message);
    if (error instanceof ThrottlerException) {
      return problem(429, 'RATE_LIMITED', 'Too many requests', 'too many requests for this token; slow down and retry after a minute');
    }
    if (error instanceof RequestValidationError) {
      return problem(400, 'VALIDATION_FAILED', 'The request is not valid', error.message, error.errors);
    }
    if (error instanceof DomainError) {
      const status = DOMAIN_STATUS[error.kind];
      const title = status === 400 ? 'The request is not valid' : status === 404 ? 'Not found' : 'Refused by the recorded history';
      return problem(status, error.code, title, error.message, error.errors, error.extensions);
    }
    if (error instanceof PreconditionFailedError) {
      return problem(412, error.code, 'The stream is not at the version in If-Match', error.message);
    }
    if (error instanceof IdempotencyKeyReusedError) {
      return problem(422, error.code, 'Idempotency-Key reused with another request', error.message);
    }
    if (error instanceof TooMuchContentionError) {
      return problem(503, error.code, 'Too many concurrent changes', error.message);
    }
    if (error instanceof PositionBeyondHeadError) {
      return problem(400, error.code, 'The request is not valid', error.message, [{ path: 'minPosition', message: 'minPosition must not be beyond the head of the log' }]);
    }
    if (error instanceof StreamQuarantinedError) {
      return problem(409, error.code, 'The organization\'s events are quarantined', error.message);
    }
    if (error instanceof CheckpointPendingError) {
      return problem(503, error.code, 'Not yet under a signed checkpoint', error.message);
    }
    if (error instanceof ReadModelBehindError) {
      return problem(503, error.code, 'The read models are behind', error.message);
    }
    if (error instanceof EventStoreUnavailableError || isConnectionError(error)) {
      return problem(503, 'STORAGE_UNAVAILABLE', 'The database is unavailable', 'the database cannot be reached right now; retry later');
    }
    if (error instanceof HttpException) return fromHttpException(error);
    return problem(500, 'INTERNAL_ERROR', 'Internal error', 'an unexpected error occurred; it has been logged');
  }
}

function fromHttpException(error: HttpException): Problem {
  const status = error.getStatus();
  const body = error.getResponse();
  const detail = typeof body === 'string' ? body : String((body as { message?: unknown }).message ?? error.message);
  const cause = (error as { cause?: unknown }).cause;
  if (status === 400 && (cause instanceof SyntaxError || /JSON/i.test(detail))) {
    return problem(400, 'MALFORMED_JSON', 'The body is not valid JSON', 'the request body is not valid JSON', [
      { path: '', message: 'not valid JSON' },
    ]);
  }
  const codes: Record<number, string> = { 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' };
  return problem(status, codes[status] ?? `HTTP_${status}`, error.name.replace(/Exception$/, ''), detail);
}
