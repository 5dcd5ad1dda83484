import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { TIMELINE_COLUMNS, timelineLine, type Content, type TimelineRow } from './timeline-fold';

/**
 * Writes new organization_timeline rows with COPY FROM STDIN: as text, or, when
 * the caller has checked that the table's columns have the types this encoder
 * writes (`binaryFits`), in COPY's binary format when every value is one it
 * knows exactly (strings, 32-bit integers, booleans, YYYY-MM-DD dates,
 * canonical uuids, the recorded times as the facts' query gives them):
 * PostgreSQL then reads the ranges, dates and uuids without parsing their
 * text, which was about a third of its COPY time (manual-measurements.md).
 * Any other value (one the domain refused, from an old event, say) sends the
 * whole statement as text instead, so what PostgreSQL stores, or the error it
 * raises (the quarantine keeps its message), is what the text gives.
 * The binary format names no types: a column widened to set a quarantined
 * event free (quarantine.int-spec.ts) would be misread, hence the check; the
 * live projector writes text, a rebuild checks its new generation once.
 */
export async function copyTimelineRows(client: PoolClient, table: string, rows: readonly TimelineRow[], binary = false): Promise<void> {
  const pieces = binary ? binaryPieces(rows) : null;
  if (pieces) await copy(client, `COPY ${table} (${TIMELINE_COLUMNS.join(', ')}) FROM STDIN (FORMAT binary)`, pieces);
  else await copyTextLines(client, table, TIMELINE_COLUMNS, rows.map(timelineLine));
}

/** Whether the timeline table of `schema` has, column by column, the types `binaryPieces` writes. */
export async function binaryFits(client: Pick<PoolClient, 'query'>, schema: string): Promise<boolean> {
  const { rows } = await client.query<{ name: string; type: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = 'organization_timeline' AND a.attnum > 0 AND NOT a.attisdropped`,
    [schema],
  );
  const types = new Map(rows.map((row) => [row.name, row.type]));
  return TIMELINE_COLUMNS.every((column, i) => types.get(column) === COLUMN_TYPES[i]);
}

/** Lines of COPY text into `table`, sent in pieces of about 64 kB. */
export async function copyTextLines(client: PoolClient, table: string, columns: readonly string[], lines: readonly string[]): Promise<void> {
  const pieces: string[] = [];
  let piece = '';
  for (const line of lines) {
    piece += line;
    if (piece.length >= PIECE) {
      pieces.push(piece);
      piece = '';
    }
  }
  if (piece.length > 0) pieces.push(piece);
  await copy(client, `COPY ${table} (${columns.join(', ')}) FROM STDIN`, pieces);
}

async function copy(client: PoolClient, statement: string, pieces: readonly (string | Buffer)[]): Promise<void> {
  await pipeline(Readable.from(pieces), client.query(copyFrom(statement)));
}

const PIECE = 65_536;
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** PostgreSQL's epoch (2000-01-01) in Unix milliseconds and days. */
const EPOCH_MS = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;
const UUID_OID = 2950;
const RANGE_LB_INC = 0x02;
const RANGE_UB_INF = 0x10;

/** The rows as COPY binary (header, tuples, trailer), or null when a value is not one this encoder knows exactly. */
export function binaryPieces(rows: readonly TimelineRow[]): Buffer[] | null {
  const out = new Pieces();
  out.reserve(SIGNATURE.length + 8);
  out.off += SIGNATURE.copy(out.buf, out.off);
  out.off = out.buf.writeInt32BE(0, out.off); // flags
  out.off = out.buf.writeInt32BE(0, out.off); // header extension
  let lastId = '';
  let id: Buffer | null = null;
  for (const row of rows) {
    if (row.organizationId !== lastId) {
      id = uuidBytes(row.organizationId);
      lastId = row.organizationId;
    }
    const from = days(row.from);
    const to = row.to === null ? null : days(row.to);
    const knownFrom = micros(row.knownFrom);
    const knownTo = row.knownTo === null ? null : micros(row.knownTo);
    if (!id || from === null || (row.to !== null && to === null) || knownFrom === null || (row.knownTo !== null && knownTo === null) || !isInt4(row.version)) return null;
    const { content } = row;
    out.reserve(2 + 20 + (to === null ? 13 : 21) + (knownTo === null ? 17 : 29) + (content.binary ? content.binary.length : contentBound(content.values)) + 8);
    const buf = out.buf;
    let off = buf.writeInt16BE(TIMELINE_COLUMNS.length, out.off);
    off = buf.writeInt32BE(16, off);
    off += id.copy(buf, off);
    // valid: [from, to) or [from, ): flags, then each finite bound as a date
    off = buf.writeInt32BE(to === null ? 9 : 17, off);
    off = buf.writeUInt8(to === null ? RANGE_LB_INC | RANGE_UB_INF : RANGE_LB_INC, off);
    off = buf.writeInt32BE(4, off);
    off = buf.writeInt32BE(from, off);
    if (to !== null) {
      off = buf.writeInt32BE(4, off);
      off = buf.writeInt32BE(to, off);
    }
    // known: [knownFrom, knownTo) or [knownFrom, ), timestamps in microseconds
    off = buf.writeInt32BE(knownTo === null ? 13 : 25, off);
    off = buf.writeUInt8(knownTo === null ? RANGE_LB_INC | RANGE_UB_INF : RANGE_LB_INC, off);
    off = buf.writeInt32BE(8, off);
    off = writeInt64(buf, knownFrom, off);
    if (knownTo !== null) {
      off = buf.writeInt32BE(8, off);
      off = writeInt64(buf, knownTo, off);
    }
    if (content.binary) off += content.binary.copy(buf, off);
    else {
      // Written in place the first time, then copied from there for the content's other rows.
      const end = writeContent(buf, off, content.values);
      if (end < 0) return null;
      content.binary = buf.subarray(off, end);
      off = end;
    }
    off = buf.writeInt32BE(4, off);
    off = buf.writeInt32BE(row.version, off);
    out.off = off;
  }
  out.reserve(2);
  out.off = out.buf.writeInt16BE(-1, out.off); // trailer
  return out.done();
}

class Pieces {
  readonly pieces: Buffer[] = [];
  buf = Buffer.allocUnsafe(PIECE);
  off = 0;

  reserve(bytes: number): void {
    if (this.off + bytes <= this.buf.length) return;
    if (this.off > 0) this.pieces.push(this.buf.subarray(0, this.off));
    this.buf = Buffer.allocUnsafe(Math.max(PIECE, bytes));
    this.off = 0;
  }

  done(): Buffer[] {
    if (this.off > 0) this.pieces.push(this.buf.subarray(0, this.off));
    return this.pieces;
  }
}

/** The types of TIMELINE_COLUMNS (format_type) that the binary rows are written for. */
const COLUMN_TYPES = [
  'uuid',
  'daterange',
  'tstzrange',
  ...['text', 'text', 'text', 'text', 'text', 'text', 'text', 'date', 'date', 'integer', 'text', 'integer', 'date', 'integer', 'integer'],
  ...['boolean', 'boolean', 'boolean', 'boolean', 'boolean', 'uuid[]', 'integer'],
];

type Kind = 'text' | 'date' | 'int4' | 'bool' | 'uuid[]';
/** The types of the columns kind … member_cooperative_ids (TIMELINE_COLUMNS), as the migrations create them. */
const CONTENT_TYPES: readonly Kind[] = [
  'text', // kind
  'text', // name
  'text', // search_text
  'text', // registration_number
  'text', // province_code
  'text', // sector
  'text', // status
  'date', // registered_on
  'date', // dissolved_on
  'int4', // member_count
  'text', // rating
  'int4', // rating_year
  'date', // rated_on
  'int4', // managers_total
  'int4', // managers_with_degree
  'bool', // director_trained
  'bool', // value_chain
  'bool', // high_tech
  'bool', // enterprise_linked
  'bool', // digital_adoption
  'uuid[]', // member_cooperative_ids
];

/** At least the bytes the content's columns take in binary (a string's UTF-8 takes at most 3 bytes a UTF-16 unit). */
function contentBound(values: readonly unknown[]): number {
  let bound = 0;
  for (const value of values) bound += typeof value === 'string' ? 36 + 3 * value.length : 12;
  return bound;
}

/** The content's columns as binary fields (each with its length) at `off`; answers where they end, or -1 when a value is not one it knows. */
function writeContent(buf: Buffer, off: number, values: readonly unknown[]): number {
  if (values.length !== CONTENT_TYPES.length) return -1;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) {
      off = buf.writeInt32BE(-1, off);
      continue;
    }
    switch (CONTENT_TYPES[i]) {
      case 'text': {
        if (typeof value !== 'string') return -1;
        const length = buf.write(value, off + 4, 'utf8');
        off = buf.writeInt32BE(length, off) + length;
        break;
      }
      case 'date': {
        const n = typeof value === 'string' ? days(value) : null;
        if (n === null) return -1;
        off = buf.writeInt32BE(4, off);
        off = buf.writeInt32BE(n, off);
        break;
      }
      case 'int4':
        if (!isInt4(value)) return -1;
        off = buf.writeInt32BE(4, off);
        off = buf.writeInt32BE(value, off);
        break;
      case 'bool':
        if (typeof value !== 'boolean') return -1;
        off = buf.writeInt32BE(1, off);
        off = buf.writeUInt8(value ? 1 : 0, off);
        break;
      case 'uuid[]': {
        // `{id,id,…}` as the fold writes it for the text format: ndim, has-nulls, element type; the
        // dimension (length, lower bound 1); each element with its length.
        if (typeof value !== 'string' || !value.startsWith('{') || !value.endsWith('}')) return -1;
        const ids = value.length === 2 ? [] : value.slice(1, -1).split(',');
        off = buf.writeInt32BE(12 + (ids.length === 0 ? 0 : 8 + 20 * ids.length), off);
        off = buf.writeInt32BE(ids.length === 0 ? 0 : 1, off);
        off = buf.writeInt32BE(0, off);
        off = buf.writeInt32BE(UUID_OID, off);
        if (ids.length === 0) break;
        off = buf.writeInt32BE(ids.length, off);
        off = buf.writeInt32BE(1, off);
        for (const id of ids) {
          const bytes = uuidBytes(id);
          if (!bytes) return -1;
          off = buf.writeInt32BE(16, off);
          off += bytes.copy(buf, off);
        }
        break;
      }
    }
  }
  return off;
}

function isInt4(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= -2_147_483_648 && value <= 2_147_483_647;
}

/** A writeInt64 of a whole number within 2^53 without BigInt: the high and low 32 bits. */
function writeInt64(buf: Buffer, value: number, off: number): number {
  const high = Math.floor(value / 4_294_967_296);
  off = buf.writeInt32BE(high, off);
  return buf.writeUInt32BE(value - high * 4_294_967_296, off);
}

/** Days since 2000-01-01 of a YYYY-MM-DD date of the years 1000–9999 that exists; else null. */
export function days(date: string): number | null {
  if (date.length !== 10 || date.charCodeAt(4) !== DASH || date.charCodeAt(7) !== DASH) return null;
  const ms = utc(date, 0, 0, 0, 0);
  return ms === null ? null : (ms - EPOCH_MS) / DAY_MS;
}

/** Microseconds since 2000-01-01 UTC of a recorded time as the facts' query gives it (YYYY-MM-DDTHH:MI:SS.mmmZ); else null. */
export function micros(timestamp: string): number | null {
  if (timestamp.length !== 24 || timestamp.charCodeAt(4) !== DASH || timestamp.charCodeAt(7) !== DASH || timestamp[10] !== 'T') return null;
  if (timestamp[13] !== ':' || timestamp[16] !== ':' || timestamp[19] !== '.' || timestamp[23] !== 'Z') return null;
  const hours = digits(timestamp, 11, 13);
  const minutes = digits(timestamp, 14, 16);
  const seconds = digits(timestamp, 17, 19);
  const millis = digits(timestamp, 20, 23);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59 || millis < 0) return null;
  const ms = utc(timestamp, hours, minutes, seconds, millis);
  return ms === null ? null : (ms - EPOCH_MS) * 1000;
}

const DASH = 0x2d;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The instant of the date at the start of `text` (YYYY-MM-DD, a day that exists, years 1000–9999) and the time given; else null. */
function utc(text: string, hours: number, minutes: number, seconds: number, millis: number): number | null {
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  if (year < 1000 || month < 1 || month > 12 || day < 1) return null;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : MONTH_DAYS[month - 1])) return null;
  return Date.UTC(year, month - 1, day, hours, minutes, seconds, millis);
}

/** The decimal number written in text[from, to), or -1 if a character is not a digit. */
function digits(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function uuidBytes(id: string): Buffer | null {
  return UUID.test(id) ? Buffer.from(id.replace(/-/g, ''), 'hex') : null;
}
