import type { PipeTransform } from '@nestjs/common';
import { canonicalUuid, isPlanId, isUuid } from '@ktt/domain';
import { RequestValidationError } from './problem';

/**
 * A path parameter that must be a UUID, in any letter case: answered in its
 * canonical form (lower case), so one UUID names one organization on every
 * path. A 400 naming it otherwise.
 */
export function uuidParam(name: string): PipeTransform<unknown, string> {
  return {
    transform(value: unknown): string {
      if (!isUuid(value)) throw new RequestValidationError([{ path: `path:${name}`, message: `${name} must be a UUID` }]);
      return canonicalUuid(value);
    },
  };
}

/** A plan's id in a path: lower-cased (its one spelling), then held to the domain's form. */
export function planIdParam(name = 'id'): PipeTransform<unknown, string> {
  return {
    transform(value: unknown): string {
      const id = typeof value === 'string' ? value.toLowerCase() : value;
      if (!isPlanId(id)) throw new RequestValidationError([{ path: `path:${name}`, message: `${name} must be 1–100 letters, digits and "-"` }]);
      return id;
    },
  };
}
