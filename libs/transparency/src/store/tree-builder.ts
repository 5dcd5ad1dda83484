import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import type { EventStore, Position, Subscription } from '@ktt/event-store';
import type { TransparencyLog } from './transparency-log';

/** Session advisory lock: one builder appends at a time, whichever process runs one. */
const BUILDER_LOCK = 'ktt:transparency-tree';

export type TreeBuilderStatus =
  | { state: 'starting' | 'waiting-for-lock' | 'running' | 'stopped'; treeSize: number | null }
  | { state: 'retrying'; treeSize: number | null; error: string };

/**
 * Keeps the stored tree up with the global log: subscribes (through the event
 * store's port, so both engines) after the last leaf's position and appends
 * each batch. Runs where the projector runs (the api in the embedded default,
 * apps/projector otherwise); its own advisory lock keeps one active builder.
 * Any failure — the database away, a rebuild's reset (TreeResetError) — ends
 * the subscription; it resumes from the stored size a second later, which is
 * safe because appends are idempotent by event id.
 */
export class TreeBuilder {
  private subscription: Subscription | null = null;
  private lockClient: PoolClient | null = null;
  private stopping = false;
  private retry: NodeJS.Timeout | null = null;
  private starting: Promise<void> | null = null;
  private current: TreeBuilderStatus = { state: 'starting', treeSize: null };

  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly log: TransparencyLog,
    private readonly logger: Logger,
    private readonly batchSize = 1000,
  ) {}

  status(): TreeBuilderStatus {
    return this.current;
  }

  /**
   * Returns at once: waiting for the lock (another process builds) or for the
   * database must not hold the api's start-up back; `status()` tells.
   */
  start(): void {
    this.stopping = false;
    this.starting = this.run().catch((error: Error) => this.onEnded(error));
  }

  private async run(): Promise<void> {
    await this.lock();
    if (this.stopping) return;
    const state = await this.log.state();
    this.current = { state: 'running', treeSize: state.size };
    this.logger.info({ treeSize: state.size }, 'transparency tree builder started');
    this.subscription = this.store.subscribe(
      async (batch) => {
        await this.log.appendEvents(batch);
        this.current = { state: 'running', treeSize: (this.current.treeSize ?? 0) + batch.length };
      },
      { after: (state.lastPosition ?? undefined) as Position | undefined, batchSize: this.batchSize },
    );
    this.subscription.done.then(
      () => undefined,
      (error: Error) => this.onEnded(error),
    );
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    await this.starting;
    await this.subscription?.stop();
    this.subscription = null;
    await this.unlock();
    this.current = { ...this.current, state: 'stopped' };
  }

  private onEnded(error: Error): void {
    if (this.stopping) return;
    this.subscription = null;
    this.current = { state: 'retrying', treeSize: this.current.treeSize, error: error.message };
    this.logger.warn({ err: error }, 'transparency tree builder stopped; resuming from the stored tree');
    this.retry = setTimeout(() => {
      this.retry = null;
      if (this.stopping) return;
      this.starting = this.unlock()
        .then(() => this.run())
        .catch((again: Error) => this.onEnded(again));
    }, 1000);
    this.retry.unref();
  }

  private async lock(): Promise<void> {
    this.current = { state: 'waiting-for-lock', treeSize: null };
    this.lockClient = await this.pool.connect();
    this.lockClient.on('error', this.onLockConnectionError);
    while (!this.stopping) {
      const { rows } = await this.lockClient.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [BUILDER_LOCK]);
      if (rows[0]!.locked) return;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  private readonly onLockConnectionError = (error: Error) => this.logger.warn({ err: error }, 'transparency tree lock connection lost');

  private async unlock(): Promise<void> {
    if (!this.lockClient) return;
    const client = this.lockClient;
    this.lockClient = null;
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [BUILDER_LOCK]).catch(() => undefined);
    client.off('error', this.onLockConnectionError);
    client.release();
  }
}
