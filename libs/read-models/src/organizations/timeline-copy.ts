import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { TIMELINE_COLUMNS, timelineLine, type Content, type TimelineRow } from './timeline-fold';

/**
 * Writes new organization_timeline rows with COPY FROM STDIN. In COPY's
 * binary format when every value is one this encoder knows exactly (strings,
 * 32-bit integers, booleans, YYYY-MM-DD dates, canonical uuids, the recorded
 * times as the facts' query gives them): PostgreSQL then reads the ranges,
 * dates and uuids without parsing their text, which was about half of its time
 * on the text format (manual-measurements.md). Any other value (one the domain
 * refused, from an old event, say) sends the whole statement as text instead,
 * so what PostgreSQL stores, or the error it raises (the quarantine keeps its
 * message), is what the text gives. The column types are those of the
 * migrations: timeline-copy.int-spec.ts writes rows both ways and compares.
 */
export async function copyTimelineRows(client: PoolClient, table: string, rows: readonly TimelineRow[]): Promise<void> {
  const binary = binaryPieces(rows);
  if (binary) await copy(client, `COPY ${table} (${TIMELINE_COLUMNS.join(', ')}) FROM STDIN (FORMAT binary)`, binary);
  else await copyTextLines(client, table, TIMELINE_COLUMNS, rows.map(timelineLine));
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
    const content = contentBinary(row.content);
    const from = days(row.from);
    const to = row.to === null ? null : days(row.to);
    const knownFrom = micros(row.knownFrom);
    const knownTo = row.knownTo === null ? null : micros(row.knownTo);
    if (!id || !content || from === null || (row.to !== null && to === null) || knownFrom === null || (row.knownTo !== null && knownTo === null) || !isInt4(row.version)) return null;
    out.reserve(2 + 20 + (to === null ? 13 : 21) + (knownTo === null ? 17 : 29) + content.length + 8);
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
    off += content.copy(buf, off);
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

/** The content's columns as binary fields (each with its length), made once per content. */
function contentBinary(content: Content): Buffer | null {
  if (content.binary === undefined) content.binary = encodeContent(content.values);
  return content.binary;
}

function encodeContent(values: readonly unknown[]): Buffer | null {
  if (values.length !== CONTENT_TYPES.length) return null;
  // First the size (and whether every value is encodable), then the bytes into one buffer.
  let size = 0;
  const members: (Buffer | null)[][] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    size += 4;
    if (value === null || value === undefined) continue;
    switch (CONTENT_TYPES[i]) {
      case 'text':
        if (typeof value !== 'string') return null;
        size += Buffer.byteLength(value, 'utf8');
        break;
      case 'date':
        if (typeof value !== 'string' || days(value) === null) return null;
        size += 4;
        break;
      case 'int4':
        if (!isInt4(value)) return null;
        size += 4;
        break;
      case 'bool':
        if (typeof value !== 'boolean') return null;
        size += 1;
        break;
      case 'uuid[]': {
        // `{id,id,…}` as the fold writes it for the text format.
        if (typeof value !== 'string' || !value.startsWith('{') || !value.endsWith('}')) return null;
        const ids = value.length === 2 ? [] : value.slice(1, -1).split(',').map(uuidBytes);
        if (ids.some((id) => id === null)) return null;
        members.push(ids);
        // ndim, has-nulls, element type; the dimension (length, lower bound 1); each element with its length
        size += 12 + (ids.length === 0 ? 0 : 8 + 20 * ids.length);
        break;
      }
    }
  }
  const buf = Buffer.allocUnsafe(size);
  let off = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) {
      off = buf.writeInt32BE(-1, off);
      continue;
    }
    switch (CONTENT_TYPES[i]) {
      case 'text': {
        const length = buf.write(value as string, off + 4, 'utf8');
        off = buf.writeInt32BE(length, off) + length;
        break;
      }
      case 'date':
        off = buf.writeInt32BE(4, off);
        off = buf.writeInt32BE(days(value as string)!, off);
        break;
      case 'int4':
        off = buf.writeInt32BE(4, off);
        off = buf.writeInt32BE(value as number, off);
        break;
      case 'bool':
        off = buf.writeInt32BE(1, off);
        off = buf.writeUInt8(value ? 1 : 0, off);
        break;
      case 'uuid[]': {
        const ids = members.shift()!;
        off = buf.writeInt32BE(12 + (ids.length === 0 ? 0 : 8 + 20 * ids.length), off);
        off = buf.writeInt32BE(ids.length === 0 ? 0 : 1, off);
        off = buf.writeInt32BE(0, off);
        off = buf.writeInt32BE(UUID_OID, off);
        if (ids.length === 0) break;
        off = buf.writeInt32BE(ids.length, off);
        off = buf.writeInt32BE(1, off);
        for (const id of ids) {
          off = buf.writeInt32BE(16, off);
          off += id!.copy(buf, off);
        }
        break;
      }
    }
  }
  return buf;
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

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Days since 2000-01-01 of a YYYY-MM-DD date of the years 1000–9999 that exists; else null. */
function days(date: string): number | null {
  let n = dayCache.get(date);
  if (n === undefined) {
    const match = DATE.exec(date);
    const ms = match && match[1] >= '1000' ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
    n = Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === date ? (ms - EPOCH_MS) / DAY_MS : null;
    remember(dayCache, date, n);
  }
  return n;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** Microseconds since 2000-01-01 UTC of a recorded time as the facts' query gives it (UTC, milliseconds); else null. */
function micros(timestamp: string): number | null {
  let n = microCache.get(timestamp);
  if (n === undefined) {
    const ms = TIMESTAMP.test(timestamp) && timestamp >= '1000' ? Date.parse(timestamp) : NaN;
    n = Number.isFinite(ms) && new Date(ms).toISOString() === timestamp ? (ms - EPOCH_MS) * 1000 : null;
    remember(microCache, timestamp, n);
  }
  return n;
}

// Each date and recorded time recurs in many rows: converted (and checked) once.
const dayCache = new Map<string, number | null>();
const microCache = new Map<string, number | null>();
function remember(cache: Map<string, number | null>, key: string, value: number | null): void {
  if (cache.size >= 50_000) cache.clear();
  cache.set(key, value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function uuidBytes(id: string): Buffer | null {
  return UUID.test(id) ? Buffer.from(id.replace(/-/g, ''), 'hex') : null;
}
