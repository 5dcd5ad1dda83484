import { ParseUUIDPipe } from '@nestjs/common';
import { RequestValidationError } from './problem';

/** A path parameter that must be a UUID; a 400 naming it otherwise. */
export function uuidParam(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () => new RequestValidationError([{ path: `path:${name}`, message: `${name} must be a UUID` }]),
  });
}
