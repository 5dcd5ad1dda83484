import type { PoolClient } from 'pg';
import { quoteIdentifier, schemaIdentifier } from '../generations';

export interface TableVisibility {
  table: string;
  pages: number;
  allVisible: number;
}

/** Pauses before each further VACUUM of a table left with pages not all-visible: 3.75 s in all. */
const PAUSES_MS = [250, 500, 1000, 2000];

/**
 * Whether a snapshot kept VACUUM from marking the table: more than 1 % of its pages unmarked. Such a
 * snapshot leaves every page written after it unmarked, most of the table (73 of 73 pages in CI). A few
 * pages are never marked anyway: those a bulk load's extension added and no row filled stay zeroed, and
 * VACUUM leaves them as they are (54 of 77,883 on the national log, still unmarked by a VACUUM with nothing
 * else running); they hold no row, so no index-only scan reads them.
 */
export function snapshotHeldBack(table: TableVisibility): boolean {
  return table.pages - table.allVisible > table.pages / 100;
}

/**
 * VACUUM marks a page all-visible only if no transaction of the database still running when it starts
 * could have missed a row on it, that is, one whose snapshot is older than the rebuild's last write:
 * a reader's long transaction, a live projector's batch or an autovacuum ANALYZE of the log that began
 * during the load. Pages left unmarked make progress and the list read the heap behind their covering
 * index (a list's index-only scan lost to a plain index scan in CI this way), and autovacuum, which
 * counts rows written rather than pages unmarked, need not come back to a table no one writes.
 *
 * So the rebuild looks at what its VACUUM left and vacuums a table again after a pause while a snapshot
 * held pages back (snapshotHeldBack): a second VACUUM reads only the unmarked pages, and such snapshots are usually gone within a
 * second. A transaction held longer than the pauses keeps its pages unmarked; the result says how
 * many, and the cli prints it.
 */
export async function vacuumUntilAllVisible(client: Pick<PoolClient, 'query'>, schema: string, tables: string[]): Promise<TableVisibility[]> {
  let visibility = await visibilityOf(client, schema, tables);
  for (const pause of PAUSES_MS) {
    const unmarked = visibility.filter(snapshotHeldBack);
    if (unmarked.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, pause));
    for (const { table } of unmarked) await client.query(`VACUUM ${schemaIdentifier(schema)}.${quoteIdentifier(table)}`);
    visibility = await visibilityOf(client, schema, tables);
  }
  return visibility;
}

/** Pages and all-visible pages as the last VACUUM of each table counted them (pg_class). */
export async function visibilityOf(client: Pick<PoolClient, 'query'>, schema: string, tables: string[]): Promise<TableVisibility[]> {
  const { rows } = await client.query<{ table: string; pages: number; all_visible: number }>(
    `SELECT c.relname AS table, c.relpages AS pages, c.relallvisible AS all_visible
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) ORDER BY c.relname`,
    [schema, tables],
  );
  return rows.map((row) => ({ table: row.table, pages: Number(row.pages), allVisible: Number(row.all_visible) }));
}
