import { Client } from 'pg';
import { sharedBuffersMegabytes } from './server-memory';

/** The embedded server (the one the tests run on, started by startEmbeddedPostgres) runs with the sized shared_buffers. */
describe("the embedded server's memory", () => {
  it('runs with shared_buffers sized to the machine', async () => {
    const client = new Client({ connectionString: process.env.TEST_DATABASE_ADMIN_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ mb: number }>(`SELECT setting::bigint * 8192 / 1048576 AS mb FROM pg_settings WHERE name = 'shared_buffers'`);
      expect(Number(rows[0].mb)).toBe(sharedBuffersMegabytes());
    } finally {
      await client.end();
    }
  });
});
