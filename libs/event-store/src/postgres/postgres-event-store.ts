import type { Pool, PoolClient } from 'pg';
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

export interface PostgresEventStoreOptions {
  pool: Pool;
  /** Connection string for the LISTEN connection of live subscriptions. */
  connectionString: string;
}

export class PostgresEventStore implements EventStore {
  readonly engine = 'postgres' as const;

  constructor(private readonly options: PostgresEventStoreOptions) {}

  async append(appends: StreamAppend[]): Promise<AppendResult> {
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

  private async appendOnce(appends: StreamAppend[]): Promise<AppendResult> {
    const client = await this.connect();
    try {
      await client.query('BEGIN');
      const revisions: Record<string, number> = {};
      let last = START_CURSOR;
      for (const append of appends) {
        const current = await this.currentRevision(client, append.streamId);
        assertExpected(append.streamId, append.expectedRevision, current);
        if (append.events.length === 0) {
          revisions[append.streamId] = current ?? -1;
          continue;
        }
        const first = (current ?? -1) + 1;
        const { rows } = await client.query<{ transaction_id: string; global_position: string }>(
          `INSERT INTO events (stream_id, stream_revision, event_id, event_type, data, metadata)
           SELECT $1, first_revision + ordinality - 1, event_id, event_type, data, metadata
             FROM unnest($2::uuid[], $3::text[], $4::jsonb[], $5::jsonb[]) WITH ORDINALITY
                  AS e(event_id, event_type, data, metadata, ordinality),
                  (SELECT $6::bigint AS first_revision) f
            ORDER BY ordinality
           RETURNING transaction_id::text AS transaction_id, global_position`,
          [
            append.streamId,
            append.events.map((e) => e.metadata.eventId),
            append.events.map((e) => e.type),
            append.events.map((e) => JSON.stringify(e.data)),
            append.events.map((e) => JSON.stringify(e.metadata)),
            first,
          ],
        );
        revisions[append.streamId] = first + append.events.length - 1;
        for (const row of rows) {
          const cursor = { transactionId: BigInt(row.transaction_id), globalPosition: BigInt(row.global_position) };
          if (cursor.globalPosition > last.globalPosition) last = cursor;
        }
      }
      await client.query('COMMIT');
      if (last === START_CURSOR) {
        const head = await this.headPosition();
        return { revisions, position: head ?? encodePostgresPosition(START_CURSOR) };
      }
      return { revisions, position: encodePostgresPosition(last) };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw translatePostgresError(error, appends);
    } finally {
      client.release();
    }
  }

  private async currentRevision(client: PoolClient, streamId: string): Promise<number | null> {
    const { rows } = await client.query<{ revision: string | null }>(
      'SELECT max(stream_revision) AS revision FROM events WHERE stream_id = $1',
      [streamId],
    );
    return rows[0].revision === null ? null : Number(rows[0].revision);
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    const rows = await this.query<EventRow>(
      `SELECT ${SELECT_COLUMNS} FROM events WHERE stream_id = $1 ORDER BY stream_revision`,
      [streamId],
    );
    return rows.map(toRecordedEvent);
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

  private async connect(): Promise<PoolClient> {
    try {
      return await this.options.pool.connect();
    } catch (error) {
      throw new EventStoreUnavailableError('cannot connect to PostgreSQL', { cause: error });
    }
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

function assertExpected(streamId: string, expected: ExpectedRevision, current: number | null): void {
  if (expected === 'any') return;
  if (expected === 'no_stream' && current === null) return;
  if (expected === current) return;
  throw new WrongExpectedRevisionError(streamId, String(expected), current ?? 'no_stream');
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

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03']);

/** PostgreSQL's errors in the port's terms (style.md §8). */
export function translatePostgresError(error: unknown, appends: StreamAppend[]): unknown {
  if (error instanceof WrongExpectedRevisionError || error instanceof EventStoreUnavailableError) return error;
  const pgError = error as { code?: string; constraint?: string; detail?: string; message?: string };
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
