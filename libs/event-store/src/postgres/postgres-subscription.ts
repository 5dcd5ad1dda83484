import type { BatchHandler, Position, RecordedEvent, Subscription } from '../event-store.port';
import { EventStoreUnavailableError } from '../errors';

interface Listener {
  wait(ms: number): Promise<void>;
  close(): Promise<void>;
}

interface PollingSubscriptionOptions {
  read(after: Position | undefined, limit: number): Promise<RecordedEvent[]>;
  listen(): Promise<Listener>;
  handler: BatchHandler;
  after?: Position;
  batchSize: number;
}

/**
 * Catch-up then live: read pages until the log is exhausted, then wait for a
 * NOTIFY (or a short poll, because a notification may arrive while an older
 * transaction still holds the readable horizon back) and read again.
 * Delivery is strictly sequential: the next page is read only after the
 * handler has finished with the previous one.
 */
export function startPollingSubscription(options: PollingSubscriptionOptions): Subscription {
  const POLL_MS = 250;
  const RETRY_MS = 1000;
  let stopped = false;
  let listener: Listener | null = null;
  let wakeFromStop: (() => void) | null = null;

  const run = async (): Promise<void> => {
    let cursor = options.after;
    while (!stopped) {
      let page: RecordedEvent[];
      try {
        listener ??= await options.listen();
        page = await options.read(cursor, options.batchSize);
      } catch (error) {
        if (!(error instanceof EventStoreUnavailableError)) throw error;
        // The database is away: wait and try again; the caller's health check reports the outage.
        await listener?.close();
        listener = null;
        await sleep(RETRY_MS, (wake) => (wakeFromStop = wake));
        continue;
      }
      if (page.length > 0) {
        await options.handler(page); // a handler error ends the subscription: never skip an event
        cursor = page[page.length - 1].position;
        continue;
      }
      await Promise.race([listener.wait(POLL_MS), new Promise<void>((resolve) => (wakeFromStop = resolve))]);
    }
  };

  const done = run().finally(() => listener?.close());
  return {
    done,
    async stop() {
      stopped = true;
      wakeFromStop?.();
      await done.catch(() => undefined);
    },
  };
}

function sleep(ms: number, onWake: (wake: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    onWake(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
