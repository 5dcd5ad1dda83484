import type { PoolClient } from 'pg';
import { quoteIdentifier as quote, schemaIdentifier } from '../generations';

/** A unique index dropped for a bulk load, and the statements that build it again. */
export interface DeferredKey {
  table: string;
  index: string;
  restore: string[];
}

/**
 * Drops the unique indexes of `tables` in `schema`, primary keys included, and answers how to build each
 * again: the index as PostgreSQL describes it (pg_get_indexdef), then for a constraint the constraint
 * on that index (ADD CONSTRAINT … USING INDEX, which holds its table's lock only for the swap, not for
 * the build). A key kept up row by row costs more than one built at once when the rows come in random
 * order of it: a million random event ids cost 4.5 s inserted into audit_events' key and 0.35 s built
 * after (bench/manual-measurements.md, "Rebuild, round five"). The caller must build them again before
 * anything relies on them (an ON CONFLICT, a look-up) and before the generation is switched to.
 */
export async function dropUniqueIndexes(client: Pick<PoolClient, 'query'>, schema: string, tables: string[]): Promise<DeferredKey[]> {
  const quotedSchema = schemaIdentifier(schema);
  const { rows } = await client.query<{ table: string; index: string; definition: string; constraint: string | null; kind: string | null }>(
    `SELECT t.relname AS table, i.relname AS index, pg_get_indexdef(i.oid) AS definition, c.conname AS constraint, c.contype AS kind
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.contype IN ('p', 'u')
      WHERE n.nspname = $1 AND t.relname = ANY($2) AND x.indisunique
      ORDER BY t.relname, i.relname`,
    [schema, tables],
  );
  const deferred: DeferredKey[] = [];
  for (const row of rows) {
    const table = `${quotedSchema}.${quote(row.table)}`;
    if (row.constraint !== null) {
      await client.query(`ALTER TABLE ${table} DROP CONSTRAINT ${quote(row.constraint)}`);
      const kind = row.kind === 'p' ? 'PRIMARY KEY' : 'UNIQUE';
      deferred.push({
        table: row.table,
        index: row.index,
        restore: [row.definition, `ALTER TABLE ${table} ADD CONSTRAINT ${quote(row.constraint)} ${kind} USING INDEX ${quote(row.index)}`],
      });
    } else {
      await client.query(`DROP INDEX ${quotedSchema}.${quote(row.index)}`);
      deferred.push({ table: row.table, index: row.index, restore: [row.definition] });
    }
  }
  return deferred;
}
