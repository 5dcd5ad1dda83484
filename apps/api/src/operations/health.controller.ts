import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Pool } from 'pg';
import type { EventStore } from '@ktt/event-store';
import type { Projector } from '@ktt/read-models';
import { Public } from '../auth/auth.decorators';
import { EVENT_STORE, PG_POOL, PROJECTOR } from '../tokens';

/** Liveness and readiness: 200 when the database and the event store answer, 503 naming what is wrong. */
@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTOR) private readonly projector: Projector | null,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.database(), () => this.eventStore(), () => this.projection()]);
  }

  private async database() {
    const indicator = this.indicators.check('database');
    try {
      await withTimeout(this.pool.query('SELECT 1'), 2_000);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: `PostgreSQL does not answer: ${(error as Error).message}` });
    }
  }

  /** Not ready when the in-process projector has stopped at a failing event (it never skips one). */
  private async projection() {
    const indicator = this.indicators.check('projector');
    if (!this.projector) return indicator.up({ inProcess: false });
    const status = this.projector.status();
    return status.state === 'failed' || status.state === 'waiting-for-database' ? indicator.down({ ...status }) : indicator.up({ ...status });
  }

  private async eventStore() {
    const indicator = this.indicators.check('eventStore');
    try {
      const head = await withTimeout(this.store.headPosition(), 2_000);
      return indicator.up({ engine: this.store.engine, headPosition: head });
    } catch (error) {
      return indicator.down({ engine: this.store.engine, message: (error as Error).message });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}
