import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The Node flags a package.json script gives an entry point, e.g. `cli` →
 * `--max-old-space-size=192 --max-semi-space-size=16` for dist/apps/cli/src/main.js: read at run time,
 * so a child process the bench starts runs as the operator's `npm run <script>` does, whatever the
 * script says today.
 */
export function scriptNodeFlags(root: string, script: string, entry: string): string[] {
  const text = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts[script] ?? '';
  const escaped = entry.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const flags = new RegExp(`\\bnode((?:\\s+--[\\w-]+(?:=\\S+)?)*)\\s+${escaped}`).exec(text)?.[1];
  if (flags === undefined) throw new Error(`package.json's ${script} script does not run ${entry} with node: "${text}"`);
  return flags.trim().split(/\s+/).filter(Boolean);
}

/** A process's peak resident set so far (VmHWM of /proc/<pid>/status), in kB (KiB); null once it has exited. */
export function vmHwmKiB(pid: number): number | null {
  try {
    const kib = /^VmHWM:\s*(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib ? Number(kib) : null;
  } catch {
    return null;
  }
}

/** kB (KiB) of /proc → MB (10^6 bytes), the unit of the goals ("≤ 300 MB"). */
export function kibToMB(kib: number): number {
  return (kib * 1024) / 1e6;
}

/**
 * Samples a child's VmHWM every 100 ms until stopped: VmHWM only grows, so the last reading is the
 * peak up to 100 ms before the process exits (its /proc entry goes with it).
 */
export function peakSampler(pid: number): { peakKiB(): number; stop(): number } {
  let peak = 0;
  const sample = () => {
    const kib = vmHwmKiB(pid);
    if (kib !== null && kib > peak) peak = kib;
  };
  sample();
  const timer = setInterval(sample, 100);
  return {
    peakKiB: () => {
      sample();
      return peak;
    },
    stop: () => {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
