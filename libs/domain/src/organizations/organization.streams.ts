import { isCanonicalUuid } from '../common/identity';
import { requireId } from '../common/validation';

/** An organization's stream is `organization-<id>` (the one place that spells it). */
export const ORGANIZATION_STREAM_PREFIX = 'organization-';

/** A registration number's claim is `registration-number-<normalized number>`. */
export const REGISTRATION_NUMBER_STREAM_PREFIX = 'registration-number-';

/**
 * Stream names. An organization's stream is named by its id in canonical
 * form (a lower-case UUID): one UUID names one organization, whatever case it
 * was sent in. A non-canonical id is refused here, on every path that names a
 * stream (commands, reads, generators, imports).
 */
export function organizationStreamId(id: string, path = 'id'): string {
  requireId(id, path);
  return `${ORGANIZATION_STREAM_PREFIX}${id}`;
}

/**
 * Whether a stream id is in its canonical form: an organization's stream must
 * be `organization-<lower-case UUID>`. Other kinds of stream are not judged
 * here. Both event-store adapters refuse an append that breaks it.
 */
export function isCanonicalStreamId(streamId: string): boolean {
  const id = organizationIdOfStream(streamId);
  return id === null || isCanonicalUuid(id);
}

/** The id an `organization-<id>` stream is named by, as written (not checked); null for any other stream. */
export function organizationIdOfStream(streamId: string): string | null {
  return streamId.startsWith(ORGANIZATION_STREAM_PREFIX) ? streamId.slice(ORGANIZATION_STREAM_PREFIX.length) : null;
}

/**
 * A registration number is unique for ever (never reused, even after
 * dissolution), so each one claims a stream of its own, written in the same
 * transaction as the registration.
 */
export function registrationNumberStreamId(normalized: string): string {
  return `${REGISTRATION_NUMBER_STREAM_PREFIX}${normalized}`;
}
