import type { Pool } from 'pg';
import { Client } from 'pg';
import type {
  AppendResult,
  BatchHandler,
  EventStore,
  ExpectedRevision,
  Position,
  ReadAllOptions,
  RecordedEvent,
  StreamAppend,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import { requireCanonicalStreamIds } from '../canonical-stream-ids';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../errors';
import {
  comparePostgresPositions,
  decodePostgresPosition,
  encodePostgresPosition,
  START_CURSOR,
} from './postgres-position';
import { startPollingSubscription } from './postgres-subscription';

interface EventRow {
  stream_id: string;
  stream_revision: string;
  xid_text: string;
  global_position: string;
  event_type: string;
  data: Record<string, unknown>;
  metadata: RecordedEvent['metadata'];
}

// The xid travels as text (`xid_text`): an output column named `transaction_id` would be what
// ORDER BY transaction_id sorts by, as text, and '1000' sorts before '999'.
const SELECT_COLUMNS = 'stream_id, stream_revision, transaction_id::text AS xid_text, global_position, event_type, data, metadata';

/** How often a conflicting `any` append is retried before giving up. */
const ANY_REVISION_ATTEMPTS = 10;

/** Appends per group commit at most (each is a subtransaction; PostgreSQL caches 64 per backend). */
const MAX_BATCH = 32;

export interface PostgresEventStoreOptions {
  pool: Pool;
  /** Connection string for the LISTEN connection of live subscriptions. */
  connectionString: string;
  /**
   * Group commit (default true): appends that arrive while one is being written wait for it and
   * then go together, in one statement and one transaction (ktt_append_batch, migration
   * 1733720000000), each judged on its own expected revision; each caller is answered once that
   * transaction has committed. false: every append is its own transaction.
   */
  groupCommit?: boolean;
}

interface PendingAppend {
  appends: StreamAppend[];
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

export class PostgresEventStore implements EventStore {
  readonly engine = 'postgres' as const;
  private readonly waiting: PendingAppend[] = [];
  private writing = false;

  constructor(private readonly options: PostgresEventStoreOptions) {}

  async append(appends: StreamAppend[]): Promise<AppendResult> {
    requireCanonicalStreamIds(appends);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.appendOnce(appends);
      } catch (error) {
        // `any` promises no check, so a race on the next revision is retried rather than reported.
        const retryable =
          error instanceof WrongExpectedRevisionError &&
          appends.find((a) => a.streamId === error.streamId)?.expectedRevision === 'any';
        if (!retryable || attempt >= ANY_REVISION_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * With group commit, one write at a time: an append arriving while the store writes waits for
   * that write and goes with every other one that arrived meanwhile (no timer: a lone writer
   * never waits). Commits of appends from one process then share a WAL flush and a NOTIFY.
   */
  private appendOnce(appends: StreamAppend[]): Promise<AppendResult> {
    if (this.options.groupCommit === false) return this.appendAlone(appends);
    return new Promise<AppendResult>((resolve, reject) => {
      this.waiting.push({ appends, resolve, reject });
      this.writeWaiting();
    });
  }

  private writeWaiting(): void {
    if (this.writing || this.waiting.length === 0) return;
    this.writing = true;
    const batch = this.waiting.splice(0, MAX_BATCH);
    const written = batch.length === 1 ? this.writeAlone(batch[0]!) : this.writeBatch(batch);
    void written.finally(() => {
      this.writing = false;
      this.writeWaiting();
    });
  }

  private async writeAlone(pending: PendingAppend): Promise<void> {
    try {
      pending.resolve(await this.appendAlone(pending.appends));
    } catch (error) {
      pending.reject(error);
    }
  }

  /** One statement (ktt_append_events, migration 1732800000000): the checks and inserts of every stream, atomically. */
  private async appendAlone(appends: StreamAppend[]): Promise<AppendResult> {
    const { streamIds, expected, events } = appendArguments([appends]);
    let rows: AppendedRow[];
    try {
      ({ rows } = await this.options.pool.query<AppendedRow>(
        'SELECT stream_id, stream_revision, xid_text, global_position FROM ktt_append_events($1, $2, $3, $4, $5, $6, $7)',
        [streamIds, expected, ...events],
      ));
    } catch (error) {
      throw translatePostgresError(error, appends);
    }
    return this.appendResult(rows);
  }

  /** Several appends in one statement, so one transaction (ktt_append_batch): each answered on its own. */
  private async writeBatch(batch: PendingAppend[]): Promise<void> {
    const { streamCounts, eventCounts, streamIds, expected, events } = appendArguments(batch.map((pending) => pending.appends));
    let rows: BatchRow[];
    try {
      ({ rows } = await this.options.pool.query<BatchRow>(
        `SELECT append_index, stream_id, stream_revision, xid_text, global_position, error_code, error_message, error_detail, error_hint, error_constraint
           FROM ktt_append_batch($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [streamCounts, eventCounts, streamIds, expected, ...events],
      ));
    } catch (error) {
      // The statement failed as a whole (an outage, say): each caller hears it as it would alone.
      for (const pending of batch) pending.reject(translatePostgresError(error, pending.appends));
      return;
    }
    const rowsOf = batch.map((): AppendedRow[] => []);
    const failures = new Map<number, BatchRow>();
    for (const row of rows) {
      if (row.error_code !== null) failures.set(row.append_index - 1, row);
      else rowsOf[row.append_index - 1]!.push(row);
    }
    // The query has answered, so the transaction has committed: every caller may now be answered.
    await Promise.all(
      batch.map(async (pending, index) => {
        const failure = failures.get(index);
        if (failure) return pending.reject(translatePostgresError(batchError(failure), pending.appends));
        try {
          pending.resolve(await this.appendResult(rowsOf[index]!));
        } catch (error) {
          pending.reject(error);
        }
      }),
    );
  }

  private async appendResult(rows: AppendedRow[]): Promise<AppendResult> {
    const revisions: Record<string, number> = {};
    let last = START_CURSOR;
    for (const row of rows) {
      revisions[row.stream_id] = Math.max(revisions[row.stream_id] ?? -1, Number(row.stream_revision));
      if (row.xid_text === null || row.global_position === null) continue;
      const cursor = { transactionId: BigInt(row.xid_text), globalPosition: BigInt(row.global_position) };
      if (cursor.globalPosition > last.globalPosition) last = cursor;
    }
    if (last === START_CURSOR) {
      const head = await this.headPosition();
      return { revisions, position: head ?? encodePostgresPosition(START_CURSOR) };
    }
    return { revisions, position: encodePostgresPosition(last) };
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    const rows = await this.query<EventRow>(
      `SELECT ${SELECT_COLUMNS} FROM events WHERE stream_id = $1 ORDER BY stream_revision`,
      [streamId],
    );
    return rows.map(toRecordedEvent);
  }

  /** One statement for every stream (a command reads its organization and the administrative map together). */
  async readStreams(streamIds: string[]): Promise<RecordedEvent[][]> {
    // One index scan per stream (LATERAL): with `stream_id = ANY($1)` the planner's estimate on the national
    // log chose a plan costing about 1.3 ms of PostgreSQL CPU instead of 0.2 (bench/manual-measurements.md).
    const rows = await this.query<EventRow>(
      `SELECT e.* FROM unnest($1::text[]) WITH ORDINALITY AS s(id, n)
         CROSS JOIN LATERAL (SELECT ${SELECT_COLUMNS} FROM events WHERE stream_id = s.id ORDER BY stream_revision) e
        ORDER BY s.n, e.stream_revision`,
      [[...new Set(streamIds)]],
    );
    const byStream = new Map<string, RecordedEvent[]>(streamIds.map((id) => [id, []]));
    for (const row of rows) byStream.get(row.stream_id)?.push(toRecordedEvent(row));
    return streamIds.map((id) => byStream.get(id)!);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ? decodePostgresPosition(options.after) : START_CURSOR;
    const prefixes = options.streamPrefixes ?? null;
    // Only transactions below the oldest one still running: their order is final (no late commit can come before them).
    const rows = await this.query<EventRow>(
      `SELECT ${SELECT_COLUMNS} FROM events
        WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
          AND ($3::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest($3::text[]) p WHERE starts_with(stream_id, p)))
        ORDER BY events.transaction_id, events.global_position
        LIMIT $4`,
      [after.transactionId.toString(), after.globalPosition.toString(), prefixes, options.limit ?? 1000],
    );
    return rows.map(toRecordedEvent);
  }

  subscribe(handler: BatchHandler, options: SubscribeOptions = {}): Subscription {
    return startPollingSubscription({
      read: (after, limit) => this.readAll({ after, limit, streamPrefixes: options.streamPrefixes }),
      listen: () => this.listen(),
      handler,
      after: options.after,
      batchSize: options.batchSize ?? 500,
    });
  }

  async headPosition(): Promise<Position | null> {
    const rows = await this.query<{ xid_text: string; global_position: string }>(
      `SELECT transaction_id::text AS xid_text, global_position FROM events
        ORDER BY events.transaction_id DESC, events.global_position DESC LIMIT 1`,
    );
    if (rows.length === 0) return null;
    return encodePostgresPosition({
      transactionId: BigInt(rows[0].xid_text),
      globalPosition: BigInt(rows[0].global_position),
    });
  }

  comparePositions(a: Position, b: Position): number {
    return comparePostgresPositions(a, b);
  }

  async close(): Promise<void> {
    // The pool belongs to whoever created it (shared with the read models).
  }

  /** A dedicated connection that LISTENs for appends; resolves `wait()` on each notification. */
  private async listen(): Promise<{ wait(ms: number): Promise<void>; close(): Promise<void> }> {
    const client = new Client({ connectionString: this.options.connectionString });
    let wake: (() => void) | null = null;
    client.on('notification', () => wake?.());
    client.on('error', () => wake?.()); // the polling fallback keeps going; the read will report the outage
    try {
      await client.connect();
      await client.query('LISTEN events_appended');
    } catch (error) {
      await client.end().catch(() => undefined);
      throw new EventStoreUnavailableError('cannot LISTEN for appended events', { cause: error });
    }
    return {
      wait: (ms) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(done, ms);
          function done() {
            clearTimeout(timer);
            wake = null;
            resolve();
          }
          wake = done;
        }),
      close: () => client.end().catch(() => undefined),
    };
  }

  private async query<Row extends object>(sql: string, params: unknown[] = []): Promise<Row[]> {
    try {
      const result = await this.options.pool.query<Row>(sql, params);
      return result.rows;
    } catch (error) {
      throw translatePostgresError(error, []);
    }
  }
}

/** The expected revision as ktt_append_events takes it: -1 no stream, -2 any, n exactly n. */
function encodeExpected(expected: ExpectedRevision): number {
  if (expected === 'no_stream') return -1;
  if (expected === 'any') return -2;
  return expected;
}

interface AppendedRow {
  stream_id: string;
  stream_revision: string;
  xid_text: string | null;
  global_position: string | null;
}

/** A row of ktt_append_batch: an appended event (or an empty stream's revision), or a failed append's error. */
interface BatchRow extends AppendedRow {
  append_index: number;
  error_code: string | null;
  error_message: string | null;
  error_detail: string | null;
  error_hint: string | null;
  error_constraint: string | null;
}

/** The arguments of ktt_append_events (one append) or ktt_append_batch (several): streams and events concatenated. */
function appendArguments(batch: StreamAppend[][]) {
  const streamCounts: number[] = [];
  const eventCounts: number[] = [];
  const streamIds: string[] = [];
  const expected: number[] = [];
  const eventStreams: number[] = [];
  const eventIds: string[] = [];
  const types: string[] = [];
  const data: string[] = [];
  const metadata: string[] = [];
  for (const appends of batch) {
    streamCounts.push(appends.length);
    eventCounts.push(appends.reduce((sum, append) => sum + append.events.length, 0));
    appends.forEach((append, index) => {
      streamIds.push(append.streamId);
      expected.push(encodeExpected(append.expectedRevision));
      for (const event of append.events) {
        // The index of the event's stream within its own append (1-based).
        eventStreams.push(index + 1);
        eventIds.push(event.metadata.eventId);
        types.push(event.type);
        data.push(JSON.stringify(event.data));
        metadata.push(JSON.stringify(event.metadata));
      }
    });
  }
  return { streamCounts, eventCounts, streamIds, expected, events: [eventStreams, eventIds, types, data, metadata] as const };
}

/** A failed append of a batch as the error PostgreSQL would have raised had it been written alone. */
function batchError(row: BatchRow): Error {
  return Object.assign(new Error(row.error_message ?? 'append failed'), {
    code: row.error_code ?? undefined,
    detail: row.error_detail || undefined,
    hint: row.error_hint || undefined,
    constraint: row.error_constraint || undefined,
  });
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    streamId: row.stream_id,
    revision: Number(row.stream_revision),
    position: encodePostgresPosition({
      transactionId: BigInt(row.xid_text),
      globalPosition: BigInt(row.global_position),
    }),
    type: row.event_type,
    data: row.data,
    metadata: row.metadata,
  };
}

// 53300: too many connections (max_connections, a role's or database's limit): unavailable for now, not a bug.
const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '53300', '57P01', '57P02', '57P03']);

/** PostgreSQL's errors in the port's terms (style.md §8). */
export function translatePostgresError(error: unknown, appends: StreamAppend[]): unknown {
  if (error instanceof WrongExpectedRevisionError || error instanceof EventStoreUnavailableError) return error;
  const pgError = error as { code?: string; constraint?: string; detail?: string; hint?: string; message?: string };
  if (pgError.code === 'KT001') {
    // ktt_append_events found a stream at another revision than expected.
    const append = appends.find((a) => a.streamId === pgError.detail);
    const actual = pgError.hint === 'no_stream' ? 'no_stream' : Number(pgError.hint);
    return new WrongExpectedRevisionError(pgError.detail ?? 'unknown', String(append?.expectedRevision), actual, { cause: error });
  }
  if (pgError.code === '23505' && pgError.constraint === 'events_stream_revision_key') {
    // Another writer took the revision between our check and our insert.
    const streamId = /\(stream_id, stream_revision\)=\((.*), \d+\)/.exec(pgError.detail ?? '')?.[1];
    const append = appends.find((a) => a.streamId === streamId) ?? appends[0];
    return new WrongExpectedRevisionError(append?.streamId ?? 'unknown', String(append?.expectedRevision), 'unknown', {
      cause: error,
    });
  }
  const code = pgError.code ?? '';
  if (CONNECTION_ERROR_CODES.has(code) || code.startsWith('08') || /Connection terminated|timeout exceeded when trying to connect|not queryable/i.test(pgError.message ?? '')) {
    return new EventStoreUnavailableError('PostgreSQL is unavailable', { cause: error });
  }
  return error;
}
