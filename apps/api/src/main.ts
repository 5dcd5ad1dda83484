import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { seedAdministrativeUnits, seedPlans } from '@ktt/application';
import { resolveSigningSecret, TokenService } from '@ktt/auth';
import { loadConfig } from '@ktt/platform/config/app-config';
import { createLogger, PinoNestLogger } from '@ktt/platform/logging/logger';
import { openRuntime } from '@ktt/platform/runtime';
import { Projector } from '@ktt/read-models';
import { CheckpointIssuer, CheckpointStore, TransparencyLog, TreeBuilder } from '@ktt/transparency';
import { ApiModule } from './api.module';
import { configureHttp } from './http/configure-http';
import { browsable, printFirstAdminToken, writeFirstAdminToken } from './first-admin-token';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const runtime = await openRuntime(config, logger);
  const signing = await resolveSigningSecret({ fromEnvironment: config.jwtSecret, dataDir: config.dataDir, embedded: !config.databaseUrl });
  const tokens = new TokenService(signing.secret);
  const firstAdmin = signing.created ? await writeFirstAdminToken(tokens, config.dataDir) : null;
  // The map is law, not a demo: the 2025 merger is recorded on first start whatever SEED_PLANS says.
  if (await seedAdministrativeUnits(runtime.eventStore, runtime.dataDir)) logger.info('the 2025 reorganization of the provinces recorded from reference data');
  if (config.seedPlans) {
    const adopted = await seedPlans(runtime.eventStore, runtime.plansDir);
    if (adopted.length > 0) logger.info({ plans: adopted }, 'seeded plans adopted');
  }

  // The embedded default runs the projector in this process (RUN_PROJECTOR=false when it runs on its own).
  const projector = config.runProjector ? new Projector(runtime.pool, runtime.eventStore, logger, config.projectorBatchSize) : null;
  await projector?.start();
  // The verifiable log's tree is appended where the projector runs; its own advisory lock keeps one builder.
  const treeBuilder = config.runProjector ? new TreeBuilder(runtime.pool, runtime.eventStore, new TransparencyLog(runtime.pool), logger) : null;
  treeBuilder?.start();

  const app = await NestFactory.create<NestExpressApplication>(ApiModule.register(runtime, logger, projector, tokens), {
    bodyParser: false,
    logger: new PinoNestLogger(logger),
  });
  const { drain } = configureHttp(app, config, logger);
  // Checkpoints are signed beside the tree, every N events or T seconds (CheckpointStore.issue takes its own lock).
  const checkpointIssuer = config.runProjector
    ? new CheckpointIssuer(app.get(CheckpointStore), new TransparencyLog(runtime.pool), { everyEvents: config.transparencyCheckpointEvents, everySeconds: config.transparencyCheckpointSeconds }, logger)
    : null;
  checkpointIssuer?.start();

  // Our own signal handler, not Nest's shutdown hooks (which re-raise the signal and can exit before
  // the projector and the embedded PostgreSQL are stopped): Nest first finishes its in-flight requests.
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    // Each step runs even when an earlier one fails: the embedded PostgreSQL must never be left behind.
    for (const [step, close] of [
      ['drain', () => drain(app.getHttpServer())],
      ['http', () => app.close()],
      ['checkpoints', async () => checkpointIssuer?.stop()],
      ['tree', async () => treeBuilder?.stop()],
      ['projector', async () => projector?.stop()],
      ['runtime', () => runtime.close()],
    ] as const) {
      await close().catch((error: unknown) => logger.error({ err: error, step }, 'shutdown step failed'));
    }
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  // A closed terminal: the embedded server runs in its own process group now and would not get it.
  process.once('SIGHUP', () => void shutdown('SIGHUP'));

  await app.listen(config.port, config.host);
  const url = `http://${browsable(config.host)}:${config.port}`;
  logger.info({ host: config.host, port: config.port, url, docs: `${url}/docs` }, 'api listening');
  if (firstAdmin) printFirstAdminToken(firstAdmin, url);
}

bootstrap().catch((error) => {
  // The logger may not exist yet (bad configuration): stderr, then a non-zero exit.
  process.stderr.write(`api failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
