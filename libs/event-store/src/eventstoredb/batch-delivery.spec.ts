import { PassThrough } from 'node:stream';
import { EventStoreUnavailableError } from '../errors';
import type { Position, RecordedEvent } from '../event-store.port';
import { BatchDelivery, type SubscriptionSource } from './batch-delivery';

function fakeSource(): PassThrough & SubscriptionSource & { unsubscribed: number } {
  const stream = new PassThrough({ objectMode: true }) as PassThrough & SubscriptionSource & { unsubscribed: number };
  stream.unsubscribed = 0;
  stream.unsubscribe = async () => {
    stream.unsubscribed += 1;
  };
  return stream;
}

function event(n: number): RecordedEvent {
  return {
    streamId: `s-${n % 3}`,
    revision: n,
    position: String(n).padStart(20, '0') as Position,
    type: 'T',
    data: { n },
    metadata: {} as RecordedEvent['metadata'],
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function deliver(source: SubscriptionSource, handler: (events: RecordedEvent[]) => Promise<void>, batchSize = 10, flushAfterMs = 5) {
  return new BatchDelivery<RecordedEvent | null>(source, handler, {
    batchSize,
    flushAfterMs,
    convert: (raw) => raw,
    translateError: (error) => new EventStoreUnavailableError('translated', { cause: error }),
  });
}

describe('BatchDelivery', () => {
  it('delivers every event once, in order, in batches of at most batchSize, one handler call at a time', async () => {
    const source = fakeSource();
    const batches: number[][] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const subscription = deliver(source, async (events) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await sleep(2);
      batches.push(events.map((e) => e.data.n as number));
      inFlight -= 1;
    });
    for (let n = 0; n < 95; n += 1) source.write(event(n));
    await sleep(20);
    for (let n = 95; n < 120; n += 1) source.write(event(n));
    while (batches.flat().length < 120) await sleep(5);
    await subscription.stop();
    await expect(subscription.done).resolves.toBeUndefined();

    expect(batches.flat()).toEqual(Array.from({ length: 120 }, (_, n) => n));
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(10);
    expect(maxInFlight).toBe(1);
    expect(source.unsubscribed).toBe(1);
  });

  it('hands over a partial batch after the flush delay', async () => {
    const source = fakeSource();
    const batches: RecordedEvent[][] = [];
    const subscription = deliver(source, async (events) => void batches.push(events), 100, 20);
    source.write(event(1));
    source.write(event(2));
    await sleep(5);
    expect(batches).toEqual([]);
    await sleep(40);
    expect(batches.map((b) => b.length)).toEqual([2]);
    await subscription.stop();
  });

  it('skips what convert returns null for', async () => {
    const source = fakeSource();
    const seen: number[] = [];
    const subscription = new BatchDelivery<RecordedEvent>(source, async (events) => void seen.push(...events.map((e) => e.revision)), {
      batchSize: 10,
      flushAfterMs: 5,
      convert: (raw) => (raw.revision % 2 === 0 ? raw : null),
      translateError: (error) => error,
    });
    for (let n = 0; n < 6; n += 1) source.write(event(n));
    await sleep(30);
    await subscription.stop();
    expect(seen).toEqual([0, 2, 4]);
  });

  it('stops and rejects done with the handler error, delivering nothing after it', async () => {
    const source = fakeSource();
    const failure = new Error('projection failed');
    const calls: number[][] = [];
    const subscription = deliver(
      source,
      async (events) => {
        calls.push(events.map((e) => e.revision));
        if (calls.length === 1) throw failure;
      },
      2,
    );
    for (let n = 0; n < 6; n += 1) source.write(event(n));
    await expect(subscription.done).rejects.toBe(failure);
    await sleep(20);
    expect(calls).toEqual([[0, 1]]);
    expect(source.unsubscribed).toBe(1);
    await expect(subscription.stop()).resolves.toBeUndefined();
  });

  it('stop() resolves only once the handler call in flight has finished', async () => {
    const source = fakeSource();
    let finished = false;
    const subscription = deliver(source, async () => {
      await sleep(30);
      finished = true;
    }, 1);
    source.write(event(1));
    await sleep(5);
    await subscription.stop();
    expect(finished).toBe(true);
    await expect(subscription.done).resolves.toBeUndefined();
  });

  it('rejects done with the translated error when the subscription fails', async () => {
    const source = fakeSource();
    const subscription = deliver(source, async () => undefined);
    const cause = new Error('connection reset');
    source.destroy(cause);
    await expect(subscription.done).rejects.toMatchObject({ name: 'EventStoreUnavailableError', cause });
  });

  it('reports the server ending the subscription as unavailable', async () => {
    const source = fakeSource();
    const subscription = deliver(source, async () => undefined);
    source.end();
    source.resume();
    await expect(subscription.done).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });

  it('rejects done when an event cannot be converted', async () => {
    const source = fakeSource();
    const broken = new Error('not JSON');
    const subscription = new BatchDelivery<RecordedEvent>(source, async () => undefined, {
      batchSize: 10,
      flushAfterMs: 5,
      convert: () => {
        throw broken;
      },
      translateError: (error) => error,
    });
    source.write(event(1));
    await expect(subscription.done).rejects.toBe(broken);
  });

  it('pauses the source while 2 × batchSize events wait', async () => {
    const source = fakeSource();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const delivered: number[] = [];
    const subscription = deliver(source, async (events) => {
      await gate;
      delivered.push(...events.map((e) => e.revision));
    }, 5);
    for (let n = 0; n < 40; n += 1) source.write(event(n));
    await sleep(10);
    expect(source.isPaused()).toBe(true);
    release();
    while (delivered.length < 40) await sleep(5);
    expect(delivered).toEqual(Array.from({ length: 40 }, (_, n) => n));
    await subscription.stop();
  });
});
