import { randomUUID } from 'node:crypto';
import { createEventStoreDatabase, type EventStoreDatabase } from '@ktt/testing/postgres/event-store-database';
import { testEvent } from '../conformance/event-store.conformance';
import { WrongExpectedRevisionError } from '../errors';
import type { StreamAppend } from '../event-store.port';

/**
 * Group commit (ktt_append_batch, migration 1733720000000): appends sent while
 * another is being written go together in one transaction, each judged on its
 * own. Every test starts one append alone and sends the others while it is in
 * flight, so they form one batch; the transaction ids in the table show it.
 */
describe('PostgreSQL event store: group commit', () => {
  let database: EventStoreDatabase;
  beforeAll(async () => {
    database = await createEventStoreDatabase('group_commit');
  });
  afterAll(() => database.dispose());

  const stream = (name: string) => `gc-${name}-${randomUUID()}`;
  const newStream = (streamId: string, ...types: string[]): StreamAppend => ({ streamId, expectedRevision: 'no_stream', events: types.map((t) => testEvent(t)) });

  /** The first append goes alone; the others wait for it and are written as one batch. */
  function sendTogether(first: StreamAppend[], batch: StreamAppend[][]) {
    const alone = database.store.append(first);
    return { alone, batch: Promise.allSettled(batch.map((appends) => database.store.append(appends))) };
  }

  async function transactionOf(streamId: string): Promise<string[]> {
    const { rows } = await database.pool.query<{ xid: string }>('SELECT transaction_id::text AS xid FROM events WHERE stream_id = $1 ORDER BY stream_revision', [streamId]);
    return rows.map((row) => row.xid);
  }

  it('commits the other appends of a batch when one of them is at a wrong expected revision, and writes nothing of that one', async () => {
    const existing = stream('existing');
    await database.store.append([newStream(existing, 'A')]);
    const [b, c] = [stream('b'), stream('c')];
    const sent = sendTogether([newStream(stream('first'), 'First')], [
      [newStream(b, 'B')],
      [{ streamId: existing, expectedRevision: 5, events: [testEvent('Stale')] }],
      [newStream(c, 'C1', 'C2')],
      [{ streamId: existing, expectedRevision: 0, events: [testEvent('Next')] }],
    ]);
    await sent.alone;
    const [okB, stale, okC, next] = await sent.batch;
    expect(okB).toMatchObject({ status: 'fulfilled', value: { revisions: { [b]: 0 } } });
    expect(okC).toMatchObject({ status: 'fulfilled', value: { revisions: { [c]: 1 } } });
    expect(next).toMatchObject({ status: 'fulfilled', value: { revisions: { [existing]: 1 } } });
    expect(stale.status).toBe('rejected');
    const refusal = (stale as PromiseRejectedResult).reason;
    expect(refusal).toBeInstanceOf(WrongExpectedRevisionError);
    expect(refusal).toMatchObject({ streamId: existing, actual: 0 });
    expect((await database.store.readStream(existing)).map((e) => e.type)).toEqual(['A', 'Next']);
    // One transaction for the batch (so one WAL flush): it was a batch, and the refused append was in it.
    const [xidB] = await transactionOf(b);
    expect(await transactionOf(c)).toEqual([xidB, xidB]);
    expect((await transactionOf(existing))[1]).toBe(xidB);
    // Each caller's position is that of its own last event.
    const positions = [okB, okC, next].map((o) => (o as PromiseFulfilledResult<{ position: string }>).value.position);
    expect(positions[0]).toBe((await database.store.readStream(b))[0]!.position);
    expect(positions[1]).toBe((await database.store.readStream(c))[1]!.position);
  });

  it('judges the appends of a batch in order: of two to one stream at the same revision, the first wins', async () => {
    const contended = stream('contended');
    await database.store.append([newStream(contended, 'A')]);
    const sent = sendTogether([newStream(stream('first'), 'First')], [
      [{ streamId: contended, expectedRevision: 0, events: [testEvent('W1')] }],
      [{ streamId: contended, expectedRevision: 0, events: [testEvent('W2')] }],
      [{ streamId: contended, expectedRevision: 'any', events: [testEvent('Any')] }],
    ]);
    await sent.alone;
    const [w1, w2, any] = await sent.batch;
    expect(w1.status).toBe('fulfilled');
    expect((w2 as PromiseRejectedResult).reason).toMatchObject({ streamId: contended, actual: 1 });
    expect(any).toMatchObject({ status: 'fulfilled', value: { revisions: { [contended]: 2 } } });
    expect((await database.store.readStream(contended)).map((e) => e.type)).toEqual(['A', 'W1', 'Any']);
  });

  it('keeps each append all or nothing inside a batch: a taken reservation leaves no event of its organization', async () => {
    const reservation = stream('reservation');
    const [winner, loser, other] = [stream('org-winner'), stream('org-loser'), stream('org-other')];
    const sent = sendTogether([newStream(stream('first'), 'First')], [
      [newStream(reservation, 'Reserved'), newStream(winner, 'Registered')],
      [newStream(reservation, 'Reserved'), newStream(loser, 'Registered')],
      [newStream(other, 'Registered')],
    ]);
    await sent.alone;
    const [first, second, third] = await sent.batch;
    expect(first.status).toBe('fulfilled');
    expect((second as PromiseRejectedResult).reason).toMatchObject({ streamId: reservation });
    expect(third.status).toBe('fulfilled');
    expect(await database.store.readStream(loser)).toEqual([]);
    expect(await database.store.readStream(winner)).toHaveLength(1);
  });

  it('takes back what an append wrote before an error of another kind (a duplicate event id) and commits the rest of the batch', async () => {
    const duplicated = testEvent('Original');
    const original = stream('original');
    await database.store.append([{ streamId: original, expectedRevision: 'no_stream', events: [duplicated] }]);
    const [written, halfWritten, other] = [stream('written'), stream('half'), stream('other')];
    const sent = sendTogether([newStream(stream('first'), 'First')], [
      // The first stream's event is inserted before the second one's duplicate id fails the statement.
      [newStream(written, 'Fine'), { streamId: halfWritten, expectedRevision: 'no_stream', events: [testEvent('Fine'), duplicated] }],
      [newStream(other, 'Other')],
    ]);
    await sent.alone;
    const [failed, fine] = await sent.batch;
    expect((failed as PromiseRejectedResult).reason).toMatchObject({ code: '23505', constraint: 'events_event_id_key' });
    expect(fine.status).toBe('fulfilled');
    expect(await database.store.readStream(written)).toEqual([]);
    expect(await database.store.readStream(halfWritten)).toEqual([]);
    expect(await database.store.readStream(other)).toHaveLength(1);
  });

  it('answers each append of a batch with its own revisions and position when several streams and events are in each', async () => {
    const existing = stream('existing');
    await database.store.append([newStream(existing, 'A', 'B')]);
    const [r1, o1, r2, o2] = [stream('r1'), stream('o1'), stream('r2'), stream('o2')];
    const sent = sendTogether([newStream(stream('first'), 'First')], [
      [newStream(r1, 'Reserved'), newStream(o1, 'Registered', 'Rated')],
      [{ streamId: existing, expectedRevision: 1, events: [testEvent('C')] }],
      [newStream(r2, 'Reserved'), newStream(o2, 'Registered')],
    ]);
    await sent.alone;
    const [first, second, third] = await sent.batch;
    expect(first).toEqual({ status: 'fulfilled', value: { revisions: { [r1]: 0, [o1]: 1 }, position: (await database.store.readStream(o1))[1]!.position } });
    expect(second).toEqual({ status: 'fulfilled', value: { revisions: { [existing]: 2 }, position: (await database.store.readStream(existing))[2]!.position } });
    expect(third).toEqual({ status: 'fulfilled', value: { revisions: { [r2]: 0, [o2]: 0 }, position: (await database.store.readStream(o2))[0]!.position } });
    expect(new Set([...(await transactionOf(o1)), ...(await transactionOf(r2)), (await transactionOf(existing))[2]]).size).toBe(1);
  });

  it('writes a batch larger than the most appends one statement takes, in several transactions, every append once', async () => {
    const streams = Array.from({ length: 80 }, (_, i) => stream(`many-${i}`));
    const sent = sendTogether([newStream(stream('first'), 'First')], streams.map((id) => [newStream(id, 'E')]));
    await sent.alone;
    const outcomes = await sent.batch;
    // Each caller hears its own stream's revision and its own event's position.
    for (const [i, outcome] of outcomes.entries()) {
      const [stored] = await database.store.readStream(streams[i]!);
      expect(outcome).toEqual({ status: 'fulfilled', value: { revisions: { [streams[i]!]: 0 }, position: stored!.position } });
    }
    const { rows } = await database.pool.query<{ n: number; transactions: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT transaction_id)::int AS transactions FROM events WHERE stream_id = ANY($1)',
      [streams],
    );
    expect(rows[0]).toEqual({ n: 80, transactions: 3 }); // 32 + 32 + 16
  });
});
