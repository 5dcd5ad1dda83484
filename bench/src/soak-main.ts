import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { OrganizationCommandHandler, seedPlans } from '@ktt/application';
import { PostgresEventStore } from '@ktt/event-store';
import { startEmbeddedPostgres } from '@ktt/platform/database/embedded-postgres';
import { prepareDatabase } from '@ktt/platform/database/prepare-database';
import { createLogger } from '@ktt/platform/logging/logger';
import { dataSetChoice, DEMO_TODAY, loadDataSet } from './dataset';
import { freePort, positiveInteger } from './knobs';
import { note } from './progress';
import { runSoak, soakSection } from './soak';

/**
 * The soak on its own (until `npm run bench` runs it with BENCH_SOAK=1):
 *
 *   npm run build && BENCH_SOAK_MINUTES=1 BENCH_DATASET=generate BENCH_SCALE=small node dist/bench/src/soak-main.js
 *   BENCH_SOAK_DATA_DIR=/tmp/copy-of-a-data-dir node dist/bench/src/soak-main.js   (a log already there, e.g. a national one)
 *
 * Without BENCH_SOAK_DATA_DIR: a fresh embedded PostgreSQL in a temporary directory holding the bench's data
 * set (BENCH_DATASET / BENCH_SCALE, bench/src/dataset.ts), removed afterwards. With it: the embedded
 * PostgreSQL of that DATA_DIR (database `ktt`, as the cli and the api use it), which the soak writes to —
 * give it a copy (BENCH_SOAK_DESCRIPTION names that log in the report). Prints the report's section (markdown) on stdout and writes
 * the plot to bench/soak.svg (BENCH_SOAK_SVG: elsewhere).
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');

async function main(): Promise<void> {
  const minutes = positiveInteger('BENCH_SOAK_MINUTES', 10);
  const existing = process.env.BENCH_SOAK_DATA_DIR;
  const dataDir = existing ? path.resolve(existing) : await mkdtemp(path.join(os.tmpdir(), 'ktt-soak-'));
  const logger = createLogger('warn');
  const port = await freePort();
  note(`soak: embedded PostgreSQL on 127.0.0.1:${port} in ${dataDir}`);
  const postgres = await startEmbeddedPostgres({ dataDir, port, database: existing ? 'ktt' : 'ktt_bench', logger });
  const pool = new Pool({ connectionString: postgres.url, max: 10, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => undefined);
  const store = new PostgresEventStore({ pool, connectionString: postgres.url });
  try {
    await prepareDatabase({ ownerUrl: postgres.ownerUrl, appUrl: postgres.url, logger });
    await seedPlans(store, path.join(ROOT, 'data', 'plans'));
    let description: string;
    let provinces = ['91', '15'];
    let today: string = DEMO_TODAY;
    if (existing) {
      description = process.env.BENCH_SOAK_DESCRIPTION ?? `the log of ${existing}`;
    } else {
      const dataset = await loadDataSet(dataSetChoice(), { commands: new OrganizationCommandHandler(store), store, pool, root: ROOT });
      description = `${dataset.kind} at scale ${dataset.scale}`;
      provinces = dataset.queryProvinces;
      today = dataset.today;
    }
    const result = await runSoak({ pool, store, databaseUrl: postgres.url, root: ROOT, minutes, provinces, today, tag: Date.now().toString(36), dataset: description, svgPath: process.env.BENCH_SOAK_SVG });
    process.stdout.write(`${soakSection(result).join('\n')}\n`);
  } finally {
    await store.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await postgres.stop().catch(() => undefined);
    if (!existing && process.env.BENCH_KEEP !== '1') await rm(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
