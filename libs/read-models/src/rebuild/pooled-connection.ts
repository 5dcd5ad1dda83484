import type { PoolClient } from 'pg';

/**
 * The pool is shared (an api process that rebuilds, a test): a connection goes
 * back with synchronous_commit as the server's default, or an append made on it
 * later could be acknowledged before it is flushed and lost to a crash.
 */
export async function releaseToPool(client: PoolClient): Promise<void> {
  try {
    await client.query('RESET synchronous_commit');
    client.release();
  } catch (error) {
    client.release(error as Error); // a broken connection is destroyed, not reused
  }
}
