/**
 * One identity, one spelling (style.md §16): an id is a UUID, accepted in any
 * letter case on the way in and canonical in lower case everywhere after. The
 * event store keys streams by text, so `organization-5F0C…` and
 * `organization-5f0c…` would be two streams for one organization; the domain
 * refuses the first form instead of trusting every caller to canonicalise.
 *
 * The accepted UUIDs are those of RFC 9562 (versions 1–8 with the RFC variant,
 * the Nil and the Max UUID), the same set the HTTP edge's UUID checks accept.
 */
const UUID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/i;

/** A UUID in any letter case. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** A UUID in its canonical (lower-case) spelling. */
export function isCanonicalUuid(value: unknown): value is string {
  return isUuid(value) && value === value.toLowerCase();
}

/**
 * The canonical spelling of a UUID given in any case; anything else is
 * returned as it is (so the validation that follows names it as it was sent).
 */
export function canonicalUuid<T>(value: T): T {
  return (isUuid(value) ? value.toLowerCase() : value) as T;
}
