import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { PostgresEventStore, Position } from '@ktt/event-store';
import type { MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { createEventStoreDatabase } from '@ktt/testing/postgres/event-store-database';
import { Projector } from '../projector/projector';
import { PositionBeyondHeadError, ReadModelBehindError, ReadYourWrites } from './read-your-writes';

/** `minPosition` beyond the head is refused at once; a reachable one is awaited on the projector's NOTIFY. */
describe('read your writes', () => {
  let database: MigratedDatabase;
  let store: PostgresEventStore;
  let readYourWrites: ReadYourWrites | null = null;
  let projector: Projector | null = null;

  const append = async () =>
    (
      await store.append([
        {
          streamId: `bookkeeping-${randomUUID()}`,
          expectedRevision: 'no_stream',
          events: [{ type: 'Noted', data: {}, metadata: { eventId: randomUUID(), recordedAt: new Date().toISOString(), recordedBy: 'test', correlationId: randomUUID(), causationId: null, schemaVersion: 1, previousHash: null, hash: 'x' } }],
        },
      ])
    ).position;

  beforeAll(async () => {
    ({ store } = database = await createEventStoreDatabase('read_your_writes'));
  });
  afterEach(async () => {
    await projector?.stop();
    await readYourWrites?.close();
    projector = null;
    readYourWrites = null;
  });
  afterAll(() => database.dispose());

  it('refuses a position beyond the head of the log at once', async () => {
    readYourWrites = new ReadYourWrites(database.pool, store, 5_000);
    const head = await append();
    const [xid, position] = head.split('.').map(BigInt);
    const started = Date.now();
    await expect(readYourWrites.waitFor(`${xid + 1000n}.${position + 1000n}`)).rejects.toThrow(PositionBeyondHeadError);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('wakes on the projector notification, not a poll (the re-check here is a minute away)', async () => {
    readYourWrites = new ReadYourWrites(database.pool, store, 5_000, 60_000);
    const position = await append();
    const waiting = readYourWrites.waitFor(position);
    let answered = false;
    void waiting.then(() => (answered = true), () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answered).toBe(false); // no projector yet: nothing has applied the position
    const started = Date.now();
    projector = new Projector(database.pool, store, pino({ level: 'silent' }));
    await projector.start();
    await waiting;
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(store.comparePositions(projector.status().position as Position, position as Position)).toBeGreaterThanOrEqual(0);
  });

  it('keeps the timeout for a reachable position nothing applies', async () => {
    readYourWrites = new ReadYourWrites(database.pool, store, 700, 100);
    const position = await append();
    await expect(readYourWrites.waitFor(position)).rejects.toThrow(ReadModelBehindError);
  });
});
