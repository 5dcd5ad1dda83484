/**
 * The adapter with the real client against a port where nothing listens (no
 * server needed: the connection is refused locally). Every operation must fail
 * as EventStoreUnavailableError, which callers answer with 503. Note that the
 * client raises a raw gRPC ServiceError (not its own UnavailableError) for an
 * append here, as its server-features probe does not convert errors.
 */
import { createServer } from 'node:net';
import { EventStoreUnavailableError } from '../errors';
import { testEvent } from '../conformance/event-store.conformance';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('EventStoreDbEventStore with an unreachable server', () => {
  let store: EventStoreDbEventStore;
  beforeAll(async () => {
    store = EventStoreDbEventStore.fromConnectionString(`esdb://127.0.0.1:${await closedPort()}?tls=false&defaultDeadline=5000`);
  });
  afterAll(() => store.close());

  it('append', async () => {
    await expect(store.append([{ streamId: 'organization-00000000-0000-4000-8000-000000000001', expectedRevision: 'no_stream', events: [testEvent('A')] }])).rejects.toBeInstanceOf(
      EventStoreUnavailableError,
    );
  });

  it('readStream, readAll, headPosition', async () => {
    await expect(store.readStream('organization-1')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.readAll({ limit: 10 })).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });

  it('subscribe: done rejects', async () => {
    const handler = jest.fn(async () => undefined);
    const subscription = store.subscribe(handler);
    await expect(subscription.done).rejects.toBeInstanceOf(EventStoreUnavailableError);
    expect(handler).not.toHaveBeenCalled();
    await subscription.stop();
  });
});
