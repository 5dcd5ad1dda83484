import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pino from 'pino';
import { OrganizationCommandHandler, seedPlans } from '@ktt/application';
import type { PostgresEventStore } from '@ktt/event-store';
import type { MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { createEventStoreDatabase } from '@ktt/testing/postgres/event-store-database';
import { waitFor } from '@ktt/event-store/conformance/event-store.conformance';
import { activeSchema, Generation, schemaIdentifier } from '../generations';
import { Projector } from '../projector/projector';
import { applyAuditEvents } from './audit-projection';
import { rebuildReadModels } from '../rebuild/rebuild';
import { readModelDigest } from '../rebuild/digest';
import type { AuditEventView } from '../answers';
import { AuditQueries, decodeAuditCursor } from './audit-queries';
import { systemPrincipal } from '@ktt/auth';

const at = (iso: string, actor = 'so-kh-dt-kien-giang') => ({ principal: systemPrincipal(actor), correlationId: randomUUID(), now: new Date(iso) });

describe('audit trail read model', () => {
  let database: MigratedDatabase;
  let store: PostgresEventStore;
  let commands: OrganizationCommandHandler;
  let projector: Projector;
  let audit: AuditQueries;
  const cooperativeId = randomUUID();
  const yenBaiId = randomUUID();
  const movedId = randomUUID();
  let ratingEventId: string;

  beforeAll(async () => {
    ({ store } = database = await createEventStoreDatabase('audit'));
    commands = new OrganizationCommandHandler(store);
    await seedPlans(store, path.resolve(__dirname, '../../../../data/plans'));
    const register = (id: string, provinceCode: string, number: string, actor: string, now: string) =>
      commands.execute({
        command: { type: 'RegisterOrganization', organizationId: id, kind: 'cooperative', name: 'Hợp tác xã Đông Hòa', registrationNumber: number, provinceCode, sector: 'agriculture', registeredOn: '2020-01-01', memberCount: 10 },
        context: at(now, actor),
      });
    await register(cooperativeId, '91', 'A-1', 'so-kh-dt-kien-giang', '2026-01-05T01:00:00.000Z');
    await register(yenBaiId, '15', 'A-2', 'so-kh-dt-yen-bai', '2026-01-05T02:00:00.000Z');
    await commands.execute({ command: { type: 'RateOrganization', organizationId: cooperativeId, rating: 'weak', year: 2023, ratedOn: '2023-12-15' }, context: at('2026-01-06T01:00:00.000Z') });
    ratingEventId = (await store.readStream(`organization-${cooperativeId}`))[1].metadata.eventId;
    await commands.execute({
      command: { type: 'CorrectRecord', organizationId: cooperativeId, retractedEventId: ratingEventId, reason: 'nhập nhầm', replacement: { rating: 'good', year: 2023, ratedOn: '2023-12-15' } },
      context: at('2026-01-07T01:00:00.000Z', 'auditor-1'),
    });
    await commands.execute({ command: { type: 'DissolveOrganization', organizationId: yenBaiId, effectiveOn: '2025-03-01', mode: 'voluntary', decisionRef: 'QĐ 7/UBND' }, context: at('2026-01-08T01:00:00.000Z', 'so-kh-dt-yen-bai') });
    // Registered in former An Giang (89), then seated in former Kiên Giang within the merged An Giang (91), then rated.
    await register(movedId, '89', 'A-3', 'so-kh-dt-an-giang', '2026-01-09T01:00:00.000Z');
    await commands.execute({ command: { type: 'RelocateOrganization', organizationId: movedId, provinceCode: '91', formerProvinceCode: '91', effectiveOn: '2025-09-01' }, context: at('2026-01-09T02:00:00.000Z') });
    await commands.execute({ command: { type: 'RateOrganization', organizationId: movedId, rating: 'good', year: 2025, ratedOn: '2025-12-15' }, context: at('2026-01-09T03:00:00.000Z') });
    projector = new Projector(database.pool, store, pino({ level: 'silent' }));
    await projector.start();
    const head = await store.headPosition();
    await waitFor(() => projector.status().position === head, 30_000);
    audit = new AuditQueries();
  });
  afterAll(async () => {
    await projector?.stop();
    await database?.dispose();
  });

  const all = async (filter: Partial<Parameters<AuditQueries['events']>[1]> = {}) => (await audit.events(await Generation.active(database.pool), { limit: 500, ...filter })).items;

  it('keeps one row per organization and plan event, none for reservations and idempotency records', async () => {
    const { rows } = await database.pool.query(`SELECT count(*)::int AS n FROM events WHERE stream_id LIKE 'organization-%' OR stream_id LIKE 'plan-%'`);
    const items = await all();
    expect(items).toHaveLength(rows[0].n);
    expect(items.every((item) => /^(organization|plan)-/.test(item.streamId))).toBe(true);
  });

  it('finds the province of every event: the registration for organizations, the adoption for plans', async () => {
    const items = await all();
    const rating = items.find((item) => item.eventId === ratingEventId)!;
    expect(rating).toMatchObject({ type: 'OrganizationRated', organizationId: cooperativeId, provinceCode: '91', recordedBy: 'so-kh-dt-kien-giang', recordedAt: '2026-01-06T01:00:00.000Z' });
    const dissolution = items.find((item) => item.type === 'OrganizationDissolved')!;
    expect(dissolution).toMatchObject({ organizationId: yenBaiId, provinceCode: '15', effectiveOn: '2025-03-01', decisionRef: 'QĐ 7/UBND' });
    const plans = items.filter((item) => item.streamId.startsWith('plan-'));
    expect(plans.length).toBeGreaterThanOrEqual(2);
    expect(new Set(plans.map((plan) => plan.provinceCode))).toEqual(new Set(['91', '15']));
    expect(plans.every((plan) => plan.organizationId === null)).toBe(true);
  });

  it('links a correction and the event it retracts, both ways', async () => {
    const items = await all();
    const correction = items.find((item) => item.type === 'RecordCorrected')!;
    expect(correction).toMatchObject({ correctsEventId: ratingEventId, recordedBy: 'auditor-1', provinceCode: '91', effectiveOn: '2023-12-15' });
    expect(items.find((item) => item.eventId === ratingEventId)!.correctedByEventId).toBe(correction.eventId);
  });

  it('numbers the trail in log order and applies a batch again without a change', async () => {
    const quotedSchema = schemaIdentifier(await activeSchema(database.pool));
    const rows = async () => (await database.pool.query(`SELECT * FROM ${quotedSchema}.audit_events ORDER BY sequence`)).rows;
    const before = await rows();
    const positions = before.map((row) => row.position as string);
    expect([...positions].sort((a, b) => store.comparePositions(a as never, b as never))).toEqual(positions);
    expect(new Set(before.map((row) => row.sequence)).size).toBe(before.length);
    const client = await database.pool.connect();
    try {
      await applyAuditEvents(client, await activeSchema(database.pool), await store.readAll({ limit: 1000 }), 'read-models');
    } finally {
      client.release();
    }
    expect(await rows()).toEqual(before);
  });

  it('records where as the seat\'s unit (the former province), following a relocation; filters by units', async () => {
    const moved = (await all()).filter((item) => item.organizationId === movedId);
    expect(moved.map((item) => [item.type, item.provinceCode])).toEqual([
      ['OrganizationRegistered', '89'],
      ['OrganizationRelocated', '91'],
      ['OrganizationRated', '91'],
    ]);
    expect((await all({ units: ['89'] })).filter((item) => item.organizationId === movedId).map((item) => item.type)).toEqual(['OrganizationRegistered']);
  });

  it('filters by who, where, what and when, and pages with the cursor without repeats or gaps', async () => {
    const everything = await all();
    expect((await all({ recordedBy: 'so-kh-dt-yen-bai' })).map((item) => item.type)).toEqual(['OrganizationRegistered', 'OrganizationDissolved']);
    const yenBai = await all({ units: ['15'] });
    expect(yenBai.length).toBeGreaterThan(0);
    expect(yenBai.every((item) => item.provinceCode === '15')).toBe(true);
    expect((await all({ type: 'RecordCorrected' })).map((item) => item.eventId)).toEqual([everything.find((item) => item.type === 'RecordCorrected')!.eventId]);
    const window = await all({ from: '2026-01-06T00:00:00Z', to: '2026-01-08T01:00:00Z' });
    expect(window.map((item) => item.type)).toEqual(['OrganizationRated', 'RecordCorrected']); // `to` is exclusive

    const pages: AuditEventView[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 100; i++) {
      const page = await audit.events(await Generation.active(database.pool), { limit: 2, cursor });
      pages.push(...page.items);
      if (!page.nextCursor) break;
      expect(decodeAuditCursor(page.nextCursor)).not.toBeNull();
      cursor = page.nextCursor;
    }
    expect(pages).toEqual(everything);
    const sorted = [...everything].sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
    expect(everything.map((item) => item.recordedAt)).toEqual(sorted.map((item) => item.recordedAt));
  });

  it('names each organization as the register knows it now, on every row of its history', async () => {
    const items = await all();
    const moved = items.filter((item) => item.organizationId === movedId);
    expect(new Set(moved.map((item) => `${item.organizationName} ${item.registrationNumber}`))).toEqual(new Set(['Hợp tác xã Đông Hòa A-3']));
    expect(items.filter((item) => item.organizationId === yenBaiId).every((item) => item.registrationNumber === 'A-2')).toBe(true);
    const plans = items.filter((item) => item.streamId.startsWith('plan-'));
    expect(plans.every((plan) => plan.organizationName === null && plan.registrationNumber === null)).toBe(true);
  });

  it('filters by organization and walks newest first with its own cursor', async () => {
    const everything = await all();
    expect((await all({ organizationId: movedId })).map((item) => item.type)).toEqual(['OrganizationRegistered', 'OrganizationRelocated', 'OrganizationRated']);
    expect((await all({ organizationId: movedId, order: 'desc' })).map((item) => item.type)).toEqual(['OrganizationRated', 'OrganizationRelocated', 'OrganizationRegistered']);
    const pages: AuditEventView[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 100; i++) {
      const page = await audit.events(await Generation.active(database.pool), { limit: 2, cursor, order: 'desc' });
      pages.push(...page.items);
      if (!page.nextCursor) break;
      expect(decodeAuditCursor(page.nextCursor)?.order).toBe('desc');
      cursor = page.nextCursor;
    }
    expect(pages).toEqual([...everything].reverse());
    // A cursor continues only the order it came from.
    await expect(audit.events(await Generation.active(database.pool), { limit: 2, cursor, order: 'asc' })).rejects.toThrow(RangeError);
  });

  it('refuses a cursor it did not hand out', async () => {
    expect(decodeAuditCursor('bm9wZQ')).toBeNull();
    await expect(audit.events(await Generation.active(database.pool), { limit: 1, cursor: 'bm9wZQ' })).rejects.toThrow(RangeError);
  });

  it('is rebuilt inside PostgreSQL as the projector wrote it: the correction linked and the key back after the load', async () => {
    const live = await activeSchema(database.pool);
    const liveDigest = await readModelDigest(database.pool, live);
    // Every event here is in its current version: all of them go the SQL path, whose trail gets its key and its
    // links only once the load is done (facts-in-database.ts).
    const rebuilt = await rebuildReadModels(database.pool, store, {});
    expect(rebuilt.factsInDatabase).toBe(true);
    expect((await readModelDigest(database.pool, rebuilt.schema)).tables.audit_events).toEqual(liveDigest.tables.audit_events);
    const { rows } = await database.pool.query<{ corrected_by_event_id: string | null }>(
      `SELECT corrected_by_event_id FROM ${schemaIdentifier(rebuilt.schema)}.audit_events WHERE event_id = $1`,
      [ratingEventId],
    );
    expect(rows).toEqual([{ corrected_by_event_id: expect.stringMatching(/^[0-9a-f-]{36}$/) }]);
    const { rows: keys } = await database.pool.query<{ definition: string }>(
      `SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'p'`,
      [`${schemaIdentifier(rebuilt.schema)}.audit_events`],
    );
    expect(keys).toEqual([{ definition: 'PRIMARY KEY (event_id)' }]);
  });
});
