import { Presets, SingleBar } from 'cli-progress';

/** A bar on stderr (stdout stays quiet); a line every 10 s when stderr is not a terminal. */
export class Bar {
  private readonly bar: SingleBar;
  private readonly started = Date.now();

  constructor(label: string, total: number, unit: string) {
    this.bar = new SingleBar(
      {
        stream: process.stderr,
        format: `${label.padEnd(34)} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate}/s | {elapsed}s`,
        hideCursor: true,
        fps: 5,
        noTTYOutput: true,
        notTTYSchedule: 10_000,
      },
      Presets.shades_classic,
    );
    this.bar.start(total, 0, { rate: '0', elapsed: '0' });
  }

  update(value: number, total?: number): void {
    if (total !== undefined) this.bar.setTotal(total);
    const seconds = (Date.now() - this.started) / 1000;
    this.bar.update(value, { rate: seconds > 0 ? Math.round(value / seconds).toString() : '0', elapsed: seconds.toFixed(0) });
  }

  stop(): void {
    this.update(this.bar.getTotal());
    this.bar.stop();
  }
}

export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}
