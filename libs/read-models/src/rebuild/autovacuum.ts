import type { PoolClient } from 'pg';
import { quoteIdentifier, schemaIdentifier } from '../generations';

/**
 * Autovacuum on the tables of a generation being built: off from its creation to its switch. No one
 * reads a building generation, and a vacuum of its half-loaded tables only takes CPU from the load:
 * PostgreSQL's launcher started on the new facts, audit trail and timeline while a national rebuild
 * was still writing them (pg_stat_progress_vacuum, bench/manual-measurements.md). The rebuild vacuums
 * the timeline itself before the switch (statistics and the visibility map its queries need); the
 * other tables are vacuumed by autovacuum once the switch has turned it on again, in the switch's own
 * transaction, so that an active generation never keeps it off.
 */
export async function setAutovacuum(client: Pick<PoolClient, 'query'>, schema: string, enabled: boolean): Promise<void> {
  const { rows } = await client.query<{ table: string }>(
    `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY c.relname`,
    [schema],
  );
  for (const { table } of rows) {
    const quoted = `${schemaIdentifier(schema)}.${quoteIdentifier(table)}`;
    await client.query(
      enabled
        ? `ALTER TABLE ${quoted} RESET (autovacuum_enabled, toast.autovacuum_enabled)`
        : `ALTER TABLE ${quoted} SET (autovacuum_enabled = false, toast.autovacuum_enabled = false)`,
    );
  }
}
