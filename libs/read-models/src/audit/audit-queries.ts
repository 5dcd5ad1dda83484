import { isTimestamp } from '@ktt/domain';
import type { AuditEventView, Page } from '../answers';
import type { Generation } from '../generations';

export interface AuditFilter {
  /** Recorded at or after (ISO-8601 timestamp). */
  from?: string;
  /** Recorded before (exclusive, so consecutive windows do not overlap). */
  to?: string;
  recordedBy?: string;
  /**
   * Where: the units (first-map province codes) whose events are wanted, as the trail records an
   * organization event's place (its seat's unit) and a plan's (its adopting province).
   */
  units?: readonly string[];
  /** An event type, exactly (`OrganizationDissolved`, `RecordCorrected`, …). */
  type?: string;
  /** One organization's events (a canonical, lower-case UUID). */
  organizationId?: string;
  /** By recorded time: `asc` (oldest first, the default) or `desc` (newest first). */
  order?: AuditOrder;
  /** 1–500. */
  limit: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export type AuditOrder = 'asc' | 'desc';

interface AuditRow {
  event_id: string;
  position: string;
  stream_id: string;
  revision: number;
  event_type: string;
  recorded_at: string;
  recorded_by: string;
  organization_id: string | null;
  organization_name: string | null;
  registration_number: string | null;
  province_code: string | null;
  effective_on: string | null;
  decision_ref: string | null;
  corrects_event_id: string | null;
  corrected_by_event_id: string | null;
  sequence: string;
  quarantined: { reason: 'failed' | 'held'; error: string } | null;
  source: { kind: 'import'; fileName: string; sha256: string } | null;
}

interface AuditCursor {
  /** recorded_at as PostgreSQL prints it: microseconds survive the round trip. */
  recordedAt: string;
  sequence: string;
  /** The order of the pages it continues (a cursor of one order is refused in the other). */
  order: AuditOrder;
}

/**
 * Opaque to clients: the (recorded_at, sequence) of the last row of a page. An `asc` cursor keeps the
 * form cursors had before `order` existed, so those handed out earlier still continue their walk.
 */
export function encodeAuditCursor(cursor: AuditCursor): string {
  const text = `${cursor.recordedAt}|${cursor.sequence}`;
  return Buffer.from(cursor.order === 'desc' ? `desc|${text}` : text, 'utf8').toString('base64url');
}

/** null for anything this service did not hand out (answered 400). */
export function decodeAuditCursor(cursor: string): AuditCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const match = /^(desc\|)?(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  // A cursor is the client's to send back: one naming no real moment (month 13) must not reach SQL.
  return match && isTimestamp(match[2]) ? { recordedAt: match[2], sequence: match[3], order: match[1] ? 'desc' : 'asc' } : null;
}

/**
 * The audit trail by recorded time, oldest first (or newest first with `order: 'desc'`), from the
 * generation the answer reads. Ordered by (recorded_at, sequence) — the index the cursor walks, either
 * way — so a page never repeats or skips a row while new events arrive (oldest first they sort later,
 * unless a replica's clock lags: then they appear on a page not yet read; newest first they sort before
 * the first page and wait for the next walk from the top).
 *
 * Each row names its organization as the register knows it now (its latest timeline row as currently
 * recorded): looked up once per page for the page's distinct organizations, after the page is cut, so
 * the cost grows with the page, not with the trail.
 */
export class AuditQueries {
  async events(generation: Generation, filter: AuditFilter): Promise<Page<AuditEventView>> {
    const order = filter.order ?? 'asc';
    const cursor = filter.cursor === undefined ? null : decodeAuditCursor(filter.cursor);
    if (filter.cursor !== undefined && (!cursor || cursor.order !== order)) throw new RangeError(`not an audit cursor for order ${order}: ${filter.cursor}`);
    const schema = generation.identifier;
    // Both the comparison and the sort flip with the order; the (recorded_at, sequence) index serves both directions.
    const [after, direction] = order === 'desc' ? ['<', 'DESC'] : ['>', 'ASC'];
    const { rows } = await generation.pool.query<AuditRow>(
      `WITH page AS (
         SELECT event_id, position, stream_id, revision, event_type, recorded_at, recorded_by,
                organization_id, province_code, effective_on, decision_ref, corrects_event_id, corrected_by_event_id, sequence, source
           FROM ${schema}.audit_events
          WHERE ($1::timestamptz IS NULL OR recorded_at >= $1)
            AND ($2::timestamptz IS NULL OR recorded_at < $2)
            AND ($3::text IS NULL OR recorded_by = $3)
            AND ($4::text[] IS NULL OR province_code = ANY($4::text[]))
            AND ($5::text IS NULL OR event_type = $5)
            AND ($6::timestamptz IS NULL OR (recorded_at, sequence) ${after} ($6::timestamptz, $7::bigint))
            AND ($9::uuid IS NULL OR organization_id = $9)
          ORDER BY recorded_at ${direction}, sequence ${direction}
          LIMIT $8),
       named AS (
         -- the page's organizations, each once: its latest row in effective time, as recorded now
         SELECT DISTINCT ON (t.organization_id) t.organization_id, t.name, t.registration_number
           FROM ${schema}.organization_timeline t
          WHERE t.organization_id IN (SELECT organization_id FROM page WHERE organization_id IS NOT NULL)
            AND upper_inf(t.known)
          ORDER BY t.organization_id, lower(t.valid) DESC)
       SELECT page.event_id, page.position, page.stream_id, page.revision, page.event_type,
              to_char(page.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at, page.recorded_by,
              page.organization_id, named.name AS organization_name, named.registration_number,
              page.province_code, page.effective_on::text AS effective_on, page.decision_ref,
              page.corrects_event_id, page.corrected_by_event_id, page.sequence, page.source,
              -- a quarantined event is in the trail too, saying so (the projector could not apply it)
              (SELECT json_build_object('reason', q.reason, 'error', q.error) FROM ${schema}.quarantined_events q WHERE q.event_id = page.event_id) AS quarantined
         FROM page LEFT JOIN named ON named.organization_id = page.organization_id
        ORDER BY page.recorded_at ${direction}, page.sequence ${direction}`,
      [
        filter.from ?? null,
        filter.to ?? null,
        filter.recordedBy ?? null,
        filter.units ? [...filter.units] : null,
        filter.type ?? null,
        cursor?.recordedAt ?? null,
        cursor?.sequence ?? null,
        filter.limit + 1,
        filter.organizationId ?? null,
      ],
    );
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toView),
      nextCursor: rows.length > filter.limit ? encodeAuditCursor({ recordedAt: last.recorded_at, sequence: last.sequence, order }) : null,
    };
  }
}

function toView(row: AuditRow): AuditEventView {
  return {
    eventId: row.event_id,
    position: row.position,
    streamId: row.stream_id,
    revision: row.revision,
    type: row.event_type,
    // Events are recorded with millisecond times; the cursor keeps PostgreSQL's microseconds.
    recordedAt: `${row.recorded_at.slice(0, 23)}Z`,
    recordedBy: row.recorded_by,
    organizationId: row.organization_id,
    organizationName: row.organization_name,
    registrationNumber: row.registration_number,
    provinceCode: row.province_code,
    effectiveOn: row.effective_on,
    decisionRef: row.decision_ref,
    correctsEventId: row.corrects_event_id,
    correctedByEventId: row.corrected_by_event_id,
    ...(row.quarantined ? { quarantined: row.quarantined } : {}),
    ...(row.source ? { source: row.source } : {}),
  };
}
