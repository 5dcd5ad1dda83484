import { Controller, Get, Inject, Req, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import type { Request, Response } from 'express';
import type { Pool } from 'pg';
import { TokenRevocations } from '@ktt/application';
import { TokenService } from '@ktt/auth';
import type { EventStore, Position } from '@ktt/event-store';
import { activeSchema, listQuarantined, type Projector } from '@ktt/read-models';
import { Public } from '../auth/auth.decorators';
import { authenticate } from '../auth/auth.guard';
import { BEARER_SCHEME } from '../openapi/openapi-document';
import { ProblemResponses } from '../openapi/problem-responses';
import { EVENT_STORE, PG_POOL, PROJECTOR } from '../tokens';

/** One readiness check's outcome: `down` makes /health 503; the other fields are for admins only. */
export interface CheckResult {
  status: 'up' | 'down';
  [detail: string]: unknown;
}

/**
 * Readiness (api.md, "Operations"). Without an admin token: `{ status: "up" |
 * "down" }` only, 200 or 503 — a load balancer needs no more, and nobody else
 * should read raw database errors, schema or constraint names. With an admin
 * token: every check's details and what is wrong. A check is one entry of
 * `checks()`: add one there and both views follow.
 */
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
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(TokenRevocations) private readonly revocations: TokenRevocations,
  ) {}

  /** The named checks, run concurrently. */
  private checks(): Record<string, () => Promise<CheckResult>> {
    return {
      database: () => this.database(),
      eventStore: () => this.eventStore(),
      projector: () => this.projection(),
      quarantine: () => this.quarantine(),
    };
  }

  @Get()
  @ApiOperation({ summary: 'Readiness: up or down (and, for an admin token, every check\'s details)' })
  @ApiBearerAuth(BEARER_SCHEME) // optional: without a token, the status only
  @ApiResponse({ status: 200, description: '`{ status: "up" }`' })
  @ApiResponse({ status: 503, description: '`{ status: "down" }`: a check failed (see Retry-After)' })
  @ProblemResponses(401, 429)
  async check(@Req() request: Request, @Res({ passthrough: true }) response: Response) {
    // A token that is present but not valid is a failed authentication (401, counted per address), never a hint.
    const principal = await authenticate(request, this.tokens, {
      // During a database outage an admin must still see what is wrong: the details hold no registry data.
      isRevoked: (jti) => this.revocations.isRevoked(jti).catch(() => false),
    });
    const result = await this.runChecks();
    const up = result.status === 'ok';
    response.status(up ? 200 : 503);
    if (!up) response.setHeader('Retry-After', '5');
    response.setHeader('Cache-Control', 'no-store');
    if (principal?.role !== 'admin') return { status: up ? 'up' : 'down' };
    return { status: up ? 'up' : 'down', details: result.details, error: result.error ?? {} };
  }

  /** Terminus runs the checks concurrently; a down check is its 503, whose body is the same report. */
  private async runChecks(): Promise<HealthCheckResult> {
    const indicators = Object.entries(this.checks()).map(([name, run]) => async () => {
      const { status, ...detail } = await run().catch(failed);
      const indicator = this.indicators.check(name);
      return status === 'up' ? indicator.up(detail) : indicator.down(detail);
    });
    try {
      return await this.health.check(indicators);
    } catch (error) {
      if (error instanceof ServiceUnavailableException) return error.getResponse() as HealthCheckResult;
      throw error;
    }
  }

  private quarantine(): Promise<CheckResult> {
    return quarantineCheck(this.pool);
  }

  private async database(): Promise<CheckResult> {
    try {
      await withTimeout(this.pool.query('SELECT 1'), 2_000);
      return { status: 'up' };
    } catch (error) {
      return { status: 'down', message: `PostgreSQL does not answer: ${(error as Error).message}` };
    }
  }

  private async eventStore(): Promise<CheckResult> {
    try {
      const head = await withTimeout(this.store.headPosition(), 2_000);
      return { status: 'up', engine: this.store.engine, headPosition: head };
    } catch (error) {
      return { status: 'down', engine: this.store.engine, message: (error as Error).message };
    }
  }

  /**
   * Not ready when the in-process projector has stopped or cannot reach its
   * database. The lag: where the log ends and where the projection stands.
   */
  private async projection(): Promise<CheckResult> {
    if (!this.projector) return { status: 'up', inProcess: false };
    const status = this.projector.status();
    const head = await withTimeout(this.store.headPosition(), 2_000).catch(() => null);
    const projected = status.position as Position | null;
    const lag = {
      headPosition: head,
      projectedPosition: projected,
      caughtUp: head === null || (projected !== null && this.store.comparePositions(projected, head) >= 0),
    };
    const down = status.state === 'failed' || status.state === 'waiting-for-database';
    return { status: down ? 'down' : 'up', ...status, lag };
  }
}

/**
 * Events the projector could not apply and holds (architecture.md, "Reads"),
 * named by stream. Up: the other streams are projected and answers that
 * involve these say they are degraded; an operator fixes and runs `projector retry`.
 */
async function quarantineCheck(pool: Pool): Promise<CheckResult> {
  const events = await listQuarantined(pool, await activeSchema(pool));
  const streams = [...new Set(events.map((event) => event.streamId))].map((streamId) => {
    const held = events.filter((event) => event.streamId === streamId);
    const first = held[0];
    return { streamId, organizationId: first.organizationId, provinceCode: first.provinceCode, events: held.length, position: first.position, eventId: first.eventId, type: first.type, error: first.error };
  });
  return { status: 'up', quarantinedEvents: events.length, streams };
}

function failed(error: unknown): CheckResult {
  return { status: 'down', message: (error as Error)?.message ?? String(error) };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}
