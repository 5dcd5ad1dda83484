import { rm } from 'node:fs/promises';

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { __KTT_TEST_PG__?: { stop(): Promise<void> } };
  const server = holder.__KTT_TEST_PG__;
  if (!server) return;
  holder.__KTT_TEST_PG__ = undefined;
  await server.stop();
  if (process.env.TEST_PG_DATA_DIR) await rm(process.env.TEST_PG_DATA_DIR, { recursive: true, force: true });
  delete process.env.TEST_DATABASE_ADMIN_URL;
  delete process.env.TEST_DATABASE_OWNER_URL;
  delete process.env.TEST_DATABASE_APP_URL;
}
