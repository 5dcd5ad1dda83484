import type { Pool, PoolClient } from 'pg';

type Queryable = Pool | PoolClient;

/** A generation (`rm_<n>`) or an auditor's replay (`replay_<name>`, never active). */
const SCHEMA_NAME = /^(rm_[0-9]+|replay_[a-z0-9_]{1,40})$/;

/**
 * A generation's schema name as a quoted identifier. Identifiers cannot be
 * query parameters; the name comes from our own table (or the replay command,
 * which builds it from a checked name) and is checked against the pattern
 * `ktt_create_read_models` enforces.
 */
export function schemaIdentifier(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`not a read-model schema: ${schema}`);
  return `"${schema}"`;
}

/** A table's, index's or constraint's name as PostgreSQL reports it, quoted for a statement (a `"` doubled). */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The schema of the generation that serves queries now. */
export async function activeSchema(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ schema_name: string }>(
    `SELECT schema_name FROM read_model_generations WHERE state = 'active'`,
  );
  if (!rows[0]) throw new Error('no active read-model generation (migrations not applied?)');
  return rows[0].schema_name;
}

/**
 * One generation of the read models, bound to the pool that reads it: the
 * handle every query of one answer is given (architecture.md, "Reads"). A
 * request resolves it once (`Generation.active`), so a rebuild's switch
 * between two of its queries cannot mix two generations in one answer, and no
 * query looks up the active generation itself.
 */
export class Generation {
  /** The schema as a quoted SQL identifier: what the queries' SQL names its tables with. */
  readonly identifier: string;

  constructor(
    readonly pool: Pool,
    /** `rm_<n>`, or an auditor's replay (`replay_<name>`). */
    readonly schema: string,
  ) {
    this.identifier = schemaIdentifier(schema);
  }

  /** The generation that serves queries now. */
  static async active(pool: Pool): Promise<Generation> {
    return new Generation(pool, await activeSchema(pool));
  }
}
