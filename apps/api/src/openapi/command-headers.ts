import { applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';

/** The request headers every command reads besides its body (http/request-context.ts), for its OpenAPI operation. */
export function CommandHeaders(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiHeader({ name: 'If-Match', required: false, description: '"<version>": write only if the stream is still at it (else 412)' }),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'same key + same body = same answer, nothing written again' }),
    ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'recorded with the events (1–100 of letters, digits, `_.:-`); else one is made' }),
  );
}
