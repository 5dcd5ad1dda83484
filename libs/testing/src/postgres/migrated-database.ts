import type { Pool } from 'pg';
import { createTestDatabase, testPool, type TestDatabase } from './test-database';

export interface MigratedDatabase extends TestDatabase {
  pool: Pool;
  /** Closes the pool and drops the database. */
  dispose(): Promise<void>;
}

/**
 * A fresh database of its own with every migration applied (one per test
 * file or test), and a pool as the application role (test-database.ts).
 */
export async function createMigratedDatabase(prefix = 'test', poolSize = 20): Promise<MigratedDatabase> {
  const database = await createTestDatabase(prefix);
  const pool = testPool(database.url, poolSize);
  return {
    ...database,
    pool,
    async dispose() {
      await pool.end();
      await database.drop();
    },
  };
}
