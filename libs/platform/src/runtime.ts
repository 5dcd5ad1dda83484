import path from 'node:path';
import { Pool } from 'pg';
import type { Logger } from 'pino';
import type { EventStore } from '@ktt/event-store';
import { PostgresEventStore } from '@ktt/event-store';
import type { EventStoreDbEventStore } from '@ktt/event-store/eventstoredb';
import type { AppConfig } from './config/app-config';
import { startEmbeddedPostgres, type RunningPostgres } from './database/embedded-postgres';
import { prepareDatabase } from './database/prepare-database';

export interface Runtime {
  config: AppConfig;
  databaseUrl: string;
  /** Read models, checkpoints and (by default) the events. */
  pool: Pool;
  eventStore: EventStore;
  /** Where the plans the project carries are (data/plans). */
  plansDir: string;
  /** The project's data folder (plans, reference data). */
  dataDir: string;
  close(): Promise<void>;
}

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..', ...(__dirname.includes(`${path.sep}dist${path.sep}`) ? ['..'] : []));

/**
 * The EventStoreDB adapter and its gRPC client, loaded only when configured: about 16 MB of every process's
 * RSS otherwise (the api's, the cli's), for the embedded default that never uses them. (require: tsc-alias
 * rewrites its path as it does the imports'.)
 */
const eventStoreDb = (): { EventStoreDbEventStore: typeof EventStoreDbEventStore } => require('@ktt/event-store/eventstoredb');

/**
 * Opens what every process needs: PostgreSQL (external by DATABASE_URL or the
 * embedded one), the schema migrated (as the owner role; the process then
 * connects as the application role, database/roles.ts), and the event store (PostgreSQL, or
 * EventStoreDB when EVENTSTORE_CONNECTION_STRING is set).
 */
export async function openRuntime(config: AppConfig, logger: Logger): Promise<Runtime> {
  let embedded: RunningPostgres | null = null;
  let databaseUrl = config.databaseUrl;
  // Migrations as the owner role, the rest as the application role (roles.ts); one URL may still do both.
  let ownerUrl = config.migrationDatabaseUrl ?? databaseUrl;
  if (!databaseUrl || !ownerUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPostgresPort,
      database: 'ktt',
      logger,
      detached: true, // every caller stops it on SIGINT/SIGTERM, after its own work has drained
    });
    databaseUrl = embedded.url;
    ownerUrl = embedded.ownerUrl;
  }
  await prepareDatabase({ ownerUrl, appUrl: databaseUrl, logger });
  const pool = new Pool({ connectionString: databaseUrl, max: 20, connectionTimeoutMillis: 5_000 });
  // An idle client losing its server (restart, outage) must not crash the process; the next query reports it.
  pool.on('error', (error) => logger.warn({ err: connectionError(error) }, 'idle PostgreSQL connection lost'));
  // A checked-out client has no listener of the pool's: when its server goes away between two queries
  // (a transaction in flight), pg emits 'error' on the client and, unhandled, that killed the process
  // (test/reliability/database-outage.e2e-spec.ts). The query in flight or the next one reports it.
  pool.on('connect', (client) => client.on('error', (error) => logger.debug({ err: connectionError(error) }, 'PostgreSQL connection lost')));
  // pool.end() resolves once its clients are asked to end, not once they have: closing waits for them,
  // or stopping the embedded server right after cut them off mid-goodbye (a warning each on Ctrl-C).
  const open = new Set<Promise<void>>();
  pool.on('connect', (client) => {
    const ended: Promise<void> = new Promise<void>((resolve) => client.once('end', () => resolve())).then(() => void open.delete(ended));
    open.add(ended);
  });
  const eventStore: EventStore = config.eventStoreConnectionString
    ? eventStoreDb().EventStoreDbEventStore.fromConnectionString(config.eventStoreConnectionString)
    : new PostgresEventStore({ pool, connectionString: databaseUrl });
  logger.info({ eventStore: eventStore.engine, embeddedPostgres: Boolean(embedded) }, 'runtime ready');
  return {
    config,
    databaseUrl,
    pool,
    eventStore,
    plansDir: path.join(PROJECT_ROOT, 'data', 'plans'),
    dataDir: path.join(PROJECT_ROOT, 'data'),
    async close() {
      await eventStore.close();
      await pool.end();
      await Promise.race([Promise.all(open), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
      await embedded?.stop();
    },
  };
}

/** The error without pg's `client` property (the whole connection object, a page of log per line). */
function connectionError(error: Error & { code?: string }): { message: string; code?: string } {
  return { message: error.message, code: error.code };
}
