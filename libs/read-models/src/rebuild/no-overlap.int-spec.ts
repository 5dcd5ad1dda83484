import { randomUUID } from 'node:crypto';
import { OrganizationCommandHandler } from '@ktt/application';
import { systemPrincipal } from '@ktt/auth';
import type { PostgresEventStore } from '@ktt/event-store';
import type { MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { createEventStoreDatabase } from '@ktt/testing/postgres/event-store-database';
import { readWholeLog } from '@ktt/testing/postgres/whole-log';
import { activeSchema } from '../generations';
import { applyBatchIsolating, listQuarantined } from '../projector/quarantine';
import { rebuildReadModels } from './rebuild';
import { assertNoTimelineOverlap, setNoOverlapTriggers } from './no-overlap';

/**
 * The timeline's no-overlap guarantee without the exclusion constraint (migration 1733700000000),
 * checked in three places: on the live path, statement triggers refuse a batch whose rows overlap
 * another row of their organization with SQLSTATE 23P01 naming it (and so quarantine its event, as
 * the constraint's error did); in a rebuild, whose load runs with the triggers off, the timeline
 * phase checks each organization's rows in Node as it folds them, before writing them, and an
 * overlap ends the rebuild with that error (organizations/timeline-overlap.ts, unit-tested there);
 * `assertNoTimelineOverlap` checks a whole table in SQL (no longer part of a rebuild).
 */
describe('no two timeline rows of an organization overlap in both times', () => {
  let database: MigratedDatabase;
  let store: PostgresEventStore;
  let commands: OrganizationCommandHandler;
  let schema: string;
  const id = randomUUID();
  const context = (now: string) => ({ principal: systemPrincipal('test'), correlationId: randomUUID(), now: new Date(now) });

  /** A row of `organization` like its first one, with other ranges, written with the triggers off (as during a rebuild's load). */
  const plant = async (target: string, organization: string, valid: string, known: string) => {
    const client = await database.pool.connect();
    try {
      await client.query('BEGIN');
      await setNoOverlapTriggers(client, target, false);
      await client.query(
        `INSERT INTO ${target}.organization_timeline SELECT (jsonb_populate_record(t, jsonb_build_object('valid', $2::text, 'known', $3::text))).*
           FROM ${target}.organization_timeline t WHERE organization_id = $1 LIMIT 1`,
        [organization, valid, known],
      );
      await setNoOverlapTriggers(client, target, true);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  };

  beforeAll(async () => {
    ({ store } = database = await createEventStoreDatabase('nooverlap'));
    commands = new OrganizationCommandHandler(store);
    await commands.execute({
      command: { type: 'RegisterOrganization', organizationId: id, kind: 'cooperative', name: 'HTX Không Chồng', registrationNumber: 'NO-1', provinceCode: '91', sector: 'agriculture', registeredOn: '2020-01-01', memberCount: 10 },
      context: context('2026-01-01T03:00:00Z'),
    });
    ({ schema } = await rebuildReadModels(database.pool, store));
  });
  afterAll(() => database?.dispose());

  it('refuses a row written over another of its organization, insert or update, naming the organization', async () => {
    const insert = database.pool.query(
      `INSERT INTO ${schema}.organization_timeline SELECT (jsonb_populate_record(t, '{"valid": "[2024-01-01,)"}')).* FROM ${schema}.organization_timeline t WHERE organization_id = $1`,
      [id],
    );
    await expect(insert).rejects.toMatchObject({ code: '23P01', message: expect.stringContaining(id) });
    // Closing the open row in recorded time, then reopening it over a later row of the same valid range.
    await database.pool.query(`UPDATE ${schema}.organization_timeline SET known = tstzrange(lower(known), '2026-02-01') WHERE organization_id = $1`, [id]);
    await database.pool.query(
      `INSERT INTO ${schema}.organization_timeline SELECT (jsonb_populate_record(t, '{"known": "[2026-02-01,)"}')).* FROM ${schema}.organization_timeline t WHERE organization_id = $1`,
      [id],
    );
    const reopen = database.pool.query(
      `UPDATE ${schema}.organization_timeline SET known = tstzrange(lower(known), NULL) WHERE organization_id = $1 AND upper(known) = '2026-02-01'`,
      [id],
    );
    await expect(reopen).rejects.toMatchObject({ code: '23P01', message: expect.stringContaining(id) });
  });

  it('quarantines the event of a live batch whose rows would overlap a row already there', async () => {
    const other = randomUUID();
    await commands.execute({
      command: { type: 'RegisterOrganization', organizationId: other, kind: 'cooperative', name: 'HTX Chồng Lấn', registrationNumber: 'NO-2', provinceCode: '91', sector: 'agriculture', registeredOn: '2020-01-01', memberCount: 10 },
      context: context('2026-03-01T03:00:00Z'),
    });
    await commands.execute({
      command: { type: 'ChangeMemberCount', organizationId: other, effectiveOn: '2022-01-01', memberCount: 12 },
      context: context('2026-03-02T03:00:00Z'),
    });
    const [registered, changed] = (await readWholeLog(store, database.pool)).filter((event) => event.streamId === `organization-${other}`);
    const client = await database.pool.connect();
    try {
      await client.query('BEGIN');
      expect(await applyBatchIsolating(client, schema, [registered])).toEqual([]);
      await client.query('COMMIT');
      // A row the change will meet: from 2025 on, known from 2100 on (left, say, by a bug of an older release).
      await plant(schema, other, '[2025-01-01,)', '[2100-01-01,)');
      await client.query('BEGIN');
      const quarantined = await applyBatchIsolating(client, schema, [changed]);
      await client.query('COMMIT');
      expect(quarantined).toEqual([expect.objectContaining({ organizationId: other, reason: 'failed', error: expect.stringContaining(other) })]);
    } finally {
      client.release();
    }
  });

  it('ends a rebuild whose fold yields an overlap with 23P01 naming the organization, writing none of it and switching nothing', async () => {
    // The fold yields no overlap (a property of timeline-fold.property.spec.ts), and no facts make it yield
    // one: the rebuild's test-only option alters its rows, as a faulty fold would, before they are checked.
    // Here: the organization's open row again, from 2024 on, over the same recorded time.
    const active = await activeSchema(database.pool);
    const rebuild = rebuildReadModels(database.pool, store, {
      alterFoldedRows: (rows) => (rows[0]?.organizationId === id ? [...rows, { ...rows[rows.length - 1], from: '2024-01-01' }] : rows),
    });
    await expect(rebuild).rejects.toMatchObject({
      name: 'TimelineOverlapError',
      code: '23P01',
      organizationId: id,
      message: expect.stringMatching(new RegExp(`organization ${id} overlap .*valid \\[2020-01-01,\\) known .*valid \\[2024-01-01,\\) known `)),
    });
    expect(await activeSchema(database.pool)).toBe(active);
    const { rows: generations } = await database.pool.query<{ schema_name: string; state: string }>(
      `SELECT schema_name, state FROM read_model_generations ORDER BY generation DESC LIMIT 1`,
    );
    expect(generations[0].state).toBe('building');
    const { rows: written } = await database.pool.query(`SELECT count(*)::int AS n FROM ${generations[0].schema_name}.organization_timeline WHERE organization_id = $1`, [id]);
    expect(written[0].n).toBe(0);
  });

  it('ends a rebuild on an overlap met while a poison event of the same chunk is isolated, never blaming an event for it', async () => {
    // A poison event (a member count out of range) makes the chunk's COPY fail after every organization's
    // rows were checked; each organization is then projected again alone (quarantine.ts). The faulty fold
    // is planted for that second projection of the first organization only.
    const poisoned = randomUUID();
    await commands.execute({
      command: { type: 'RegisterOrganization', organizationId: poisoned, kind: 'cooperative', name: 'HTX Độc', registrationNumber: 'NO-3', provinceCode: '91', sector: 'agriculture', registeredOn: '2020-01-01', memberCount: 10 },
      context: context('2026-04-01T03:00:00Z'),
    });
    await store.append([{
      streamId: `organization-${poisoned}`,
      expectedRevision: 0,
      events: [{
        type: 'MemberCountChanged',
        data: { organizationId: poisoned, effectiveOn: '2021-01-01', memberCount: 3_000_000_000 },
        metadata: { eventId: randomUUID(), recordedAt: '2026-04-02T03:00:00.000Z', recordedBy: 'test', correlationId: randomUUID(), causationId: null, schemaVersion: 1, previousHash: null, hash: 'x' },
      }],
    }]);
    const seen = new Map<string, number>();
    const rebuild = rebuildReadModels(database.pool, store, {
      alterFoldedRows: (rows) => {
        const organization = rows[0]?.organizationId;
        if (organization !== id) return rows;
        seen.set(organization, (seen.get(organization) ?? 0) + 1);
        return seen.get(organization)! > 1 ? [...rows, { ...rows[rows.length - 1], from: '2024-01-01' }] : rows;
      },
    });
    await expect(rebuild).rejects.toMatchObject({ name: 'TimelineOverlapError', code: '23P01', organizationId: id });
    expect(seen.get(id)).toBe(2); // the chunk's projection, then the isolating one
    const { rows: generations } = await database.pool.query<{ schema_name: string; state: string }>(
      `SELECT schema_name, state FROM read_model_generations ORDER BY generation DESC LIMIT 1`,
    );
    expect(generations[0].state).toBe('building');
    // And without the faulty fold the same log rebuilds, the poison event quarantined.
    const { schema: rebuilt } = await rebuildReadModels(database.pool, store);
    expect((await listQuarantined(database.pool, rebuilt)).map((q) => [q.organizationId, q.reason])).toEqual([[poisoned, 'failed']]);
  });

  it('checks a whole table in SQL on demand, and a rebuild leaves the triggers on for the live path', async () => {
    const { schema: rebuilt } = await rebuildReadModels(database.pool, store);
    await expect(assertNoTimelineOverlap(database.pool, rebuilt)).resolves.toBeUndefined();
    await plant(rebuilt, id, '[2024-01-01,)', '[2026-01-01,)');
    await expect(assertNoTimelineOverlap(database.pool, rebuilt)).rejects.toMatchObject({ code: '23P01', message: expect.stringContaining(id) });
    const insert = database.pool.query(
      `INSERT INTO ${rebuilt}.organization_timeline SELECT (jsonb_populate_record(t, '{"valid": "[2023-01-01,)"}')).* FROM ${rebuilt}.organization_timeline t WHERE organization_id = $1 LIMIT 1`,
      [id],
    );
    await expect(insert).rejects.toMatchObject({ code: '23P01' });
  });
});
