import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { PostgresEventStore, EventToAppend } from '@ktt/event-store';
import type { MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { createEventStoreDatabase } from '@ktt/testing/postgres/event-store-database';
import { waitFor } from '@ktt/event-store/conformance/event-store.conformance';
import { activeSchema } from '../generations';
import { Projector } from './projector';
import { listQuarantined } from './quarantine';
import { retryQuarantined } from './retry';
import { rebuildReadModels } from '../rebuild/rebuild';

/**
 * Poison events are isolated, not fatal (architecture.md, "Reads"). The
 * events are appended raw, as older code or a hand-made row could have
 * stored them: the write side's guards are not what is tested here.
 */
describe('quarantine of events the projector cannot apply', () => {
  let database: MigratedDatabase;
  let store: PostgresEventStore;
  let schema: string;
  const a = randomUUID();
  const b = randomUUID();
  const mixedCase = randomUUID().toUpperCase();

  const event = (type: string, data: Record<string, unknown>): EventToAppend => ({
    type,
    data,
    metadata: {
      eventId: randomUUID(),
      recordedAt: new Date().toISOString(),
      recordedBy: 'test',
      correlationId: randomUUID(),
      causationId: null,
      schemaVersion: 1,
      previousHash: null,
      hash: 'x',
    },
  });
  const registration = (id: string, provinceCode: string) =>
    event('OrganizationRegistered', {
      organizationId: id, effectiveOn: '2020-01-01', kind: 'cooperative', name: `HTX ${id.slice(0, 4)}`, registrationNumber: `R-${id.slice(0, 8)}`,
      provinceCode, sector: 'agriculture', memberCount: 10, memberCooperativeIds: [], managers: null,
      directorTrained: false, valueChain: false, highTech: false, enterpriseLinked: false, digitalAdoption: false,
    });
  const memberCount = (id: string, count: number, effectiveOn: string) => event('MemberCountChanged', { organizationId: id, effectiveOn, memberCount: count });
  const append = (streamId: string, expectedRevision: number | 'no_stream', ...events: EventToAppend[]) => store.append([{ streamId, expectedRevision, events }]);
  /** As the owner, past the write side's guards (which now refuse a non-canonical stream id). */
  const plant = (streamId: string, revision: number, planted: EventToAppend) =>
    database.pool.query(
      `INSERT INTO events (stream_id, stream_revision, event_id, event_type, data, metadata) VALUES ($1, $2, $3, $4, $5, $6)`,
      [streamId, revision, planted.metadata.eventId, planted.type, JSON.stringify(planted.data), JSON.stringify(planted.metadata)],
    );
  let projector: Projector | null = null;
  afterEach(async () => {
    await projector?.stop();
    projector = null;
  });

  beforeAll(async () => {
    ({ store } = database = await createEventStoreDatabase('quarantine'));
    schema = await activeSchema(database.pool);
  });
  afterAll(() => database.dispose());

  it('quarantines a poison event and the rest of its stream, goes on with the others, and retry clears it after a fix', async () => {
    await append(`organization-${a}`, 'no_stream', registration(a, '91'));
    await append(`organization-${b}`, 'no_stream', registration(b, '15'));
    const poison = memberCount(a, 3_000_000_000, '2021-01-01'); // integer out of range in the timeline
    await append(`organization-${a}`, 0, poison);
    await append(`organization-${a}`, 1, memberCount(a, 12, '2022-01-01')); // held behind the poison
    await append(`organization-${b}`, 0, memberCount(b, 20, '2022-01-01')); // another stream: goes on
    await plant(`organization-${mixedCase}`, 0, registration(mixedCase, '15')); // older code accepted it

    projector = new Projector(database.pool, store, pino({ level: 'silent' }), 2);
    await projector.start();
    const head = await store.headPosition();
    await waitFor(() => projector!.status().position === head || projector!.status().state === 'failed', 10_000);
    expect(projector!.status()).toMatchObject({ state: 'running', position: head });

    const quarantined = await listQuarantined(database.pool, schema);
    expect(quarantined.map((q) => [q.streamId, q.revision, q.reason])).toEqual([
      [`organization-${a}`, 1, 'failed'],
      [`organization-${a}`, 2, 'held'],
      [`organization-${mixedCase}`, 0, 'failed'],
    ]);
    expect(quarantined[0]).toMatchObject({ eventId: poison.metadata.eventId, type: 'MemberCountChanged', organizationId: a, provinceCode: '91' });
    expect(quarantined[0].error).toMatch(/out of range/);
    expect(quarantined[2]).toMatchObject({ organizationId: mixedCase.toLowerCase(), provinceCode: '15' });
    expect(quarantined[2].error).toMatch(/non-canonical/);
    const counts = async (id: string) =>
      (await database.pool.query(`SELECT member_count::int8 AS n FROM ${schema}.organization_timeline WHERE organization_id = $1 AND upper_inf(known) ORDER BY lower(valid)`, [id])).rows.map((r) => Number(r.n));
    expect(await counts(b)).toEqual([10, 20]);
    expect(await counts(a)).toEqual([10]);
    // The audit trail shows the quarantined events too.
    const { rows: audit } = await database.pool.query(`SELECT event_id FROM ${schema}.audit_events WHERE event_id = $1`, [poison.metadata.eventId]);
    expect(audit).toHaveLength(1);

    // Retry without a fix changes nothing and says why.
    const before = await retryQuarantined(database.pool, store);
    expect(before.cleared).toEqual([]);
    expect(before.remaining.map((q) => q.attempts)).toEqual([2, 1, 2]);

    // The fix (what a release with a wider column or an upcaster does): the read model can now hold the value.
    await database.pool.query(`ALTER TABLE ${schema}.organization_timeline ALTER COLUMN member_count TYPE bigint`);
    const retried = await retryQuarantined(database.pool, store);
    expect(retried.cleared.map((q) => q.revision)).toEqual([1, 2]);
    expect(retried.remaining.map((q) => q.streamId)).toEqual([`organization-${mixedCase}`]);
    expect(await counts(a)).toEqual([10, 3_000_000_000, 12]);

    // The stream is projected live again.
    await append(`organization-${a}`, 2, memberCount(a, 14, '2023-01-01'));
    const last = await store.headPosition();
    await waitFor(() => projector!.status().position === last, 10_000);
    expect(await counts(a)).toEqual([10, 3_000_000_000, 12, 14]);
  });

  it('quarantines on start a mixed-case stream that an older version projected', async () => {
    const id = randomUUID();
    const upper = `organization-${id.toUpperCase()}`;
    await plant(upper, 0, registration(id, '15'));
    // What the older projector left: the stream's audit row under its stored id (and its rows under the lower-cased one).
    const [stored] = await store.readStream(upper);
    await database.pool.query(
      `INSERT INTO ${schema}.audit_events (event_id, position, stream_id, revision, event_type, recorded_at, recorded_by, organization_id, province_code, sequence)
       VALUES ($1, $2, $3, 0, 'OrganizationRegistered', now(), 'old', $4, '15', 999999)`,
      [stored.metadata.eventId, stored.position, upper, id],
    );
    await database.pool.query(`UPDATE ${schema}.projection_checkpoints SET position = $1`, [await store.headPosition()]);
    projector = new Projector(database.pool, store, pino({ level: 'silent' }));
    await projector.start();
    expect((await listQuarantined(database.pool, schema)).filter((q) => q.streamId === upper)).toMatchObject([{ organizationId: id, reason: 'failed', provinceCode: '15' }]);
  });

  it('a rebuild quarantines the same poison events instead of failing (here the fix was only in the old generation)', async () => {
    const result = await rebuildReadModels(database.pool, store, { organizationsPerChunk: 2 });
    const rebuilt = await listQuarantined(database.pool, result.schema);
    expect(rebuilt.filter((q) => q.streamId === `organization-${a}`).map((q) => [q.revision, q.reason])).toEqual([[1, 'failed'], [2, 'held'], [3, 'held']]);
    expect(rebuilt.find((q) => q.revision === 1 && q.streamId === `organization-${a}`)?.error).toMatch(/out of range/);
    expect(rebuilt.filter((q) => q.streamId !== `organization-${a}`).map((q) => [q.streamId.toLowerCase(), q.reason])).toEqual(
      expect.arrayContaining([[`organization-${mixedCase.toLowerCase()}`, 'failed']]),
    );
    const counts = async (id: string) =>
      (await database.pool.query(`SELECT member_count FROM ${result.schema}.organization_timeline WHERE organization_id = $1 AND upper_inf(known) ORDER BY lower(valid)`, [id])).rows.map((r) => r.member_count);
    expect(await counts(a)).toEqual([10]);
    expect(await counts(b)).toEqual([10, 20]);
  });
});
