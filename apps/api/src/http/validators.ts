import { registerDecorator, type ValidationOptions } from 'class-validator';
import { Transform } from 'class-transformer';
import { isValidLocalDate } from '@ktt/domain';

/** A real calendar date written YYYY-MM-DD (`2024-02-30` is refused). */
export function IsLocalDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isLocalDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a calendar date written YYYY-MM-DD', ...options },
      validator: { validate: (value: unknown) => isValidLocalDate(value) },
    });
}

/** Vietnamese text is stored and compared in Unicode NFC, trimmed. */
export function NormalizeText(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' ? value.normalize('NFC').trim() : value));
}
