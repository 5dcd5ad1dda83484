import type { Pool } from 'pg';
import type { EventStore, Position } from '@ktt/event-store';
import { activeSchema } from '../generations';
import { readCheckpoint } from '../projector/apply-batch';

/** The read models have not applied the asked position within the wait: answered 503 with Retry-After. */
export class ReadModelBehindError extends Error {
  readonly code = 'READ_MODEL_BEHIND';
}

/**
 * `minPosition` (api.md): a query answers once the read models have applied
 * that position. The projector checkpoints every event, so any command's
 * position is reached.
 */
export class ReadYourWrites {
  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly timeoutMs = 5_000,
  ) {}

  async waitFor(position: string | undefined): Promise<void> {
    if (!position) return;
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const checkpoint = await readCheckpoint(this.pool, await activeSchema(this.pool));
      if (checkpoint && this.store.comparePositions(checkpoint as Position, position as Position) >= 0) return;
      if (Date.now() >= deadline) {
        throw new ReadModelBehindError(`the read models have not reached position ${position} within ${this.timeoutMs / 1000} s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
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
}
