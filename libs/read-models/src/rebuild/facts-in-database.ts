import type { Pool, PoolClient } from 'pg';
import { ORGANIZATION_EVENT_SCHEMA_VERSIONS } from '@ktt/domain';
import { encodePostgresPosition, type EventStore, type Position, type RecordedEvent } from '@ktt/event-store';
import { schemaIdentifier } from '../generations';
import { applyBatchIsolating } from '../projector/quarantine';
import { PROJECTION } from '../projector/apply-batch';

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

const CANONICAL_ORGANIZATION_STREAM =
  '^organization-(?:[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$';

/** A JSON value as the Node path's `text()` takes it: a non-empty string, else NULL. */
const text = (json: string) => `nullif(CASE WHEN jsonb_typeof(${json}) = 'string' THEN ${json} #>> '{}' END, '')`;

const IS_ORGANIZATION = `starts_with(e.stream_id, 'organization-')`;
const IS_PLAN = `starts_with(e.stream_id, 'plan-')`;

/**
 * Events the SQL below writes exactly as the Node path would, and without an error (`$1`: the current
 * schema version of each organization event type). NULL-safe: anything unexpected is false.
 */
const SQL_SAFE = `coalesce(
  (e.metadata->>'eventId') = e.event_id::text
  AND jsonb_typeof(e.metadata->'recordedAt') = 'string' AND pg_input_is_valid(e.metadata->>'recordedAt', 'timestamptz')
  AND jsonb_typeof(e.metadata->'recordedBy') = 'string'
  AND e.stream_revision <= 2147483647
  AND (${text("e.data->'effectiveOn'")} IS NULL OR pg_input_is_valid(e.data->>'effectiveOn', 'date'))
  AND (e.event_type <> 'RecordCorrected' OR ${text("e.data->'retractedEventId'")} IS NULL OR pg_input_is_valid(e.data->>'retractedEventId', 'uuid'))
  AND (NOT ${IS_ORGANIZATION} OR (e.stream_id ~ '${CANONICAL_ORGANIZATION_STREAM}'
       AND ($1::jsonb -> e.event_type IS NULL OR e.metadata->'schemaVersion' = $1::jsonb -> e.event_type))),
  false)`;

/** The chunk of the log after ($2, $3) up to ($4, $5), with each event's place in it. */
const CHUNK = `SELECT e.*, row_number() OVER (ORDER BY e.transaction_id, e.global_position) AS ord FROM public.events e
  WHERE (e.transaction_id, e.global_position) > ($2::text::xid8, $3::bigint)
    AND (e.transaction_id, e.global_position) <= ($4::text::xid8, $5::bigint)`;

/** Events of the chunk the SQL path writes: organization or plan events, safe, not among the Node path's ($6). */
const SQL_SET = `FROM (${CHUNK}) e WHERE (${IS_ORGANIZATION} OR ${IS_PLAN}) AND ${SQL_SAFE} AND e.global_position <> ALL($6::bigint[])`;

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

/**
 * Stores the whole log (up to what is visible now) as facts, plan facts and audit rows in `schema`,
 * moving its checkpoint; answers the last position and how many events it covered.
 */
export async function loadFactsInDatabase(
  client: PoolClient,
  schema: string,
  options: FactsInDatabaseOptions = {},
): Promise<{ after: Position | undefined; events: number }> {
  const chunkSize = options.chunkSize ?? 100_000;
  const quotedSchema = schemaIdentifier(schema);
  const versions = JSON.stringify(ORGANIZATION_EVENT_SCHEMA_VERSIONS);
  let lo = { xid: '0', gpos: '0' };
  let events = 0;
  for (;;) {
    const hi = await chunkEnd(client, lo, chunkSize);
    if (!hi) break;
    const range = [lo.xid, lo.gpos, hi.xid, hi.gpos];
    await client.query('BEGIN');
    const { rows: heldRows } = await client.query<{ stream_id: string }>(`SELECT DISTINCT stream_id FROM ${quotedSchema}.quarantined_events`);
    const held = heldRows.map((row) => row.stream_id);
    // The Node path's events: not safe for the SQL, or after such an event in their stream, or of a held stream.
    const { rows: nodeRows } = await client.query<NodeRow>(
      `SELECT stream_id, stream_revision, transaction_id::text AS xid_text, global_position, event_type, data, metadata, ord
         FROM (SELECT e.*, bool_or(NOT ${SQL_SAFE}) OVER (PARTITION BY e.stream_id ORDER BY e.ord) AS tainted
                 FROM (${CHUNK}) e WHERE ${IS_ORGANIZATION} OR ${IS_PLAN}) e
        WHERE e.tainted OR e.stream_id = ANY($6::text[])
        ORDER BY e.ord`,
      [versions, ...range, held],
    );
    const nodePositions = nodeRows.map((row) => row.global_position);
    const params = [versions, ...range, nodePositions];
    await client.query(
      `INSERT INTO ${quotedSchema}.organization_facts (event_id, organization_id, revision, event_type, data, recorded_at)
       SELECT e.event_id, substr(e.stream_id, 14)::uuid, e.stream_revision, e.event_type, e.data, (e.metadata->>'recordedAt')::timestamptz
       ${SQL_SET} AND ${IS_ORGANIZATION}`,
      params,
    );
    await client.query(
      `INSERT INTO ${quotedSchema}.plan_facts (event_id, plan_id, revision, event_type, data, recorded_at)
       SELECT e.event_id, substr(e.stream_id, 6), e.stream_revision, e.event_type, e.data, (e.metadata->>'recordedAt')::timestamptz
       ${SQL_SET} AND ${IS_PLAN}`,
      params,
    );
    await applyOnNodePath(client, schema, nodeRows, events);
    await insertAuditRows(client, quotedSchema, params, events);
    await linkCorrections(client, quotedSchema, range);
    const { rows: counted } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM public.events e
        WHERE (e.transaction_id, e.global_position) > ($1::text::xid8, $2::bigint) AND (e.transaction_id, e.global_position) <= ($3::text::xid8, $4::bigint)`,
      range,
    );
    events += Number(counted[0].n);
    await setCheckpoint(client, quotedSchema, `${hi.xid}.${hi.gpos}`, events);
    await client.query('COMMIT');
    lo = hi;
    options.onProgress?.(events);
  }
  return { after: events > 0 ? (`${lo.xid}.${lo.gpos}` as Position) : undefined, events };
}

/** The position ending the next chunk: the `size`-th visible event after `lo`, or the last visible one. */
async function chunkEnd(client: PoolClient, lo: { xid: string; gpos: string }, size: number): Promise<{ xid: string; gpos: string } | null> {
  // Only transactions below the oldest one still running: their order is final (as readAll reads).
  const visible = `FROM public.events WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
    AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())`;
  const { rows } = await client.query<{ xid: string; gpos: string }>(
    `SELECT xid, gpos FROM (
       (SELECT transaction_id::text AS xid, global_position::text AS gpos, 0 AS k ${visible} ORDER BY transaction_id, global_position OFFSET $3 LIMIT 1)
       UNION ALL
       (SELECT transaction_id::text, global_position::text, 1 ${visible} ORDER BY transaction_id DESC, global_position DESC LIMIT 1)) b
      ORDER BY k LIMIT 1`,
    [lo.xid, lo.gpos, size - 1],
  );
  return rows[0] ?? null;
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
               ${SQL_SET}) u
       LEFT JOIN LATERAL (
         SELECT coalesce(f.data->>'formerProvinceCode', f.data->>'provinceCode') AS unit FROM ${quotedSchema}.organization_facts f
          WHERE f.organization_id = u.organization_id AND f.revision < u.revision AND f.event_type IN ('OrganizationRegistered', 'OrganizationRelocated')
          ORDER BY f.revision DESC LIMIT 1) o ON u.organization_id IS NOT NULL
       LEFT JOIN ${quotedSchema}.plan_facts p ON p.plan_id = u.plan_id AND p.revision = 0 AND p.event_type = 'PlanAdopted'`,
    params,
  );
}

/**
 * A retracted event's row points to its correction: for each event the chunk's corrections retract,
 * the latest correction whose own row is in the trail (applyAuditEvents links them so, batch by batch).
 */
async function linkCorrections(client: PoolClient, quotedSchema: string, range: string[]): Promise<void> {
  await client.query(
    `UPDATE ${quotedSchema}.audit_events a SET corrected_by_event_id = c.correction
       FROM (SELECT DISTINCT ON (r.retracted) r.retracted, r.correction
               FROM (SELECT ${text("e.data->'retractedEventId'")}::uuid AS retracted, x.event_id AS correction, e.transaction_id, e.global_position
                       FROM public.events e JOIN ${quotedSchema}.audit_events x ON x.event_id = e.event_id
                      WHERE (e.transaction_id, e.global_position) > ($1::text::xid8, $2::bigint)
                        AND (e.transaction_id, e.global_position) <= ($3::text::xid8, $4::bigint)
                        AND e.event_type = 'RecordCorrected' AND x.corrects_event_id IS NOT NULL) r
              ORDER BY r.retracted, r.transaction_id DESC, r.global_position DESC) c
      WHERE a.event_id = c.retracted`,
    range,
  );
}

async function setCheckpoint(client: PoolClient, quotedSchema: string, position: string, eventsApplied: number): Promise<void> {
  await client.query(
    `INSERT INTO ${quotedSchema}.projection_checkpoints (projection, position, events_applied, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (projection) DO UPDATE SET position = EXCLUDED.position, events_applied = EXCLUDED.events_applied, updated_at = now()`,
    [PROJECTION, position, eventsApplied],
  );
}
