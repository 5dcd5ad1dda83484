import { PROFILE_FLAG_NAMES } from '../organizations/organization.types';
import type { Upcaster, UpcasterRegistry } from './create-upcast';

/**
 * v1 → v2 of a registration: profile flags became true / false / null (unknown). Under v1 an
 * omitted flag was decided as `false` and stored so (every v1 registration names every flag); an
 * omission cannot be told from a real "no" there, so a v1 flag keeps its stored value and one
 * missing reads `false`, never unknown (domain.md, profile flags; README, "Unknown is not \"no\"").
 */
const explicitFlagsOfV1: Upcaster = (data) => ({
  ...data,
  ...Object.fromEntries(PROFILE_FLAG_NAMES.map((flag) => [flag, typeof data[flag] === 'boolean' ? data[flag] : false])),
});

/**
 * v1 → v2 where only the meaning of what v2 may hold grew: a v1 profile change carries only the
 * flags given, each true or false (null, "back to unknown", exists from v2 on), and a v1
 * correction's replacement is such a change at most. Nothing to lift; the version tells a reader
 * of v1 that it cannot read a null there.
 */
const unchanged: Upcaster = (data) => data;

/**
 * The schema evolutions of organization events, by event type and the
 * version they upgrade FROM. Stored events are never rewritten (the log is
 * append-only and hash-chained); old shapes are lifted to the current one
 * when read. Add a step here and bump ORGANIZATION_EVENT_SCHEMA_VERSIONS
 * together; never change a step once released: stored events depend on it.
 */
export const ORGANIZATION_UPCASTERS: UpcasterRegistry = {
  OrganizationSuspended: {
    // v2 added the suspension notice's document reference; v1 events never recorded one.
    1: (data) => ({ ...data, noticeRef: null }),
  },
  OrganizationRegistered: { 1: explicitFlagsOfV1 },
  ProfileChanged: { 1: unchanged },
  RecordCorrected: { 1: unchanged },
};
