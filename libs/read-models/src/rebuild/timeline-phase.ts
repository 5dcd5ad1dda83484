import type { Pool, PoolClient } from 'pg';
import { schemaIdentifier } from '../generations';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ProjectOptions } from '../organizations/organization-projection';
import { TimelineOverlapError } from '../organizations/timeline-overlap';
import { binaryFits } from '../organizations/timeline-copy';
import { releaseToPool } from './pooled-connection';
import { projectChunks } from './timeline-chunks';
import type { FromTimelineThread, ThreadError, TimelineThreadData, ToTimelineThread } from './timeline-thread';

export interface TimelinePhaseOptions {
  organizationsPerChunk: number;
  timelineWorkers: number;
  /** Organizations projected so far, of how many. */
  onProgress?: (organizations: number, organizationsTotal: number) => void;
  /** Tests only (rebuild.int-spec.ts): the fold's rows altered before they are checked and written. */
  alterFoldedRows?: ProjectOptions['alterFoldedRows'];
  /**
   * Fold in worker threads (timeline-thread.ts), one per worker, each with a connection of its own.
   * Default: when the code runs compiled (the cli, the api: `dist/`) and the pool has a connection
   * string; in the tests' TypeScript, and with `alterFoldedRows` (a function cannot cross threads),
   * the workers run in the rebuild's thread.
   */
  threads?: boolean;
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
/** Answers whether the folds ran in worker threads. */
export async function projectAllTimelines(pool: Pool, client: PoolClient, schema: string, options: TimelinePhaseOptions): Promise<{ threads: boolean }> {
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
  let taken = 0;
  let organizations = 0;
  let failed = false;
  const take = (): string[] => {
    const chunk = ids.slice(taken, taken + organizationsPerChunk);
    taken += chunk.length;
    return chunk;
  };
  const onProjected = (projected: number) => {
    organizations += projected;
    options.onProgress?.(organizations, ids.length);
  };
  const next = (): string[] => (failed ? [] : take());
  const threads = options.threads ?? threadsPossible(pool, options);
  const guarded = async (worker: PoolClient): Promise<void> => {
    try {
      await projectChunks(worker, schema, projectOptions, next, onProjected);
    } catch (error) {
      failed = true;
      throw error;
    }
  };
  if (threads) {
    await inThreads(timelineWorkers, { connectionString: pool.options.connectionString!, schema, binaryCopy }, next, onProjected, () => (failed = true));
    return { threads };
  }
  const others = await Promise.all(Array.from({ length: timelineWorkers - 1 }, () => pool.connect()));
  try {
    // Every worker settles before its connection is rolled back and released: one still writing
    // would otherwise go on, outside a transaction, on a connection back in the pool.
    const outcomes = await Promise.allSettled([guarded(client), ...others.map(guarded)]);
    const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failure) throw failure.reason;
    return { threads };
  } catch (error) {
    for (const other of others) await other.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    for (const other of others) await releaseToPool(other);
  }
}

/** The compiled thread entry next to this file (absent when the tests run the TypeScript). */
const THREAD_ENTRY = path.join(__dirname, 'timeline-thread.js');

function threadsPossible(pool: Pool, options: TimelinePhaseOptions): boolean {
  return !options.alterFoldedRows && typeof pool.options.connectionString === 'string' && __filename.endsWith('.js') && existsSync(THREAD_ENTRY);
}

/**
 * The timeline phase's workers as worker threads: each asks for the next chunk, projects it on its own
 * connection and reports the count. After a failure no more chunks go out; the others finish the chunk
 * they hold, and the failure is thrown here as the thread described it (a TimelineOverlapError again,
 * for an overlap: code 23P01 and the organization).
 */
async function inThreads(
  count: number,
  data: TimelineThreadData,
  next: () => string[],
  onProjected: (organizations: number) => void,
  onFailure: () => void,
): Promise<void> {
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    onFailure();
  };
  const run = () =>
    new Promise<void>((resolve) => {
      // V8's heap flags are process-wide and win over a worker's resourceLimits: under the cli's flags
      // (--max-old-space-size=192 --max-semi-space-size=16) a thread's heap limit is 240 MB whatever is asked
      // here (v8.getHeapStatistics() in the thread), so the limits asked are those same ones: a rebuild in a
      // process without the flags (the bench's own) then folds as the cli does (with 48/12 it collected more
      // often: timelines 17.1–17.6 s against 16.1). The fold keeps a chunk of 250 organizations, far below;
      // the cli's peak RSS, threads included, is measured by the bench (goal ≤ 300 MB).
      const thread = new Worker(THREAD_ENTRY, { workerData: data, resourceLimits: { maxOldGenerationSizeMb: 192, maxYoungGenerationSizeMb: 48 } });
      let finished = false;
      thread.on('message', (message: FromTimelineThread) => {
        if (message.type === 'next') thread.postMessage({ type: 'chunk', ids: next() } satisfies ToTimelineThread);
        else if (message.type === 'projected') onProjected(message.organizations);
        else if (message.type === 'finished') finished = true;
        else fail(threadError(message.error));
      });
      thread.on('error', (error) => fail(error));
      thread.on('exit', (code) => {
        if (!finished && !failure) fail(new Error(`a timeline thread stopped (exit code ${code}) before its work was done`));
        resolve();
      });
    });
  await Promise.all(Array.from({ length: count }, run));
  if (failure) throw failure;
}

function threadError(error: ThreadError): Error {
  if (error.name === 'TimelineOverlapError' && error.organizationId !== undefined) return new TimelineOverlapError(error.organizationId, error.rows ?? '');
  const recreated = Object.assign(new Error(error.message), { code: error.code });
  recreated.name = error.name;
  if (error.stack) recreated.stack = error.stack;
  return recreated;
}
