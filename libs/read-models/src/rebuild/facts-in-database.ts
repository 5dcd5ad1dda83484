import type { Pool, PoolClient } from 'pg';
import { ORGANIZATION_EVENT_SCHEMA_VERSIONS } from '@ktt/domain';
import { encodePostgresPosition, type EventStore, type Position, type RecordedEvent } from '@ktt/event-store';
import { schemaIdentifier } from '../generations';
import { applyBatchIsolating } from '../projector/quarantine';
import { PROJECTION } from '../projector/apply-batch';
import { releaseToPool } from './pooled-connection';
import { dropUniqueIndexes, type DeferredKey } from './deferred-keys';

/**
 * The rebuild's first phase inside PostgreSQL, when the log is the PostgreSQL
 * event store's `events` table in the rebuild's own database: each chunk of
 * the log becomes facts, plan facts and audit rows with a few set-based
 * `INSERT … SELECT` statements, instead of every page travelling to Node,
 * being parsed, upcast and sent back (80 s of a 204 s national rebuild,
 * bench/manual-measurements.md).
 *
 * The rows are those the Node path (applyBatchIsolating with `timelines:
 * false`) writes. Only events this SQL can take exactly go this way: an event
 * in the current schema version of its type (no upcaster to run), in a
 * canonical stream, whose values all cast (its recorded time, effective date,
 * retracted event id, revision). Every other event, every later event of its
 * stream in the chunk, and every event of a stream already quarantined go
 * through the Node path, event by event in log order, with the checkpoint's
 * count set to the events before each so the audit trail's `sequence` (the
 * event's place in the log) is the same; a poison event is quarantined there
 * as before and never ends the rebuild.
 *
 * Each chunk is one short transaction (a long one would hold back every
 * reader of the log: they read below the oldest running transaction).
 */

/** Whether the store's log is the `events` table the pool reads (the embedded default), checked by their heads. */
export async function logIsInDatabase(pool: Pool, store: EventStore): Promise<boolean> {
  if (store.engine !== 'postgres') return false;
  const { rows } = await pool.query<{ present: boolean }>(`SELECT to_regclass('public.events') IS NOT NULL AS present`);
  if (!rows[0].present) return false;
  const { rows: head } = await pool.query<{ head: string }>(
    `SELECT transaction_id::text || '.' || global_position::text AS head FROM public.events
      ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
  );
  return (head[0]?.head ?? null) === ((await store.headPosition()) ?? null);
}

/** The canonical UUIDs that have no RFC 9562 version (isCanonicalUuid accepts them). */
const NIL_AND_MAX = `('organization-00000000-0000-0000-0000-000000000000', 'organization-ffffffff-ffff-ffff-ffff-ffffffffffff')`;

/**
 * An organization event's stream id `organization-<id>` names its organization by a UUID in canonical
 * form (isCanonicalUuid): 32 lower-case hex digits in groups 8-4-4-4-12, RFC 9562 version 1–8 and
 * variant, or Nil or Max. The id is a UUID PostgreSQL reads (pg_input_is_valid, so the cast cannot
 * fail) and written back exactly as uuid_out writes it (lower case, hyphens in place), and
 * uuid_extract_version answers 1–8 (it is NULL for any other variant). About 1 µs a row, where a
 * translate()/substr() test cost 5 and a regex 20 (bench/manual-measurements.md); NULL when not a UUID.
 */
export const CANONICAL_ORGANIZATION_STREAM = `CASE WHEN pg_input_is_valid(substr(e.stream_id, 14), 'uuid')
  THEN 'organization-' || substr(e.stream_id, 14)::uuid::text = e.stream_id
   AND (uuid_extract_version(substr(e.stream_id, 14)::uuid) BETWEEN 1 AND 8 OR e.stream_id IN ${NIL_AND_MAX}) END`;

/** A JSON value as the Node path's `text()` takes it: a non-empty string, else NULL. */
const text = (json: string) => `nullif(CASE WHEN jsonb_typeof(${json}) = 'string' THEN ${json} #>> '{}' END, '')`;

/** `text(field)` is NULL or casts to `type` (tried with JSON_VALUE … RETURNING: NULL on error). */
const absentOrCasts = (field: string, type: string) =>
  `(CASE WHEN jsonb_typeof(e.data->'${field}') = 'string' THEN e.data->>'${field}' = '' OR JSON_VALUE(e.data, '$.${field}' RETURNING ${type}) IS NOT NULL ELSE true END)`;

const IS_ORGANIZATION = `starts_with(e.stream_id, 'organization-')`;
const IS_PLAN = `starts_with(e.stream_id, 'plan-')`;

const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * Events the SQL below writes exactly as the Node path would, and without an error, given the current
 * schema version of each organization event type (no upcaster to run). NULL-safe: anything unexpected
 * is false. A value that must cast is tried with JSON_VALUE … RETURNING (the type's own input function,
 * NULL on error: what the Node path's parameter would go through), twice as fast as pg_input_is_valid
 * there. The versions are written into the statement as a CASE (half the cost of a jsonb look-up a row).
 * Exported for its spec, which holds it to the earlier form on crafted events.
 */
export function sqlSafe(versions: Readonly<Record<string, number>>): string {
  const versionMatches = `CASE e.event_type ${Object.entries(versions)
    .map(([type, version]) => `WHEN ${literal(type)} THEN e.metadata->'schemaVersion' = ${literal(JSON.stringify(version))}::jsonb`)
    .join(' ')} ELSE true END`;
  return `coalesce(
  (e.metadata->>'eventId') = e.event_id::text
  AND jsonb_typeof(e.metadata->'recordedAt') = 'string' AND JSON_VALUE(e.metadata, '$.recordedAt' RETURNING timestamptz) IS NOT NULL
  AND jsonb_typeof(e.metadata->'recordedBy') = 'string'
  AND e.stream_revision <= 2147483647
  AND ${absentOrCasts('effectiveOn', 'date')}
  AND (e.event_type <> 'RecordCorrected' OR ${absentOrCasts('retractedEventId', 'uuid')})
  AND (NOT ${IS_ORGANIZATION} OR (${CANONICAL_ORGANIZATION_STREAM} AND ${versionMatches})),
  false)`;
}

const SQL_SAFE = sqlSafe(ORGANIZATION_EVENT_SCHEMA_VERSIONS);

/** The events of the chunk after ($1, $2) up to ($3, $4). */
const IN_CHUNK = `(e.transaction_id, e.global_position) > ($1::text::xid8, $2::bigint) AND (e.transaction_id, e.global_position) <= ($3::text::xid8, $4::bigint)`;

/** The SQL path's events of the chunk: organization or plan events not among the Node path's ($5, which holds every unsafe one). */
const SQL_PATH = `e.global_position <> ALL($5::bigint[])`;

interface NodeRow {
  stream_id: string;
  stream_revision: string;
  xid_text: string;
  global_position: string;
  event_type: string;
  data: Record<string, unknown>;
  metadata: RecordedEvent['metadata'];
  ord: string;
}

export interface FactsInDatabaseOptions {
  /** Events per chunk (one transaction each). */
  chunkSize?: number;
  onProgress?: (events: number) => void;
}

interface Chunk {
  range: string[];
  /** Events of the log before the chunk. */
  before: number;
  /** global_position of the chunk's events the Node path took. */
  nodePositions: string[];
}

/**
 * Stores the whole log (what is visible when it starts) as facts, plan facts and audit rows in `schema`,
 * moving its checkpoint; answers the last position and how many events it covered. Two connections
 * (two cores) in a pipeline: `client` stores a chunk's facts and runs its Node-path events while a
 * second connection writes the audit rows of the chunk before (they look up provinces in the facts).
 * The schema is a building generation no one reads, and a rebuild that dies is started again from
 * scratch, so the two halves of a chunk need not commit together.
 */
export async function loadFactsInDatabase(
  pool: Pool,
  client: PoolClient,
  schema: string,
  options: FactsInDatabaseOptions = {},
): Promise<{ after: Position | undefined; events: number; beforeSwitch: string[] }> {
  const chunkSize = options.chunkSize ?? 100_000;
  const quotedSchema = schemaIdentifier(schema);
  let lo: Boundary = { xid: '0', gpos: '0', n: 0 };
  let events = 0;
  // KTT_REBUILD_TRACE=1: each step's milliseconds on stderr (the profile in bench/manual-measurements.md).
  const trace = process.env.KTT_REBUILD_TRACE === '1';
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const from = Date.now();
    const result = await work();
    if (trace) process.stderr.write(`facts-in-database ${name} ${Date.now() - from} ms\n`);
    return result;
  };
  // Sorts of a chunk (the Node path's places, the auditor's seats) spilled to disk with the default 4 MB.
  await client.query(`SET work_mem = '128MB'`);
  const auditor = await pool.connect();
  let auditing: Promise<void> = Promise.resolve();
  // The unique indexes of the facts and of the audit trail are built after the load, not kept up row by row
  // (deferred-keys.ts): the facts' before the timelines read them, the trail's before the switch. The Node
  // path's ON CONFLICT and look-ups need them: the first chunk with Node-path events builds them all first.
  let pending = await dropUniqueIndexes(client, schema, ['organization_facts', 'audit_events']);
  const restore = async (keys: DeferredKey[]) => {
    for (const key of keys) for (const statement of key.restore) await timed(`key ${key.index}`, () => client.query(statement));
    pending = pending.filter((key) => !keys.includes(key));
  };
  try {
    await auditor.query('SET synchronous_commit = off');
    await auditor.query(`SET work_mem = '128MB'`);
    // Dropped below; also here, in case a connection ever came back from the pool with one.
    await auditor.query(`DROP TABLE IF EXISTS ${SEATS}`);
    await auditor.query(
      `CREATE TEMP TABLE ${SEATS} (organization_id uuid NOT NULL, revision integer NOT NULL, unit text, next integer, added_in integer NOT NULL)`,
    );
    const seats: SeatTable = { rows: 0, analyzedAt: 0, chunks: 0 };
    // The first and the last chunks are a quarter of the others: the auditor waits for the first chunk's facts, and
    // the last chunk's audit rows are written alone (each an idle core for a chunk's time otherwise).
    const taper = chunkSize % 4 === 0 ? chunkSize / 4 : chunkSize;
    const boundaries = taperedEnds(await timed('chunk-ends', () => chunkEnds(client, taper)), chunkSize, taper);
    for (const hi of boundaries) {
      const range = [lo.xid, lo.gpos, hi.xid, hi.gpos];
      await client.query('BEGIN');
      const { rows: heldRows } = await client.query<{ stream_id: string }>(`SELECT DISTINCT stream_id FROM ${quotedSchema}.quarantined_events`);
      // The Node path's events: not safe for the SQL, or after such an event in their stream, or of a held stream.
      const nodeRows = await timed('node-set', () => nodePathEvents(client, range, heldRows.map((row) => row.stream_id)));
      const chunk: Chunk = { range, before: events, nodePositions: nodeRows.map((row) => row.global_position) };
      const params = [...range, chunk.nodePositions];
      await timed('organization-facts', () =>
        client.query(
          `INSERT INTO ${quotedSchema}.organization_facts (event_id, organization_id, revision, event_type, data, recorded_at)
           SELECT e.event_id, substr(e.stream_id, 14)::uuid, e.stream_revision, e.event_type, e.data, (e.metadata->>'recordedAt')::timestamptz
             FROM public.events e WHERE ${IN_CHUNK} AND ${IS_ORGANIZATION} AND ${SQL_PATH}`,
          params,
        ),
      );
      await client.query(
        `INSERT INTO ${quotedSchema}.plan_facts (event_id, plan_id, revision, event_type, data, recorded_at)
         SELECT e.event_id, substr(e.stream_id, 6), e.stream_revision, e.event_type, e.data, (e.metadata->>'recordedAt')::timestamptz
           FROM public.events e WHERE ${IN_CHUNK} AND ${IS_PLAN} AND ${SQL_PATH}`,
        params,
      );
      if (nodeRows.length > 0 && pending.length > 0) {
        await timed('wait-for-audit', () => auditing); // the previous chunk's rows, then the keys over all of them
        await restore(pending);
      }
      await timed(`node-path(${nodeRows.length})`, () => applyOnNodePath(client, schema, nodeRows, events));
      events += hi.n - lo.n;
      await setCheckpoint(client, quotedSchema, `${hi.xid}.${hi.gpos}`, events);
      await client.query('COMMIT');
      // The audit rows of this chunk need its facts committed; the previous chunk's must be done (one chunk in flight).
      await timed('wait-for-audit', () => auditing);
      auditing = timed('audit', () => auditChunk(auditor, quotedSchema, chunk, seats));
      auditing.catch(() => undefined); // awaited on the next round or below
      lo = hi;
      options.onProgress?.(events);
    }
    // The facts' keys while the last (short) chunk's audit rows are written: the timelines read the facts by them.
    await Promise.all([auditing, restore(pending.filter((key) => key.table === 'organization_facts'))]);
  } catch (error) {
    await auditing.catch(() => undefined);
    await auditor.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.query('RESET work_mem').catch(() => undefined);
    await auditor.query('RESET work_mem').catch(() => undefined);
    await auditor.query(`DROP TABLE IF EXISTS ${SEATS}`).catch(() => undefined);
    await releaseToPool(auditor);
  }
  // What the caller runs once the load is done and before the switch: the trail's key if still to build, then
  // the links from retracted events to their corrections, over the whole trail at once (the key serves them).
  const beforeSwitch = [...pending.flatMap((key) => key.restore), linkAllCorrections(quotedSchema)];
  return { after: events > 0 ? (`${lo.xid}.${lo.gpos}` as Position) : undefined, events, beforeSwitch };
}

/**
 * The chunk's events for the Node path, whole, in log order with their place in the chunk: the first
 * unsafe event of each stream and the rest of that stream, and every event of a held stream. The
 * safety test runs on the chunk's organization and plan events alone (the others write no row), with
 * no window over the chunk: the place is counted only for the few events the Node path takes.
 */
async function nodePathEvents(client: PoolClient, range: string[], held: string[]): Promise<NodeRow[]> {
  const { rows: unsafe } = await client.query<{ stream_id: string; xid: string; gpos: string }>(
    `SELECT e.stream_id, e.transaction_id::text AS xid, e.global_position::text AS gpos
       FROM public.events e WHERE ${IN_CHUNK} AND (${IS_ORGANIZATION} OR ${IS_PLAN}) AND NOT ${SQL_SAFE}`,
    range,
  );
  const from = new Map<string, LogPlace>();
  for (const row of unsafe) {
    const place: LogPlace = [BigInt(row.xid), BigInt(row.gpos)];
    const first = from.get(row.stream_id);
    if (!first || compareLogPlaces(place, first) < 0) from.set(row.stream_id, place);
  }
  for (const stream of held) from.set(stream, [-1n, -1n]);
  if (from.size === 0) return [];
  // The place in the chunk counted over the positions alone, then the few whole events joined to it.
  const { rows } = await client.query<NodeRow>(
    `SELECT e.stream_id, e.stream_revision, e.transaction_id::text AS xid_text, e.global_position, e.event_type, e.data, e.metadata, o.ord
       FROM (SELECT e.transaction_id, e.global_position, e.stream_id, row_number() OVER (ORDER BY e.transaction_id, e.global_position) AS ord
               FROM public.events e WHERE ${IN_CHUNK}) o
       JOIN public.events e ON e.transaction_id = o.transaction_id AND e.global_position = o.global_position
      WHERE o.stream_id = ANY($5::text[]) AND (${IS_ORGANIZATION} OR ${IS_PLAN})
      ORDER BY o.ord`,
    [...range, [...from.keys()]],
  );
  return rows.filter((row) => compareLogPlaces([BigInt(row.xid_text), BigInt(row.global_position)], from.get(row.stream_id)!) >= 0);
}

/** An event's place in the log: (transaction_id, global_position). */
type LogPlace = [bigint, bigint];

function compareLogPlaces(a: LogPlace, b: LogPlace): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] === b[1] ? 0 : a[1] < b[1] ? -1 : 1;
}

/**
 * The auditor's own table of every seat fact stored so far (a registration's or relocation's unit by
 * organization and revision): the audit rows find their province in it by one hash join, instead of
 * a probe of organization_facts per row (its index walked back to the seat, ~7 µs a row).
 */
const SEATS = 'pg_temp.rebuild_seat_facts';
const SEAT_TYPES = `('OrganizationRegistered', 'OrganizationRelocated')`;

/** How many rows the auditor's seat table holds, how many it held when last analyzed, and the chunks it has seen. */
interface SeatTable {
  rows: number;
  analyzedAt: number;
  chunks: number;
}

async function auditChunk(auditor: PoolClient, quotedSchema: string, chunk: Chunk, seats: SeatTable): Promise<void> {
  const trace = process.env.KTT_REBUILD_TRACE === '1';
  let from = Date.now();
  const lap = (name: string) => {
    if (trace) process.stderr.write(`facts-in-database audit:${name} ${Date.now() - from} ms\n`);
    from = Date.now();
  };
  await auditor.query('BEGIN');
  const added = ++seats.chunks;
  // The chunk's seat facts, whichever path stored them. The SQL path stored its events' data as they are
  // (organization_id from the stream, revision, type and data unchanged): their seats are read from the
  // events themselves, along the log's index (0.2 s a chunk of 100,000 when each probed its fact).
  const { rowCount: fromEvents } = await auditor.query(
    `INSERT INTO ${SEATS} (organization_id, revision, unit, added_in)
     SELECT substr(e.stream_id, 14)::uuid, e.stream_revision::int, coalesce(e.data->>'formerProvinceCode', e.data->>'provinceCode'), $6
       FROM public.events e
      WHERE ${IN_CHUNK} AND ${IS_ORGANIZATION} AND e.event_type IN ${SEAT_TYPES} AND ${SQL_PATH}`,
    [...chunk.range, chunk.nodePositions, added],
  );
  seats.rows += fromEvents ?? 0;
  // The Node path's may have been upcast: their facts, keyed by the UUID the event's stream names and
  // the event's revision (an upcaster keeps the type). One probe of the (organization_id, revision)
  // index per seat event (LIMIT 1: the key is unique).
  if (chunk.nodePositions.length > 0) {
    const { rowCount: fromFacts } = await auditor.query(
      `INSERT INTO ${SEATS} (organization_id, revision, unit, added_in)
       SELECT f.organization_id, f.revision, f.unit, $6
         FROM public.events e
         CROSS JOIN LATERAL (
           SELECT f.organization_id, f.revision, coalesce(f.data->>'formerProvinceCode', f.data->>'provinceCode') AS unit
             FROM ${quotedSchema}.organization_facts f
            WHERE f.organization_id = CASE WHEN pg_input_is_valid(substr(e.stream_id, 14), 'uuid') THEN substr(e.stream_id, 14)::uuid END
              AND f.revision = e.stream_revision AND f.event_type IN ${SEAT_TYPES}
            LIMIT 1) f
        WHERE ${IN_CHUNK} AND ${IS_ORGANIZATION} AND e.event_type IN ${SEAT_TYPES} AND e.global_position = ANY($5::bigint[])`,
      [...chunk.range, chunk.nodePositions, added],
    );
    seats.rows += fromFacts ?? 0;
  }
  // Each seat knows the revision of its organization's next seat (null: none yet), so that the audit rows find
  // the seat in force by one hash join, without a window sorting every seat of the log at each chunk (0.1 s a
  // chunk late in a national rebuild). Only an organization that got a later seat in this chunk (a
  // relocation: revision > 0) has seats whose next changes; a registration's is null until then.
  await auditor.query(
    `UPDATE ${SEATS} s SET next = n.next
       FROM (SELECT organization_id, revision, lead(revision) OVER (PARTITION BY organization_id ORDER BY revision) AS next
               FROM ${SEATS} WHERE organization_id IN (SELECT organization_id FROM ${SEATS} WHERE added_in = $1 AND revision > 0)) n
      WHERE s.organization_id = n.organization_id AND s.revision = n.revision AND s.next IS DISTINCT FROM n.next`,
    [added],
  );
  lap('seats');
  // A temporary table has no statistics unless asked (autovacuum skips them): without, the planner took
  // it for a few rows and sorted the chunk's events by organization for a merge join. Asked again each
  // time the table has doubled: the plan depends on its size, not its contents (0.46 s in all when asked
  // at every chunk of a national rebuild).
  if (seats.rows > 2 * seats.analyzedAt) {
    await auditor.query(`ANALYZE ${SEATS}`);
    seats.analyzedAt = seats.rows;
  }
  // The chunk's events in log order (their audit `sequence`) read along the log's index, not sorted whole:
  // the planner misjudges the range's size and would sort.
  await auditor.query('SET LOCAL enable_sort = off');
  lap('analyze');
  await insertAuditRows(auditor, quotedSchema, [...chunk.range, chunk.nodePositions], chunk.before);
  lap('rows');
  await auditor.query('COMMIT');
  lap('commit');
}

/** The end of a chunk: its last event's position and how many events of the log end with it. */
interface Boundary {
  xid: string;
  gpos: string;
  n: number;
}

/**
 * The ends of every chunk, found in one pass over the positions: every `size`-th event and the last.
 * Only transactions below the oldest one running now: their order is final (as readAll reads), and
 * nothing can join them later. Events committed after this go through the rebuild's switch, the live
 * way, like every event after the facts phase.
 */
/**
 * Of the ends every `taper` events (and the last), those of chunks of `chunkSize` after a first chunk of
 * `taper`, and the ends within `taper` of the last: the first and the last chunks are short.
 */
export function taperedEnds<B extends { n: number }>(ends: B[], chunkSize: number, taper: number): B[] {
  const total = ends.at(-1)?.n ?? 0;
  return ends.filter((end) => (end.n - taper) % chunkSize === 0 || end.n >= total - taper);
}

async function chunkEnds(client: PoolClient, size: number): Promise<Boundary[]> {
  const { rows } = await client.query<{ xid: string; gpos: string; n: string }>(
    `SELECT b.transaction_id::text AS xid, b.global_position::text AS gpos, b.n
       FROM (SELECT transaction_id, global_position, row_number() OVER w AS n, lead(true) OVER w IS NULL AS last
               FROM public.events WHERE transaction_id < (SELECT pg_snapshot_xmin(pg_current_snapshot()))
             WINDOW w AS (ORDER BY transaction_id, global_position)) b
      WHERE b.n % $1 = 0 OR b.last
      ORDER BY b.n`,
    [size],
  );
  return rows.map((row) => ({ xid: row.xid, gpos: row.gpos, n: Number(row.n) }));
}

/**
 * Applies the chunk's Node-path events in log order, runs of consecutive places together, each run
 * after the checkpoint's count is set to the events before it (audit `sequence`, quarantine order).
 */
async function applyOnNodePath(client: PoolClient, schema: string, rows: NodeRow[], before: number): Promise<void> {
  const quotedSchema = schemaIdentifier(schema);
  let run: RecordedEvent[] = [];
  let runStart = 0;
  let previous = -1;
  const flush = async () => {
    if (run.length === 0) return;
    await setCheckpoint(client, quotedSchema, run[0].position, before + runStart - 1);
    await applyBatchIsolating(client, schema, run, { timelines: false });
    run = [];
  };
  for (const row of rows) {
    const ord = Number(row.ord);
    if (ord !== previous + 1 || run.length >= 1000) {
      await flush();
      runStart = ord;
    }
    previous = ord;
    run.push({
      streamId: row.stream_id,
      revision: Number(row.stream_revision),
      position: encodePostgresPosition({ transactionId: BigInt(row.xid_text), globalPosition: BigInt(row.global_position) }),
      type: row.event_type,
      data: row.data,
      metadata: row.metadata,
    });
  }
  await flush();
}

/** The audit rows of the SQL path's events, as applyAuditEvents writes them (its comments say why each value). */
async function insertAuditRows(client: PoolClient, quotedSchema: string, params: unknown[], before: number): Promise<void> {
  const seat = `e.event_type IN ('OrganizationRegistered', 'OrganizationRelocated', 'PlanAdopted')`;
  await client.query(
    `INSERT INTO ${quotedSchema}.audit_events (event_id, position, stream_id, revision, event_type, recorded_at, recorded_by,
                                      organization_id, province_code, effective_on, decision_ref, corrects_event_id, sequence, source)
     SELECT u.event_id, u.position, u.stream_id, u.revision, u.event_type, u.recorded_at, u.recorded_by, u.organization_id,
            coalesce(u.province_code, o.unit, p.data->>'provinceCode'),
            u.effective_on, u.decision_ref, u.corrects_event_id, u.sequence, u.source
       FROM (SELECT e.event_id, e.transaction_id::text || '.' || e.global_position::text AS position, e.stream_id,
                    e.stream_revision::int AS revision, e.event_type, (e.metadata->>'recordedAt')::timestamptz AS recorded_at,
                    e.metadata->>'recordedBy' AS recorded_by,
                    CASE WHEN ${IS_ORGANIZATION} THEN substr(e.stream_id, 14)::uuid END AS organization_id,
                    CASE WHEN ${IS_PLAN} THEN substr(e.stream_id, 6) END AS plan_id,
                    CASE WHEN ${seat} THEN coalesce(${text("e.data->'formerProvinceCode'")}, ${text("e.data->'provinceCode'")}) END AS province_code,
                    ${text("e.data->'effectiveOn'")}::date AS effective_on,
                    coalesce(${text("e.data->'decisionRef'")}, ${text("e.data->'replacement'->'data'->'decisionRef'")}) AS decision_ref,
                    CASE WHEN e.event_type = 'RecordCorrected' THEN ${text("e.data->'retractedEventId'")}::uuid END AS corrects_event_id,
                    ${Number(before)} + e.ord AS sequence,
                    CASE WHEN e.metadata->'source' IS NULL OR e.metadata->'source' IN ('null', 'false', '0', '""') THEN NULL ELSE e.metadata->'source' END AS source
               FROM (SELECT e.*, row_number() OVER (ORDER BY e.transaction_id, e.global_position) AS ord FROM public.events e WHERE ${IN_CHUNK}) e
              WHERE (${IS_ORGANIZATION} OR ${IS_PLAN}) AND ${SQL_PATH}
             -- OFFSET 0 keeps u a subquery: its values are computed once a row, where the planner pulled it up
             -- and computed the event's own province again in the seat join's filter (0.65 s to 0.5 s a chunk)
             OFFSET 0) u
       -- the latest seat fact before the event in its stream: the one whose next seat (if any) is not before it
       LEFT JOIN ${SEATS} o
         ON u.province_code IS NULL AND o.organization_id = u.organization_id AND o.revision < u.revision AND (o.next IS NULL OR o.next >= u.revision)
       LEFT JOIN ${quotedSchema}.plan_facts p ON p.plan_id = u.plan_id AND p.revision = 0 AND p.event_type = 'PlanAdopted'`,
    params,
  );
}

/**
 * A retracted event's row points to its correction: for each event a correction retracts, the latest
 * correction in the log (highest `sequence`) whose own row is in the trail, as applyAuditEvents links
 * them batch by batch. Once for the whole trail, after the load (the Node path's rows linked already are
 * linked again to the same correction).
 */
function linkAllCorrections(quotedSchema: string): string {
  return `UPDATE ${quotedSchema}.audit_events a SET corrected_by_event_id = c.correction
       FROM (SELECT DISTINCT ON (x.corrects_event_id) x.corrects_event_id AS retracted, x.event_id AS correction
               FROM ${quotedSchema}.audit_events x
              WHERE x.event_type = 'RecordCorrected' AND x.corrects_event_id IS NOT NULL
              ORDER BY x.corrects_event_id, x.sequence DESC) c
      WHERE a.event_id = c.retracted AND a.corrected_by_event_id IS DISTINCT FROM c.correction`;
}

async function setCheckpoint(client: PoolClient, quotedSchema: string, position: string, eventsApplied: number): Promise<void> {
  await client.query(
    `INSERT INTO ${quotedSchema}.projection_checkpoints (projection, position, events_applied, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (projection) DO UPDATE SET position = EXCLUDED.position, events_applied = EXCLUDED.events_applied, updated_at = now()`,
    [PROJECTION, position, eventsApplied],
  );
}
