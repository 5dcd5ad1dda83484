import { parentPort, workerData } from 'node:worker_threads';
import { Client, type PoolClient } from 'pg';
import { projectChunks } from './timeline-chunks';

/**
 * A worker thread of the rebuild's timeline phase (timeline-phase.ts `inThreads`): the fold is Node's
 * work and took one core while PostgreSQL used 40 % of the other (top, national rebuild); in threads
 * the folds of two chunks run side by side. The thread has a connection of its own; the rebuild's
 * thread hands out chunks of organizations and counts them.
 *
 * Messages to the rebuild's thread: `next` (a chunk wanted), `projected` (how many), `finished`, or
 * `failed` with the error's fields (an error crosses threads as plain data).
 */
export interface TimelineThreadData {
  connectionString: string;
  schema: string;
  binaryCopy: boolean;
}

export type FromTimelineThread =
  | { type: 'next' }
  | { type: 'projected'; organizations: number }
  | { type: 'finished' }
  | { type: 'failed'; error: ThreadError };

export type ToTimelineThread = { type: 'chunk'; ids: string[] };

/** An error as it crosses from the thread: what the rebuild reports and tests look at. */
export interface ThreadError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  organizationId?: string;
  rows?: string;
}

async function main(port: NonNullable<typeof parentPort>, data: TimelineThreadData): Promise<void> {
  const waiting: ((ids: string[]) => void)[] = [];
  port.on('message', (message: ToTimelineThread) => waiting.shift()?.(message.ids));
  const next = () =>
    new Promise<string[]>((resolve) => {
      waiting.push(resolve);
      port.postMessage({ type: 'next' } satisfies FromTimelineThread);
    });
  const client = new Client({ connectionString: data.connectionString });
  try {
    await client.connect();
    // A Client is what a PoolClient is without `release`, which nothing below calls.
    await projectChunks(client as unknown as PoolClient, data.schema, { binaryCopy: data.binaryCopy, assertNoOverlap: true }, next, (organizations) =>
      port.postMessage({ type: 'projected', organizations } satisfies FromTimelineThread),
    );
    port.postMessage({ type: 'finished' } satisfies FromTimelineThread);
  } catch (error) {
    const { name, message, stack, code, organizationId, rows } = error as ThreadError;
    port.postMessage({ type: 'failed', error: { name, message, stack, code, organizationId, rows } } satisfies FromTimelineThread);
  } finally {
    // An open transaction (a failed chunk) ends with the connection: nothing of it is written.
    await client.end().catch(() => undefined);
    port.close();
  }
}

if (parentPort) void main(parentPort, workerData as TimelineThreadData);
