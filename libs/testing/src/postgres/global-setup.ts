import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startEmbeddedPostgres } from '../../../platform/src/database/embedded-postgres';
import { freePort } from '../free-port';

/**
 * One real PostgreSQL server (the embedded one) for the whole run; every test
 * file gets a database of its own (see `createTestDatabase`), so that files
 * running in parallel never share a global log (architecture.md, "Tests").
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_ADMIN_URL) return; // another project of this run started it
  const dataDir = await mkdtemp(path.join(tmpdir(), 'ktt-test-pg-'));
  const server = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    database: 'ktt_template_base',
    logger: pino({ level: process.env.TEST_PG_LOG ?? 'warn' }),
  });
  process.env.TEST_DATABASE_ADMIN_URL = server.adminUrl;
  // The roles of every test database (platform/database/roles.ts): the owner migrates, the app runs.
  process.env.TEST_DATABASE_OWNER_URL = server.ownerUrl;
  process.env.TEST_DATABASE_APP_URL = server.url;
  process.env.TEST_PG_DATA_DIR = dataDir;
  (globalThis as { __KTT_TEST_PG__?: typeof server }).__KTT_TEST_PG__ = server;
}
