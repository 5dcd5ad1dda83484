import { isCanonicalStreamId } from '@ktt/domain';
import { EventStoreError } from './errors';
import type { StreamAppend } from './event-store.port';

/**
 * A stream id in a form the domain does not name streams by (for example
 * `organization-` with an upper-case UUID). The domain refuses such ids before
 * any append; reaching this means a path skipped it, so nothing is written.
 */
export class NonCanonicalStreamIdError extends EventStoreError {
  readonly code = 'NON_CANONICAL_STREAM_ID';
  constructor(readonly streamId: string) {
    super(`refused to append to ${streamId}: not the canonical form of its id (a lower-case UUID)`);
  }
}

/**
 * The one check both adapters run before writing anything: one UUID names one
 * organization's stream, on PostgreSQL (whose `stream_id` is case-sensitive
 * text) and on EventStoreDB alike. Without it, `organization-5F0C…` beside
 * `organization-5f0c…` is a second stream the read models cannot hold.
 */
export function requireCanonicalStreamIds(appends: readonly StreamAppend[]): void {
  const wrong = appends.find((append) => !isCanonicalStreamId(append.streamId));
  if (wrong) throw new NonCanonicalStreamIdError(wrong.streamId);
}
