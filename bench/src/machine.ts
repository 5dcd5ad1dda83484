import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  nproc: number;
  memoryGiB: number;
  cpuModel: string;
  node: string;
  kernel: string;
}

export function describeMachine(): Machine {
  const cpuinfo = safeRead('/proc/cpuinfo');
  const meminfo = safeRead('/proc/meminfo');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const memKiB = Number(/^MemTotal:\s*(\d+) kB$/m.exec(meminfo)?.[1] ?? os.totalmem() / 1024);
  let nproc = os.availableParallelism();
  try {
    nproc = Number(execFileSync('nproc').toString().trim());
  } catch {
    // nproc missing: Node's count
  }
  return { nproc, memoryGiB: memKiB / 1024 / 1024, cpuModel: model, node: process.version, kernel: `${os.type()} ${os.release()}` };
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
