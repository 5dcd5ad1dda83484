import { digestSchema } from '@ktt/testing/postgres/digest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import { ROOT } from './api-process';

/** Helpers of the reliability suites (test/reliability): processes to crash, digests to compare, figures to report. */

export const PROJECTOR_MAIN = path.join(ROOT, 'dist', 'apps', 'projector', 'src', 'main.js');
export const CLI_MAIN = path.join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');
export const REPORT_FILE = path.join(ROOT, 'reports', 'reliability.json');

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor<T>(probe: () => Promise<T | false | null | undefined> | T | false | null | undefined, timeoutMs: number, what = 'condition', everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
}

export interface Child {
  process: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** SIGTERM and wait. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait. */
  kill(): Promise<number | null>;
}

export function spawnNode(script: string, args: string[], env: Record<string, string>): Child {
  let output = '';
  const child = spawn(process.execPath, [script, ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    process: child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}

/** The projector as its own process (external mode). */
export function startProjector(databaseUrl: string, env: Record<string, string> = {}): Child {
  return spawnNode(PROJECTOR_MAIN, [], { DATABASE_URL: databaseUrl, SEED_PLANS: 'false', ...env });
}

/** Runs a cli command to its end; rejects on a non-zero exit. */
export async function runCli(args: string[], databaseUrl: string, timeoutMs = 120_000): Promise<string> {
  const child = spawnNode(CLI_MAIN, args, { DATABASE_URL: databaseUrl, JWT_SECRET: 'x'.repeat(32) });
  const timer = setTimeout(() => void child.kill(), timeoutMs);
  const code = await child.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`cli ${args.join(' ')} exited with ${code}:\n${child.output()}`);
  return child.output();
}

export async function activeSchema(pool: Pool): Promise<string> {
  const { rows } = await pool.query(`SELECT schema_name FROM read_model_generations WHERE state = 'active'`);
  return rows[0].schema_name;
}

/** The projector's checkpoint position in the active generation (null before the first batch). */
export async function checkpoint(pool: Pool, schema?: string): Promise<string | null> {
  const s = schema ?? (await activeSchema(pool));
  const { rows } = await pool.query(`SELECT position FROM "${s}".projection_checkpoints`);
  return rows[0]?.position ?? null;
}

/** The position of the last event ("<xid>.<global position>"), as the checkpoint writes it. */
export async function headPosition(pool: Pool): Promise<string | null> {
  const { rows } = await pool.query(`SELECT transaction_id::text || '.' || global_position AS p FROM events ORDER BY transaction_id DESC, global_position DESC LIMIT 1`);
  return rows[0]?.p ?? null;
}

/** Row-for-row digest of a generation's tables (libs/testing/src/postgres/digest.ts). */
export const digest = digestSchema;

/** Merges one suite's figures into reports/reliability.json (test/reliability/write-report.js turns it into bench/RELIABILITY.md). */
export function recordFigures(section: string, figures: Record<string, unknown>): void {
  mkdirSync(path.dirname(REPORT_FILE), { recursive: true });
  let report: Record<string, unknown> = {};
  if (existsSync(REPORT_FILE)) {
    try {
      report = JSON.parse(readFileSync(REPORT_FILE, 'utf8'));
    } catch {
      report = {};
    }
  }
  report[section] = { ...figures, measuredAt: new Date().toISOString() };
  writeFileSync(REPORT_FILE, JSON.stringify(report, null, 2) + '\n');
}

/** Runs test/reliability/load-worker.js processes in parallel; resolves with their reports. */
export interface LoadReport {
  sent: number;
  acknowledged: { registrationNumber: string; id: string; version: number; position: string; key?: string }[];
  failed: Record<string, number>;
}

export function startLoadWorker(env: Record<string, string>): { child: Child; report: Promise<LoadReport> } {
  const child = spawnNode(path.join(ROOT, 'test', 'reliability', 'load-worker.js'), [], env);
  const report = child.exited.then((code) => {
    const line = child.output().trim().split('\n').at(-1) ?? '';
    try {
      return JSON.parse(line) as LoadReport;
    } catch {
      throw new Error(`load worker exited with ${code} without a report:\n${child.output()}`);
    }
  });
  return { child, report };
}
