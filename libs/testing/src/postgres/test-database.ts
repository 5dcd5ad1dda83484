import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { prepareDatabase } from '@ktt/platform/database/prepare-database';
import { withClient } from '@ktt/platform/database/with-client';

export interface TestDatabase {
  /** As the application role, what the api, projector and cli connect as (DATABASE_URL). */
  url: string;
  /** As the owner role: migrations, and what only the schema's owner may do. */
  ownerUrl: string;
  /** As the superuser: what an attacker with the server's superuser could do (tampering tests). */
  adminUrl: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A fresh database on the run's embedded server (started by global-setup),
 * owned by the owner role, migrated and granted as a deployment is
 * (platform/database/roles.ts), so that every test runs the application as
 * the least-privileged application role: an api given only `url` finds
 * nothing to migrate.
 */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL;
  const ownerUrl = process.env.TEST_DATABASE_OWNER_URL;
  const appUrl = process.env.TEST_DATABASE_APP_URL;
  if (!adminUrl || !ownerUrl || !appUrl) throw new Error('TEST_DATABASE_ADMIN_URL is not set: run this spec through jest (integration or e2e project)');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`.toLowerCase();
  const owner = new URL(ownerUrl).username;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name} OWNER "${owner}"`));
  const on = (url: string) => {
    const next = new URL(url);
    next.pathname = `/${name}`;
    return next.toString();
  };
  const database: TestDatabase = {
    url: on(appUrl),
    ownerUrl: on(ownerUrl),
    adminUrl: on(adminUrl),
    name,
    drop: () => withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
  await prepareDatabase({ ownerUrl: database.ownerUrl, appUrl: database.url });
  return database;
}

/**
 * A pool on a test database. An idle connection the server ends (the test's
 * own DROP DATABASE … WITH (FORCE) racing the pool's end, a restart in a
 * reliability test) is dropped from the pool, as the runtime's pool does
 * (platform/runtime.ts), instead of surfacing as an unhandled 'error' event
 * in whichever test is running: seen in CI as a failure of the first test of
 * test/plans.e2e-spec.ts, with the pool already ending.
 */
export function testPool(url: string, max: number): Pool {
  const pool = new Pool({ connectionString: url, max });
  pool.on('error', () => undefined);
  return pool;
}
