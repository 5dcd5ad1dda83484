import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { kibToMB, peakSampler, scriptNodeFlags } from './node-process';
import { note } from './progress';

/**
 * `cli rebuild` as an operator runs it (`npm run cli -- rebuild`): the built cli in its own Node
 * process with the Node flags of package.json's `cli` script, on the bench's PostgreSQL as an external
 * one (README, "Running against external PostgreSQL": DATABASE_URL as the application role,
 * MIGRATION_DATABASE_URL as the owner). Its peak RSS is the child's VmHWM (/proc/<pid>/status),
 * sampled every 100 ms; the reading when the cli prints that the read models are rebuilt is the read
 * models' peak, the last one includes the verifiable log's tree, which the command rebuilds after.
 * Only the cli's Node process: PostgreSQL's memory is not in it.
 */
export interface CliRebuild {
  /** The Node flags it ran with (package.json's `cli` script). */
  nodeFlags: string[];
  /** From the spawn to the exit (process start, migrations check, read models, tree). */
  wallSeconds: number;
  /** The cli's own figures (its stdout): read models' events and seconds, tree leaves and seconds. */
  events: number | null;
  rebuildSeconds: number | null;
  /** Its per-phase seconds line, as printed ("facts 1.2, timelines 3.4, …"). */
  phases: string | null;
  treeLeaves: number | null;
  treeSeconds: number | null;
  /** Peak RSS (MB) up to the end of the read models' rebuild, and of the whole process. */
  readModelsPeakRssMB: number | null;
  peakRssMB: number;
}

export async function runCliRebuild(root: string, urls: { url: string; ownerUrl: string }, dataDir: string): Promise<CliRebuild> {
  const entry = 'dist/apps/cli/src/main.js';
  const main = path.join(root, entry);
  if (!existsSync(main)) throw new Error(`${main} is missing: run "npm run build" first (npm run bench does)`);
  const nodeFlags = scriptNodeFlags(root, 'cli', entry);
  note(`bench: node ${nodeFlags.join(' ')} ${entry} rebuild (the cli's own process)`);
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeFlags, main, 'rebuild'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: urls.url,
      MIGRATION_DATABASE_URL: urls.ownerUrl,
      EVENTSTORE_CONNECTION_STRING: '',
      LOG_LEVEL: 'warn',
      // Anything the cli would keep in its data directory stays in the bench's temporary one.
      DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const sampler = peakSampler(child.pid!);
  let stdout = '';
  let stderr = '';
  let readModelsPeakKiB: number | null = null;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
    if (readModelsPeakKiB === null && /read models rebuilt/.test(stdout)) readModelsPeakKiB = sampler.peakKiB();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk).slice(-20_000);
    process.stderr.write(chunk); // the cli's progress bars (a line every 10 s when not on a terminal)
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  const peakKiB = sampler.stop();
  const wallSeconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`cli rebuild exited with ${code}\n${stdout}\n${stderr}`);
  process.stderr.write(stdout);
  const rebuilt = /from (\d+) events in ([\d.]+) s/.exec(stdout);
  const tree = /tree rebuilt from (\d+) events in ([\d.]+) s/.exec(stdout);
  return {
    nodeFlags,
    wallSeconds,
    events: rebuilt ? Number(rebuilt[1]) : null,
    rebuildSeconds: rebuilt ? Number(rebuilt[2]) : null,
    phases: /phases \(s\): (.*)$/m.exec(stdout)?.[1]?.trim() ?? null,
    treeLeaves: tree ? Number(tree[1]) : null,
    treeSeconds: tree ? Number(tree[2]) : null,
    readModelsPeakRssMB: readModelsPeakKiB === null ? null : kibToMB(readModelsPeakKiB),
    peakRssMB: kibToMB(peakKiB),
  };
}
