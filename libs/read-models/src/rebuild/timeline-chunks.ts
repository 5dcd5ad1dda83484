import type { PoolClient } from 'pg';
import { projectTimelineIsolating } from '../projector/quarantine';
import { isEventFailure } from '../projector/connection-errors';
import { projectKnownEvents, readKnownEvents, type ProjectOptions } from '../organizations/organization-projection';
import type { KnownEvent } from '../organizations/timeline-fold';
import { TimelineOverlapError } from '../organizations/timeline-overlap';

/**
 * One worker of the rebuild's timeline phase on its own connection: takes chunks of organizations
 * (`next` answers an empty chunk when there is no more work, or when another worker failed), projects
 * each in one transaction and reports how many it projected. The same loop runs in the rebuild's
 * thread (timeline-phase.ts) and in a worker thread (timeline-thread.ts).
 */
export async function projectChunks(
  worker: PoolClient,
  schema: string,
  projectOptions: ProjectOptions,
  next: () => string[] | Promise<string[]>,
  onProjected: (organizations: number) => void,
): Promise<void> {
  await worker.query('SET synchronous_commit = off');
  const read = (chunk: string[]): Promise<Map<string, KnownEvent[]>> | null => {
    if (chunk.length === 0) return null;
    const facts = readKnownEvents(worker, schema, chunk);
    facts.catch(() => undefined); // awaited in the next round; a failure before that must not go unhandled
    return facts;
  };
  let chunk = await next();
  let facts = read(chunk);
  while (facts) {
    await worker.query('BEGIN');
    await worker.query('SAVEPOINT chunk');
    const known = await facts;
    // The next chunk's facts are read while this chunk is folded: the query goes ahead of this chunk's
    // COPY on the connection, so its backend works while Node does.
    const following = await next();
    facts = read(following);
    try {
      await projectKnownEvents(worker, schema, known, new Map(chunk.map((id) => [id, 0])), projectOptions);
    } catch (error) {
      // An organization whose facts cannot all be projected: find it, quarantine its poison event, go on.
      if (!isEventFailure(error) || error instanceof TimelineOverlapError) throw error;
      await worker.query('ROLLBACK TO SAVEPOINT chunk');
      const { assertNoOverlap, alterFoldedRows } = projectOptions;
      for (const id of chunk) await projectTimelineIsolating(worker, schema, id, { assertNoOverlap, alterFoldedRows });
    }
    await worker.query('COMMIT');
    onProjected(chunk.length);
    chunk = following;
  }
}
