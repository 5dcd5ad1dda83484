import { Client, type Pool } from 'pg';
import type { EventStore, Position } from '@ktt/event-store';
import { activeSchema } from '../generations';
import { readCheckpoint } from '../projector/apply-batch';
import { CHECKPOINT_CHANNEL } from '../projector/projector';

/** The read models have not applied the asked position within the wait: answered 503 with Retry-After. */
export class ReadModelBehindError extends Error {
  readonly code = 'READ_MODEL_BEHIND';
}

/** `minPosition` is past the head of the log: no wait can reach it (400 at once). */
export class PositionBeyondHeadError extends Error {
  readonly code = 'POSITION_BEYOND_HEAD';
}

/**
 * `minPosition` (api.md): a query answers once the read models have applied
 * that position. The projector checkpoints every event, so any command's
 * position is reached. A position past the head of the log is refused at
 * once. Waiting wakes on the projector's NOTIFY, sent in the transaction
 * that moves the checkpoint (projector.ts), over one LISTEN connection per
 * process: it works whether the projector runs in this process or another.
 * A slow re-check covers a notification lost with its connection.
 */
export class ReadYourWrites {
  private listener: Promise<Client> | null = null;
  private readonly waiters = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly timeoutMs = 5_000,
    private readonly recheckMs = 1_000,
  ) {}

  async waitFor(position: string | undefined): Promise<void> {
    if (!position) return;
    if (await this.reached(position)) return;
    const head = await this.store.headPosition();
    if (head === null || this.store.comparePositions(position as Position, head) > 0) {
      throw new PositionBeyondHeadError(`minPosition ${position} is beyond the head of the log (${head ?? 'empty'}): it is not a position this service answered`);
    }
    const deadline = Date.now() + this.timeoutMs;
    await this.listen().catch(() => undefined); // without it the re-check still answers, only later
    for (;;) {
      // Registered before the check: a notification that arrives between the check and the wait is not lost.
      const woken = this.nextNotification(Math.min(this.recheckMs, Math.max(0, deadline - Date.now())));
      if (await this.reached(position)) return woken.cancel();
      if (Date.now() >= deadline) {
        woken.cancel();
        throw new ReadModelBehindError(`the read models have not reached position ${position} within ${this.timeoutMs / 1000} s`);
      }
      await woken.promise;
    }
  }

  /** Whether the engine can read this position token (else the request is malformed). */
  isValid(position: string): boolean {
    try {
      this.store.comparePositions(position as Position, position as Position);
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.waiters) wake();
    const listener = this.listener;
    this.listener = null;
    if (listener) await (await listener.catch(() => null))?.end().catch(() => undefined);
  }

  private async reached(position: string): Promise<boolean> {
    const checkpoint = await readCheckpoint(this.pool, await activeSchema(this.pool));
    return checkpoint !== null && this.store.comparePositions(checkpoint as Position, position as Position) >= 0;
  }

  private nextNotification(ms: number): { promise: Promise<void>; cancel(): void } {
    let wake!: () => void;
    const promise = new Promise<void>((resolve) => (wake = resolve));
    const timer = setTimeout(() => done(), ms);
    const done = () => {
      clearTimeout(timer);
      this.waiters.delete(done);
      wake();
    };
    this.waiters.add(done);
    return { promise, cancel: done };
  }

  /** One LISTEN connection, opened on the first wait; a lost one is opened again by the next. */
  private listen(): Promise<Client> {
    if (this.closed) return Promise.reject(new Error('closed'));
    if (this.listener) return this.listener;
    const client = new Client(this.pool.options);
    let opened: Promise<Client> | null = null;
    const forget = () => {
      if (this.listener === opened) this.listener = null;
      client.end().catch(() => undefined);
    };
    opened = (async () => {
      client.on('notification', () => {
        for (const wake of [...this.waiters]) wake();
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${CHECKPOINT_CHANNEL}`);
        return client;
      } catch (error) {
        forget();
        throw error;
      }
    })();
    client.on('error', forget);
    client.on('end', forget);
    this.listener = opened;
    return this.listener;
  }
}
