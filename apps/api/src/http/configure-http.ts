import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { AppConfig } from '@ktt/platform/config/app-config';
import { serveAdminUi } from '../admin-ui/serve-admin-ui';
import { limitFailedAuthentication } from '../auth/auth-failure-limit';
import { buildOpenApiDocument } from '../openapi/openapi-document';
import { drainOnShutdown } from './drain';
import { installJsonBody } from './json-body';
import { refuseUndecodableQuery } from './query-encoding';
import { createValidationPipe } from './validation';

/**
 * Everything the HTTP layer adds around the Nest module, in order: headers,
 * CORS, proxy trust, limits, the JSON body, validation, the admin UI and the
 * OpenAPI document. main.ts and the in-process spec harness
 * (testing/api.test-harness.ts) both call it, so a spec meets the same app a
 * client does. Returns what stops the server gracefully (in-flight requests
 * first).
 */
export function configureHttp(app: NestExpressApplication, config: AppConfig, logger: Logger): { drain: ReturnType<typeof drainOnShutdown> } {
  // Security headers; the OpenAPI UI needs its own inline scripts, so /docs goes without a CSP.
  // No upgrade-insecure-requests: the embedded default is plain http on a LAN address, where it would send the
  // admin UI's own scripts to https and break the page; TLS belongs to the proxy in front (which adds it back).
  const strict = helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
  const relaxed = helmet({ contentSecurityPolicy: false });
  app.use((req: { path: string }, res: unknown, next: () => void) =>
    (req.path.startsWith('/docs') ? relaxed : strict)(req as never, res as never, next),
  );
  if (config.corsOrigins.length > 0) app.enableCors({ origin: config.corsOrigins, exposedHeaders: ['ETag', 'Retry-After', 'Read-Model-Degraded'] });
  // X-Forwarded-For names the client only when TRUST_PROXY says a proxy in front sets it: were it trusted
  // without one, a client would rotate the header to escape the per-address limits.
  app.set('trust proxy', config.trustProxy);
  // First of all: an address that keeps failing authentication is answered 429 before any work is done for it.
  if (config.authFailureLimitPerMinute > 0) app.use(limitFailedAuthentication(config.authFailureLimitPerMinute));
  app.use(refuseUndecodableQuery);
  const drain = drainOnShutdown(app.getHttpAdapter().getInstance());
  installJsonBody(app.getHttpAdapter().getInstance(), config.bodyLimit);
  app.useGlobalPipes(createValidationPipe());
  app.disable('x-powered-by');
  serveAdminUi(app, logger);

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return { drain };
}
