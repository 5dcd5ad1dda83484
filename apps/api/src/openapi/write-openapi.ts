import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NestFactory } from '@nestjs/core';
import { Pool } from 'pg';
import { TokenService } from '@ktt/auth';
import { PostgresEventStore } from '@ktt/event-store';
import { loadConfig } from '@ktt/platform/config/app-config';
import { createLogger } from '@ktt/platform/logging/logger';
import { PROJECT_ROOT, type Runtime } from '@ktt/platform/runtime';
import { ApiModule } from '../api.module';
import { buildOpenApiDocument } from './openapi-document';

/**
 * `npm run openapi [file]`: writes the api's OpenAPI document (reports/openapi.json by default) without
 * starting a server or a database. Nest's preview mode reads the modules and their routes but builds no
 * provider, so the pool below is never connected. Every optional route is on (METRICS_TOKEN set), so the
 * document describes all the api can serve.
 */
async function main(): Promise<void> {
  const target = path.resolve(process.argv[2] ?? path.join(PROJECT_ROOT, 'reports', 'openapi.json'));
  const config = loadConfig({ METRICS_TOKEN: 'documented-only-metrics', LOG_LEVEL: 'silent' });
  const logger = createLogger('silent');
  const pool = new Pool({ connectionString: 'postgres://unused.invalid/none' });
  const runtime: Runtime = {
    config,
    databaseUrl: 'postgres://unused.invalid/none',
    pool,
    eventStore: new PostgresEventStore({ pool, connectionString: 'postgres://unused.invalid/none' }),
    plansDir: path.join(PROJECT_ROOT, 'data', 'plans'),
    dataDir: path.join(PROJECT_ROOT, 'data'),
    close: () => pool.end(),
  };
  const app = await NestFactory.create(ApiModule.register(runtime, logger, null, new TokenService('x'.repeat(32))), {
    preview: true,
    logger: false,
  });
  const document = buildOpenApiDocument(app);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  await app.close();
  await runtime.close();
  process.stdout.write(`${path.relative(process.cwd(), target)}: ${Object.keys(document.paths).length} paths\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`openapi: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
