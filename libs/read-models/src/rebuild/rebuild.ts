import type { Pool, PoolClient } from 'pg';
import type { EventStore, Position, RecordedEvent } from '@ktt/event-store';
import { schemaIdentifier } from '../generations';
import { applyBatchIsolating } from '../projector/quarantine';
import { CHECKPOINT_CHANNEL } from '../projector/projector';
import { projectAllTimelines, type TimelinePhaseOptions } from './timeline-phase';
import { releaseToPool } from './pooled-connection';
import { dropSecondaryIndexes } from './deferred-indexes';
import { loadFactsInDatabase, logIsInDatabase } from './facts-in-database';
import { setNoOverlapTriggers } from './no-overlap';
import { setAutovacuum } from './autovacuum';
import { vacuumUntilAllVisible, type TableVisibility } from './visibility';

export interface RebuildProgress {
  events: number;
  schema: string;
  phase: 'facts' | 'timelines' | 'indexes' | 'switching' | 'done';
  /** Phase `timelines`: organizations projected so far, of how many. */
  organizations?: number;
  organizationsTotal?: number;
}

export interface RebuildResult {
  generation: number;
  schema: string;
  retired: string | null;
  events: number;
  seconds: number;
  /** Seconds per phase: facts, timelines, indexes (audit_events' built during the timelines), vacuum, switch. */
  phases: Record<string, number>;
  /** Whether the facts phase ran inside PostgreSQL (facts-in-database.ts) rather than page by page through the store. */
  factsInDatabase: boolean;
  /** Whether the timeline phase folded in worker threads (timeline-thread.ts) rather than in this thread. */
  timelineThreads: boolean;
  /** Pages and all-visible pages of the vacuumed tables at the switch (snapshotHeldBack: an old snapshot outlasted the retries, visibility.ts). */
  visibility: TableVisibility[];
}

/**
 * Rebuilds every read model from position 0, blue-green: the next
 * generation's schema is filled in short transactions (a long one would hold
 * back every reader of the log, architecture.md) while the active generation
 * keeps serving; when it has caught up, the switch applies the last events
 * and flips `read_model_generations` in one transaction that locks the table,
 * so the live projector's next batch either lands before the switch or finds
 * the new generation and follows it. The generation before the retired one is
 * dropped; the retired one stays for comparison until the next rebuild.
 *
 * Filling runs in two phases. First the whole log is stored as facts (the
 * next page is read while the current one is written). Then each
 * organization's timeline is projected once from its whole history, in
 * chunks of organizations: the live projector's way, event batch by event
 * batch, re-reads and re-folds an organization's facts in every batch that
 * touches it and rewrites rows that later batches close again; measured on
 * the demo log, that was most of a rebuild's time. The rows are the same
 * (the projection does not depend on how the log is cut: the projector-crash
 * and rebuild tests compare them), and events that arrive during the
 * rebuild are applied the live way before the switch.
 */
export async function rebuildReadModels(
  pool: Pool,
  store: EventStore,
  options: {
    batchSize?: number;
    organizationsPerChunk?: number;
    timelineWorkers?: number;
    /** false: the facts phase reads the log page by page through the store even when it is a table of this database. */
    factsInDatabase?: boolean;
    /** Events per transaction of the facts phase inside PostgreSQL (100,000). */
    factsChunkSize?: number;
    /** The timeline phase's folds in worker threads; default: when the code runs compiled (timeline-phase.ts). */
    timelineThreads?: boolean;
    onProgress?: (progress: RebuildProgress) => void;
    /** Tests only: the timeline fold's rows altered before they are checked and written (timeline-phase.ts). */
    alterFoldedRows?: TimelinePhaseOptions['alterFoldedRows'];
  } = {},
): Promise<RebuildResult> {
  const started = Date.now();
  const phases: Record<string, number> = {};
  // KTT_REBUILD_TRACE=1: the WAL each phase wrote, on stderr (the profile in bench/manual-measurements.md).
  const walAt = async (): Promise<string | null> =>
    process.env.KTT_REBUILD_TRACE === '1' ? (await pool.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0].lsn : null;
  const timed = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
    const from = Date.now();
    const walFrom = await walAt();
    try {
      return await work();
    } finally {
      phases[phase] = (phases[phase] ?? 0) + (Date.now() - from) / 1000;
      if (walFrom !== null) {
        const { rows } = await pool.query<{ mb: string }>(`SELECT round(pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1::pg_lsn) / 1048576) AS mb`, [walFrom]);
        process.stderr.write(`rebuild phase ${phase}: ${(Date.now() - from) / 1000} s, ${rows[0].mb} MB of WAL\n`);
      }
    }
  };
  const batchSize = options.batchSize ?? 5000;
  // 250 organizations a chunk keeps each worker's heap small (1,000 peaked at 460 MB RSS on the national log, in one
  // thread; in two worker threads 500 peaked at 266 MiB, 250 at 248 MiB, as fast).
  const organizationsPerChunk = options.organizationsPerChunk ?? 250;
  const timelineWorkers = Math.max(1, options.timelineWorkers ?? 2);
  const { generation, schema } = await createGeneration(pool);
  let events = 0;
  let after: Position | undefined;

  const applyPages = async (client: PoolClient, phase: 'facts' | 'switching'): Promise<void> => {
    const read = (from: Position | undefined) => store.readAll({ after: from, limit: batchSize });
    let page: RecordedEvent[] = await read(after);
    while (page.length > 0) {
      const last = page[page.length - 1].position;
      const next = read(last); // read ahead: the database reads the next page while it writes this one
      next.catch(() => undefined); // awaited below; a failure of the write first must not leave it unhandled
      if (phase === 'facts') await client.query('BEGIN');
      // A poison event is quarantined as the live projector does, never the end of the rebuild.
      await applyBatchIsolating(client, schema, page, { timelines: phase !== 'facts' });
      if (phase === 'facts') await client.query('COMMIT');
      after = last;
      events += page.length;
      options.onProgress?.({ events, schema, phase });
      page = await next;
    }
  };

  const client = await pool.connect();
  // audit_events' indexes, built on a connection of their own while the timelines are projected.
  let auditIndexes: Promise<void> | undefined;
  try {
    // Read models are derived: a commit lost to a crash is rebuilt, so this session need not wait for each flush.
    await client.query('SET synchronous_commit = off');
    // Bulk loads: secondary indexes are built once, after their table's load (deferred-indexes.ts), and the
    // timeline's no-overlap triggers are off while the timeline phase writes the rows it has checked (no-overlap.ts).
    const deferredAudit = await dropSecondaryIndexes(client, schema, ['audit_events']);
    const deferred = await dropSecondaryIndexes(client, schema, ['organization_timeline', 'union_memberships']);
    await setNoOverlapTriggers(client, schema, false);
    await setAutovacuum(client, schema, false);
    const factsInDatabase = options.factsInDatabase !== false && (await logIsInDatabase(pool, store));
    // What the facts phase inside PostgreSQL leaves of the audit trail to finish before the switch (its key, its links).
    let beforeSwitch: string[] = [];
    await timed('facts', async () => {
      if (!factsInDatabase) return applyPages(client, 'facts');
      ({ after, events, beforeSwitch } = await loadFactsInDatabase(pool, client, schema, {
        chunkSize: options.factsChunkSize,
        onProgress: (done) => options.onProgress?.({ events: done, schema, phase: 'facts' }),
      }));
    });
    // The facts phase wrote every audit row (the timeline phase writes none): its indexes are built now, on a
    // connection of their own, on the CPU the timeline phase leaves idle (about a quarter of it, vmstat).
    auditIndexes = onOwnConnection(pool, [...beforeSwitch, ...deferredAudit]);
    auditIndexes.catch(() => undefined); // awaited after the timelines; a failure before that must not go unhandled
    const { threads: timelineThreads } = await timed('timelines', () =>
      projectAllTimelines(pool, client, schema, {
        organizationsPerChunk,
        timelineWorkers,
        onProgress: (organizations, organizationsTotal) => options.onProgress?.({ events, schema, phase: 'timelines', organizations, organizationsTotal }),
        alterFoldedRows: options.alterFoldedRows,
        threads: options.timelineThreads,
      }),
    );
    options.onProgress?.({ events, schema, phase: 'indexes' });
    // Longest first, so that the two connections finish together: GiST indexes (if the schema has any), then the
    // indexes of every row, then the partial ones (national log: 4.5 and 3.4 s for the timeline's two of every
    // row, 3.9 and 2.2 s for its two of rows known now; in the order PostgreSQL lists them, 8.4 s instead of 7.3).
    const cost = (statement: string) => (/USING gist/i.test(statement) ? 0 : / WHERE /i.test(statement) ? 2 : 1);
    const ordered = [...deferred].sort((a, b) => cost(a) - cost(b));
    await timed('indexes', async () => {
      await onTwoConnections(pool, client, ordered);
      await auditIndexes;
    });
    // No check of the whole table here: the timeline phase checked every row it wrote, organization by
    // organization, before writing it (timeline-phase.ts). The rows the switch applies below go the
    // live way (applyBatchIsolating with the timelines), checked by the triggers turned on now.
    await setNoOverlapTriggers(client, schema, true);
    // Fresh tables have no statistics until autovacuum gets to them: without these the planner takes a
    // province's rows for a handful and picks nested loops, several times slower for a long series.
    // VACUUM also marks the pages all-visible, which lets progress read the covering index alone.
    const visibility = await timed('vacuum', async () => {
      await onTwoConnections(pool, client, [
        `VACUUM (ANALYZE) ${schemaIdentifier(schema)}.organization_timeline`,
        `VACUUM (ANALYZE) ${schemaIdentifier(schema)}.union_memberships`,
      ]);
      return vacuumUntilAllVisible(client, schema, ['organization_timeline', 'union_memberships']);
    });
    const switchStarted = Date.now();
    await client.query('BEGIN');
    await client.query('LOCK TABLE read_model_generations IN EXCLUSIVE MODE');
    await applyPages(client, 'switching');
    const { rows } = await client.query<{ schema_name: string }>(
      `UPDATE read_model_generations SET state = 'retired' WHERE state = 'active' RETURNING schema_name`,
    );
    await client.query(`UPDATE read_model_generations SET state = 'active', activated_at = now() WHERE generation = $1`, [generation]);
    await setAutovacuum(client, schema, true);
    await client.query('SELECT pg_notify($1, $2)', [CHECKPOINT_CHANNEL, schema]); // readers waiting on minPosition look again
    await client.query('COMMIT');
    await dropOlderGenerations(client, rows[0]?.schema_name ?? null);
    phases.switch = (Date.now() - switchStarted) / 1000;
    options.onProgress?.({ events, schema, phase: 'done' });
    return { generation, schema, retired: rows[0]?.schema_name ?? null, events, seconds: (Date.now() - started) / 1000, phases, factsInDatabase, timelineThreads, visibility };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    await auditIndexes?.catch(() => undefined); // its connection is back in the pool before the rebuild ends
    throw error;
  } finally {
    await releaseToPool(client);
  }
}

async function createGeneration(pool: Pool): Promise<{ generation: number; schema: string }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('LOCK TABLE read_model_generations IN EXCLUSIVE MODE');
    const { rows } = await client.query<{ building: string | null; next: number }>(
      `SELECT max(schema_name) FILTER (WHERE state = 'building') AS building, coalesce(max(generation), 0) + 1 AS next
         FROM read_model_generations`,
    );
    if (rows[0].building) {
      // A rebuild that died half-way: its schema is abandoned and replaced.
      await client.query(`DROP SCHEMA ${schemaIdentifier(rows[0].building)} CASCADE`);
      await client.query(`UPDATE read_model_generations SET state = 'retired' WHERE state = 'building'`);
    }
    const generation = rows[0].next;
    const schema = `rm_${generation}`;
    await client.query('SELECT ktt_create_read_models($1)', [schema]);
    await client.query(`INSERT INTO read_model_generations (generation, schema_name, state) VALUES ($1, $2, 'building')`, [generation, schema]);
    await client.query('COMMIT');
    return { generation, schema };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function dropOlderGenerations(client: PoolClient, keep: string | null): Promise<void> {
  const { rows } = await client.query<{ schema_name: string }>(
    `SELECT schema_name FROM read_model_generations WHERE state = 'retired' AND schema_name IS DISTINCT FROM $1`,
    [keep],
  );
  for (const { schema_name } of rows) await client.query(`DROP SCHEMA IF EXISTS ${schemaIdentifier(schema_name)} CASCADE`);
}

/**
 * Runs the statements on two connections (this machine has two cores): `client` and one more from the
 * pool, each taking the next statement when it is done.
 */
async function onTwoConnections(pool: Pool, client: PoolClient, statements: string[]): Promise<void> {
  const other = await pool.connect();
  try {
    await onConnections([client, other], statements.map(runs), statements);
  } finally {
    await releaseToPool(other);
  }
}

/** Runs the statements one after the other on a connection of its own from the pool, released on every path. */
async function onOwnConnection(pool: Pool, statements: string[]): Promise<void> {
  if (statements.length === 0) return;
  const own = await pool.connect();
  try {
    await onConnections([own], statements.map(runs), statements);
  } finally {
    await releaseToPool(own);
  }
}

const runs = (statement: string) => (c: PoolClient) => c.query(statement).then(() => undefined);

/** Each connection takes the next task when it is done, with more memory for sorts (index builds) meanwhile. */
async function onConnections(connections: PoolClient[], tasks: ((c: PoolClient) => Promise<void>)[], labels?: string[]): Promise<void> {
  let next = 0;
  const work = async (c: PoolClient) => {
    // Index builds sort in maintenance_work_mem.
    await c.query(`SET maintenance_work_mem = '256MB'`);
    // One connection per core already: an index build's parallel workers only crowd the same two cores
    // (national log: the timeline's indexes 6.8–7.4 s without them, 7.8–8.3 s with PostgreSQL's default of 2).
    await c.query('SET max_parallel_maintenance_workers = 0');
    try {
      while (next < tasks.length) {
        const k = next++;
        const from = Date.now();
        await tasks[k](c);
        // KTT_REBUILD_TRACE=1: each task's seconds on stderr (the profile in bench/manual-measurements.md).
        if (process.env.KTT_REBUILD_TRACE === '1') process.stderr.write(`rebuild task: ${(Date.now() - from) / 1000} s ${labels?.[k] ?? ''}\n`);
      }
    } finally {
      await c.query('RESET maintenance_work_mem').catch(() => undefined);
      await c.query('RESET max_parallel_maintenance_workers').catch(() => undefined);
    }
  };
  // All settle before the connections go back: a failure of one must not release another mid-statement.
  const outcomes = await Promise.allSettled(connections.map(work));
  for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
}
