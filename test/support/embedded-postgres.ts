import path from 'node:path';
import { spawnNode, waitFor, type Child } from './reliability';

/** A PostgreSQL server in a process of its own (embedded-postgres-process.js): its URLs, and stop (clean) or kill (as an outage does). */
export interface PostgresProcess {
  url: string;
  ownerUrl: string;
  adminUrl: string;
  clusterDir: string;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

/**
 * startEmbeddedPostgres in a process of its own, then migrations and grants unless `prepare: false`.
 * Options: those of startEmbeddedPostgres (dataDir, port, database, runtimeDir, modulesDir); the same
 * dataDir and port start the same cluster again.
 */
export async function startPostgresProcess(options: Record<string, unknown>): Promise<PostgresProcess> {
  const child: Child = spawnNode(path.join(__dirname, 'embedded-postgres-process.js'), [JSON.stringify(options)], {});
  const line = await waitFor(
    () => child.output().split('\n').find((l) => l.startsWith('{"url"')) ?? (child.process.exitCode !== null ? Promise.reject(new Error(child.output())) : null),
    90_000,
    'the embedded PostgreSQL to start',
  );
  return { ...JSON.parse(line), stop: async () => void (await child.stop()), kill: async () => void (await child.kill()) };
}
