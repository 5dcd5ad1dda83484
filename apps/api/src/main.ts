import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { seedPlans } from '@ktt/application';
import { loadConfig } from '@ktt/platform/config/app-config';
import { createLogger, PinoNestLogger } from '@ktt/platform/logging/logger';
import { openRuntime } from '@ktt/platform/runtime';
import { Projector } from '@ktt/read-models';
import { ApiModule } from './api.module';
import { installJsonBody } from './http/json-body';
import { createValidationPipe } from './http/validation';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const runtime = await openRuntime(config, logger);
  if (config.seedPlans) {
    const adopted = await seedPlans(runtime.eventStore, runtime.plansDir);
    if (adopted.length > 0) logger.info({ plans: adopted }, 'seeded plans adopted');
  }

  // The embedded default runs the projector in this process (RUN_PROJECTOR=false when it runs on its own).
  const projector = config.runProjector ? new Projector(runtime.pool, runtime.eventStore, logger) : null;
  await projector?.start();

  const app = await NestFactory.create<NestExpressApplication>(ApiModule.register(runtime, logger, projector), {
    bodyParser: false,
    logger: new PinoNestLogger(logger),
  });
  installJsonBody(app.getHttpAdapter().getInstance(), config.bodyLimit);
  app.useGlobalPipes(createValidationPipe());
  app.disable('x-powered-by');

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Collective economy registry')
      .setDescription('System of record for cooperative groups, cooperatives and unions of cooperatives (api.md)')
      .setVersion('1')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });

  // Our own signal handler, not Nest's shutdown hooks (which re-raise the signal and can exit before
  // the projector and the embedded PostgreSQL are stopped): Nest first finishes its in-flight requests.
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    // Each step runs even when an earlier one fails: the embedded PostgreSQL must never be left behind.
    for (const [step, close] of [
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

bootstrap().catch((error) => {
  // The logger may not exist yet (bad configuration): stderr, then a non-zero exit.
  process.stderr.write(`api failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
