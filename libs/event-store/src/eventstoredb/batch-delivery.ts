/**
 * Turns a catch-up subscription (an object-mode Readable, as returned by
 * `client.subscribeToAll`) into the port's batched `Subscription`:
 *
 * - events reach the handler in the order the server sent them, in batches of
 *   at most `batchSize`; the next call starts only after the previous one
 *   resolved (never two calls in flight);
 * - a batch is handed over as soon as `batchSize` events are waiting, as soon
 *   as the previous handler call returns (with whatever has arrived meanwhile),
 *   or at the latest `flushAfterMs` after the first waiting event arrived;
 * - the source is paused while `2 × batchSize` events wait (backpressure down
 *   to gRPC's flow control), so a slow handler does not buffer the whole log;
 * - a handler error, a conversion error or a subscription error stops the
 *   subscription and rejects `done` (translated to the port's errors); the
 *   server ending the subscription on its own is reported as unavailable;
 * - `stop()` unsubscribes, drops what has not been delivered, waits for the
 *   handler call in flight and resolves `done`.
 */
import type { Readable } from 'node:stream';
import { EventStoreUnavailableError } from '../errors';
import type { BatchHandler, RecordedEvent, Subscription } from '../event-store.port';

export interface SubscriptionSource extends Readable {
  unsubscribe(): Promise<void>;
}

export interface BatchDeliveryOptions<Raw> {
  /** The event to deliver, or null to skip it (system events, the `after` position itself). May throw. */
  convert(raw: Raw): RecordedEvent | null;
  /** Maps a source error to what `done` rejects with. */
  translateError(error: unknown): unknown;
  batchSize: number;
  flushAfterMs: number;
}

type State = 'running' | 'stopping' | 'finished';

export class BatchDelivery<Raw> implements Subscription {
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private rejectDone!: (error: unknown) => void;
  private state: State = 'running';
  private buffer: RecordedEvent[] = [];
  private inFlight: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failure: { error: unknown } | null = null;
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly source: SubscriptionSource,
    private readonly handler: BatchHandler,
    private readonly options: BatchDeliveryOptions<Raw>,
  ) {
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
      throw new RangeError(`batchSize must be a positive integer, got ${options.batchSize}`);
    }
    this.done = new Promise<void>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    // `done` is how failures are reported; observing it is the subscriber's job.
    // Without this an unobserved rejection would crash the process instead.
    this.done.catch(() => undefined);

    source.on('data', (raw: Raw) => this.onData(raw));
    source.on('error', (error: unknown) => void this.end({ error: options.translateError(error) }));
    source.on('end', () => this.onSourceEnded());
    source.on('close', () => this.onSourceEnded());
  }

  stop(): Promise<void> {
    this.stopping ??= this.end(null);
    return this.stopping;
  }

  private onData(raw: Raw): void {
    if (this.state !== 'running') return;
    let event: RecordedEvent | null;
    try {
      event = this.options.convert(raw);
    } catch (error) {
      void this.end({ error });
      return;
    }
    if (!event) return;
    this.buffer.push(event);
    if (this.buffer.length >= 2 * this.options.batchSize && !this.source.isPaused()) this.source.pause();
    if (this.inFlight) return; // the running pump picks it up when the handler returns
    if (this.buffer.length >= this.options.batchSize) {
      this.clearTimer();
      void this.pump();
    } else {
      this.timer ??= setTimeout(() => {
        this.timer = null;
        void this.pump();
      }, this.options.flushAfterMs);
    }
  }

  private onSourceEnded(): void {
    if (this.state !== 'running') return;
    void this.end({ error: new EventStoreUnavailableError('the EventStoreDB subscription was ended by the server') });
  }

  private async pump(): Promise<void> {
    if (this.inFlight) return;
    while (this.state === 'running' && this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.options.batchSize);
      if (this.buffer.length < this.options.batchSize && this.source.isPaused()) this.source.resume();
      const call = Promise.resolve().then(() => this.handler(batch));
      this.inFlight = call;
      try {
        await call;
      } catch (error) {
        this.inFlight = null;
        await this.end({ error });
        return;
      } finally {
        this.inFlight = null;
      }
    }
  }

  /** Stops the source and settles `done`: resolved when `failure` is null, rejected otherwise. */
  private async end(failure: { error: unknown } | null): Promise<void> {
    if (failure && !this.failure && this.state !== 'finished') this.failure = failure;
    if (this.state !== 'running') {
      // Already ending: a later failure (e.g. the handler in flight failing during stop) is recorded above.
      await this.done.catch(() => undefined);
      return;
    }
    this.state = 'stopping';
    this.clearTimer();
    this.buffer = [];
    this.source.removeAllListeners('data');
    this.source.on('error', () => undefined); // errors after we let go (e.g. cancellation) are not ours
    try {
      await this.source.unsubscribe();
    } catch {
      // the subscription is gone either way
    }
    this.source.destroy();
    if (this.inFlight) {
      try {
        await this.inFlight;
      } catch (error) {
        this.failure ??= { error };
      }
    }
    this.state = 'finished';
    if (this.failure) this.rejectDone(this.failure.error);
    else this.resolveDone();
  }

  private clearTimer(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}
