import { Presets, SingleBar } from 'cli-progress';

/**
 * A bar on stderr (stdout stays quiet); a line every 10 s when stderr is not a terminal.
 * `rate: false` drops the per-second rate (for bars whose value is not a count, e.g. seconds of a timed load);
 * `update(value, total, detail)` shows `detail` at the end of the line.
 */
export class Bar {
  private readonly bar: SingleBar;
  private readonly started = Date.now();
  private detail = '';

  constructor(label: string, total: number, unit: string, options: { rate?: boolean } = {}) {
    const rate = options.rate === false ? '' : ' | {rate}/s';
    this.bar = new SingleBar(
      {
        stream: process.stderr,
        format: `${label.padEnd(34)} [{bar}] {percentage}% | {value}/{total} ${unit}${rate} | {elapsed}s{detail}`,
        hideCursor: true,
        fps: 5,
        noTTYOutput: true,
        notTTYSchedule: 10_000,
      },
      Presets.shades_classic,
    );
    this.bar.start(total, 0, { rate: '0', elapsed: '0', detail: '' });
  }

  update(value: number, total?: number, detail?: string): void {
    if (total !== undefined) this.bar.setTotal(total);
    if (detail !== undefined) this.detail = ` | ${detail}`;
    const seconds = (Date.now() - this.started) / 1000;
    this.bar.update(value, { rate: seconds > 0 ? Math.round(value / seconds).toString() : '0', elapsed: seconds.toFixed(0), detail: this.detail });
  }

  stop(): void {
    this.update(this.bar.getTotal());
    this.bar.stop();
  }
}

export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}
