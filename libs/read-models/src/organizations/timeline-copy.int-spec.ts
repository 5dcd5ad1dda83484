import type { PoolClient } from 'pg';
import type { OrganizationEvent } from '@ktt/domain';
import { aCooperative, aCooperativeGroup, aUnion } from '@ktt/testing/builders';
import { createMigratedDatabase, type MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { activeSchema } from '../generations';
import { binaryFits, binaryPieces, copyTextLines, copyTimelineRows } from './timeline-copy';
import { bitemporalChanges, emptyRowChanges, TIMELINE_COLUMNS, timelineLine, type TimelineRow } from './timeline-fold';

/**
 * Timeline rows go to PostgreSQL in COPY's binary format when the encoder
 * knows every value, as text otherwise: both must store the same rows (the
 * binary format names no types, so a column whose type a migration changed
 * would be misread; this test is what notices), and a value the binary
 * encoder declines must fail as the text fails (the quarantine keeps the message).
 */
describe('timeline rows written with COPY', () => {
  let database: MigratedDatabase;
  let client: PoolClient;
  let schema: string;

  beforeAll(async () => {
    database = await createMigratedDatabase('timeline_copy');
    schema = await activeSchema(database.pool);
    client = await database.pool.connect();
    for (const table of ['as_binary', 'as_text']) await client.query(`CREATE TEMP TABLE ${table} (LIKE ${schema}.organization_timeline)`);
  });

  afterAll(async () => {
    client.release();
    await database.dispose();
  });

  const rowsOf = (events: OrganizationEvent[]): TimelineRow[] => {
    const change = emptyRowChanges();
    const known = events.map((event, i) => ({ event, recordedAt: new Date(Date.UTC(2024, 0, 1) + i * 61_001).toISOString() }));
    bitemporalChanges(events[0].data.organizationId, known, 0, change);
    return change.timelineInserts;
  };

  it('stores the same rows in binary as in text, odd names, unknown flags, dates and members included', async () => {
    const cooperative = aCooperative({
      name: 'HTX\tTân\\Hiệp\n"Đông"\r\\N 😀',
      registrationNumber: 'KG-\\0001',
      effectiveOn: '1900-01-01',
      memberCount: 2_147_483_647,
      managers: { total: 0, withDegree: 0 },
      directorTrained: true,
      valueChain: false,
    })
      .rated('good', 2019, '2019-12-20')
      .memberCount(5, '2020-02-29')
      .profile({ highTech: null, digitalAdoption: true, managers: null }, '2021-06-15')
      .suspended('2022-01-01')
      .resumed('2022-03-01')
      .dissolved('2024-12-31');
    const group = aCooperativeGroup({ effectiveOn: '2019-01-01', memberCount: null }).memberCount(3, '2019-06-01');
    const union = aUnion(['A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12'], { effectiveOn: '2020-01-01' })
      .joined('c0eebc99-9c0b-4ef8-bb6d-6bb9bd380a13', '2020-06-15')
      .left('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '2021-01-01')
      .relocated('15', '2021-06-01');
    const rows = [cooperative, group, union].flatMap((stream) => rowsOf(stream.events));
    expect(binaryPieces(rows)).not.toBeNull(); // the binary path is the one taken

    await copyTimelineRows(client, 'as_binary', rows, true);
    await copyTextLines(client, 'as_text', TIMELINE_COLUMNS, rows.map(timelineLine));
    const differing = async (a: string, b: string) => (await client.query(`SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b}`)).rows;
    expect(await differing('as_binary', 'as_text')).toEqual([]);
    expect(await differing('as_text', 'as_binary')).toEqual([]);
    const { rows: stored } = await client.query<{ n: number; members: number; names: number }>(
      `SELECT count(*)::int AS n, max(cardinality(member_cooperative_ids))::int AS members, count(DISTINCT name)::int AS names FROM as_binary`,
    );
    expect(stored[0]).toEqual({ n: rows.length, members: 3, names: 3 });
  });

  it('is allowed where the columns have the types it writes, and only there', async () => {
    expect(await binaryFits(client, schema)).toBe(true);
    await client.query('BEGIN');
    await client.query(`ALTER TABLE ${schema}.organization_timeline ALTER COLUMN member_count TYPE bigint`); // a fix for a quarantined event
    expect(await binaryFits(client, schema)).toBe(false);
    await client.query('ROLLBACK');
  });

  it('sends a value the binary encoder declines as text, which fails as the text does', async () => {
    const rows = rowsOf(aCooperative({ effectiveOn: '2020-01-01' }).memberCount(3_000_000_000, '2021-01-01').events);
    expect(binaryPieces(rows)).toBeNull();
    await client.query('BEGIN');
    await expect(copyTimelineRows(client, 'as_binary', rows, true)).rejects.toMatchObject({ code: '22003', message: expect.stringMatching(/out of range/) });
    await client.query('ROLLBACK');
  });
});
