import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import type { EventStore, Position, RecordedEvent, Subscription } from '@ktt/event-store';
import { applyOrganizationEvents, ORGANIZATION_STREAM_PREFIX } from '../organizations/organization-projection';

export const ORGANIZATIONS_PROJECTION = 'organizations';

export type ProjectorStatus =
  | { state: 'starting' | 'waiting-for-lock' | 'running' | 'stopped'; position: string | null }
  | { state: 'failed'; position: string | null; failedAt: string; error: string };

/**
 * Runs the organization projection: subscribes to the global log from its
 * checkpoint and applies each batch in one transaction with the checkpoint
 * (architecture.md, "Reads"). One active projector per projection: a
 * session-level advisory lock, held on a dedicated connection. A failing
 * event stops the projector at that event (never skipped) and is reported
 * by `status()` (the health check turns red).
 */
export class Projector {
  private subscription: Subscription | null = null;
  private lockClient: PoolClient | null = null;
  private current: ProjectorStatus = { state: 'starting', position: null };
  private stopping = false;

  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly logger: Logger,
    private readonly projection = ORGANIZATIONS_PROJECTION,
  ) {}

  status(): ProjectorStatus {
    return this.current;
  }

  async start(): Promise<void> {
    this.lockClient = await this.pool.connect();
    // Losing this connection loses the lock; the subscription's next write reports the outage.
    this.lockClient.on('error', (error) => this.logger.warn({ err: error }, 'projector lock connection lost'));
    this.current = { state: 'waiting-for-lock', position: null };
    while (!this.stopping) {
      const { rows } = await this.lockClient.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
        `projection:${this.projection}`,
      ]);
      if (rows[0].locked) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    if (this.stopping) return;
    const after = await this.checkpoint();
    this.current = { state: 'running', position: after };
    this.logger.info({ projection: this.projection, after }, 'projector started');
    this.subscription = this.store.subscribe((batch) => this.applyBatch(batch), {
      after: (after ?? undefined) as Position | undefined,
      streamPrefixes: [ORGANIZATION_STREAM_PREFIX],
      batchSize: 500,
    });
    this.subscription.done.catch((error: Error & { failedAt?: string }) => {
      this.current = { state: 'failed', position: this.current.position, failedAt: error.failedAt ?? 'unknown', error: error.message };
      this.logger.error({ projection: this.projection, failedAt: error.failedAt, err: error }, 'projection stopped at a failing event');
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.subscription?.stop();
    if (this.lockClient) {
      await this.lockClient.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
      this.lockClient.release();
      this.lockClient = null;
    }
    if (this.current.state !== 'failed') this.current = { state: 'stopped', position: this.current.position };
  }

  async checkpoint(): Promise<string | null> {
    const { rows } = await this.pool.query<{ position: string }>('SELECT position FROM projection_checkpoints WHERE projection = $1', [this.projection]);
    return rows[0]?.position ?? null;
  }

  private async applyBatch(batch: RecordedEvent[]): Promise<void> {
    const client = await this.pool.connect();
    const last = batch[batch.length - 1];
    try {
      await client.query('BEGIN');
      try {
        await applyOrganizationEvents(client, batch);
      } catch (error) {
        // Name the batch's first position: the failing event is in it, and nothing of it was applied.
        Object.assign(error as object, { failedAt: batch[0].position });
        throw error;
      }
      await client.query(
        `INSERT INTO projection_checkpoints (projection, position, events_applied, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (projection) DO UPDATE SET position = EXCLUDED.position,
           events_applied = projection_checkpoints.events_applied + EXCLUDED.events_applied, updated_at = now()`,
        [this.projection, last.position, batch.length],
      );
      await client.query('COMMIT');
      this.current = { state: 'running', position: last.position };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
