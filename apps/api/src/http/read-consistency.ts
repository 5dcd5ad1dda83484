import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Response } from 'express';
import type { Pool } from 'pg';
import { degradedFor, Generation, ReadYourWrites, type Degraded, type DegradedScope } from '@ktt/read-models';
import { RequestValidationError } from './problem';
import { PG_POOL } from '../tokens';

/** Header on every answer whose read models lack quarantined events (arrays cannot carry the `degraded` field). */
export const DEGRADED_HEADER = 'Read-Model-Degraded';

@Injectable()
export class ReadConsistency implements OnModuleDestroy {
  constructor(
    @Inject(ReadYourWrites) private readonly readYourWrites: ReadYourWrites,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  /**
   * `minPosition` (400 when malformed or beyond the head; waits until
   * applied), then the one generation the answer reads (architecture.md,
   * "Reads"): every query of the answer is given it, so a rebuild's switch
   * never mixes two generations in one answer.
   */
  async prepare(query: { minPosition?: string; knownAt?: string }): Promise<Generation> {
    if (query.minPosition !== undefined && !this.readYourWrites.isValid(query.minPosition)) {
      throw new RequestValidationError([{ path: 'minPosition', message: 'minPosition must be a position from a command answer' }]);
    }
    await this.readYourWrites.waitFor(query.minPosition);
    // After the wait: a switch during it lands on a generation that has applied the position too.
    return Generation.active(this.pool);
  }

  /**
   * Whether what the answer involves has quarantined events (api.md): sets
   * the header `Read-Model-Degraded: quarantinedEvents=<n>` and answers the
   * `degraded` value an object answer carries; null (no header) otherwise.
   */
  async degraded(generation: Generation, scope: DegradedScope, res: Response): Promise<Degraded | null> {
    const degraded = await degradedFor(generation, scope);
    if (degraded) res.setHeader(DEGRADED_HEADER, `quarantinedEvents=${degraded.quarantinedEvents}`);
    return degraded;
  }

  onModuleDestroy(): Promise<void> {
    return this.readYourWrites.close();
  }
}

/** The answer, with `degraded` when something it involves is quarantined (no such field otherwise). */
export function markDegraded<T extends object>(answer: T, degraded: Degraded | null): T & { degraded?: Degraded } {
  return degraded ? { ...answer, degraded } : answer;
}
