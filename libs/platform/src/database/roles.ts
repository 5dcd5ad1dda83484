import type { Client } from 'pg';
import { withClient } from './with-client';

/**
 * Least privilege (architecture.md, "Runtime modes"): two database roles.
 *
 * - the **owner** runs the migrations and owns the schema: the events table,
 *   its append-only trigger and the functions;
 * - the **application** role (api, projector, cli) may read and append events
 *   and owns the read-model generations (it creates them on every rebuild and
 *   replay), but cannot UPDATE, DELETE or TRUNCATE events and, not owning the
 *   table, cannot drop or disable its trigger. It is never a superuser.
 *
 * The owner is a member of the application role, so that migrations may
 * still change the generations the application role owns.
 */
export const OWNER_ROLE = 'ktt_owner';
export const APP_ROLE = 'ktt_app';

/** A generation (`rm_<n>`) or an auditor's replay (`replay_<name>`), as generations.ts names them. */
const READ_MODEL_SCHEMA = '^(rm_[0-9]+|replay_[a-z0-9_]{1,40})$';

export interface RoleCredentials {
  name: string;
  password: string;
}

/**
 * As the superuser: the two roles exist, log in with these passwords, hold
 * no power beyond their grants, and the owner may act as the application role.
 * Idempotent; concurrent starters serialise on an advisory lock.
 */
export async function ensureRoles(adminUrl: string, owner: RoleCredentials, app: RoleCredentials): Promise<void> {
  await withClient(adminUrl, async (client) => {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', ['ktt:roles']);
    try {
      for (const role of [owner, app]) {
        const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role.name]);
        const verb = rowCount ? 'ALTER' : 'CREATE';
        await client.query(
          `${verb} ROLE ${ident(role.name)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT PASSWORD ${literal(role.password)}`,
        );
      }
      const { rowCount } = await client.query('SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE r.rolname = $1 AND u.rolname = $2', [app.name, owner.name]);
      if (!rowCount) await client.query(`GRANT ${ident(app.name)} TO ${ident(owner.name)}`);
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', ['ktt:roles']).catch(() => undefined);
    }
  });
}

/**
 * As the superuser, connected to the database: a database made before the
 * roles existed (the application then connected as the superuser) passes,
 * with every object of ours in it, to the owner role. Objects that belong to
 * an extension stay where they are. Idempotent: nothing left to move is a no-op.
 */
export async function adoptDatabase(superuserDatabaseUrl: string, owner: string): Promise<number> {
  return withClient(superuserDatabaseUrl, async (client) => {
    const mine = `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = o.oid AND d.deptype = 'e')`;
    const userSchemas = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'`;
    const statements: string[] = [];
    const { rows: schemas } = await client.query<{ name: string }>(
      `SELECT n.nspname AS name FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner
        WHERE r.rolsuper AND ${userSchemas} AND n.nspname <> 'public'
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = n.oid AND d.deptype = 'e')`,
    );
    for (const { name } of schemas) statements.push(`ALTER SCHEMA ${ident(name)} OWNER TO ${ident(owner)}`);
    // Tables, views and sequences not owned by a column (those follow their table, as indexes do).
    const { rows: relations } = await client.query<{ schema: string; name: string; kind: string }>(
      `SELECT n.nspname AS schema, o.relname AS name, o.relkind AS kind
         FROM pg_class o JOIN pg_namespace n ON n.oid = o.relnamespace JOIN pg_roles r ON r.oid = o.relowner
        WHERE r.rolsuper AND ${userSchemas} AND o.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND ${mine}
          AND NOT (o.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = o.oid AND d.deptype IN ('a', 'i')))`,
    );
    for (const { schema, name, kind } of relations) {
      const what = kind === 'S' ? 'SEQUENCE' : kind === 'v' ? 'VIEW' : kind === 'm' ? 'MATERIALIZED VIEW' : kind === 'f' ? 'FOREIGN TABLE' : 'TABLE';
      statements.push(`ALTER ${what} ${ident(schema)}.${ident(name)} OWNER TO ${ident(owner)}`);
    }
    const { rows: routines } = await client.query<{ signature: string }>(
      `SELECT o.oid::regprocedure::text AS signature
         FROM pg_proc o JOIN pg_namespace n ON n.oid = o.pronamespace JOIN pg_roles r ON r.oid = o.proowner
        WHERE r.rolsuper AND ${userSchemas} AND ${mine}`,
    );
    for (const { signature } of routines) statements.push(`ALTER ROUTINE ${signature} OWNER TO ${ident(owner)}`);
    const { rows: database } = await client.query<{ name: string; superuser: boolean }>(
      `SELECT d.datname AS name, r.rolsuper AS superuser FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba WHERE d.datname = current_database()`,
    );
    if (database[0].superuser) statements.push(`ALTER DATABASE ${ident(database[0].name)} OWNER TO ${ident(owner)}`);
    if (statements.length === 0) return 0;
    await client.query('BEGIN');
    try {
      for (const statement of statements) await client.query(statement);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    return statements.length;
  });
}

/**
 * As the owner, after the migrations: what the application role may do.
 * Run on every start, so the tables a new migration adds are granted too.
 *
 * - events: SELECT, and INSERT without choosing the position (REVOKE takes back any broader grant);
 * - transparency_checkpoints: SELECT and INSERT (signed checkpoints are never rewritten);
 * - every other table of the public schema: read and write; schema_migrations: read;
 * - the database: CREATE, for the schemas of new generations and replays;
 * - existing generations and replays pass to the application role, which
 *   rebuilds, replays and drops them.
 */
export async function grantApplicationRole(ownerUrl: string, app: string): Promise<void> {
  await withClient(ownerUrl, async (client) => {
    const { rows: member } = await client.query<{ member: boolean; superuser: boolean }>(
      `SELECT pg_has_role(current_user, $1, 'MEMBER') AS member, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`,
      [app],
    );
    if (!member[0]?.member && !member[0]?.superuser) {
      throw new Error(
        `the owner role (${await currentUser(client)}) must be a member of the application role "${app}" to hand it the read-model generations: run GRANT ${ident(app)} TO ${ident(await currentUser(client))}; as a superuser (README, "Database roles")`,
      );
    }
    await client.query('SELECT pg_advisory_lock(hashtext($1))', ['ktt:migrations']);
    try {
      await client.query('BEGIN');
      const a = ident(app);
      const { rows: db } = await client.query<{ name: string }>('SELECT current_database() AS name');
      await client.query(`GRANT CONNECT, TEMPORARY, CREATE ON DATABASE ${ident(db[0].name)} TO ${a}`);
      await client.query(`GRANT USAGE ON SCHEMA public TO ${a}`);
      const { rows: tables } = await client.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')`,
      );
      for (const { name } of tables) {
        const table = `public.${ident(name)}`;
        if (name === 'events') {
          // INSERT of the event's own columns only: the position (transaction id, global position) is the
          // database's to give; an event written with an old transaction id would land behind every reader.
          const { rows: columns } = await client.query<{ name: string }>(
            `SELECT attname AS name FROM pg_attribute WHERE attrelid = 'public.events'::regclass AND attnum > 0 AND NOT attisdropped
                AND attname NOT IN ('transaction_id', 'global_position') ORDER BY attnum`,
          );
          await client.query(`REVOKE ALL ON ${table} FROM ${a}`);
          await client.query(`GRANT SELECT ON ${table} TO ${a}`);
          await client.query(`GRANT INSERT (${columns.map((column) => ident(column.name)).join(', ')}) ON ${table} TO ${a}`);
        } else if (name === 'schema_migrations') {
          await client.query(`GRANT SELECT ON ${table} TO ${a}`);
        } else if (name === 'transparency_checkpoints') {
          // Signed commitments verifiers may hold (issue 18): issued, never rewritten (its trigger refuses it too).
          await client.query(`REVOKE ALL ON ${table} FROM ${a}`);
          await client.query(`GRANT SELECT, INSERT ON ${table} TO ${a}`);
        } else {
          await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO ${a}`);
        }
      }
      await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${a}`);
      const { rows: schemas } = await client.query<{ name: string }>(
        `SELECT nspname AS name FROM pg_namespace WHERE nspname ~ $1 AND nspowner <> (SELECT oid FROM pg_roles WHERE rolname = $2)`,
        [READ_MODEL_SCHEMA, app],
      );
      for (const { name } of schemas) {
        await client.query(`ALTER SCHEMA ${ident(name)} OWNER TO ${a}`);
        const { rows: owned } = await client.query<{ name: string }>(
          `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')`,
          [name],
        );
        for (const table of owned) await client.query(`ALTER TABLE ${ident(name)}.${ident(table.name)} OWNER TO ${a}`);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', ['ktt:migrations']).catch(() => undefined);
    }
  });
}

/** The user name of a postgres:// URL. */
export function roleOf(url: string): string | null {
  try {
    return decodeURIComponent(new URL(url).username) || null;
  } catch {
    return null;
  }
}

/** The same URL with another user and password. */
export function withCredentials(url: string, role: RoleCredentials): string {
  const next = new URL(url);
  next.username = encodeURIComponent(role.name);
  next.password = encodeURIComponent(role.password);
  return next.toString();
}

async function currentUser(client: Client): Promise<string> {
  return (await client.query<{ name: string }>('SELECT current_user AS name')).rows[0].name;
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
