import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { OrganizationCommandHandler } from '@ktt/application';
import { PostgresEventStore, type RecordedEvent } from '@ktt/event-store';
import { createMigratedDatabase, type MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { createEventStoreDatabase } from '@ktt/testing/postgres/event-store-database';
import { testPool } from '@ktt/testing/postgres/test-database';
import { waitFor } from '@ktt/event-store/conformance/event-store.conformance';
import { applyOrganizationEvents } from '../organizations/organization-projection';
import { readCheckpoint } from './apply-batch';
import { activeSchema } from '../generations';
import { Projector } from './projector';
import { listQuarantined } from './quarantine';
import { systemPrincipal } from '@ktt/auth';

const context = () => ({ principal: systemPrincipal('test'), correlationId: randomUUID(), now: new Date('2026-06-30T03:00:00Z') });

describe('organization projection on PostgreSQL', () => {
  let database: MigratedDatabase;
  let schema: string;
  let store: PostgresEventStore;
  let commands: OrganizationCommandHandler;
  const cooperativeId = randomUUID();
  const founders = [randomUUID(), randomUUID(), randomUUID()];
  const unionId = randomUUID();

  beforeAll(async () => {
    database = await createMigratedDatabase('projection');
    schema = await activeSchema(database.pool);
    store = new PostgresEventStore({ pool: database.pool, connectionString: database.url });
    commands = new OrganizationCommandHandler(store);
    const register = (id: string, registrationNumber: string, registeredOn: string) =>
      commands.execute({
        command: { type: 'RegisterOrganization', organizationId: id, kind: 'cooperative', name: 'Hợp tác xã Đông Hòa', registrationNumber, provinceCode: '91', sector: 'agriculture', registeredOn, memberCount: 10 },
        context: context(),
      });
    await register(cooperativeId, 'P-1', '2020-01-01');
    for (const [i, id] of founders.entries()) await register(id, `P-F${i}`, '2019-01-01');
    await commands.execute({ command: { type: 'ChangeMemberCount', organizationId: cooperativeId, memberCount: 30, effectiveOn: '2022-01-01' }, context: context() });
    // Back-dated between registration and the later change: holds only until 2022-01-01.
    await commands.execute({ command: { type: 'ChangeMemberCount', organizationId: cooperativeId, memberCount: 20, effectiveOn: '2021-01-01' }, context: context() });
    await commands.execute({ command: { type: 'RateOrganization', organizationId: cooperativeId, rating: 'good', year: 2021, ratedOn: '2021-12-15' }, context: context() });
    await commands.execute({ command: { type: 'DissolveOrganization', organizationId: cooperativeId, effectiveOn: '2024-03-01', mode: 'voluntary', decisionRef: 'QĐ 1' }, context: context() });
    await commands.execute({
      command: { type: 'RegisterOrganization', organizationId: unionId, kind: 'union', name: 'Liên hiệp HTX', registrationNumber: 'P-U', provinceCode: '91', sector: 'agriculture', registeredOn: '2020-06-01', memberCooperativeIds: founders },
      context: context(),
    });
    await commands.execute({ command: { type: 'LeaveUnion', organizationId: unionId, cooperativeId: founders[0], effectiveOn: '2023-01-01' }, context: context() });
  });
  afterAll(() => database.dispose());

  const timeline = async () =>
    (
      await database.pool.query(
        `SELECT organization_id, valid::text, status, member_count, rating, search_text, version, member_cooperative_ids::text[] AS members
           FROM ${schema}.organization_timeline WHERE upper_inf(known) ORDER BY organization_id, lower(valid)`,
      )
    ).rows;
  const memberships = async () =>
    (await database.pool.query(`SELECT union_id, cooperative_id, valid::text FROM ${schema}.union_memberships WHERE upper_inf(known) ORDER BY cooperative_id`)).rows;

  it('projects each organization as effective-date ranges, with its checkpoint', async () => {
    const projector = new Projector(database.pool, store, pino({ level: 'silent' }));
    await projector.start();
    const head = await store.headPosition();
    await waitFor(() => projector.status().position === head, 15_000);
    await projector.stop();

    const rows = (await timeline()).filter((row) => row.organization_id === cooperativeId);
    expect(rows.map((row) => [row.valid, row.status, row.member_count, row.rating])).toEqual([
      ['[2020-01-01,2021-01-01)', 'active', 10, null],
      ['[2021-01-01,2021-12-15)', 'active', 20, null],
      ['[2021-12-15,2022-01-01)', 'active', 20, 'good'],
      ['[2022-01-01,2024-01-01)', 'active', 30, 'good'],
      // The rating of 2021 lapses on 2024-01-01 (domain.md, "Ratings"): a row of its own, then unrated.
      ['[2024-01-01,2024-03-01)', 'active', 30, null],
      ['[2024-03-01,)', 'dissolved', 30, null],
    ]);
    expect(rows[0].search_text).toBe('hop tac xa dong hoa p-1');
    expect(await memberships()).toEqual(
      expect.arrayContaining([
        { union_id: unionId, cooperative_id: founders[0], valid: '[2020-06-01,2023-01-01)' },
        { union_id: unionId, cooperative_id: founders[1], valid: '[2020-06-01,)' },
      ]),
    );
    expect(await readCheckpoint(database.pool, schema)).toBe(head);
  });

  it('is idempotent: applying every event again, one by one, leaves the same rows', async () => {
    const before = { timeline: await timeline(), memberships: await memberships() };
    const all: RecordedEvent[] = await store.readAll({ limit: 10_000 });
    const client = await database.pool.connect();
    try {
      for (const event of all) await applyOrganizationEvents(client, schema, [event]);
    } finally {
      client.release();
    }
    expect({ timeline: await timeline(), memberships: await memberships() }).toEqual(before);
  });

  it('quarantines an event it cannot apply and goes on: the checkpoint passes it, the state stays running (quarantine.int-spec.ts has more)', async () => {
    // A stream the projection cannot fold: an event before any registration.
    const streamId = `organization-${randomUUID()}`;
    await store.append([
      {
        streamId,
        expectedRevision: 'no_stream',
        events: [{ type: 'OrganizationRated', data: { organizationId: 'x', rating: 'good', year: 2020, effectiveOn: '2020-12-01' }, metadata: { eventId: randomUUID(), recordedAt: new Date().toISOString(), recordedBy: 'test', correlationId: 'c', causationId: null, schemaVersion: 1, previousHash: null, hash: 'h' } }],
      },
    ]);
    const head = await store.headPosition();
    const projector = new Projector(database.pool, store, pino({ level: 'silent' }));
    await projector.start();
    try {
      await waitFor(() => projector.status().position === head || projector.status().state === 'failed', 15_000);
      expect(projector.status()).toMatchObject({ state: 'running', position: head });
      expect(await readCheckpoint(database.pool, schema)).toBe(head);
      expect((await listQuarantined(database.pool, schema)).map((event) => [event.streamId, event.reason])).toEqual([[streamId, 'failed']]);
    } finally {
      await projector.stop();
    }
  });
});

describe('one active projector per generation', () => {
  let database: MigratedDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    ({ store } = database = await createEventStoreDatabase('projector_lock'));
  });
  afterAll(() => database.dispose());

  it('lets a second projector wait on the advisory lock and take over when the first stops', async () => {
    const first = new Projector(database.pool, store, pino({ level: 'silent' }));
    const second = new Projector(database.pool, store, pino({ level: 'silent' }));
    await first.start();
    const secondStarted = second.start();
    await waitFor(() => second.status().state === 'waiting-for-lock', 5_000);
    expect(first.status().state).toBe('running');

    const commands = new OrganizationCommandHandler(store);
    const id = randomUUID();
    await commands.execute({
      command: { type: 'RegisterOrganization', organizationId: id, kind: 'cooperative_group', name: 'Tổ hợp tác', registrationNumber: 'L-1', provinceCode: '91', sector: 'other', registeredOn: '2024-01-01', memberCount: 3 },
      context: context(),
    });
    const head = await store.headPosition();
    await waitFor(() => first.status().position === head, 10_000);
    await first.stop();
    await secondStarted;
    expect(second.status()).toMatchObject({ state: 'running', position: head });

    await commands.execute({ command: { type: 'ChangeMemberCount', organizationId: id, memberCount: 4, effectiveOn: '2024-06-01' }, context: context() });
    const newHead = await store.headPosition();
    await waitFor(() => second.status().position === newHead, 10_000);
    await second.stop();
    const schema = await activeSchema(database.pool);
    const { rows } = await database.pool.query(`SELECT member_count FROM ${schema}.organization_timeline WHERE organization_id = $1 AND upper_inf(known) ORDER BY lower(valid)`, [id]);
    expect(rows.map((r) => r.member_count)).toEqual([3, 4]);
  });
});

describe('projector when PostgreSQL refuses more connections', () => {
  let database: MigratedDatabase;
  // As the superuser, whom the database's connection limit does not hold back.
  let admin: ReturnType<typeof testPool>;

  beforeAll(async () => {
    database = await createMigratedDatabase('projector_full');
    admin = testPool(database.adminUrl, 2);
  });
  afterAll(async () => {
    await admin.query(`ALTER DATABASE ${database.name} CONNECTION LIMIT -1`);
    await admin.end();
    await database.dispose();
  });

  it('waits while the server has no connection to give (53300) and goes on after, never stopping for good', async () => {
    // Clients closed as soon as they are idle: each batch needs a new connection, as after a quiet spell.
    const pool = testPool(database.url, 5);
    Object.assign(pool.options, { idleTimeoutMillis: 1 });
    const store = new PostgresEventStore({ pool, connectionString: database.url });
    const projector = new Projector(pool, store, pino({ level: 'silent' }));
    const adminStore = new PostgresEventStore({ pool: admin, connectionString: database.adminUrl });
    const writer = new OrganizationCommandHandler(adminStore);
    const register = (registrationNumber: string) =>
      writer.execute({
        command: { type: 'RegisterOrganization', organizationId: randomUUID(), kind: 'cooperative_group', name: 'Tổ hợp tác', registrationNumber, provinceCode: '91', sector: 'other', registeredOn: '2024-01-01', memberCount: 3 },
        context: context(),
      });
    try {
      const first = await register('FULL-1');
      await projector.start();
      await waitFor(() => projector.status().position === first.position, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 100)); // the idle clients close

      await admin.query(`ALTER DATABASE ${database.name} CONNECTION LIMIT 0`);
      const second = await register('FULL-2');
      await new Promise((resolve) => setTimeout(resolve, 2_500)); // the projector's reads are refused meanwhile
      expect(projector.status().state).not.toBe('failed');

      await admin.query(`ALTER DATABASE ${database.name} CONNECTION LIMIT -1`);
      await waitFor(() => projector.status().state === 'running' && projector.status().position === second.position, 15_000);
    } finally {
      await projector.stop();
      await pool.end();
    }
  });
});
