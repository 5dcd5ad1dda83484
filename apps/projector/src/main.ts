import 'reflect-metadata';
import { loadConfig } from '@ktt/platform/config/app-config';
import { createLogger } from '@ktt/platform/logging/logger';
import { openRuntime } from '@ktt/platform/runtime';
import { Projector } from '@ktt/read-models';
import { CheckpointIssuer, openCheckpointStore, TransparencyLog, TreeBuilder } from '@ktt/transparency';

/** The projector as a process of its own (external mode); the embedded default runs it inside the api. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const runtime = await openRuntime(config, logger);
  const projector = new Projector(runtime.pool, runtime.eventStore, logger, config.projectorBatchSize);
  await projector.start();
  // The verifiable log's tree is appended beside the projection; its own advisory lock keeps one builder.
  const treeBuilder = new TreeBuilder(runtime.pool, runtime.eventStore, new TransparencyLog(runtime.pool), logger);
  treeBuilder.start();
  // Checkpoints are signed beside the tree, every N events or T seconds (CheckpointStore.issue takes its own lock).
  const checkpoints = await openCheckpointStore(runtime.pool, config, logger);
  const checkpointIssuer = new CheckpointIssuer(checkpoints, new TransparencyLog(runtime.pool), { everyEvents: config.transparencyCheckpointEvents, everySeconds: config.transparencyCheckpointSeconds }, logger);
  checkpointIssuer.start();
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'projector shutting down');
    await checkpointIssuer.stop();
    await treeBuilder.stop();
    await projector.stop(); // lets the batch in flight commit with its checkpoint
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  process.stderr.write(`projector failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
