import { randomUUID } from 'node:crypto';
import { Client, type PoolClient } from 'pg';
import { createMigratedDatabase, type MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { createEventStoreDatabase } from '@ktt/testing/postgres/event-store-database';
import { runEventStoreConformance, testEvent, waitFor } from '../conformance/event-store.conformance';
import type { RecordedEvent } from '../event-store.port';
import { PostgresEventStore } from './postgres-event-store';

runEventStoreConformance('PostgreSQL', async () => {
  const database = await createMigratedDatabase('conformance');
  return {
    store: new PostgresEventStore({ pool: database.pool, connectionString: database.url }),
    cleanup: () => database.dispose(),
  };
});

// Without group commit (each append its own transaction), as a caller may choose.
runEventStoreConformance('PostgreSQL, one transaction per append', async () => {
  const database = await createMigratedDatabase('conformance_alone');
  return {
    store: new PostgresEventStore({ pool: database.pool, connectionString: database.url, groupCommit: false }),
    cleanup: () => database.dispose(),
  };
});

describe('PostgreSQL event store specifics', () => {
  let database: MigratedDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    ({ store } = database = await createEventStoreDatabase('pg_specifics'));
  });
  afterAll(() => database.dispose());

  it('writes several streams in one transaction: all or nothing', async () => {
    const taken = `reservation-${randomUUID()}`;
    await store.append([{ streamId: taken, expectedRevision: 'no_stream', events: [testEvent('Reserved')] }]);
    const organization = `organization-${randomUUID()}`;
    await expect(
      store.append([
        { streamId: organization, expectedRevision: 'no_stream', events: [testEvent('Registered')] },
        { streamId: taken, expectedRevision: 'no_stream', events: [testEvent('Reserved')] },
      ]),
    ).rejects.toMatchObject({ streamId: taken });
    expect(await store.readStream(organization)).toEqual([]);
  });

  it('reads several streams in one call, each as readStream reads it, in the order asked (a missing one empty)', async () => {
    const [a, b, missing] = [`s-a-${randomUUID()}`, `s-b-${randomUUID()}`, `s-missing-${randomUUID()}`];
    await store.append([
      { streamId: a, expectedRevision: 'no_stream', events: [testEvent('A1'), testEvent('A2')] },
      { streamId: b, expectedRevision: 'no_stream', events: [testEvent('B1')] },
    ]);
    const read = await store.readStreams([b, missing, a]);
    expect(read).toEqual([await store.readStream(b), [], await store.readStream(a)]);
    expect(read[2]!.map((e) => e.type)).toEqual(['A1', 'A2']);
  });

  it.each([
    ['UPDATE', "UPDATE events SET event_type = 'Forged'"],
    ['DELETE', 'DELETE FROM events'],
    ['TRUNCATE', 'TRUNCATE events'],
  ])('refuses %s on the events table, even to its owner (the trigger)', async (_operation, sql) => {
    await store.append([{ streamId: `s-${randomUUID()}`, expectedRevision: 'no_stream', events: [testEvent('A')] }]);
    const before = await database.pool.query('SELECT count(*)::int AS n FROM events');
    // The application role may not even try (platform/database/roles.int-spec.ts); the owner may, and the trigger refuses.
    const owner = new Client({ connectionString: database.ownerUrl });
    await owner.connect();
    await expect(owner.query(sql).finally(() => owner.end())).rejects.toThrow(/append-only/);
    const after = await database.pool.query('SELECT count(*)::int AS n FROM events');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('orders the global log by transaction id as a number: 9, 10, 100 (as text: 10, 100, 9)', async () => {
    // Rows with small transaction ids across powers of ten, written directly (the column only
    // defaults to the current xid); every real transaction id is far above them, so they are readable.
    const prefix = `xid-${randomUUID().slice(0, 8)}-`;
    // As the owner: the application role may not choose a transaction id (platform/database/roles.ts).
    const owner = new Client({ connectionString: database.ownerUrl });
    await owner.connect();
    try {
      for (const [xid, type] of [['10', 'Later'], ['9', 'Earlier'], ['100', 'Latest']] as const) {
        const event = testEvent(type);
        await owner.query(
          `INSERT INTO events (transaction_id, stream_id, stream_revision, event_id, event_type, data, metadata)
           VALUES ($1::xid8, $2, 0, $3, $4, $5, $6)`,
          [xid, `${prefix}${type}`, event.metadata.eventId, type, event.data, event.metadata],
        );
      }
    } finally {
      await owner.end();
    }
    const read = await store.readAll({ streamPrefixes: [prefix], limit: 10 });
    expect(read.map((e) => e.type)).toEqual(['Earlier', 'Later', 'Latest']);
    const afterEarlier = await store.readAll({ after: read[0].position, streamPrefixes: [prefix], limit: 10 });
    expect(afterEarlier.map((e) => e.type)).toEqual(['Later', 'Latest']);
  });

  /**
   * The late-commit case, made deterministic with two open transactions:
   * A takes the lower position, B the higher one and commits first, A commits
   * after. A reader that checkpoints a bare position has already moved past
   * A's position when A becomes visible, and never sees it.
   */
  describe('a transaction that commits after a later one (late commit)', () => {
    const prefix = `late-${randomUUID().slice(0, 8)}-`;
    let transactionA: PoolClient;
    let transactionB: PoolClient;
    let positionA: number;
    let positionB: number;
    const delivered: RecordedEvent[] = [];
    let bareCursor = 0;
    const bareSeen: string[] = [];

    async function insertInOpenTransaction(client: PoolClient, streamId: string, type: string): Promise<number> {
      const event = testEvent(type);
      const { rows } = await client.query<{ global_position: string }>(
        `INSERT INTO events (stream_id, stream_revision, event_id, event_type, data, metadata)
         VALUES ($1, 0, $2, $3, $4, $5) RETURNING global_position`,
        [streamId, event.metadata.eventId, type, event.data, event.metadata],
      );
      return Number(rows[0].global_position);
    }

    /** What a bare-position reader does: everything committed above its last position. */
    async function bareReaderPoll(): Promise<void> {
      const { rows } = await database.pool.query<{ global_position: string; event_type: string }>(
        `SELECT global_position, event_type FROM events
          WHERE global_position > $1 AND starts_with(stream_id, $2) ORDER BY global_position`,
        [bareCursor, prefix],
      );
      for (const row of rows) {
        bareSeen.push(row.event_type);
        bareCursor = Number(row.global_position);
      }
    }

    it('reproduces the race and shows the (transaction id, position) subscriber delivers both', async () => {
      const subscription = store.subscribe(async (batch) => void delivered.push(...batch), {
        streamPrefixes: [prefix],
      });
      transactionA = await database.pool.connect();
      transactionB = await database.pool.connect();
      try {
        await transactionA.query('BEGIN');
        positionA = await insertInOpenTransaction(transactionA, `${prefix}a`, 'A');
        await transactionB.query('BEGIN');
        positionB = await insertInOpenTransaction(transactionB, `${prefix}b`, 'B');
        expect(positionA).toBeLessThan(positionB);
        await transactionB.query('COMMIT');

        await bareReaderPoll();
        expect(bareSeen).toEqual(['B']); // the bare reader has moved past A's position already
        // The pair cursor holds B back while A, older, is still running.
        await new Promise((resolve) => setTimeout(resolve, 600));
        expect(delivered).toEqual([]);

        await transactionA.query('COMMIT');
        await waitFor(() => delivered.length === 2);
        await bareReaderPoll();
      } finally {
        transactionA.release();
        transactionB.release();
        await subscription.stop();
      }
      expect(delivered.map((e) => e.type)).toEqual(['A', 'B']);
      expect(bareSeen).toEqual(['B']); // A was lost by the bare-position cursor
    });
  });
});
