/**
 * The adapter against a fake client (no server can run here): write order,
 * expected-revision mapping, error translation, paging and filtering of $all.
 * The real server is exercised by eventstoredb.int-spec.ts.
 */
import { Readable } from 'node:stream';
import {
  BACKWARDS,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type Position as EsdbPosition,
} from '@eventstore/db-client';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../errors';
import { NonCanonicalStreamIdError } from '../canonical-stream-ids';
import type { EventToAppend } from '../event-store.port';
import { EventStoreDbEventStore, type EventStoreDbClientLike } from './eventstoredb-event-store';
import { decodePosition, encodePosition } from './position';

interface Stored {
  streamId: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: unknown;
  position: EsdbPosition;
}

/** Just enough of EventStoreDB for the adapter: streams, $all, expected revisions. */
class FakeClient {
  all: Stored[] = [];
  appendCalls: Array<{ streamId: string; expectedRevision: AppendExpectedRevision | undefined; ids: string[] }> = [];
  failAppendTo = new Map<string, Error>();
  nextCommit = 100n;

  appendToStream = async (
    streamId: string,
    events: Array<{ id: string; type: string; data: unknown; metadata: unknown; contentType: string }>,
    options: { expectedRevision?: AppendExpectedRevision } = {},
  ) => {
    this.appendCalls.push({ streamId, expectedRevision: options.expectedRevision, ids: events.map((e) => e.id) });
    const failure = this.failAppendTo.get(streamId);
    if (failure) throw failure;
    const current = this.current(streamId);
    const expected = options.expectedRevision ?? 'any';
    if (expected !== 'any' && expected !== current) {
      throw new WrongExpectedVersionError(undefined, { streamName: streamId, expected, current });
    }
    let revision = current === 'no_stream' ? -1n : current;
    let position: EsdbPosition | undefined;
    let firstPosition: EsdbPosition | undefined;
    for (const e of events) {
      expect(e.contentType).toBe('application/json');
      revision += 1n;
      position = { commit: this.nextCommit, prepare: this.nextCommit };
      this.nextCommit += 10n;
      firstPosition ??= position;
      this.all.push({ streamId, revision, type: e.type, data: e.data, metadata: e.metadata, position });
    }
    // Deliberately the batch's first position: the adapter must not rely on what this means.
    return { success: true, nextExpectedRevision: revision, position: firstPosition };
  };

  readStream = (
    streamId: string,
    options: { direction?: string; fromRevision?: 'start' | 'end' | bigint; maxCount?: number | bigint } = {},
  ) => {
    let events = this.all.filter((e) => e.streamId === streamId);
    if (events.length === 0) return failing(new StreamNotFoundError(undefined, streamId));
    if (options.direction === BACKWARDS) events = [...events].reverse();
    const from = options.fromRevision;
    if (typeof from === 'bigint') {
      events = events.filter((e) => (options.direction === BACKWARDS ? e.revision <= from : e.revision >= from));
    }
    return Readable.from(events.slice(0, Number(options.maxCount ?? Infinity)).map(resolved));
  };

  readAll = (options: { fromPosition?: 'start' | 'end' | EsdbPosition; direction?: string; maxCount?: number | bigint } = {}) => {
    const from = options.fromPosition ?? 'start';
    const cmp = (e: Stored, p: EsdbPosition) => (e.position.commit === p.commit ? Number(e.position.prepare - p.prepare) : Number(e.position.commit - p.commit));
    let events: Stored[];
    if (options.direction === BACKWARDS) {
      events = [...this.all].reverse().filter((e) => typeof from === 'string' || cmp(e, from) < 0);
    } else {
      events = this.all.filter((e) => typeof from === 'string' || cmp(e, from) >= 0); // forwards is inclusive
    }
    return Readable.from(events.slice(0, Number(options.maxCount ?? Infinity)).map(resolved));
  };

  subscribeToAll = () => {
    throw new Error('not used here');
  };

  dispose = jest.fn(async () => undefined);

  systemEvent(streamId: string, type: string) {
    const position = { commit: this.nextCommit, prepare: this.nextCommit };
    this.nextCommit += 10n;
    this.all.push({ streamId, revision: 0n, type, data: {}, metadata: {}, position });
  }

  private current(streamId: string): bigint | 'no_stream' {
    const events = this.all.filter((e) => e.streamId === streamId);
    return events.length === 0 ? 'no_stream' : events[events.length - 1].revision;
  }
}

function resolved(e: Stored): AllStreamResolvedEvent {
  return {
    event: {
      streamId: e.streamId,
      id: (e.metadata as { eventId?: string }).eventId ?? 'x',
      isJson: true,
      revision: e.revision,
      type: e.type,
      created: new Date(0),
      data: e.data as Record<string, unknown>,
      metadata: e.metadata as Record<string, unknown>,
      position: e.position,
    },
    commitPosition: e.position.commit,
  };
}

function failing(error: Error): Readable {
  return new Readable({
    objectMode: true,
    read() {
      this.destroy(error);
    },
  });
}

/** An organization's stream as the domain names it: by a lower-case UUID. */
const ORG = 'organization-00000000-0000-4000-8000-000000000001';

let counter = 0;
function evt(type: string, data: Record<string, unknown> = {}): EventToAppend {
  counter += 1;
  return {
    type,
    data,
    metadata: {
      eventId: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
      recordedAt: '2024-01-01T00:00:00.000Z',
      recordedBy: 'test',
      correlationId: 'c',
      causationId: null,
      schemaVersion: 1,
      previousHash: null,
      hash: 'h',
    },
  };
}

function setup(readPageSize = 3) {
  const client = new FakeClient();
  const store = new EventStoreDbEventStore(client as unknown as EventStoreDbClientLike, { readPageSize });
  return { client, store };
}

describe('EventStoreDbEventStore.append', () => {
  it('writes the streams in the given order with mapped expected revisions and the event ids from metadata', async () => {
    const { client, store } = setup();
    await store.append([{ streamId: ORG, expectedRevision: 'no_stream', events: [evt('Registered')] }]);
    const reservation = evt('NumberReserved');
    const change = evt('Renamed');
    const result = await store.append([
      { streamId: 'registration-number-42', expectedRevision: 'no_stream', events: [reservation] },
      { streamId: ORG, expectedRevision: 0, events: [change] },
      { streamId: 'audit-1', expectedRevision: 'any', events: [evt('A'), evt('B')] },
    ]);

    expect(client.appendCalls.slice(1)).toEqual([
      { streamId: 'registration-number-42', expectedRevision: 'no_stream', ids: [reservation.metadata.eventId] },
      { streamId: ORG, expectedRevision: 0n, ids: [change.metadata.eventId] },
      { streamId: 'audit-1', expectedRevision: 'any', ids: expect.any(Array) },
    ]);
    expect(result.revisions).toEqual({ 'registration-number-42': 0, [ORG]: 1, 'audit-1': 1 });
    expect(result.position).toBe(encodePosition(client.all[client.all.length - 1].position));
    expect(client.all[1]).toMatchObject({ type: 'NumberReserved', data: {}, metadata: reservation.metadata });
  });

  it('translates a conflict into WrongExpectedRevisionError', async () => {
    const { store } = setup();
    await store.append([{ streamId: ORG, expectedRevision: 'no_stream', events: [evt('Registered')] }]);
    const failure = store.append([{ streamId: ORG, expectedRevision: 'no_stream', events: [evt('Registered')] }]);
    await expect(failure).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    await expect(failure).rejects.toMatchObject({ streamId: ORG, expected: 'no_stream', actual: 0 });
  });

  it('refuses a multi-stream append whose later stream has moved on, before writing the reservation', async () => {
    const { client, store } = setup();
    await store.append([{ streamId: ORG, expectedRevision: 'no_stream', events: [evt('Registered'), evt('Renamed')] }]);
    const failure = store.append([
      { streamId: 'registration-number-7', expectedRevision: 'no_stream', events: [evt('NumberReserved')] },
      { streamId: ORG, expectedRevision: 0, events: [evt('Renamed')] },
    ]);
    await expect(failure).rejects.toMatchObject({ name: 'WrongExpectedRevisionError', streamId: ORG, expected: '0', actual: 1 });
    expect(client.all.some((e) => e.streamId === 'registration-number-7')).toBe(false);
  });

  it('translates connection failures into EventStoreUnavailableError', async () => {
    const { client, store } = setup();
    client.failAppendTo.set(ORG, new UnavailableError(undefined, 'No connection established'));
    await expect(store.append([{ streamId: ORG, expectedRevision: 'no_stream', events: [evt('Registered')] }])).rejects.toBeInstanceOf(
      EventStoreUnavailableError,
    );
  });

  it('refuses an organization stream named by an upper-case id before writing anything', async () => {
    const { client, store } = setup();
    const failure = store.append([
      { streamId: 'registration-number-8', expectedRevision: 'no_stream', events: [evt('NumberReserved')] },
      { streamId: 'organization-5F0C1E2A-3B4C-4D5E-8F60-718293A4B5C6', expectedRevision: 'no_stream', events: [evt('Registered')] },
    ]);
    await expect(failure).rejects.toBeInstanceOf(NonCanonicalStreamIdError);
    expect(client.appendCalls).toEqual([]);
  });

  it('rethrows other errors unchanged', async () => {
    const { client, store } = setup();
    const bug = new TypeError('bug');
    client.failAppendTo.set(ORG, bug);
    await expect(store.append([{ streamId: ORG, expectedRevision: 'any', events: [evt('X')] }])).rejects.toBe(bug);
  });
});

describe('EventStoreDbEventStore reads', () => {
  async function seeded() {
    const s = setup(3);
    s.client.systemEvent('$stats-127.0.0.1:2113', '$statsCollected');
    await s.store.append([{ streamId: ORG, expectedRevision: 'no_stream', events: [evt('O1a', { a: 1 }), evt('O1b')] }]);
    s.client.systemEvent('$$organization-1', '$metadata');
    await s.store.append([{ streamId: 'plan-1', expectedRevision: 'no_stream', events: [evt('P1a')] }]);
    await s.store.append([{ streamId: 'organization-00000000-0000-4000-8000-000000000002', expectedRevision: 'no_stream', events: [evt('O2a')] }]);
    await s.store.append([{ streamId: 'plan-1', expectedRevision: 0, events: [evt('P1b')] }]);
    s.client.systemEvent('$stats-127.0.0.1:2113', '$statsCollected');
    return s;
  }

  it('readStream returns the stream oldest first, and [] for a missing stream', async () => {
    const { store } = await seeded();
    const events = await store.readStream(ORG);
    expect(events.map((e) => [e.streamId, e.revision, e.type])).toEqual([
      [ORG, 0, 'O1a'],
      [ORG, 1, 'O1b'],
    ]);
    expect(events[0].data).toEqual({ a: 1 });
    expect(decodePosition(events[0].position).commit).toBeGreaterThan(0n);
    await expect(store.readStream('organization-404')).resolves.toEqual([]);
  });

  it('readAll pages through $all, without system events, in order', async () => {
    const { store } = await seeded();
    const all = await store.readAll();
    expect(all.map((e) => e.type)).toEqual(['O1a', 'O1b', 'P1a', 'O2a', 'P1b']);
    const sorted = [...all].sort((a, b) => store.comparePositions(a.position, b.position));
    expect(sorted).toEqual(all);
  });

  it('readAll reads strictly after the given position, honours prefixes and limit', async () => {
    const { store } = await seeded();
    const all = await store.readAll();
    expect((await store.readAll({ after: all[1].position })).map((e) => e.type)).toEqual(['P1a', 'O2a', 'P1b']);
    expect((await store.readAll({ streamPrefixes: ['plan-'] })).map((e) => e.type)).toEqual(['P1a', 'P1b']);
    expect((await store.readAll({ streamPrefixes: ['organization-', 'plan-'], limit: 4 })).map((e) => e.type)).toEqual(['O1a', 'O1b', 'P1a', 'O2a']);
    expect((await store.readAll({ after: all[0].position, streamPrefixes: ['organization-'], limit: 1 })).map((e) => e.type)).toEqual(['O1b']);
    await expect(store.readAll({ after: all[4].position })).resolves.toEqual([]);
    await expect(store.readAll({ limit: 0 })).resolves.toEqual([]);
  });

  it('headPosition is the last non-system event, null on an empty log', async () => {
    const { store } = await seeded();
    const all = await store.readAll();
    await expect(store.headPosition()).resolves.toBe(all[all.length - 1].position);
    const empty = setup();
    empty.client.systemEvent('$stats-x', '$statsCollected');
    await expect(empty.store.headPosition()).resolves.toBeNull();
  });

  it('close disposes the client once', async () => {
    const { client, store } = setup();
    await store.close();
    await store.close();
    expect(client.dispose).toHaveBeenCalledTimes(1);
    expect(store.engine).toBe('eventstoredb');
  });
});
