import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { TokenService, type Role } from '@ktt/auth';
import { freePort } from '@ktt/testing/free-port';

export const ROOT = path.resolve(__dirname, '..', '..');
const API_MAIN = path.join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');

export interface ApiProcess {
  baseUrl: string;
  /** Signs tokens with the api's secret. */
  tokens: TokenService;
  adminToken: string;
  /** A token as `cli token` mints it (with a jti); registrars get a named subject when the test gives none. */
  token(role: Role, provinces?: string[], subject?: string): string;
  process: ChildProcess;
  output(): string;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
}

/**
 * Starts the built api (`npm run build` output) as its own process: the
 * end-to-end suites test what a user runs, over real HTTP.
 */
export async function startApi(env: Record<string, string>, options: { generatedSecret?: boolean } = {}): Promise<ApiProcess> {
  if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: run "npm run build" first (npm test does)`);
  const port = await freePort();
  // Tests sign their own tokens with a secret of the run; rate limits only where a test asks for them.
  const secret = env.JWT_SECRET ?? randomBytes(32).toString('base64url');
  const tokens = new TokenService(secret);
  // generatedSecret: leave JWT_SECRET unset, as a user of the embedded default does (the api generates one).
  env = { RATE_LIMIT_PER_MINUTE: '0', AUTH_FAILURE_LIMIT_PER_MINUTE: '0', ...env, ...(options.generatedSecret ? {} : { JWT_SECRET: secret }) };
  let output = '';
  const child = spawn(process.execPath, [API_MAIN], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHealth(baseUrl, child, () => output);
  return {
    baseUrl,
    tokens,
    adminToken: tokens.sign({ role: 'admin', subject: 'e2e-admin' }),
    token: (role, provinces = [], subject) =>
      tokens.sign({ role, provinces, subject: subject ?? (role === 'registrar' ? `e2e-registrar-${[...provinces].sort().join('-')}` : undefined) }),
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

async function waitForHealth(baseUrl: string, child: ChildProcess, output: () => string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`api exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`api did not become healthy within ${timeoutMs} ms:\n${output()}`);
}
