import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { seedPlans } from '@ktt/application';
import { resolveSigningSecret, TokenService } from '@ktt/auth';
import { loadConfig } from '@ktt/platform/config/app-config';
import { createLogger, PinoNestLogger } from '@ktt/platform/logging/logger';
import { openRuntime } from '@ktt/platform/runtime';
import { Projector } from '@ktt/read-models';
import { ApiModule } from './api.module';
import { installJsonBody } from './http/json-body';
import { drainOnShutdown } from './http/drain';
import { createValidationPipe } from './http/validation';
import { serveAdminUi } from './admin-ui/serve-admin-ui';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const runtime = await openRuntime(config, logger);
  const signing = await resolveSigningSecret({ fromEnvironment: config.jwtSecret, dataDir: config.dataDir, embedded: !config.databaseUrl });
  const tokens = new TokenService(signing.secret);
  if (signing.created) printFirstAdminToken(tokens);
  if (config.seedPlans) {
    const adopted = await seedPlans(runtime.eventStore, runtime.plansDir);
    if (adopted.length > 0) logger.info({ plans: adopted }, 'seeded plans adopted');
  }

  // The embedded default runs the projector in this process (RUN_PROJECTOR=false when it runs on its own).
  const projector = config.runProjector ? new Projector(runtime.pool, runtime.eventStore, logger, config.projectorBatchSize) : null;
  await projector?.start();

  const app = await NestFactory.create<NestExpressApplication>(ApiModule.register(runtime, logger, projector, tokens), {
    bodyParser: false,
    logger: new PinoNestLogger(logger),
  });
  // Security headers; the OpenAPI UI needs its own inline scripts, so /docs goes without a CSP.
  // No upgrade-insecure-requests: the embedded default is plain http on a LAN address, where it would send the
  // admin UI's own scripts to https and break the page; TLS belongs to the proxy in front (which adds it back).
  const strict = helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
  const relaxed = helmet({ contentSecurityPolicy: false });
  app.use((req: { path: string }, res: unknown, next: () => void) =>
    (req.path.startsWith('/docs') ? relaxed : strict)(req as never, res as never, next),
  );
  if (config.corsOrigins.length > 0) app.enableCors({ origin: config.corsOrigins, exposedHeaders: ['ETag', 'Retry-After'] });
  app.set('trust proxy', 'loopback'); // behind a TLS-terminating proxy on the same host: the client's address for rate limits
  const drain = drainOnShutdown(app.getHttpAdapter().getInstance());
  installJsonBody(app.getHttpAdapter().getInstance(), config.bodyLimit);
  app.useGlobalPipes(createValidationPipe());
  app.disable('x-powered-by');
  serveAdminUi(app, logger);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Collective economy registry')
      .setVersion('1')
      .addBearerAuth(
        { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        'bearer',
      )
      .setDescription(
        'System of record for cooperative groups, cooperatives and unions of cooperatives.\n\n' +
          '**Authentication**: every endpoint but /health, /metrics and /docs needs `Authorization: Bearer <token>`. ' +
          'Mint a token with `npm run cli -- token --role admin|registrar|auditor|analyst [--province 91] [--subject NAME]`; ' +
          'the first start of the embedded default prints an admin token. Click "Authorize" and paste the token.',
      )
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });

  // Our own signal handler, not Nest's shutdown hooks (which re-raise the signal and can exit before
  // the projector and the embedded PostgreSQL are stopped): Nest first finishes its in-flight requests.
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    // Each step runs even when an earlier one fails: the embedded PostgreSQL must never be left behind.
    for (const [step, close] of [
      ['drain', () => drain(app.getHttpServer())],
      ['http', () => app.close()],
      ['projector', async () => projector?.stop()],
      ['runtime', () => runtime.close()],
    ] as const) {
      await close().catch((error: unknown) => logger.error({ err: error, step }, 'shutdown step failed'));
    }
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await app.listen(config.port, '0.0.0.0');
  logger.info({ url: `http://localhost:${config.port}`, docs: `http://localhost:${config.port}/docs` }, 'api listening');
}

/** Once, when the embedded default generated its signing secret: the first way in. */
function printFirstAdminToken(tokens: TokenService): void {
  const token = tokens.sign({ role: 'admin', subject: 'first-admin', expiresInSeconds: 7 * 24 * 3600 });
  process.stdout.write(
    [
      '',
      'First start: a token signing secret was generated in the data directory.',
      'Admin token (valid 7 days; use it as "Authorization: Bearer <token>"):',
      token,
      'Mint more with: npm run cli -- token --role registrar --province 91 [--subject NAME]',
      '',
    ].join('\n'),
  );
}

bootstrap().catch((error) => {
  // The logger may not exist yet (bad configuration): stderr, then a non-zero exit.
  process.stderr.write(`api failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
