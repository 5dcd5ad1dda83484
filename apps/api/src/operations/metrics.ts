import { Controller, Get, Header, Inject, Injectable, Req, type NestMiddleware } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AuthenticationError } from '@ktt/auth';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { METRICS_TOKEN } from '../tokens';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP requests by method, route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

/** Times every request; the route pattern (not the URL) keeps label cardinality bounded. */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction) {
    const end = httpDuration.startTimer();
    res.on('finish', () => {
      const route = (req as { route?: { path?: string } }).route?.path ?? 'unmatched';
      end({ method: req.method, route: `${req.baseUrl}${route}`, status: String(res.statusCode) });
    });
    next();
  }
}

/**
 * Prometheus text behind a token of its own (api.md, "Operations"): METRICS_TOKEN
 * as a bearer token. Registered only when METRICS_TOKEN is set (api.module.ts),
 * so without it /metrics is not served at all (404). Not a user token: a
 * scraper needs no role, and a user token must not read process internals.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS_TOKEN) private readonly token: string) {}

  @Get()
  @Header('Content-Type', registry.contentType)
  metrics(@Req() request: Request) {
    const presented = /^Bearer (\S+)$/.exec(request.header('authorization')?.trim() ?? '')?.[1] ?? '';
    if (!sameSecret(presented, this.token)) throw new AuthenticationError('/metrics needs "Authorization: Bearer <METRICS_TOKEN>"');
    return registry.metrics();
  }
}

/** Constant-time comparison (of digests, so lengths leak nothing either). */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
