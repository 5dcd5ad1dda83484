/**
 * The shared conformance suite against a real EventStoreDB, wherever
 * EVENTSTORE_CONNECTION_STRING is set (e.g. `esdb://localhost:2113?tls=false`
 * with docker-compose.yml). No EventStoreDB server can run on the project's CI
 * machines, so there the suite is skipped — with a printed reason, never silently.
 *
 * The server keeps its data between runs: the conformance suite writes to fresh
 * stream ids per test, and the checks below use a random prefix per run.
 */
import { randomUUID } from 'node:crypto';
import { runEventStoreConformance, testEvent } from '../conformance/event-store.conformance';
import { WrongExpectedRevisionError } from '../errors';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (!connectionString) {
  // Straight to stderr: jest may swallow console output of a file whose tests are all skipped.
  process.stderr.write(
    'EventStoreDB conformance suite skipped: EVENTSTORE_CONNECTION_STRING is not set (no EventStoreDB server can run on this machine)\n',
  );
  describe.skip('EventStoreDB event store (EVENTSTORE_CONNECTION_STRING is not set)', () => {
    it('runs the conformance suite against a real EventStoreDB', () => undefined);
  });
} else {
  runEventStoreConformance('EventStoreDB', async () => {
    const store = EventStoreDbEventStore.fromConnectionString(connectionString);
    return { store, cleanup: () => store.close() };
  });

  describe('EventStoreDB event store specifics', () => {
    let store: EventStoreDbEventStore;
    const run = `esdbspec${randomUUID().slice(0, 8)}-`;
    beforeAll(() => {
      store = EventStoreDbEventStore.fromConnectionString(connectionString);
    });
    afterAll(() => store.close());

    it('writes streams in the given order, so the first one is before the second in $all', async () => {
      const reservation = `${run}registration-number-1`;
      const organization = `${run}organization-1`;
      const result = await store.append([
        { streamId: reservation, expectedRevision: 'no_stream', events: [testEvent('Reserved')] },
        { streamId: organization, expectedRevision: 'no_stream', events: [testEvent('Registered'), testEvent('Named')] },
      ]);
      const page = await store.readAll({ streamPrefixes: [run] });
      expect(page.map((e) => e.streamId)).toEqual([reservation, organization, organization]);
      expect(store.comparePositions(page[2].position, result.position)).toBe(0);
    });

    it('refuses, before writing the reservation, an append whose later stream has moved on', async () => {
      const organization = `${run}organization-2`;
      await store.append([{ streamId: organization, expectedRevision: 'no_stream', events: [testEvent('Registered'), testEvent('Named')] }]);
      const reservation = `${run}registration-number-2`;
      await expect(
        store.append([
          { streamId: reservation, expectedRevision: 'no_stream', events: [testEvent('Reserved')] },
          { streamId: organization, expectedRevision: 0, events: [testEvent('Renamed')] },
        ]),
      ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect(await store.readStream(reservation)).toEqual([]);
    });

    it('never shows system events in the global log', async () => {
      const head = await store.headPosition();
      expect(head).not.toBeNull();
      const page = await store.readAll({ limit: 200 });
      expect(page.every((e) => !e.type.startsWith('$') && !e.streamId.startsWith('$'))).toBe(true);
    });
  });
}
