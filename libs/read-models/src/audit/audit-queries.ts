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
  /** 1–500. */
  limit: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

interface AuditRow {
  event_id: string;
  position: string;
  stream_id: string;
  revision: number;
  event_type: string;
  recorded_at: string;
  recorded_by: string;
  organization_id: string | null;
  province_code: string | null;
  effective_on: string | null;
  decision_ref: string | null;
  corrects_event_id: string | null;
  corrected_by_event_id: string | null;
  sequence: string;
  quarantined: { reason: 'failed' | 'held'; error: string } | null;
}

interface AuditCursor {
  /** recorded_at as PostgreSQL prints it: microseconds survive the round trip. */
  recordedAt: string;
  sequence: string;
}

/** Opaque to clients: the (recorded_at, sequence) of the last row of a page. */
export function encodeAuditCursor(cursor: AuditCursor): string {
  return Buffer.from(`${cursor.recordedAt}|${cursor.sequence}`, 'utf8').toString('base64url');
}

/** null for anything this service did not hand out (answered 400). */
export function decodeAuditCursor(cursor: string): AuditCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  // A cursor is the client's to send back: one naming no real moment (month 13) must not reach SQL.
  return match && isTimestamp(match[1]) ? { recordedAt: match[1], sequence: match[2] } : null;
}

/**
 * The audit trail by recorded time, oldest first, from the generation the answer reads.
 * Ordered by (recorded_at, sequence) — the index the cursor walks — so a page
 * never repeats or skips a row while new events arrive (they sort later,
 * unless a replica's clock lags: then they appear on a page not yet read).
 */
export class AuditQueries {
  async events(generation: Generation, filter: AuditFilter): Promise<Page<AuditEventView>> {
    const cursor = filter.cursor === undefined ? null : decodeAuditCursor(filter.cursor);
    if (filter.cursor !== undefined && !cursor) throw new RangeError(`not an audit cursor: ${filter.cursor}`);
    const schema = generation.identifier;
    const { rows } = await generation.pool.query<AuditRow>(
      `SELECT event_id, position, stream_id, revision, event_type,
              to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at, recorded_by,
              organization_id, province_code, effective_on::text AS effective_on, decision_ref,
              corrects_event_id, corrected_by_event_id, sequence,
              -- a quarantined event is in the trail too, saying so (the projector could not apply it)
              (SELECT json_build_object('reason', q.reason, 'error', q.error) FROM ${schema}.quarantined_events q WHERE q.event_id = audit_events.event_id) AS quarantined
         FROM ${schema}.audit_events
        WHERE ($1::timestamptz IS NULL OR recorded_at >= $1)
          AND ($2::timestamptz IS NULL OR recorded_at < $2)
          AND ($3::text IS NULL OR recorded_by = $3)
          AND ($4::text[] IS NULL OR province_code = ANY($4::text[]))
          AND ($5::text IS NULL OR event_type = $5)
          AND ($6::timestamptz IS NULL OR (recorded_at, sequence) > ($6::timestamptz, $7::bigint))
        ORDER BY recorded_at, sequence
        LIMIT $8`,
      [
        filter.from ?? null,
        filter.to ?? null,
        filter.recordedBy ?? null,
        filter.units ? [...filter.units] : null,
        filter.type ?? null,
        cursor?.recordedAt ?? null,
        cursor?.sequence ?? null,
        filter.limit + 1,
      ],
    );
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toView),
      nextCursor: rows.length > filter.limit ? encodeAuditCursor({ recordedAt: last.recorded_at, sequence: last.sequence }) : null,
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
    provinceCode: row.province_code,
    effectiveOn: row.effective_on,
    decisionRef: row.decision_ref,
    correctsEventId: row.corrects_event_id,
    correctedByEventId: row.corrected_by_event_id,
    ...(row.quarantined ? { quarantined: row.quarantined } : {}),
  };
}
