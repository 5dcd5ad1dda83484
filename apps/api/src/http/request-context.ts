import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { requestHash, type CommandContext } from '@ktt/application';
import { AuthenticationError } from '@ktt/auth';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { RequestValidationError } from './problem';

const IF_MATCH = /^(?:W\/)?"?(\d{1,15})"?$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * A parameter decorator: the request's command context — everything a command
 * carries besides its body: who asks (the verified token's principal, which
 * the application authorizes), correlation, If-Match, Idempotency-Key.
 */
export const RequestContext = createParamDecorator((_data: unknown, execution: ExecutionContext): CommandContext => {
  const request = execution.switchToHttp().getRequest<AuthenticatedRequest>();
  return commandContextOf(request);
});

export function commandContextOf(request: AuthenticatedRequest): CommandContext {
  const errors = [];
  const ifMatch = request.header('if-match');
  let expectedVersion: number | undefined;
  if (ifMatch !== undefined) {
    const match = IF_MATCH.exec(ifMatch.trim());
    if (match) expectedVersion = Number(match[1]);
    else errors.push({ path: 'header:If-Match', message: 'If-Match must be a version in quotes, e.g. "3"' });
  }
  const key = request.header('idempotency-key');
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    errors.push({ path: 'header:Idempotency-Key', message: 'Idempotency-Key must be 1–200 visible ASCII characters' });
  }
  if (errors.length > 0) throw new RequestValidationError(errors);
  const correlation = request.header('x-correlation-id');
  // The guard sets it on every route that is not @Public; a command without one is never sent anonymously.
  const principal = request.principal;
  if (!principal) throw new AuthenticationError('a bearer token is required');
  return {
    principal,
    correlationId: correlation && /^[\w.:-]{1,100}$/.test(correlation) ? correlation : randomUUID(),
    expectedVersion,
    idempotency: key
      ? { key, requestHash: requestHash(request.method, request.path, (request as { rawBody?: unknown }).rawBody ?? request.body) }
      : undefined,
  };
}
