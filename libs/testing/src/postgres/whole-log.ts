import type { Pool } from 'pg';
import type { EventStore, RecordedEvent } from '@ktt/event-store';

/**
 * Every event of the log, read through `readAll` once it shows them all.
 * The global log shows an event only once no older transaction runs
 * anywhere on the server (the (xid8, position) cursor of architecture.md),
 * and other test files share the server: right after an append, a
 * transaction of another file can hide it for a moment (seen in CI:
 * upcasting.int-spec.ts projected a log without its last events).
 */
export async function readWholeLog(store: EventStore, pool: Pool, timeoutMs = 15_000): Promise<RecordedEvent[]> {
  const stored = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0].n;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = await store.readAll({ limit: stored + 1 });
    if (events.length >= stored) return events;
    if (Date.now() > deadline) throw new Error(`the global log shows ${events.length} of ${stored} stored events after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
