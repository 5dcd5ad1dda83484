import type { PoolClient } from 'pg';
import { quoteIdentifier as quote, schemaIdentifier } from '../generations';

/**
 * Bulk loading into tables without their secondary indexes, then building
 * each index once, is PostgreSQL's advice for large loads, and several times
 * faster here with the timeline's GiST indexes (bench/manual-measurements.md).
 *
 * Drops the exclusion constraints and the indexes that back no primary key or
 * unique constraint (those serve the loader's ON CONFLICT) of `tables` in
 * `schema`, and answers the statements that put them back, as PostgreSQL
 * itself describes them (pg_get_constraintdef, pg_get_indexdef), so a change
 * to the read-model schema needs no change here. Re-adding an exclusion
 * constraint checks every row: what it forbids is still refused.
 */
export async function dropSecondaryIndexes(client: PoolClient, schema: string, tables: string[]): Promise<string[]> {
  const quotedSchema = schemaIdentifier(schema);
  const restore: string[] = [];
  const { rows: constraints } = await client.query<{ table: string; name: string; definition: string }>(
    `SELECT t.relname AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = $1 AND t.relname = ANY($2) AND c.contype = 'x'
      ORDER BY t.relname, c.conname`,
    [schema, tables],
  );
  for (const { table, name, definition } of constraints) {
    await client.query(`ALTER TABLE ${quotedSchema}.${quote(table)} DROP CONSTRAINT ${quote(name)}`);
    restore.push(`ALTER TABLE ${quotedSchema}.${quote(table)} ADD CONSTRAINT ${quote(name)} ${definition}`);
  }
  const { rows: indexes } = await client.query<{ name: string; definition: string }>(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = $1 AND t.relname = ANY($2) AND NOT x.indisprimary AND NOT x.indisunique
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
      ORDER BY t.relname, i.relname`,
    [schema, tables],
  );
  for (const { name, definition } of indexes) {
    await client.query(`DROP INDEX ${quotedSchema}.${quote(name)}`);
    restore.push(definition);
  }
  return restore;
}
