import { CommandHandler } from '@event-driven-io/emmett';
import {
  getPostgreSQLEventStore,
  messagesTable,
  postgreSQLProjection,
  rebuildPostgreSQLProjections,
  streamsTable,
  unknownTag,
  defaultTag,
  type PostgresEventStore,
} from '@event-driven-io/emmett-postgresql';
import { readFileSync } from 'node:fs';
import { Client, Pool } from 'pg';
import { envelope, foldRecorded, referenceAdministrativeMap, REGISTRATION_NUMBER_RESERVED, type CommandContext } from '@ktt/application';
import {
  decide,
  normalizeRegistrationNumber,
  ORGANIZATION_EVENT_SCHEMA_VERSIONS,
  organizationStreamId,
  referencedOrganizationIds,
  registrationNumberStreamId,
  todayInVietnam,
  type OrganizationCommand,
  type OrganizationHistory,
} from '@ktt/domain';
import type { EventMetadata, EventStore, Position, RecordedEvent } from '@ktt/event-store';
import { Bar } from '../progress';
import { msSince } from '../stats';
import {
  createCurrentStateTablesSql,
  CURRENT_STATE_EVENT_TYPES,
  currentStateDigest,
  currentStateStatement,
  truncateCurrentStateSql,
} from './current-state';

/**
 * The peer of the comparison: Emmett 0.42 (`@event-driven-io/emmett-postgresql`),
 * in its own database (`emmett_bench`) on the bench's PostgreSQL cluster.
 */
export const EMMETT_DATABASE = 'emmett_bench';
/**
 * The version measured: read from the installed package (package.json pins 0.42.0, the newest stable
 * release on npm, dist-tag `latest`, published 2026-02-10; checked on 2026-12-07), so the report
 * names what ran, not what a comment says.
 */
export const EMMETT_VERSION = installedVersion('@event-driven-io/emmett-postgresql');

function installedVersion(name: string): string {
  // The package's exports do not list package.json: find it through the entry point's directory.
  let dir = require.resolve(name);
  for (;;) {
    const parent = dir.slice(0, dir.lastIndexOf('/'));
    if (parent === dir || parent === '') throw new Error(`no package.json of ${name} above ${require.resolve(name)}`);
    dir = parent;
    try {
      const manifest = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === name && manifest.version) return manifest.version;
    } catch {
      // no package.json here: go up
    }
  }
}
/** The projection's tables in Emmett's database (schema `public` holds Emmett's own emt_* tables). */
export const EMMETT_PROJECTION_SCHEMA = 'peer_read';

type StoredEvent = { type: string; data: Record<string, unknown>; metadata: Record<string, unknown> };

export interface Emmett {
  url: string;
  store: PostgresEventStore;
  /** Plain pg pool on Emmett's database, for counting rows (Emmett's store uses its own pool). */
  pool: Pool;
  close(): Promise<void>;
}

/** Creates the database, Emmett's schema (its own migration) and the projection's tables. */
export async function openEmmett(adminUrl: string, ourUrl: string): Promise<Emmett> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${EMMETT_DATABASE}`);
    // Owned by our own (application) role, which then runs Emmett's migration in it.
    await admin.query(`CREATE DATABASE ${EMMETT_DATABASE} OWNER "${decodeURIComponent(new URL(ourUrl).username)}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(ourUrl);
  url.pathname = `/${EMMETT_DATABASE}`;
  // The same pool size as ours (20): 8 writers each hold a session connection and may append a reservation on another.
  const storePool = new Pool({ connectionString: url.toString(), max: 20 });
  storePool.on('error', () => undefined);
  const store = getPostgreSQLEventStore(url.toString(), { connectionOptions: { pool: storePool } });
  await store.schema.migrate();
  const pool = new Pool({ connectionString: url.toString(), max: 4 });
  pool.on('error', () => undefined);
  await pool.query(createCurrentStateTablesSql(EMMETT_PROJECTION_SCHEMA));
  return {
    url: url.toString(),
    store,
    pool,
    async close() {
      await store.close().catch(() => undefined);
      await storePool.end().catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
  };
}

export async function countEmmettEvents(emmett: Emmett): Promise<number> {
  const { rows } = await emmett.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${messagesTable.name}`);
  return rows[0].n;
}

/**
 * Copies our log into Emmett's, page by page in our global order, one
 * transaction per page: the rows `appendToStream` would write (emt_messages
 * with stream positions from 1, partition `emt:default`, schema version
 * '1', kind 'E', the metadata as given; emt_streams with the stream type
 * Emmett derives from the name and the last position), inserted by one
 * statement each, so that a national log (1 M events over 118k streams)
 * copies in minutes where one `appendToStream` per stream and page took
 * hours. Emmett's log then holds the same events, with the same data and
 * metadata (hashes included), in the same order, and its global positions
 * follow its transactions (checked by `countPositionInversions`: with
 * concurrent appends they do not, and Emmett 0.42's processors skip events).
 * The message id is our event id (Emmett draws a fresh one). Not a measured
 * figure.
 */
export async function importLog(ours: EventStore, emmett: Emmett, total: number): Promise<{ events: number; seconds: number }> {
  const bar = new Bar('copy the log into Emmett (once)', total, 'events');
  const started = process.hrtime.bigint();
  const client = await emmett.pool.connect();
  let after: Position | undefined;
  let copied = 0;
  try {
    for (;;) {
      const page = await ours.readAll({ after, limit: 10_000 });
      if (page.length === 0) break;
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO ${messagesTable.name}
           (stream_id, stream_position, partition, message_data, message_metadata, message_schema_version, message_type, message_kind, message_id, transaction_id)
         SELECT m.stream_id, m.stream_position, $1, m.data, m.metadata, '1', m.type, 'E', m.id, pg_current_xact_id()
           FROM unnest($2::text[], $3::bigint[], $4::jsonb[], $5::jsonb[], $6::text[], $7::text[]) WITH ORDINALITY
                AS m(stream_id, stream_position, data, metadata, type, id, n)
          ORDER BY m.n`,
        [
          defaultTag,
          page.map((event) => event.streamId),
          page.map((event) => event.revision + 1),
          page.map((event) => JSON.stringify(event.data)),
          page.map((event) => JSON.stringify(event.metadata)),
          page.map((event) => event.type),
          page.map((event) => event.metadata.eventId),
        ],
      );
      const lastPositions = new Map(page.map((event) => [event.streamId, event.revision + 1]));
      await client.query(
        `INSERT INTO ${streamsTable.name} (stream_id, stream_position, partition, stream_type, stream_metadata, is_archived)
         SELECT s.stream_id, s.stream_position, $1, s.stream_type, '{}', FALSE
           FROM unnest($2::text[], $3::bigint[], $4::text[]) AS s(stream_id, stream_position, stream_type)
         ON CONFLICT (stream_id, partition, is_archived) DO UPDATE SET stream_position = EXCLUDED.stream_position`,
        [defaultTag, [...lastPositions.keys()], [...lastPositions.values()], [...lastPositions.keys()].map(emmettStreamType)],
      );
      await client.query('COMMIT');
      copied += page.length;
      bar.update(copied, Math.max(total, copied));
      after = page[page.length - 1].position;
    }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  bar.stop();
  return { events: copied, seconds: msSince(started) / 1000 };
}

/** The stream type Emmett 0.42's appendToStream derives from a stream name: what precedes the first '-', if anything follows. */
function emmettStreamType(streamName: string): string {
  const [first, ...rest] = streamName.split('-');
  return first && rest.length > 0 ? first : unknownTag;
}

/** What Emmett's CommandHandler folds: the stream's events, in our RecordedEvent shape (what our domain folds). */
interface StreamState {
  events: RecordedEvent[];
}

/**
 * Our OrganizationCommandHandler.execute on Emmett: Emmett's `CommandHandler`
 * (read the stream in a session, aggregate with `evolve`, run the handler,
 * append with the expected stream version; retried on a version conflict)
 * around the same pure `decide` of @ktt/domain and the same envelope (event
 * id, recordedAt, correlation, schema version, SHA-256 hash chained to the
 * stream's previous event). A registration first appends its
 * registration-number reservation to `registration-number-<N>` (expected
 * version 0 = the stream must not exist), then the registration: two Emmett
 * appends, two transactions, because Emmett appends to one stream per call
 * (our PostgreSQL adapter writes both in one transaction; our EventStoreDB
 * adapter writes them in this order, as here). No idempotency key (as in our
 * append benchmark).
 */
export function emmettOrganizationCommands(store: PostgresEventStore) {
  const handle = CommandHandler<StreamState, StoredEvent>({
    evolve: (state, event) => {
      const metadata = event.metadata as unknown as EventMetadata;
      state.events.push({
        streamId: '',
        revision: state.events.length,
        position: '' as Position,
        type: event.type,
        data: event.data,
        metadata,
      });
      return state;
    },
    initialState: () => ({ events: [] }),
    retry: { onVersionConflict: 25 },
  });
  const schemaVersions = { ...ORGANIZATION_EVENT_SCHEMA_VERSIONS, [REGISTRATION_NUMBER_RESERVED]: 1 };

  const history = async (organizationId: string): Promise<OrganizationHistory | null> => {
    const { events } = await store.readStream<StoredEvent>(organizationStreamId(organizationId));
    return foldRecorded(
      events.map((event, revision) => ({
        streamId: '',
        revision,
        position: '' as Position,
        type: event.type,
        data: event.data,
        metadata: event.metadata as unknown as EventMetadata,
      })),
    );
  };

  return {
    async execute(command: OrganizationCommand, context: CommandContext): Promise<void> {
      const streamId = organizationStreamId(command.organizationId);
      await handle(store, streamId, async (state) => {
        const folded = foldRecorded(state.events);
        const referenced = referencedOrganizationIds(command);
        const others = new Map(await Promise.all(referenced.map(async (id) => [id, await history(id)] as const)));
        const facts = decide(command, folded, { today: todayInVietnam(context.now), others, map: referenceAdministrativeMap() });
        if (command.type === 'RegisterOrganization') {
          const registrationNumber = normalizeRegistrationNumber(command.registrationNumber);
          const reservationStream = registrationNumberStreamId(registrationNumber);
          const reservation = envelope(
            reservationStream,
            undefined,
            [{ type: REGISTRATION_NUMBER_RESERVED, data: { registrationNumber, organizationId: command.organizationId } }],
            context,
            schemaVersions,
          );
          await store.appendToStream<StoredEvent>(reservationStream, reservation as unknown as StoredEvent[], { expectedStreamVersion: 0n });
        }
        return envelope(streamId, state.events.at(-1), facts, context, schemaVersions) as unknown as StoredEvent[];
      });
    },
  };
}

/**
 * Events of Emmett's log that its processors skip: Emmett 0.42 reads the log in
 * (transaction_id, global_position) order, only below the oldest running
 * transaction, but checkpoints on global_position alone and takes every event
 * at or below the checkpoint for handled (`wasMessageHandled`; the puller also
 * reads the next batch from `global_position > last`). An event whose position
 * is below that of an event of an earlier transaction (two appends running at
 * once: the later transaction took its position first) is never handled. This
 * counts exactly those events: a position below the running maximum in read
 * order.
 */
export async function countPositionInversions(emmett: Emmett): Promise<number> {
  const { rows } = await emmett.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (
       SELECT global_position,
              max(global_position) OVER (ORDER BY transaction_id, global_position ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
         FROM ${messagesTable.name}) ordered
      WHERE global_position < before`,
  );
  return rows[0].n;
}

export interface ProjectionRun {
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

/**
 * Rebuilds the current-state projection from Emmett's whole log with Emmett's
 * own machinery: `rebuildPostgreSQLProjections` (a consumer that pulls
 * batches of `batchSize` from the log, stops when none are left, truncates
 * the projection on start) running a `postgreSQLProjection` whose handler runs
 * the statement of current-state.ts for each event. Emmett's projector
 * handles each batch in one transaction and, inside it, each event on its
 * own: the handler, then the processor's checkpoint. A new processor id per
 * run, so every run starts from the beginning of the log.
 */
export async function rebuildEmmettProjection(emmett: Emmett, run: string, batchSize: number, label: string): Promise<ProjectionRun> {
  const events = await countEmmettEvents(emmett);
  const { rows } = await emmett.pool.query<{ max: string }>(`SELECT coalesce(max(global_position), 0)::text AS max FROM ${messagesTable.name}`);
  const lastPosition = Number(rows[0].max);
  const bar = new Bar(label, events, 'events');
  const schema = EMMETT_PROJECTION_SCHEMA;
  const projection = postgreSQLProjection<StoredEvent>({
    name: 'bench_current_state',
    canHandle: [...CURRENT_STATE_EVENT_TYPES],
    truncate: async (context) => {
      await context.connection.client.query(truncateCurrentStateSql(schema));
    },
    handle: async (batch, context) => {
      for (const event of batch) {
        const metadata = event.metadata as unknown as { streamPosition: bigint; globalPosition: bigint; recordedAt: string };
        const statement = currentStateStatement(schema, {
          revision: Number(metadata.streamPosition) - 1,
          type: event.type,
          data: event.data,
          recordedAt: metadata.recordedAt,
        });
        if (statement) await context.connection.client.query(statement.text, statement.values);
        // The log's positions are dense here (one writer at a time when it was copied): a fair progress measure.
        bar.update(Math.min(events, Math.round((Number(metadata.globalPosition) / Math.max(1, lastPosition)) * events)));
      }
    },
  });
  const started = process.hrtime.bigint();
  const consumer = rebuildPostgreSQLProjections<StoredEvent>({
    connectionString: emmett.url,
    projections: [{ projection, processorId: `bench_current_state_${run}` }],
    pulling: { batchSize, pullingFrequencyInMs: 0 },
  });
  await consumer.start();
  const seconds = msSince(started) / 1000;
  await consumer.close();
  bar.stop();
  return { events, seconds, eventsPerSecond: events / seconds };
}

/**
 * The control: the same current-state statements fed by our store's readAll
 * (pages of `batchSize`, one transaction per page, one checkpoint row per
 * page) into a schema of our database. Not a peer figure: it separates what
 * the projection's model costs from what feeds it.
 */
export async function rebuildControlProjection(pool: Pool, store: EventStore, schema: string, batchSize: number, total: number, label: string): Promise<ProjectionRun> {
  await pool.query(createCurrentStateTablesSql(schema));
  await pool.query(`CREATE TABLE IF NOT EXISTS "${schema}".checkpoint (id int PRIMARY KEY, position text NOT NULL)`);
  const bar = new Bar(label, total, 'events');
  const started = process.hrtime.bigint();
  const client = await pool.connect();
  let events = 0;
  try {
    await client.query('BEGIN');
    await client.query(truncateCurrentStateSql(schema));
    await client.query(`TRUNCATE "${schema}".checkpoint`);
    await client.query('COMMIT');
    let after: Position | undefined;
    for (;;) {
      const page = await store.readAll({ after, limit: batchSize });
      if (page.length === 0) break;
      await client.query('BEGIN');
      for (const event of page) {
        const statement = currentStateStatement(schema, { revision: event.revision, type: event.type, data: event.data, recordedAt: event.metadata.recordedAt });
        if (statement) await client.query(statement.text, statement.values);
      }
      after = page[page.length - 1].position;
      await client.query(
        `INSERT INTO "${schema}".checkpoint (id, position) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET position = EXCLUDED.position`,
        [after],
      );
      await client.query('COMMIT');
      events += page.length;
      bar.update(events, Math.max(total, events));
    }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  const seconds = msSince(started) / 1000;
  bar.stop();
  return { events, seconds, eventsPerSecond: events / seconds };
}

/** Whether Emmett's projection and the control hold the same rows (they read the same events). */
export async function projectionsAgree(
  emmett: Emmett,
  pool: Pool,
  controlSchema: string,
): Promise<{ agree: boolean; organizations: number; controlOrganizations: number }> {
  const peer = await currentStateDigest(emmett.pool, EMMETT_PROJECTION_SCHEMA);
  const control = await currentStateDigest(pool, controlSchema);
  return {
    agree: peer.organizations === control.organizations && peer.counts === control.counts,
    organizations: peer.organizations,
    controlOrganizations: control.organizations,
  };
}
