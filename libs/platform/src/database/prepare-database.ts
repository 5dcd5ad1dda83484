import type { Logger } from 'pino';
import { runMigrations } from './migrations';
import { grantApplicationRole, roleOf } from './roles';
import { withClient } from './with-client';

/**
 * Migrations as the owner, then the application role's grants. With a
 * single URL (the owner and the application are one role, the older form)
 * only the migrations run; a role that can change events is reported.
 */
export async function prepareDatabase(options: { ownerUrl: string; appUrl: string; logger?: Logger }): Promise<void> {
  const { ownerUrl, appUrl, logger } = options;
  try {
    await runMigrations(ownerUrl, logger);
  } catch (error) {
    if ((error as { code?: string }).code === '42501' && ownerUrl === appUrl) {
      throw new Error(
        `the schema needs migrations that the role of DATABASE_URL may not apply (${(error as Error).message}); set MIGRATION_DATABASE_URL to the owner role (README, "Database roles")`,
        { cause: error },
      );
    }
    throw error;
  }
  const app = roleOf(appUrl);
  if (app && app !== roleOf(ownerUrl)) await grantApplicationRole(ownerUrl, app);
  const power = await withClient(appUrl, async (client) => {
    const { rows } = await client.query<{ superuser: boolean; update: boolean }>(
      `SELECT rolsuper AS superuser, has_table_privilege('public.events', 'UPDATE') OR pg_has_role((SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'events'), 'USAGE') AS update
         FROM pg_roles WHERE rolname = current_user`,
    );
    return rows[0];
  });
  if (power?.superuser || power?.update) {
    logger?.warn(
      { role: app, superuser: power.superuser },
      'the application connects to PostgreSQL as a role that can change or remove events (a superuser or their owner): give DATABASE_URL the application role and MIGRATION_DATABASE_URL the owner (README, "Database roles")',
    );
  }
}
