import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { OrganizationCommandHandler } from '@ktt/application';
import { loadDemo } from '@ktt/datagen';
import type { EventToAppend, PostgresEventStore } from '@ktt/event-store';
import type { MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { createEventStoreDatabase } from '@ktt/testing/postgres/event-store-database';
import { waitFor } from '@ktt/event-store/conformance/event-store.conformance';
import { activeSchema } from '../generations';
import { Projector } from '../projector/projector';
import { listQuarantined } from '../projector/quarantine';
import { readModelDigest } from './digest';
import { rebuildReadModels } from './rebuild';

/**
 * The facts phase inside PostgreSQL (facts-in-database.ts) writes the rows the Node path writes, also
 * for the events it leaves to that path: stored v1 events (upcast), poison events (quarantined with the
 * rest of their stream, in the same chunk and in later ones), a non-canonical stream, plan events, an
 * imported event's source, a v1 correction, the province of a later event found from a seat stored by
 * either path (a v1 registration, relocations). The log is cut into chunks of 37 events so those cases
 * fall on both sides of chunk boundaries.
 */
describe('rebuild: facts inside PostgreSQL', () => {
  let database: MigratedDatabase;
  let store: PostgresEventStore;
  let projector: Projector;
  const a = randomUUID();
  const b = randomUUID();
  const c = randomUUID();
  const d = randomUUID();
  const mixedCase = randomUUID().toUpperCase();

  const event = (type: string, data: Record<string, unknown>, metadata: Record<string, unknown> = {}): EventToAppend => ({
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
      ...metadata,
    },
  });
  const registration = (id: string, provinceCode: string, schemaVersion: number) =>
    event(
      'OrganizationRegistered',
      {
        organizationId: id, effectiveOn: '2020-01-01', kind: 'cooperative', name: `HTX ${id.slice(0, 4)}`, registrationNumber: `FD-${id.slice(0, 8)}`,
        provinceCode, sector: 'agriculture', memberCount: 10, memberCooperativeIds: [], managers: null,
        // v1 named every flag; a v2 one may leave one unknown
        directorTrained: true, valueChain: false, highTech: false, enterpriseLinked: false, ...(schemaVersion === 1 ? { digitalAdoption: false } : { digitalAdoption: null }),
      },
      { schemaVersion },
    );
  const memberCount = (id: string, count: number, effectiveOn: string, metadata: Record<string, unknown> = {}) =>
    event('MemberCountChanged', { organizationId: id, effectiveOn, memberCount: count }, metadata);
  const plant = (streamId: string, revision: number, planted: EventToAppend) =>
    database.pool.query(`INSERT INTO events (stream_id, stream_revision, event_id, event_type, data, metadata) VALUES ($1, $2, $3, $4, $5, $6)`, [
      streamId,
      revision,
      planted.metadata.eventId,
      planted.type,
      JSON.stringify(planted.data),
      JSON.stringify(planted.metadata),
    ]);

  beforeAll(async () => {
    ({ store } = database = await createEventStoreDatabase('factsdb'));
    const commands = new OrganizationCommandHandler(store);
    expect((await loadDemo(commands, { scale: 0.01, today: '2026-06-30' })).refusals).toBe(0);
    const stream = (id: string) => `organization-${id}`;
    // a: a v1 registration (upcast), a v2 change, a poison date, then events held behind it
    await plant(stream(a), 0, registration(a, '91', 1));
    await plant(stream(a), 1, memberCount(a, 12, '2021-01-01', { schemaVersion: 1, source: { kind: 'import', fileName: 'a.xlsx', sha256: 'ab' } }));
    await plant(stream(b), 0, registration(b, '15', 2));
    await plant(stream(a), 2, memberCount(a, 13, '2021-13-45'));
    await plant(stream(a), 3, memberCount(a, 14, '2022-01-01'));
    // b: fine, then a value the timeline cannot hold (quarantined by the timeline phase), a v1 correction of an earlier event
    const retracted = memberCount(b, 20, '2021-06-01');
    await plant(stream(b), 1, retracted);
    await plant(stream(b), 2, memberCount(b, 3_000_000_000, '2022-01-01'));
    await plant(stream(c), 0, registration(c, '91', 2));
    const correction = event(
      'RecordCorrected',
      { retractedRevision: 0, retractedEventId: retracted.metadata.eventId, retractedType: 'MemberCountChanged', reason: 'sai', replacement: null, effectiveOn: '2021-06-01' },
      { schemaVersion: 1 },
    );
    await plant(stream(c), 1, memberCount(c, 30, '2021-01-01', { recordedBy: null })); // no recorder: the trail refuses it
    await plant(stream(b), 3, correction);
    await plant(`organization-${mixedCase}`, 0, registration(mixedCase, '15', 2));
    await plant('plan-fd-test', 0, event('PlanAdopted', { provinceCode: '91', title: 'Kế hoạch', adoptedOn: '2021-01-01' }));
    await plant('plan-fd-test', 1, event('PlanTargetSet', { indicator: 'x', value: 1 }));
    // d: a v1 registration and the change after it go the Node path; its later events (chunks later) take
    // the SQL path and find their province in the seat the Node path stored, then in relocations
    await plant(stream(d), 0, registration(d, '91', 1));
    await plant(stream(d), 1, memberCount(d, 11, '2020-06-01'));
    // and more of the demo's kind after them, in later chunks
    for (let k = 0; k < 50; k++) await plant(stream(a), 4 + k, memberCount(a, 15 + k, '2023-01-01'));
    const relocation = (provinceCode: string, formerProvinceCode: string | null, effectiveOn: string) =>
      event('OrganizationRelocated', { organizationId: d, effectiveOn, provinceCode, formerProvinceCode });
    await plant(stream(d), 2, memberCount(d, 12, '2021-06-01'));
    await plant(stream(d), 3, relocation('15', null, '2022-01-01'));
    await plant(stream(d), 4, memberCount(d, 13, '2022-06-01'));
    await plant(stream(d), 5, relocation('15', '14', '2023-01-01'));
    await plant(stream(d), 6, memberCount(d, 14, '2023-06-01'));
    projector = new Projector(database.pool, store, pino({ level: 'silent' }));
    await projector.start();
    const head = await store.headPosition();
    await waitFor(() => projector.status().position === head, 30_000);
  });
  afterAll(async () => {
    await projector?.stop();
    await database?.dispose();
  });

  it('writes the same read models, quarantine and checkpoint as the Node path, and the digest tells a changed row', async () => {
    const live = await activeSchema(database.pool);
    await projector.stop();
    const liveDigest = await readModelDigest(database.pool, live); // the second rebuild drops it
    const paged = await rebuildReadModels(database.pool, store, { factsInDatabase: false, batchSize: 37 });
    expect(paged.factsInDatabase).toBe(false);
    const sql = await rebuildReadModels(database.pool, store, { factsChunkSize: 37 });
    expect(sql.factsInDatabase).toBe(true);
    expect(sql.events).toBe(paged.events);
    expect(Object.keys(sql.phases)).toEqual(expect.arrayContaining(['facts', 'timelines', 'indexes', 'vacuum', 'switch']));

    const quarantined = (await listQuarantined(database.pool, sql.schema)).map((q) => [q.streamId, q.revision, q.reason, q.error.slice(0, 40)]);
    expect(quarantined.slice(0, 3)).toEqual([
      [`organization-${a}`, 2, 'failed', expect.stringMatching(/date/)],
      [`organization-${a}`, 3, 'held', expect.any(String)],
      [`organization-${b}`, 2, 'failed', expect.stringMatching(/out of range/)],
    ]);
    expect(quarantined).toHaveLength(3 + 1 + 1 + 1 + 50); // c's change without a recorder, b's correction (held), the mixed-case stream, a's later events
    expect(await listQuarantined(database.pool, paged.schema)).toEqual(
      (await listQuarantined(database.pool, sql.schema)).map((q) => ({ ...q, quarantinedAt: expect.any(String) })),
    );
    // Every index and key back as the paged rebuild (which keeps them throughout) has them: the SQL path drops the
    // unique ones for its load and builds them again (deferred-keys.ts).
    const indexesAndKeys = async (schema: string) =>
      (
        await database.pool.query<{ entry: string }>(
          `SELECT replace(indexdef, $1 || '.', '') AS entry FROM pg_indexes WHERE schemaname = $1
           UNION ALL SELECT conrelid::regclass::text || ' ' || replace(pg_get_constraintdef(oid), $1, '') FROM pg_constraint
            WHERE connamespace = $1::regnamespace AND contype IN ('p', 'u', 'x')
           ORDER BY 1`,
          [schema],
        )
      ).rows.map((row) => row.entry.replace(schema, 'S'));
    expect(await indexesAndKeys(sql.schema)).toEqual(await indexesAndKeys(paged.schema));
    expect((await indexesAndKeys(sql.schema)).filter((entry) => /PRIMARY KEY|UNIQUE INDEX/.test(entry)).length).toBeGreaterThanOrEqual(4);
    const sqlDigest = await readModelDigest(database.pool, sql.schema);
    expect(sqlDigest).toEqual(await readModelDigest(database.pool, paged.schema));
    // The live projector (its generation kept as the first rebuild's retired one) agrees on everything but
    // the quarantine's error text, which names the statement that failed.
    for (const table of Object.keys(sqlDigest.tables).filter((t) => t !== 'quarantined_events')) expect([table, liveDigest.tables[table]]).toEqual([table, sqlDigest.tables[table]]);
    expect(sqlDigest.tables.audit_events.rows).toBeGreaterThan(100);
    const { rows: upcast } = await database.pool.query(`SELECT data FROM ${sql.schema}.organization_facts WHERE organization_id = $1 AND revision = 0`, [a]);
    expect(upcast[0].data).toMatchObject({ digitalAdoption: false, directorTrained: true });
    const { rows: audit } = await database.pool.query(
      `SELECT corrected_by_event_id, (SELECT source FROM ${sql.schema}.audit_events WHERE organization_id = $2 AND revision = 1) AS source
         FROM ${sql.schema}.audit_events WHERE organization_id = $1 AND revision = 1`,
      [b, a],
    );
    expect(audit[0].corrected_by_event_id).not.toBeNull();
    expect(audit[0].source).toEqual({ kind: 'import', fileName: 'a.xlsx', sha256: 'ab' });
    const { rows: provinces } = await database.pool.query(
      `SELECT province_code FROM ${sql.schema}.audit_events WHERE organization_id = $1 ORDER BY revision`,
      [d],
    );
    expect(provinces.map((row) => row.province_code)).toEqual(['91', '91', '91', '15', '15', '14', '14']);
    const { rows: checkpoints } = await database.pool.query(
      `SELECT s.position, s.events_applied FROM ${sql.schema}.projection_checkpoints s`,
    );
    expect(checkpoints).toEqual([{ position: await store.headPosition(), events_applied: String(sql.events) }]);

    await database.pool.query(`UPDATE ${sql.schema}.audit_events SET recorded_by = 'someone else' WHERE organization_id = $1 AND revision = 1`, [b]);
    const changed = await readModelDigest(database.pool, sql.schema);
    expect(changed.digest).not.toBe(sqlDigest.digest);
    expect(changed.tables.audit_events).not.toEqual(sqlDigest.tables.audit_events);
    expect(changed.tables.organization_timeline).toEqual(sqlDigest.tables.organization_timeline);
  });
});
