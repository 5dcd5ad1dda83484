import type { Pool } from 'pg';
import { createMigratedDatabase, type MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { startApi, type ApiProcess } from './api-process';

/** The built api on a fresh test database, with a small pool on it: what most e2e specs start before their tests. */
export interface TestApi {
  database: MigratedDatabase;
  pool: Pool;
  api: ApiProcess;
  /** Stops the api, then closes the pool and drops the database. */
  stop(): Promise<void>;
}

/** `env` adds to (or overrides) DATABASE_URL, the test database's application role. */
export async function startTestApi(name: string, env: Record<string, string> = {}): Promise<TestApi> {
  const database = await createMigratedDatabase(name, 2);
  let api: ApiProcess;
  try {
    api = await startApi({ DATABASE_URL: database.url, ...env });
  } catch (error) {
    await database.dispose();
    throw error;
  }
  return {
    database,
    pool: database.pool,
    api,
    async stop() {
      await api.stop();
      await database.dispose();
    },
  };
}

/** How many events are stored: a refused request must leave it as it was. */
export async function eventCount(pool: Pool): Promise<number> {
  return (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0].n;
}

/**
 * Sends a request that must be refused: the status, a problem+json body (with `code` when given),
 * and no event written. Returns the problem.
 */
export async function expectRefused(pool: Pool, send: () => Promise<{ status: number; headers: Headers; body: any }>, status: number, code?: string) {
  const before = await eventCount(pool);
  const answer = await send();
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(answer.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  if (code) expect(answer.body.code).toBe(code);
  expect(await eventCount(pool)).toBe(before);
  return answer.body;
}

/** A command's answer: the status, `{ id, version, position }`, and the version as the ETag. */
export function expectCommandAnswer(answer: { status: number; headers: Headers; body: any }, status: number, id: string, version: number): void {
  expect(answer.status).toBe(status);
  expect(answer.body).toEqual({ id, version, position: expect.any(String) });
  expect(answer.headers.get('etag')).toBe(`"${version}"`);
}
