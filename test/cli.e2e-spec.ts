import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { freePort } from '@ktt/testing/free-port';
import { ROOT } from './support/api-process';
import { isAlive, postmasterPid } from './support/postmaster';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `npm run cli -- <args>`, as a user types it, in the embedded default (no DATABASE_URL). */
function npmRunCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  const started = Date.now();
  const child = spawn('npm', ['run', 'cli', '--silent', '--', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', EVENTSTORE_CONNECTION_STRING: '', JWT_SECRET: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started })));
}

/** The first hour with the cli: it answers at once, and refuses what it cannot do before starting anything. */
describe('npm run cli', () => {
  let home: string;
  let dataDir: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'ktt-cli-'));
    dataDir = path.join(home, 'data'); // never made: nothing below needs the database
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('runs the built cli without rebuilding the project when nothing changed', async () => {
    await npmRunCli(['help'], { DATA_DIR: dataDir }); // builds only if a source changed since the last build
    const help = await npmRunCli(['help'], { DATA_DIR: dataDir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: npm run cli -- <command>');
    expect(help.stderr).not.toContain('building');
    expect(help.ms).toBeLessThan(3_000); // a full build took about 9 s
  });

  it('refuses an unknown command before the database starts, naming the commands', async () => {
    const run = await npmRunCli(['frobnicate'], { DATA_DIR: dataDir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown command "frobnicate"; the commands are: migrate, seed-plans, demo, generate, token, rebuild, replay, projector, verify, import, verify-extract, verify-log, help');
    expect(existsSync(dataDir)).toBe(false); // no embedded PostgreSQL was started for it
    expect(run.ms).toBeLessThan(3_000);
  });

  it('runs the verifier\'s commands without a database: a wrong command line is 2, an unreadable extract 1', async () => {
    const usage = await npmRunCli(['verify-extract'], { DATA_DIR: dataDir });
    expect(usage).toMatchObject({ code: 2, stderr: expect.stringContaining('usage: npm run cli -- verify-extract <extract.json> --key') });
    const missing = await npmRunCli(['verify-extract', path.join(home, 'none.json'), '--key', 'x+00000000+AA=='], { DATA_DIR: dataDir });
    expect(missing).toMatchObject({ code: 1, stdout: expect.stringMatching(/^FAILED  cannot read .*none\.json as JSON/m) });
    expect((await npmRunCli(['verify-log', '--url', 'http://127.0.0.1:9'], { DATA_DIR: dataDir })).code).toBe(2);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('stops the embedded PostgreSQL it started when interrupted with Ctrl-C (no orphan holding the data)', async () => {
    const ownData = await mkdtemp(path.join(tmpdir(), 'ktt-cli-interrupted-')); // made reachable by the server's user when root
    const child = spawn('npm', ['run', 'cli', '--silent', '--', 'demo'], {
      cwd: ROOT,
      detached: true, // a process group of its own, as the terminal gives a job
      env: { ...process.env, DATABASE_URL: '', EVENTSTORE_CONNECTION_STRING: '', JWT_SECRET: '', DATA_DIR: ownData, EMBEDDED_POSTGRES_PORT: String(await freePort()) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const exited = once(child, 'exit');
    // Interrupted mid-demo: once the server it started holds the data directory and commands are flowing.
    for (let i = 0; i < 600 && !(postmasterPid(ownData) !== null && existsSync(path.join(ownData, 'postgres-owner.pid'))); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // the demo under way
    const server = postmasterPid(ownData);
    expect({ server, running: child.exitCode === null, output }).toEqual({ server: expect.any(Number), running: true, output });
    process.kill(-child.pid!, 'SIGINT');
    await exited;
    for (let i = 0; i < 100 && isAlive(server!); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(isAlive(server!)).toBe(false);
    await rm(ownData, { recursive: true, force: true });
  }, 120_000);

  it('refuses a token for a province code that names no province', async () => {
    const run = await npmRunCli(['token', '--role', 'registrar', '--province', '99', '--subject', 'nguyen-van-a'], { DATA_DIR: dataDir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--province 99 names no province');
    expect(run.stdout).toBe(''); // no token printed
  });
});
