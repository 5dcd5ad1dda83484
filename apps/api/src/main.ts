import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { seedPlans } from '@ktt/application';
import { loadConfig } from '@ktt/platform/config/app-config';
import { createLogger, PinoNestLogger } from '@ktt/platform/logging/logger';
import { openRuntime } from '@ktt/platform/runtime';
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

  const app = await NestFactory.create<NestExpressApplication>(ApiModule.register(runtime, logger), {
    bodyParser: false,
    logger: new PinoNestLogger(logger),
  });
  installJsonBody(app.getHttpAdapter().getInstance(), config.bodyLimit);
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
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

  // The runtime (pool, embedded PostgreSQL) closes after Nest has finished its in-flight requests.
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await app.close();
    await runtime.close();
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
