import { randomUUID } from 'node:crypto';
import { foldRecorded, OrganizationCommandHandler, OrganizationHistoryQueries, verifyAll } from '@ktt/application';
import { stateAsOf, type LocalDate } from '@ktt/domain';
import { hashEvent, type PostgresEventStore } from '@ktt/event-store';
import { activeSchema, applyOrganizationEvents } from '@ktt/read-models';
import type { MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { createEventStoreDatabase } from '@ktt/testing/postgres/event-store-database';
import { readWholeLog } from '@ktt/testing/postgres/whole-log';
import { systemPrincipal } from '@ktt/auth';

const context = () => ({ principal: systemPrincipal('test'), correlationId: randomUUID(), now: new Date('2026-06-30T03:00:00Z') });

/**
 * A v1 OrganizationSuspended, as an earlier release stored it, read by this
 * one: the command path, the history and the projection all see the v2 shape,
 * while the stored event (and its hash) stays as it was.
 */
describe('reading a stored v1 OrganizationSuspended through the upcaster (PostgreSQL)', () => {
  let database: MigratedDatabase;
  let store: PostgresEventStore;
  let commands: OrganizationCommandHandler;
  const id = randomUUID();
  const streamId = `organization-${id}`;

  beforeAll(async () => {
    ({ store } = database = await createEventStoreDatabase('upcasting'));
    commands = new OrganizationCommandHandler(store);
    await commands.execute({
      command: { type: 'RegisterOrganization', organizationId: id, kind: 'cooperative', name: 'Hợp tác xã Vĩnh Thạnh', registrationNumber: 'UP-1', provinceCode: '91', sector: 'agriculture', registeredOn: '2020-01-01', memberCount: 10 },
      context: context(),
    });
    const [registered] = await store.readStream(streamId);
    const metadata = {
      eventId: randomUUID(),
      recordedAt: '2023-01-02T03:00:00.000Z',
      recordedBy: 'registrar:91',
      correlationId: randomUUID(),
      causationId: null,
      schemaVersion: 1,
      previousHash: registered.metadata.hash,
    };
    const data = { organizationId: id, effectiveOn: '2023-01-01', reason: 'Thiếu vốn', until: null };
    const hash = hashEvent({ streamId, revision: 1, type: 'OrganizationSuspended', data, metadata });
    await store.append([{ streamId, expectedRevision: 0, events: [{ type: 'OrganizationSuspended', data, metadata: { ...metadata, hash } }] }]);
  });
  afterAll(() => database.dispose());

  it('folds it as a suspension: the state is suspended and a resumption is accepted', async () => {
    // The fold the command path decides on.
    const statusOn = async (asOf: LocalDate) => stateAsOf(foldRecorded(await store.readStream(streamId))!, asOf)?.status;
    expect(await statusOn('2023-03-01')).toBe('suspended');
    await commands.execute({ command: { type: 'ResumeOrganization', organizationId: id, effectiveOn: '2023-06-01' }, context: context() });
    expect(await statusOn('2023-07-01')).toBe('active');
  });

  it('shows the upcast data in the history with the schema version it was stored in', async () => {
    const entries = await new OrganizationHistoryQueries(store).history(id);
    expect(entries[1]).toMatchObject({ type: 'OrganizationSuspended', schemaVersion: 1, data: { reason: 'Thiếu vốn', until: null, noticeRef: null } });
  });

  it('projects it in the current shape: facts hold noticeRef, the timeline is suspended', async () => {
    const schema = await activeSchema(database.pool);
    const client = await database.pool.connect();
    try {
      await applyOrganizationEvents(client, schema, await readWholeLog(store, database.pool));
    } finally {
      client.release();
    }
    const facts = await database.pool.query(`SELECT data FROM ${schema}.organization_facts WHERE organization_id = $1 AND event_type = 'OrganizationSuspended'`, [id]);
    expect(facts.rows.map((row) => row.data.noticeRef)).toEqual([null]);
    const timeline = await database.pool.query(
      `SELECT valid::text, status FROM ${schema}.organization_timeline WHERE organization_id = $1 AND upper_inf(known) ORDER BY lower(valid)`,
      [id],
    );
    expect(timeline.rows).toEqual([
      { valid: '[2020-01-01,2023-01-01)', status: 'active' },
      { valid: '[2023-01-01,2023-06-01)', status: 'suspended' },
      { valid: '[2023-06-01,)', status: 'active' },
    ]);
  });

  it('stores new suspensions as v2 with their notice reference, and every hash still verifies the stored form', async () => {
    await commands.execute({ command: { type: 'SuspendOrganization', organizationId: id, effectiveOn: '2024-02-01', reason: 'Tái cơ cấu', noticeRef: 'TB 03/2024/TB-HTX' }, context: context() });
    const events = await store.readStream(streamId);
    const latest = events.at(-1)!;
    expect(latest.metadata.schemaVersion).toBe(2);
    expect(latest.data).toMatchObject({ reason: 'Tái cơ cấu', noticeRef: 'TB 03/2024/TB-HTX' });
    // The v1 event is stored untouched: no noticeRef in the log itself.
    expect(events[1].data).not.toHaveProperty('noticeRef');
    expect(await verifyAll(store)).toMatchObject({ ok: true, orphanReservations: [] });
  });
});
