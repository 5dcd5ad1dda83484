import type { UpcasterRegistry } from './create-upcast';

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
};
