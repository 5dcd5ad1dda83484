import { ValidationPipe, type ValidationError } from '@nestjs/common';
import type { FieldError } from '@ktt/domain';
import { RequestValidationError } from './problem';

/** Flattens class-validator's tree into `{ path, message }` per rule broken. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    // Array members as `targets[0].min`, the notation the domain's own errors use.
    const path = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      path,
      message: message.replace(/^property (\S+) should not exist$/, '$1 is not a known field'),
    }));
    return [...own, ...toFieldErrors(error.children ?? [], path)];
  });
}

/**
 * Request shape at the edge (style.md §7): unknown fields refused, no silent
 * type coercion of bodies (a string "5" is not a member count).
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationError(toFieldErrors(errors)),
  });
}
