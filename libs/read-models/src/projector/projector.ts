import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import type { EventStore, Position, RecordedEvent, Subscription } from '@ktt/event-store';
import { activeSchema } from '../generations';
import { PROJECTION, readCheckpoint } from './apply-batch';
import { isConnectionError } from './connection-errors';
import { applyBatchIsolating, quarantineStoredNonCanonicalStreams } from './quarantine';

/** NOTIFY channel: a checkpoint moved (payload: the schema). Sent at commit, so readers waiting on `minPosition` wake then. */
export const CHECKPOINT_CHANNEL = 'read_model_checkpoint';

export type ProjectorStatus =
  | { state: 'starting' | 'waiting-for-lock' | 'running' | 'stopped'; schema: string | null; position: string | null }
  | { state: 'waiting-for-database'; schema: string | null; position: string | null; error: string }
  | { state: 'failed'; schema: string | null; position: string | null; failedAt: string; error: string };

/** Thrown inside a batch when a rebuild has switched the active generation: restart on the new one. */
class GenerationSwitched extends Error {}

/**
 * Keeps the active read-model generation up to date: subscribes to the global
 * log from the generation's checkpoint and applies each batch in one
 * transaction with the checkpoint (architecture.md, "Reads"). One active
 * projector per generation: a session-level advisory lock on a dedicated
 * connection; others wait. An event that cannot be applied is quarantined
 * with the rest of its stream (quarantine.ts) and the other streams go on;
 * only an error outside any one event (the database, a bug in the batch
 * itself) stops the projector, reported by `status()`.
 */
export class Projector {
  private subscription: Subscription | null = null;
  private lockClient: PoolClient | null = null;
  private schema: string | null = null;
  private current: ProjectorStatus = { state: 'starting', schema: null, position: null };
  private stopping = false;
  private switchWatch: NodeJS.Timeout | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly logger: Logger,
    private readonly batchSize = 1000,
  ) {}

  status(): ProjectorStatus {
    return this.current;
  }

  async start(): Promise<void> {
    this.schema = await activeSchema(this.pool);
    await this.lock(this.schema);
    if (this.stopping) return;
    await this.quarantineNonCanonicalStreams(this.schema);
    const after = await readCheckpoint(this.pool, this.schema);
    this.current = { state: 'running', schema: this.schema, position: after };
    this.logger.info({ schema: this.schema, after }, 'projector started');
    const schema = this.schema;
    this.subscription = this.store.subscribe((batch) => this.applyInTransaction(schema, batch), {
      after: (after ?? undefined) as Position | undefined,
      batchSize: this.batchSize,
    });
    this.subscription.done.then(
      () => undefined,
      (error: Error & { failedAt?: string }) => this.onSubscriptionEnded(error),
    );
    this.watchForSwitch(schema);
  }

  /** Streams that older code stored under a non-canonical id and projected: quarantined on this start (quarantine.ts). */
  private async quarantineNonCanonicalStreams(schema: string): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const found = await quarantineStoredNonCanonicalStreams(client, schema);
      await client.query('COMMIT');
      if (found.length > 0) {
        this.logger.error({ schema, streams: [...new Set(found.map((event) => event.streamId))], events: found.length }, 'quarantined streams stored under a non-canonical id');
      }
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** An idle projector learns of a rebuild's switch too (a busy one learns it in its next batch). */
  private watchForSwitch(schema: string): void {
    this.switchWatch = setInterval(() => {
      activeSchema(this.pool)
        .then(async (active) => {
          if (this.current.state === 'waiting-for-database' && this.switchWatch && !this.stopping) {
            this.current = { state: 'running', schema, position: this.current.position };
          }
          if (active === schema || this.stopping || this.current.state !== 'running' || !this.switchWatch) return;
          this.clearWatch();
          this.logger.info({ from: schema, to: active }, 'read models were rebuilt: following the new generation');
          await this.subscription?.stop();
          await this.unlock();
          await this.start();
        })
        .catch((error: unknown) => {
          // The database is away. An idle subscription only retries its reads (it never ends for an
          // outage), so say so here: /health must not report a projector that cannot reach its database as running.
          if (isConnectionError(error) && this.current.state === 'running' && this.switchWatch && !this.stopping) {
            this.current = { state: 'waiting-for-database', schema, position: this.current.position, error: (error as Error).message };
          }
        });
    }, 1000);
    this.switchWatch.unref();
  }

  private clearWatch(): void {
    if (this.switchWatch) clearInterval(this.switchWatch);
    this.switchWatch = null;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.clearWatch();
    await this.subscription?.stop();
    await this.unlock();
    if (this.current.state !== 'failed') this.current = { ...this.current, state: 'stopped' };
  }

  private async onSubscriptionEnded(error: Error & { failedAt?: string }): Promise<void> {
    if (isConnectionError(error) && !this.stopping) {
      // The database went away: nothing of the batch was committed; wait and resume from the checkpoint.
      this.clearWatch();
      this.current = { state: 'waiting-for-database', schema: this.schema, position: this.current.position, error: error.message };
      this.logger.warn({ err: error }, 'projector lost the database; resuming when it is back');
      await this.unlock().catch(() => undefined);
      await this.resumeWhenDatabaseIsBack();
      return;
    }
    if (error instanceof GenerationSwitched && !this.stopping) {
      this.clearWatch();
      this.logger.info({ from: this.schema }, 'read models were rebuilt: following the new generation');
      await this.unlock();
      await this.start();
      return;
    }
    this.current = {
      state: 'failed',
      schema: this.schema,
      position: this.current.position,
      failedAt: error.failedAt ?? 'unknown',
      error: error.message,
    };
    this.logger.error({ schema: this.schema, failedAt: error.failedAt, err: error }, 'projection stopped at a failing event');
  }

  private async resumeWhenDatabaseIsBack(): Promise<void> {
    while (!this.stopping) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      try {
        await this.start();
        return;
      } catch (error) {
        if (!isConnectionError(error)) throw error;
        this.current = { state: 'waiting-for-database', schema: this.schema, position: this.current.position, error: (error as Error).message };
      }
    }
  }

  private async lock(schema: string): Promise<void> {
    this.lockClient = await this.pool.connect();
    // Losing this connection loses the lock; the next batch's write reports the outage.
    this.lockClient.on('error', this.onLockConnectionError);
    this.current = { state: 'waiting-for-lock', schema, position: null };
    while (!this.stopping) {
      const { rows } = await this.lockClient.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
        `projection:${PROJECTION}:${schema}`,
      ]);
      if (rows[0].locked) return;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  private readonly onLockConnectionError = (error: Error) => this.logger.warn({ err: error }, 'projector lock connection lost');

  private async unlock(): Promise<void> {
    if (!this.lockClient) return;
    await this.lockClient.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    // The client goes back to the pool: take our listener off, or every restart adds one.
    this.lockClient.off('error', this.onLockConnectionError);
    this.lockClient.release();
    this.lockClient = null;
  }

  private async applyInTransaction(schema: string, batch: RecordedEvent[]): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // FOR SHARE: a rebuild's switch (which locks the table) waits for this batch, or this batch for the switch.
      const { rows } = await client.query<{ schema_name: string }>(
        `SELECT schema_name FROM read_model_generations WHERE state = 'active' FOR SHARE`,
      );
      if (rows[0]?.schema_name !== schema) throw new GenerationSwitched(`active generation is now ${rows[0]?.schema_name}`);
      let quarantined;
      try {
        quarantined = await applyBatchIsolating(client, schema, batch);
      } catch (error) {
        // Nothing of the batch is applied; its first position is where the projector stands still.
        Object.assign(error as object, { failedAt: batch[0].position });
        throw error;
      }
      await client.query('SELECT pg_notify($1, $2)', [CHECKPOINT_CHANNEL, schema]);
      await client.query('COMMIT');
      for (const event of quarantined) {
        this.logger.error({ schema, position: event.position, streamId: event.streamId, eventId: event.eventId, type: event.type, reason: event.reason, error: event.error }, 'event quarantined: its stream is no longer projected until `projector retry`');
      }
      this.current = { state: 'running', schema, position: batch[batch.length - 1].position };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
