import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { schemaIdentifier } from '../generations';

/** Columns that say when a row was written, not what the log says: a rebuild and the live projector differ there. */
const WHEN_BUILT = new Set(['updated_at', 'quarantined_at']);

export interface ReadModelDigest {
  digest: string;
  tables: Record<string, { rows: number; digest: string }>;
}

/**
 * A digest of every read-model table of a generation: what a rebuild and the
 * live projector must agree on. Independent of the rows' physical order (a
 * sum of per-row hashes), of ctids, of the session's TimeZone and DateStyle
 * (times are written in UTC, dates in ISO) and of when the rows were written
 * (the checkpoint's `updated_at`, the quarantine's `quarantined_at`).
 */
export async function readModelDigest(db: Pick<Pool, 'query'>, schema: string): Promise<ReadModelDigest> {
  const quotedSchema = schemaIdentifier(schema);
  const { rows: columns } = await db.query<{ table_name: string; column_name: string; type: string }>(
    `SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, NULL) AS type
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid
      WHERE n.nspname = $1 AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attname`,
    [schema],
  );
  const byTable = new Map<string, string[]>();
  for (const { table_name, column_name, type } of columns) {
    if (WHEN_BUILT.has(column_name)) continue;
    const list = byTable.get(table_name) ?? [];
    list.push(canonical(`"${column_name.replace(/"/g, '""')}"`, type));
    byTable.set(table_name, list);
  }
  const tables: ReadModelDigest['tables'] = {};
  for (const [table, expressions] of [...byTable].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // Two 60-bit halves of each row's md5, summed: the order of the rows does not matter.
    const { rows } = await db.query<{ rows: string; a: string; b: string }>(
      `SELECT count(*) AS rows, coalesce(sum(('x' || substr(h, 1, 15))::bit(60)::bigint), 0)::text AS a,
              coalesce(sum(('x' || substr(h, 16, 15))::bit(60)::bigint), 0)::text AS b
         FROM (SELECT md5(ROW(${expressions.join(', ')})::text) AS h FROM ${quotedSchema}."${table.replace(/"/g, '""')}" x) r`,
    );
    tables[table] = { rows: Number(rows[0].rows), digest: `${rows[0].a}.${rows[0].b}` };
  }
  const digest = createHash('sha256')
    .update(JSON.stringify(Object.entries(tables)))
    .digest('hex');
  return { digest, tables };
}

/** A column's value as text that does not depend on the session's settings. */
function canonical(column: string, type: string): string {
  const instant = (value: string) => `to_char(${value} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
  const day = (value: string) => `to_char(${value}, 'YYYY-MM-DD')`;
  const range = (bound: (value: string) => string) =>
    `CASE WHEN ${column} IS NULL THEN NULL WHEN isempty(${column}) THEN 'empty' ELSE concat(CASE WHEN lower_inc(${column}) THEN '[' ELSE '(' END, ` +
    `${bound(`lower(${column})`)}, ',', ${bound(`upper(${column})`)}, CASE WHEN upper_inc(${column}) THEN ']' ELSE ')' END) END`;
  switch (type) {
    case 'timestamp with time zone':
      return instant(column);
    case 'date':
      return day(column);
    case 'tstzrange':
      return range(instant);
    case 'daterange':
      return range(day);
    default:
      return `${column}::text`;
  }
}
