import { registerDecorator, type ValidationOptions } from 'class-validator';
import { Transform } from 'class-transformer';
import { canonicalUuid, isUuid, isValidLocalDate, METRIC_NAMES, parseKnownAt, parseTimestamp, textProblem, type TextRule } from '@ktt/domain';

/**
 * The edge's checks are the domain's rules (libs/domain: identity, limits,
 * timestamps), repeated here only so that a 400 names every bad field at once.
 */
function rule(name: string, message: string, validate: (value: unknown) => boolean, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message, ...options },
      validator: { validate },
    });
}

/** A real calendar date written YYYY-MM-DD (`2024-02-30` is refused). */
export function IsLocalDate(options?: ValidationOptions): PropertyDecorator {
  return rule('isLocalDate', '$property must be a calendar date written YYYY-MM-DD', isValidLocalDate, options);
}

/** Vietnamese text is stored and compared in Unicode NFC, trimmed. */
export function NormalizeText(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' ? value.normalize('NFC').trim() : value));
}

/** A text field by the domain's rule for it: length in characters, no NUL, control characters or lone surrogates. */
export function IsText(textRule: TextRule, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isText',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: ({ property, value }) => `${property} ${textProblem(value, textRule) ?? 'is not valid'}`, ...options },
      validator: { validate: (value: unknown) => textProblem(value, textRule) === null },
    });
}

/**
 * Ids are accepted in any letter case and canonical (lower case) from here on
 * (api.md, "Conventions"; style.md §16). Lists are canonicalised member by member.
 */
export function CanonicalId(): PropertyDecorator {
  return Transform(({ value }) => (Array.isArray(value) ? value.map(canonicalUuid) : canonicalUuid(value)));
}

/** A UUID (RFC 9562, any case on the way in: pair it with CanonicalId). */
export function IsId(options?: ValidationOptions): PropertyDecorator {
  return rule('isId', options?.each ? 'each of $property must be a UUID' : '$property must be a UUID', isUuid, options);
}

/** An RFC 3339 timestamp (`2026-01-15T08:00:00.000Z` or with an offset); answered in UTC with milliseconds. */
export function IsTimestamp(options?: ValidationOptions): PropertyDecorator {
  return rule('isTimestamp', '$property must be an RFC 3339 timestamp with its offset, e.g. 2026-01-15T08:00:00.000Z', (value) => parseTimestamp(value) !== null, options);
}

/** `knownAt`: an RFC 3339 timestamp, or a bare date meaning the end of that day in Vietnam. */
export function IsKnownAt(options?: ValidationOptions): PropertyDecorator {
  return rule(
    'isKnownAt',
    '$property must be an RFC 3339 timestamp (e.g. 2026-01-15T08:00:00.000Z) or a date YYYY-MM-DD (the end of that day in Vietnam)',
    (value) => parseKnownAt(value) !== null,
    options,
  );
}

/** Puts a valid `knownAt` in its one form (UTC, milliseconds); an invalid one is left for IsKnownAt to name. */
export function NormalizeKnownAt(): PropertyDecorator {
  return Transform(({ value }) => parseKnownAt(value) ?? value);
}

/** Puts a valid timestamp in its one form (UTC, milliseconds); an invalid one is left for IsTimestamp to name. */
export function NormalizeTimestamp(): PropertyDecorator {
  return Transform(({ value }) => parseTimestamp(value) ?? value);
}

/**
 * `metrics=a,b` (a series): metric names of domain.md, comma-separated (repeating the parameter is the
 * same), each once in the order given. An unknown name is refused naming it and every allowed one.
 */
export function MetricList(): PropertyDecorator {
  const split = (value: unknown): unknown => {
    const parts = Array.isArray(value) ? value : [value];
    if (!parts.every((part) => typeof part === 'string')) return value;
    return [...new Set((parts as string[]).flatMap((part) => part.split(',')).map((name) => name.trim()))];
  };
  const unknown = (value: unknown): string[] =>
    Array.isArray(value) ? value.filter((name) => !(METRIC_NAMES as readonly unknown[]).includes(name)).map(String) : [String(value)];
  return (target, propertyName) => {
    Transform(({ value }) => split(value))(target, propertyName);
    registerDecorator({
      name: 'isMetricList',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: ({ property, value }) =>
          `${property} must be metric names separated by commas; not a metric: ${unknown(value).map((name) => JSON.stringify(name)).join(', ')}; allowed: ${METRIC_NAMES.join(', ')}`,
      },
      validator: { validate: (value: unknown) => Array.isArray(value) && value.length > 0 && unknown(value).length === 0 },
    });
  };
}
