import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { hashEvent, type PostgresEventStore } from '@ktt/event-store';
import type { MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { createEventStoreDatabase } from '@ktt/testing/postgres/event-store-database';
import { readWholeLog } from '@ktt/testing/postgres/whole-log';
import { OrganizationCommandHandler, REGISTRATION_NUMBER_RESERVED } from '../organizations/organization-command.handler';
import { verifyAll, verifyStream } from './verify-streams';
import { systemPrincipal } from '@ktt/auth';

const context = () => ({ principal: systemPrincipal('test'), correlationId: randomUUID(), now: new Date('2026-06-30T03:00:00Z') });

/**
 * What an attacker with the database superuser could do: edit a stored event
 * past the append-only trigger (replica mode does not fire ordinary triggers).
 */
async function tamper(url: string, sql: string, params: unknown[]): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SET session_replication_role = replica');
    const { rowCount } = await client.query(sql, params);
    expect(rowCount).toBe(1);
    await client.query('RESET session_replication_role');
  } finally {
    await client.end();
  }
}

describe('verifying the hash chains on PostgreSQL', () => {
  let database: MigratedDatabase;
  let store: PostgresEventStore;
  let commands: OrganizationCommandHandler;

  const register = async (registrationNumber: string) => {
    const id = randomUUID();
    await commands.execute({
      command: { type: 'RegisterOrganization', organizationId: id, kind: 'cooperative', name: 'Hợp tác xã Tân Hiệp', registrationNumber, provinceCode: '91', sector: 'agriculture', registeredOn: '2020-01-01', memberCount: 10 },
      context: { ...context(), idempotency: { key: randomUUID(), requestHash: 'h' } },
    });
    await commands.execute({ command: { type: 'RateOrganization', organizationId: id, rating: 'good', year: 2021, ratedOn: '2021-12-15' }, context: context() });
    await commands.execute({ command: { type: 'ChangeMemberCount', organizationId: id, memberCount: 20, effectiveOn: '2022-01-01' }, context: context() });
    await commands.execute({ command: { type: 'SuspendOrganization', organizationId: id, effectiveOn: '2023-01-01', reason: 'Thiếu vốn' }, context: context() });
    return { id, streamId: `organization-${id}` };
  };

  beforeEach(async () => {
    ({ store } = database = await createEventStoreDatabase('verify'));
    commands = new OrganizationCommandHandler(store);
  });
  afterEach(() => database.dispose());

  it('finds everything intact: every stream, reservations and idempotency records included', async () => {
    const { streamId } = await register('V-1');
    await register('V-2');
    const all = (await database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0].n;
    const progress: number[] = [];
    await readWholeLog(store, database.pool); // the global log shows them all (whole-log.ts)
    expect(await verifyAll(store, { pageSize: 3, onProgress: (n) => progress.push(n) })).toEqual({ ok: true, checkedEvents: all, orphanReservations: [] });
    expect(progress.at(-1)).toBe(all);
    expect(progress.length).toBeGreaterThan(1);
    expect(await verifyStream(store, streamId)).toEqual({ ok: true, checkedEvents: 4, orphanReservations: [] });
    expect(await verifyStream(store, 'registration-number-V-1')).toEqual({ ok: true, checkedEvents: 1, orphanReservations: [] });
    expect(await verifyStream(store, `organization-${randomUUID()}`)).toEqual({ ok: true, checkedEvents: 0, orphanReservations: [] });
  });

  it('names exactly the event whose data was altered (reason hash), and only it', async () => {
    await register('V-3');
    const { streamId } = await register('V-4');
    const [, rated] = await store.readStream(streamId);
    await tamper(database.adminUrl, `UPDATE events SET data = jsonb_set(data, '{rating}', '"excellent"') WHERE event_id = $1`, [rated.metadata.eventId]);

    const expected = { streamId, revision: 1, eventId: rated.metadata.eventId, position: rated.position, reason: 'hash' };
    await readWholeLog(store, database.pool); // the global log shows them all (whole-log.ts)
    const all = await verifyAll(store);
    expect(all).toMatchObject({ ok: false, firstBrokenAt: expected, orphanReservations: [] });
    expect(all.checkedEvents).toBe((await database.pool.query('SELECT 1 FROM events')).rowCount);
    expect(await verifyStream(store, streamId)).toEqual({ ok: false, checkedEvents: 4, firstBrokenAt: expected, orphanReservations: [] });
  });

  it('names a rewritten link of the chain (reason chain)', async () => {
    const { streamId } = await register('V-5');
    const events = await store.readStream(streamId);
    // Point revision 2 at revision 0, as if revision 1 had been cut out.
    await tamper(database.adminUrl, `UPDATE events SET metadata = jsonb_set(metadata, '{previousHash}', to_jsonb($2::text)) WHERE event_id = $1`, [
      events[2].metadata.eventId,
      events[0].metadata.hash,
    ]);
    const broken = { streamId, revision: 2, eventId: events[2].metadata.eventId, reason: 'chain' };
    expect((await verifyStream(store, streamId)).firstBrokenAt).toMatchObject(broken);
    await readWholeLog(store, database.pool); // the global log shows them all (whole-log.ts)
    expect((await verifyAll(store)).firstBrokenAt).toMatchObject(broken);
  });

  it('reports a reservation whose organization was never registered (what an EventStoreDB crash can leave)', async () => {
    // Written alone, as the EventStoreDB adapter would have before a crash; on PostgreSQL this takes a deliberate append.
    const organizationId = randomUUID();
    const streamId = 'registration-number-ORPHAN-1';
    const metadata = { eventId: randomUUID(), recordedAt: '2026-06-30T03:00:00.000Z', recordedBy: 'test', correlationId: randomUUID(), causationId: null, schemaVersion: 1, previousHash: null };
    const data = { registrationNumber: 'ORPHAN-1', organizationId };
    const hash = hashEvent({ streamId, revision: 0, type: REGISTRATION_NUMBER_RESERVED, data, metadata });
    await store.append([{ streamId, expectedRevision: 'no_stream', events: [{ type: REGISTRATION_NUMBER_RESERVED, data, metadata: { ...metadata, hash } }] }]);
    await register('V-6');

    const orphan = { streamId, registrationNumber: 'ORPHAN-1', organizationId, eventId: metadata.eventId, recordedAt: metadata.recordedAt };
    await readWholeLog(store, database.pool); // the global log shows them all (whole-log.ts)
    const all = await verifyAll(store);
    expect(all).toMatchObject({ ok: false, orphanReservations: [orphan] });
    expect(all.firstBrokenAt).toBeUndefined();
    expect(await verifyStream(store, streamId)).toEqual({ ok: false, checkedEvents: 1, orphanReservations: [orphan] });
  });

  it('holds a reservation only until its registration, whichever of the two the log shows first', async () => {
    // verifyAll forgets a reservation once its organization is registered (memory at national scale, issue 19):
    // a registration before or after the reservation both make it no orphan; one never registered still is.
    const reserveAlone = async (registrationNumber: string, organizationId: string) => {
      const streamId = `registration-number-${registrationNumber}`;
      const metadata = { eventId: randomUUID(), recordedAt: '2026-06-30T03:00:00.000Z', recordedBy: 'test', correlationId: randomUUID(), causationId: null, schemaVersion: 1, previousHash: null };
      const data = { registrationNumber, organizationId };
      const hash = hashEvent({ streamId, revision: 0, type: REGISTRATION_NUMBER_RESERVED, data, metadata });
      await store.append([{ streamId, expectedRevision: 'no_stream', events: [{ type: REGISTRATION_NUMBER_RESERVED, data, metadata: { ...metadata, hash } }] }]);
      return { streamId, registrationNumber, organizationId, eventId: metadata.eventId, recordedAt: metadata.recordedAt };
    };
    const { id: registeredFirst } = await register('V-7');
    await reserveAlone('LATE-1', registeredFirst);
    const never = await reserveAlone('NEVER-1', randomUUID());
    await reserveAlone('EARLY-1', randomUUID()).then(async ({ organizationId }) => {
      await commands.execute({
        command: { type: 'RegisterOrganization', organizationId, kind: 'cooperative', name: 'Hợp tác xã Tân Hòa', registrationNumber: 'V-8', provinceCode: '91', sector: 'agriculture', registeredOn: '2020-01-01', memberCount: 10 },
        context: { ...context(), idempotency: { key: randomUUID(), requestHash: 'h' } },
      });
    });

    await readWholeLog(store, database.pool); // the global log shows them all (whole-log.ts)
    expect(await verifyAll(store, { pageSize: 2 })).toMatchObject({ ok: false, orphanReservations: [never] });
  });
});
