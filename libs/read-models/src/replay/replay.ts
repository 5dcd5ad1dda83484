import type { Pool } from 'pg';
import type { EventStore, Position, RecordedEvent } from '@ktt/event-store';
import { schemaIdentifier } from '../generations';
import { applyBatchIsolating } from '../projector/quarantine';

/** Where a replay stops: at a position of the log (inclusive), or before the first event recorded after a moment. */
export type ReplayUntil = { position: string } | { recordedAt: string };

export interface ReplayProgress {
  events: number;
  schema: string;
  done: boolean;
}

export interface ReplayOptions {
  until: ReplayUntil;
  /** The schema is `replay_<into>`; `[a-z0-9_]{1,40}`. */
  into: string;
  /** Drop an existing `replay_<into>` first (otherwise it is refused). */
  replace?: boolean;
  batchSize?: number;
  onProgress?: (progress: ReplayProgress) => void;
}

export interface ReplayResult {
  schema: string;
  events: number;
  /** Position of the last event applied; null when none was. */
  lastPosition: string | null;
  seconds: number;
}

export class ReplayRefusedError extends Error {}

const REPLAY_NAME = /^[a-z0-9_]{1,40}$/;

/** `until` from the command line: a moment (ISO-8601 with time and offset), else a position of this store. */
export function parseReplayUntil(store: EventStore, value: string): ReplayUntil {
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    if (!/T\d{2}:\d{2}.*(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
      throw new ReplayRefusedError(`--until ${value}: a timestamp needs its time and offset, e.g. 2025-06-30T17:00:00Z`);
    }
    return { recordedAt: new Date(value).toISOString() };
  }
  try {
    store.comparePositions(value as Position, value as Position);
  } catch {
    throw new ReplayRefusedError(`--until ${value}: neither a timestamp nor a position of the ${store.engine} event store`);
  }
  return { position: value };
}

/**
 * The read models as they were at a point of the log, in their own schema
 * (`replay_<name>`), next to today's: the same `applyBatchIsolating` as the projector,
 * over the log up to that point. Short transactions, one per page, like a
 * rebuild (a long one would hold back every reader of the log). A replay is
 * never a generation: `read_model_generations` is not touched (its CHECK
 * refuses the name anyway), so no rebuild drops it and no query serves it.
 *
 * "As it was" is the log order: stopping at a position keeps exactly the
 * events the projector had applied when that position was its checkpoint;
 * stopping at a moment ends at the first event recorded after it.
 */
export async function replayReadModels(pool: Pool, store: EventStore, options: ReplayOptions): Promise<ReplayResult> {
  const started = Date.now();
  if (!REPLAY_NAME.test(options.into)) throw new ReplayRefusedError(`--into ${options.into}: use 1 to 40 of a-z, 0-9 and _`);
  const schema = `replay_${options.into}`;
  const quotedSchema = schemaIdentifier(schema);
  const stopsBefore = stopCondition(store, options.until);

  const { rows: existing } = await pool.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  if (existing.length > 0 && !options.replace) {
    throw new ReplayRefusedError(`${schema} exists already: choose another name, or --replace to drop and rebuild it`);
  }
  if (existing.length > 0) await pool.query(`DROP SCHEMA ${quotedSchema} CASCADE`);
  // CREATE SCHEMA fails if another replay created the same one meanwhile: nothing of theirs is touched.
  await pool.query('SELECT ktt_create_read_models($1)', [schema]);

  const batchSize = options.batchSize ?? 2000;
  let events = 0;
  let after: Position | undefined;
  let lastPosition: string | null = null;
  const client = await pool.connect();
  try {
    for (;;) {
      const page: RecordedEvent[] = await store.readAll({ after, limit: batchSize });
      if (page.length === 0) break;
      const end = page.findIndex(stopsBefore);
      const applied = end === -1 ? page : page.slice(0, end);
      if (applied.length > 0) {
        await client.query('BEGIN');
        await applyBatchIsolating(client, schema, applied); // a poison event is quarantined in the replay too, as live
        await client.query('COMMIT');
        events += applied.length;
        lastPosition = applied[applied.length - 1].position;
        options.onProgress?.({ events, schema, done: false });
      }
      if (end !== -1) break;
      after = page[page.length - 1].position;
    }
    // What the schema holds, for whoever finds it later (`\dn+` in psql); set last, so it also marks a finished replay.
    const until = 'position' in options.until ? `position ${options.until.position}` : `recorded at ${options.until.recordedAt}`;
    await client.query(`COMMENT ON SCHEMA ${quotedSchema} IS ${quoteLiteral(`read models replayed until ${until}: ${events} events, finished ${new Date().toISOString()}`)}`);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  options.onProgress?.({ events, schema, done: true });
  return { schema, events, lastPosition, seconds: (Date.now() - started) / 1000 };
}

/** True for the first event that is past the point (it and everything after stay out). */
function stopCondition(store: EventStore, until: ReplayUntil): (event: RecordedEvent) => boolean {
  if ('position' in until) {
    const position = until.position as Position;
    return (event) => store.comparePositions(event.position, position) > 0;
  }
  const moment = Date.parse(until.recordedAt);
  if (Number.isNaN(moment)) throw new ReplayRefusedError(`not a timestamp: ${until.recordedAt}`);
  return (event) => Date.parse(event.metadata.recordedAt) > moment;
}

/** COMMENT takes no parameters; the text is ours (a position or an ISO time), quoted all the same. */
function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** What the cli prints at the end: how to read a replay next to today's read models. */
export function replayQueryHints(schema: string): string {
  return [
    `query it next to today's read models (schema ${schema}; the active generation is in read_model_generations):`,
    `  SELECT organization_id, name, status, valid FROM ${schema}.organization_timeline WHERE upper_inf(known) AND valid @> DATE '2024-12-31' AND province_code = '91';`,
    `  SELECT event_type, count(*) FROM ${schema}.audit_events GROUP BY 1 ORDER BY 2 DESC;`,
    `  SELECT position, events_applied FROM ${schema}.projection_checkpoints;`,
    `drop it when done: DROP SCHEMA ${schema} CASCADE;`,
  ].join('\n');
}
