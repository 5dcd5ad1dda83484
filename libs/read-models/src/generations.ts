import type { Pool, PoolClient } from 'pg';

type Queryable = Pool | PoolClient;

const SCHEMA_NAME = /^rm_[0-9]+$/;

/**
 * A generation's schema name as a quoted identifier. Identifiers cannot be
 * query parameters; the name comes from our own table and is checked against
 * the same pattern the table's CHECK constraint enforces.
 */
export function schemaIdentifier(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`not a read-model schema: ${schema}`);
  return `"${schema}"`;
}

/** The schema of the generation that serves queries now. */
export async function activeSchema(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ schema_name: string }>(
    `SELECT schema_name FROM read_model_generations WHERE state = 'active'`,
  );
  if (!rows[0]) throw new Error('no active read-model generation (migrations not applied?)');
  return rows[0].schema_name;
}
