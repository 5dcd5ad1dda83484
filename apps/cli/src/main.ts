import 'reflect-metadata';
import { seedPlans } from '@ktt/application';
import { loadConfig } from '@ktt/platform/config/app-config';
import { createLogger } from '@ktt/platform/logging/logger';
import { openRuntime } from '@ktt/platform/runtime';

const USAGE = `usage: npm run cli -- <command>

commands:
  migrate      apply pending migrations (DATABASE_URL, or the embedded PostgreSQL under DATA_DIR)
  seed-plans   adopt the plans in data/plans that are not adopted yet
  help         this text

The read-model commands (rebuild, replay, verify, demo, token, generate) arrive with their issues.`;

/** Admin commands. Thin: each one opens the runtime and calls into libs/. */
async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const runtime = await openRuntime(config, logger); // opening applies the migrations
  try {
    switch (command) {
      case 'migrate':
        process.stdout.write('migrations applied\n');
        return 0;
      case 'seed-plans': {
        const adopted = await seedPlans(runtime.eventStore, runtime.plansDir);
        process.stdout.write(adopted.length ? `adopted: ${adopted.join(', ')}\n` : 'every plan was adopted already\n');
        return 0;
      }
      default:
        process.stderr.write(`unknown command "${command}"\n\n${USAGE}\n`);
        return 2;
    }
  } finally {
    await runtime.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
