import { todayInVietnam } from '@ktt/domain';
import { PostgresEventStore } from '@ktt/event-store';
import { createMigratedDatabase, type MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { OrganizationCommandHandler } from '@ktt/application';
import { DEMO_ACTOR, loadDemo, type DemoSummary } from './load-demo';

const SEED = 42;
const SCALE = 0.02;

function storeOf(database: MigratedDatabase): PostgresEventStore {
  return new PostgresEventStore({ pool: database.pool, connectionString: database.url });
}

function commandsOn(database: MigratedDatabase): OrganizationCommandHandler {
  return new OrganizationCommandHandler(storeOf(database));
}

async function organizationEvents(database: MigratedDatabase) {
  const { rows } = await database.pool.query<{ stream_id: string; stream_revision: string; event_type: string; data: unknown }>(
    `SELECT stream_id, stream_revision, event_type, data FROM events
      WHERE stream_id LIKE 'organization-%' OR stream_id LIKE 'registration-number-%'
      ORDER BY stream_id, stream_revision`,
  );
  return rows;
}

async function countEvents(database: MigratedDatabase): Promise<number> {
  const { rows } = await database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
  return rows[0].n;
}

/** The events the demo wrote itself (the 2025 reorganization it records first, if missing, is system:seed's). */
async function countDemoEvents(database: MigratedDatabase): Promise<number> {
  const { rows } = await database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE metadata->>'recordedBy' = $1`, [DEMO_ACTOR]);
  return rows[0].n;
}

describe('loadDemo through the real command path (scale 0.02)', () => {
  // One clock for both loads, so that the deterministic comparison covers the recording times too.
  const now = new Date();
  const today = todayInVietnam(now);
  let first: MigratedDatabase;
  let second: MigratedDatabase;
  let summary: DemoSummary;
  let loaded: number;

  beforeAll(async () => {
    [first, second] = await Promise.all([createMigratedDatabase('demo_a'), createMigratedDatabase('demo_b')]);
    summary = await loadDemo(commandsOn(first), { seed: SEED, scale: SCALE, today, now, store: storeOf(first) });
    loaded = Date.now();
  });
  afterAll(async () => {
    await Promise.all([first?.dispose(), second?.dispose()]);
  });

  it('is refused nothing', () => {
    expect(summary.refusalSamples).toEqual([]);
    expect(summary.refusals).toBe(0);
    expect(summary.commandsSent).toBeGreaterThan(300);
    expect(summary.replayed).toBe(0);
  });

  it('registers every kind in each of its three provinces as they were before 1 July 2025 (counted on the events table)', async () => {
    // The seat's unit: the former province where the registration names one (a merged province's, from 1 July 2025), else its code.
    const { rows } = await first.pool.query<{ province: string; kind: string; n: number }>(
      `SELECT coalesce(data->>'formerProvinceCode', data->>'provinceCode') AS province, data->>'kind' AS kind, count(*)::int AS n
         FROM events WHERE event_type = 'OrganizationRegistered' GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    const counts = Object.fromEntries(rows.map((r) => [`${r.province}/${r.kind}`, r.n]));
    expect(Object.keys(counts).sort()).toEqual(
      ['15', '89', '91'].flatMap((province) => ['cooperative', 'cooperative_group', 'union'].map((kind) => `${province}/${kind}`)).sort(),
    );
    // domain.md sizes × 0.02 on their reference dates; more have registered since.
    expect(counts['91/cooperative']).toBeGreaterThanOrEqual(Math.round(457 * SCALE) + Math.round(66 * SCALE));
    expect(counts['15/cooperative']).toBeGreaterThanOrEqual(Math.round(466 * SCALE) + Math.round(368 * SCALE));
    expect(counts['89/cooperative']).toBeGreaterThanOrEqual(Math.round(180 * SCALE) + Math.round(66 * SCALE));
    expect(counts['91/cooperative_group']).toBeGreaterThanOrEqual(Math.round(2160 * SCALE));
    expect(counts['15/cooperative_group']).toBeGreaterThanOrEqual(Math.round(5300 * SCALE));
    expect(counts['91/union']).toBeGreaterThanOrEqual(2);
    expect(counts['15/union']).toBeGreaterThanOrEqual(2);
    for (const line of summary.organizations) {
      expect(counts[`${line.provinceCode}/${line.kind}`]).toBe(line.registered);
    }
  });

  it('names seats on the map of their date: the 2025 merger recorded first, An Giang (89) before it, 91 with its former province after it, and relocations accepted', async () => {
    const seeded = await first.pool.query<{ event_type: string; actor: string }>(
      `SELECT event_type, metadata->>'recordedBy' AS actor FROM events WHERE stream_id LIKE 'administrative-units%'`,
    );
    expect(seeded.rows).toEqual([{ event_type: 'ProvincesReorganized', actor: 'system:seed' }]);
    const { rows } = await first.pool.query<{ code: string; former: string | null; after: boolean; type: string; n: number }>(
      `SELECT data->>'provinceCode' AS code, data->>'formerProvinceCode' AS former, data->>'effectiveOn' >= '2025-07-01' AS after,
              event_type AS type, count(*)::int AS n
         FROM events WHERE event_type IN ('OrganizationRegistered', 'OrganizationRelocated') GROUP BY 1, 2, 3, 4`,
    );
    const seats = (after: boolean) => new Set(rows.filter((r) => r.after === after).map((r) => `${r.code}/${r.former ?? '-'}`));
    expect(seats(false)).toEqual(new Set(['91/-', '89/-', '15/-']));
    expect(seats(true)).toContain('91/89');
    expect(seats(true)).toContain('91/91');
    expect([...seats(true)].every((seat) => ['91/89', '91/91', '15/15', '15/10'].includes(seat))).toBe(true);
    const relocations = rows.filter((r) => r.type === 'OrganizationRelocated').reduce((n, r) => n + r.n, 0);
    expect(relocations).toBeGreaterThan(0);
  });

  it('writes what it reports, every event recorded by system:demo (but the reorganization it seeds)', async () => {
    expect(await countDemoEvents(first)).toBe(summary.eventsWritten);
    const { rows } = await first.pool.query<{ actor: string; n: number }>(
      `SELECT metadata->>'recordedBy' AS actor, count(*)::int AS n FROM events WHERE NOT starts_with(stream_id, 'administrative-units') AND metadata->>'recordedBy' <> 'system:seed' GROUP BY 1`,
    );
    expect(rows).toEqual([{ actor: DEMO_ACTOR, n: summary.eventsWritten }]);
    const types = await first.pool.query<{ event_type: string }>(
      `SELECT DISTINCT event_type FROM events WHERE stream_id LIKE 'organization-%' ORDER BY 1`,
    );
    expect(types.rows.map((r) => r.event_type)).toEqual(
      expect.arrayContaining(['OrganizationRegistered', 'OrganizationRated', 'MemberCountChanged', 'ProfileChanged', 'OrganizationDissolved', 'CooperativeJoinedUnion']),
    );
  });

  it('records each event when the registry would have learned it: in office hours of its recording day, late records after their date, in order within a stream, none after the load', async () => {
    const { rows } = await first.pool.query<{ stream_id: string; type: string; effective_on: string; recorded_at: string; hour: number; day: string }>(
      `SELECT stream_id, event_type AS type, data->>'effectiveOn' AS effective_on, metadata->>'recordedAt' AS recorded_at,
              extract(hour FROM (metadata->>'recordedAt')::timestamptz AT TIME ZONE 'Asia/Ho_Chi_Minh')::int AS hour,
              ((metadata->>'recordedAt')::timestamptz AT TIME ZONE 'Asia/Ho_Chi_Minh')::date::text AS day
         FROM events WHERE stream_id LIKE 'organization-%' ORDER BY stream_id, stream_revision`,
    );
    const effective = (row: (typeof rows)[number]) => row.effective_on ?? row.day;
    // Recorded on or after the day it took effect, and never before the history's first day (2018-01-01).
    expect(rows.filter((row) => row.day < effective(row) || row.day < '2018-01-01')).toEqual([]);
    expect(rows.filter((row) => Date.parse(row.recorded_at) > loaded)).toEqual([]);
    // The history spans the years it tells, not the minutes of the load: most records are in office hours of their day.
    expect(new Set(rows.map((row) => row.day.slice(0, 4))).size).toBeGreaterThanOrEqual(8);
    const earlier = rows.filter((row) => row.day < today);
    expect(earlier.filter((row) => row.hour >= 8 && row.hour < 17).length / earlier.length).toBeGreaterThan(0.95);
    // Late records: some ratings and member counts entered weeks or a year after their date.
    const late = earlier.filter((row) => Date.parse(row.day) - Date.parse(effective(row)) >= 20 * 86_400_000);
    expect(late.some((row) => row.type === 'OrganizationRated')).toBe(true);
    // Within a stream, each record after the one before it (the read model's "known" ranges need it).
    const unordered = rows.filter((row, i) => i > 0 && rows[i - 1].stream_id === row.stream_id && Date.parse(row.recorded_at) <= Date.parse(rows[i - 1].recorded_at));
    expect(unordered).toEqual([]);
  });

  it('is deterministic: the same seed in another database writes the same events, ids and recording times included', async () => {
    const again = await loadDemo(commandsOn(second), { seed: SEED, scale: SCALE, today, now, store: storeOf(second) });
    expect(again.refusals).toBe(0);
    expect(again.eventsWritten).toBe(summary.eventsWritten);
    const [a, b] = await Promise.all([organizationEvents(first), organizationEvents(second)]);
    expect(a.length).toBeGreaterThan(summary.commandsSent - 1);
    expect(b).toEqual(a);
    // Records due later today than `now` are stamped by the clock as they are sent; every other time is drawn from the seed.
    const times = async (database: MigratedDatabase) =>
      (await database.pool.query<{ key: string; at: string }>(
        `SELECT stream_id || '/' || stream_revision AS key, metadata->>'recordedAt' AS at FROM events
          WHERE stream_id LIKE 'organization-%' AND (metadata->>'recordedAt')::timestamptz <= $1 ORDER BY 1`,
        [now.toISOString()],
      )).rows;
    const [ta, tb] = await Promise.all([times(first), times(second)]);
    expect(ta.length).toBeGreaterThan(a.length / 2);
    expect(tb).toEqual(ta);
  });

  it('writes nothing when run again: every command is answered by its idempotency key', async () => {
    const before = await countEvents(first);
    const rerun = await loadDemo(commandsOn(first), { seed: SEED, scale: SCALE, today, store: storeOf(first) });
    expect(rerun.refusals).toBe(0);
    expect(rerun.replayed).toBe(rerun.commandsSent);
    expect(rerun.eventsWritten).toBe(0);
    expect(await countEvents(first)).toBe(before);
  });

  it('names seats on the map its command handler judges them on: without the merger recorded (no store given), 89 after 1 July 2025 too, refused nothing', async () => {
    const unmerged = await createMigratedDatabase('demo_c');
    try {
      const result = await loadDemo(commandsOn(unmerged), { seed: SEED, scale: SCALE, today });
      expect(result.refusalSamples).toEqual([]);
      const { rows } = await unmerged.pool.query<{ seats: string[] }>(
        `SELECT array_agg(DISTINCT data->>'provinceCode' ORDER BY data->>'provinceCode') AS seats FROM events
          WHERE event_type = 'OrganizationRegistered' AND data->>'effectiveOn' >= '2025-07-01'`,
      );
      expect(rows[0].seats).toContain('89');
      expect(await countEvents(unmerged)).toBe(result.eventsWritten);
    } finally {
      await unmerged.dispose();
    }
  });
});
