import type { Logger } from 'pino';
import { CheckpointRefusedError, type CheckpointedLog, type CheckpointStore, type StoredCheckpoint } from './checkpoint-store';

export interface CheckpointSchedule {
  /** Issue once the tree has grown by this many leaves since the latest checkpoint (TRANSPARENCY_CHECKPOINT_EVENTS)… */
  everyEvents: number;
  /** …or once this many seconds have passed since it, if the tree grew at all (TRANSPARENCY_CHECKPOINT_SECONDS). */
  everySeconds: number;
  /** How often the tree's size is looked at: the lag above the schedule (default 250 ms). */
  pollMs?: number;
}

export type IssuerStatus =
  | { state: 'running' | 'stopped'; treeSize: number | null; issuedAt: string | null }
  | { state: 'refused'; treeSize: number | null; issuedAt: string | null; error: string };

/**
 * Issues checkpoints as the log grows: every N events or T seconds, so that an
 * appended event is covered by a signed checkpoint within T seconds (plus the
 * tree's own lag and one poll) and a burst does not wait for the clock. Runs
 * beside the TreeBuilder, in the process that projects; CheckpointStore.issue
 * takes a lock, so a second issuer somewhere only finds nothing to do.
 * A refusal (the log no longer extends a signed checkpoint, or another key)
 * stops it, loudly: signing again would hide what happened.
 */
export class CheckpointIssuer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private latest: { treeSize: number; issuedAtMs: number } | null = null;
  private current: IssuerStatus = { state: 'stopped', treeSize: null, issuedAt: null };
  private lastTransientError: string | null = null;

  constructor(
    private readonly store: CheckpointStore,
    private readonly log: CheckpointedLog,
    private readonly schedule: CheckpointSchedule,
    private readonly logger: Logger,
  ) {}

  status(): IssuerStatus {
    return this.current;
  }

  start(): void {
    if (this.timer) return;
    this.current = { ...this.current, state: 'running' };
    this.timer = setInterval(() => {
      if (this.running) return; // never two ticks at once
      this.running = this.tick()
        .catch((error: unknown) => this.onError(error))
        .finally(() => (this.running = null));
    }, this.schedule.pollMs ?? 250);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    if (this.current.state === 'running') this.current = { ...this.current, state: 'stopped' };
  }

  /** One look at the tree: issues a checkpoint if the schedule says so. */
  async tick(now = Date.now()): Promise<StoredCheckpoint | null> {
    if (this.latest === null) {
      const stored = await this.store.latest();
      this.latest = stored ? { treeSize: stored.treeSize, issuedAtMs: Date.parse(stored.issuedAt) } : { treeSize: 0, issuedAtMs: 0 };
    }
    const size = await this.log.size();
    const grown = size - this.latest.treeSize;
    if (grown <= 0) return null;
    if (grown < this.schedule.everyEvents && now - this.latest.issuedAtMs < this.schedule.everySeconds * 1000) return null;
    const issued = await this.store.issue(this.log);
    // Null: another issuer signed meanwhile, or holds the lock; read the latest again next time.
    this.latest = issued ? { treeSize: issued.treeSize, issuedAtMs: now } : null;
    if (issued) {
      this.current = { state: 'running', treeSize: issued.treeSize, issuedAt: issued.issuedAt };
      this.lastTransientError = null;
      this.logger.debug({ treeSize: issued.treeSize }, 'checkpoint issued');
    }
    return issued;
  }

  private onError(error: unknown): void {
    if (error instanceof CheckpointRefusedError) {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
      this.current = { state: 'refused', treeSize: this.current.treeSize, issuedAt: this.current.issuedAt, error: error.message };
      this.logger.error({ err: error }, 'checkpoints are no longer issued');
      return;
    }
    // The database away, or the tree behind: tried again at the next poll, said once per kind of failure.
    const message = (error as Error)?.message ?? String(error);
    if (message !== this.lastTransientError) this.logger.warn({ err: error }, 'a checkpoint could not be issued; retrying');
    this.lastTransientError = message;
  }
}
