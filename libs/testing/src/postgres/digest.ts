import type { Pool } from 'pg';

/**
 * Row-for-row digest of every table of a schema (row count and an md5 of
 * the sorted rows), without the checkpoint's wall-clock `updated_at`: two
 * read-model generations built from the same log must digest alike.
 */
export async function digestSchema(pool: Pool, schema: string): Promise<Record<string, string>> {
  const { rows: tables } = await pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
    [schema],
  );
  const result: Record<string, string> = {};
  for (const { table_name: table } of tables) {
    const { rows: columns } = await pool.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
        WHERE table_schema = $1 AND table_name = $2 AND column_name <> 'updated_at' ORDER BY ordinal_position`,
      [schema, table],
    );
    const select = `SELECT ${columns.map((c) => `"${c.column_name}"`).join(', ')} FROM "${schema}"."${table}"`;
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) AS digest FROM (${select}) x`,
    );
    result[table] = `${rows[0].n}:${rows[0].digest}`;
  }
  return result;
}
