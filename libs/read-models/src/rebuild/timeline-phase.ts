import type { Pool, PoolClient } from 'pg';
import { schemaIdentifier } from '../generations';
import { projectTimelineIsolating } from '../projector/quarantine';
import { isEventFailure } from '../projector/connection-errors';
import { projectKnownEvents, readKnownEvents, type ProjectOptions } from '../organizations/organization-projection';
import type { KnownEvent } from '../organizations/timeline-fold';
import { TimelineOverlapError } from '../organizations/timeline-overlap';
import { binaryFits } from '../organizations/timeline-copy';
import { releaseToPool } from './pooled-connection';

export interface TimelinePhaseOptions {
  organizationsPerChunk: number;
  timelineWorkers: number;
  /** Organizations projected so far, of how many. */
  onProgress?: (organizations: number, organizationsTotal: number) => void;
  /** Tests only (rebuild.int-spec.ts): the fold's rows altered before they are checked and written. */
  alterFoldedRows?: ProjectOptions['alterFoldedRows'];
}

/**
 * The rebuild's second phase: every organization's timeline and memberships, projected once from its
 * whole history (the facts stored by the first phase). Several workers, each on a connection of its
 * own, take chunks of organizations in turn: one connection keeps one PostgreSQL backend (one core)
 * busy while the other core waited (profile of a national rebuild: the Node process idle 63 % of the time).
 *
 * This phase writes every timeline row of a rebuild, with the no-overlap triggers off (rebuild.ts), so
 * it checks each organization's rows as they are folded, before they are written (assertNoOverlap,
 * organizations/timeline-overlap.ts): an overlap ends the rebuild with TimelineOverlapError (23P01)
 * and nothing of it is written. It is a fault of the fold, never an event's: it is not quarantined.
 */
export async function projectAllTimelines(pool: Pool, client: PoolClient, schema: string, options: TimelinePhaseOptions): Promise<void> {
  const { organizationsPerChunk } = options;
  const timelineWorkers = Math.max(1, options.timelineWorkers);
  const quotedSchema = schemaIdentifier(schema);
  // Every organization's stream starts with its registration (revision 0). Unit by unit (the seat's
  // first-map province, as the timeline's province_code holds it), so
  // that a province's rows lie together in the table and in the GiST indexes built after the load:
  // built over rows in id order, the province index visited 3,521 pages to find one province's 7,642
  // rows in force at a date, and about 300 when built over rows in province order (manual-measurements.md).
  const { rows: registered } = await client.query<{ organization_id: string }>(
    `SELECT organization_id FROM ${quotedSchema}.organization_facts WHERE revision = 0 ORDER BY coalesce(data->>'formerProvinceCode', data->>'provinceCode'), organization_id`,
  );
  const ids = registered.map((row) => row.organization_id);
  // The new generation's table has the columns this code writes: its rows can go in COPY's binary format.
  const binaryCopy = await binaryFits(client, schema);
  const projectOptions: ProjectOptions = { binaryCopy, assertNoOverlap: true, alterFoldedRows: options.alterFoldedRows };
  let next = 0;
  let organizations = 0;
  let failed = false;
  const take = (): string[] => {
    const chunk = ids.slice(next, next + organizationsPerChunk);
    next += chunk.length;
    return chunk;
  };
  const read = (worker: PoolClient, chunk: string[]): Promise<Map<string, KnownEvent[]>> | null => {
    if (chunk.length === 0) return null;
    const facts = readKnownEvents(worker, schema, chunk);
    facts.catch(() => undefined); // awaited in the next round; a failure before that must not go unhandled
    return facts;
  };
  const work = async (worker: PoolClient): Promise<void> => {
    await worker.query('SET synchronous_commit = off');
    let chunk = take();
    let facts = read(worker, chunk);
    while (facts && !failed) {
      await worker.query('BEGIN');
      await worker.query('SAVEPOINT chunk');
      const known = await facts;
      // The next chunk's facts are read while this chunk is folded: the query goes ahead of this chunk's
      // COPY on the connection, so its backend works while Node does.
      const following = take();
      facts = read(worker, following);
      try {
        await projectKnownEvents(worker, schema, known, new Map(chunk.map((id) => [id, 0])), projectOptions);
      } catch (error) {
        // An organization whose facts cannot all be projected: find it, quarantine its poison event, go on.
        if (!isEventFailure(error) || error instanceof TimelineOverlapError) throw error;
        await worker.query('ROLLBACK TO SAVEPOINT chunk');
        for (const id of chunk) await projectTimelineIsolating(worker, schema, id, { assertNoOverlap: true, alterFoldedRows: options.alterFoldedRows });
      }
      await worker.query('COMMIT');
      organizations += chunk.length;
      options.onProgress?.(organizations, ids.length);
      chunk = following;
    }
  };
  const guarded = async (worker: PoolClient): Promise<void> => {
    try {
      await work(worker);
    } catch (error) {
      failed = true;
      throw error;
    }
  };
  const others = await Promise.all(Array.from({ length: timelineWorkers - 1 }, () => pool.connect()));
  try {
    // Every worker settles before its connection is rolled back and released: one still writing
    // would otherwise go on, outside a transaction, on a connection back in the pool.
    const outcomes = await Promise.allSettled([guarded(client), ...others.map(guarded)]);
    const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failure) throw failure.reason;
  } catch (error) {
    for (const other of others) await other.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    for (const other of others) await releaseToPool(other);
  }
}
