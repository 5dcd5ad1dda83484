/**
 * Stream names. A registration number is unique for ever (never reused, even
 * after dissolution), so each one claims a stream of its own, written in the
 * same transaction as the registration.
 */
export function organizationStreamId(id: string): string {
  return `organization-${id}`;
}

export function registrationNumberStreamId(normalized: string): string {
  return `registration-number-${normalized}`;
}
