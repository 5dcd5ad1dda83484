import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@ktt/testing/free-port';
import { ROOT } from '../support/api-process';
import { cooperative } from '../support/fixtures';
import { httpClient } from '../support/http';
import { isAlive, postmasterPid, stopPostmaster } from '../support/postmaster';
import { recordFigures } from '../support/reliability';

const ROUNDS = 10;

/** `npm start` after its build: the same node flags and entry point, read from package.json. */
async function startCommand(): Promise<string[]> {
  const { scripts } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const run = scripts.start.split('&&').pop()!.trim().split(/\s+/);
  expect(run[0]).toBe('node');
  return run.slice(1);
}

interface Run {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** From SIGINT to the process's exit, in ms. */
  exitMs: number;
  output: string;
  /** The embedded PostgreSQL's pid while it ran. */
  server: number;
}

/**
 * Ctrl-C in the terminal `npm start` runs in: the embedded default (no
 * DATABASE_URL) started in a process group of its own, as a shell's job is,
 * and SIGINT sent to the whole group, as the terminal does. The embedded
 * PostgreSQL must not take that signal itself (it then stopped before the api
 * drained: four warnings, ten seconds): the api drains, then stops it.
 */
describe('reliability: Ctrl-C on npm start', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'ktt-ctrl-c-'));
  });
  afterAll(async () => {
    await stopPostmaster(dataDir);
    await rm(dataDir, { recursive: true, force: true });
  });

  async function startAndInterrupt(act: (baseUrl: string) => Promise<void>): Promise<Run> {
    const port = await freePort();
    const child = spawn(process.execPath, await startCommand(), {
      cwd: ROOT,
      detached: true, // a process group of its own, as the terminal gives a job
      env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), EMBEDDED_POSTGRES_PORT: String(await freePort()), DATABASE_URL: '', EVENTSTORE_CONNECTION_STRING: '', JWT_SECRET: '', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (code, signal) => resolve([code, signal])));
    const baseUrl = `http://127.0.0.1:${port}`;
    for (const deadline = Date.now() + 90_000; ; ) {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
      if (Date.now() > deadline) throw new Error(`not healthy in time:\n${output}`);
      if (await fetch(`${baseUrl}/health`).then((answer) => answer.ok, () => false)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await act(baseUrl);
    const server = postmasterPid(dataDir);
    expect(server).not.toBeNull();
    const signalledAt = Date.now();
    process.kill(-child.pid!, 'SIGINT');
    const [exitCode, signal] = await exited;
    return { exitCode, signal, exitMs: Date.now() - signalledAt, output, server: server! };
  }

  /** Exit 0 within a few seconds, nothing at WARN or above, no stack trace, no server left behind. */
  function expectClean(run: Run): void {
    expect({ exitCode: run.exitCode, signal: run.signal }).toEqual({ exitCode: 0, signal: null });
    const lines = run.output.split('\n');
    expect(lines.filter((line) => /"level":(4|5|6)\d/.test(line))).toEqual([]);
    expect(lines.filter((line) => /^\s+at |Error:/.test(line))).toEqual([]);
    expect(run.exitMs).toBeLessThan(3_000);
    expect(isAlive(run.server)).toBe(false); // stopped by the api before it exited, not left behind
  }

  it('exits 0 in about a second, without warnings, and keeps the data', async () => {
    let token = '';
    const body = cooperative();
    const first = await startAndInterrupt(async (baseUrl) => {
      token = (await readFile(path.join(dataDir, 'first-admin-token'), 'utf8')).trim();
      const http = httpClient(baseUrl, { token });
      expect((await http.post('/api/organizations', body)).status).toBe(201);
      expect((await http.get(`/api/organizations/${body.id}`)).status).toBe(200); // projected before the Ctrl-C
    });
    expectClean(first);

    const times: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const run = await startAndInterrupt(async (baseUrl) => {
        // What was written before the first Ctrl-C is still there on every start.
        const answer = await httpClient(baseUrl, { token }).get(`/api/organizations/${body.id}`);
        expect(answer.status).toBe(200);
        expect(answer.body.name).toBe(body.name);
      });
      expectClean(run);
      times.push(run.exitMs);
    }
    const sorted = [...times].sort((a, b) => a - b);
    recordFigures('ctrlC', {
      command: 'npm start (after its build), SIGINT to its process group',
      runs: ROUNDS,
      exitMs: times,
      medianMs: sorted[Math.floor(ROUNDS / 2)],
      maxMs: sorted[ROUNDS - 1],
      exitCodes: '0 each',
      linesAtWarnOrAbove: 0,
    });
  }, 600_000);

  // A guard rather than a fix: out of the terminal's process group, the server must still stop on this path.
  it('stops the embedded server when the api fails after starting it (its port taken): no orphan', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const taken = (blocker.address() as AddressInfo).port;
    try {
      const child = spawn(process.execPath, await startCommand(), {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dataDir, PORT: String(taken), EMBEDDED_POSTGRES_PORT: String(await freePort()), DATABASE_URL: '', EVENTSTORE_CONNECTION_STRING: '', JWT_SECRET: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout!.on('data', (chunk) => (output += chunk));
      child.stderr!.on('data', (chunk) => (output += chunk));
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(1);
      expect(output).toContain('api failed to start');
      const server = postmasterPid(dataDir);
      // Asked to stop (fast shutdown) as the process exits: gone within seconds, not left holding the data.
      for (let i = 0; i < 100 && server !== null && isAlive(server); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(server === null || !isAlive(server)).toBe(true);
    } finally {
      blocker.close();
    }
  });
});
