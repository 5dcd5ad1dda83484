import { Pool } from 'pg';
import { runMigrations } from '@ktt/platform/database/migrations';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface MigratedDatabase extends TestDatabase {
  pool: Pool;
  /** Closes the pool and drops the database. */
  dispose(): Promise<void>;
}

/** A fresh database of its own with every migration applied (one per test file or test). */
export async function createMigratedDatabase(prefix = 'test'): Promise<MigratedDatabase> {
  const database = await createTestDatabase(prefix);
  await runMigrations(database.url);
  const pool = new Pool({ connectionString: database.url, max: 20 });
  // As the runtime's pool does (platform/runtime.ts): an idle connection the server ends (the test's own
  // DROP DATABASE … WITH (FORCE), a restart in a reliability test) is dropped from the pool, not thrown
  // as an unhandled 'error' event into whichever test happens to be running (seen once in CI).
  pool.on('error', () => undefined);
  return {
    ...database,
    pool,
    async dispose() {
      await pool.end();
      await database.drop();
    },
  };
}
