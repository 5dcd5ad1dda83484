import { Client } from 'pg';

/** One connection for one piece of work, always closed after it (a pool would outlive a short setup step). */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
