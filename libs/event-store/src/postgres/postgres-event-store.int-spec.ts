import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { createMigratedDatabase, type MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
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

describe('PostgreSQL event store specifics', () => {
  let database: MigratedDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    database = await createMigratedDatabase('pg_specifics');
    store = new PostgresEventStore({ pool: database.pool, connectionString: database.url });
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

  it.each([
    ['UPDATE', "UPDATE events SET event_type = 'Forged'"],
    ['DELETE', 'DELETE FROM events'],
    ['TRUNCATE', 'TRUNCATE events'],
  ])('refuses %s on the events table', async (_operation, sql) => {
    await store.append([{ streamId: `s-${randomUUID()}`, expectedRevision: 'no_stream', events: [testEvent('A')] }]);
    const before = await database.pool.query('SELECT count(*)::int AS n FROM events');
    await expect(database.pool.query(sql)).rejects.toThrow(/append-only/);
    const after = await database.pool.query('SELECT count(*)::int AS n FROM events');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('keeps the global order when transaction ids cross a power of ten (999 → 1000 sorts right)', async () => {
    // Transaction ids are the cluster's: burn them, one committed transaction each, up to just below the next
    // power of ten, then append across it. Other test files use xids too, so try again if they jumped it.
    await database.pool.query(`
      CREATE OR REPLACE PROCEDURE burn_xids(n bigint) LANGUAGE plpgsql AS $$
      BEGIN FOR i IN 1..n LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$`);
    let crossed = false;
    for (let attempt = 0; attempt < 5 && !crossed; attempt++) {
      const current = BigInt((await database.pool.query('SELECT pg_current_xact_id()::text AS x')).rows[0].x);
      const boundary = 10n ** BigInt(current.toString().length);
      if (boundary - current > 3n) await database.pool.query('CALL burn_xids($1)', [(boundary - current - 3n).toString()]);
      const prefix = `xid-${randomUUID().slice(0, 8)}-`;
      for (let i = 0; i < 6; i++) {
        await store.append([{ streamId: `${prefix}s`, expectedRevision: i === 0 ? 'no_stream' : i - 1, events: [testEvent(`E${i}`)] }]);
      }
      let read: Awaited<ReturnType<typeof store.readAll>> = [];
      await waitFor(() => read.length === 6, 10_000, async () => {
        read = await store.readAll({ streamPrefixes: [prefix], limit: 100 });
      });
      crossed = new Set(read.map((e) => e.position.split('.')[0].length)).size > 1;
      expect(read.map((e) => e.type)).toEqual(['E0', 'E1', 'E2', 'E3', 'E4', 'E5']);
      for (let i = 1; i < read.length; i++) expect(store.comparePositions(read[i - 1].position, read[i].position)).toBeLessThan(0);
    }
    expect(crossed).toBe(true); // the appends really straddled the boundary
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
