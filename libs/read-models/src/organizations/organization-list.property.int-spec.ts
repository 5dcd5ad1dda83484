import fc from 'fast-check';
import pino from 'pino';
import type { Pool } from 'pg';
import { OrganizationCommandHandler } from '@ktt/application';
import { loadDemo } from '@ktt/datagen';
import type { OrganizationKind, OrganizationStatus, Sector } from '@ktt/domain';
import { SECTORS } from '@ktt/domain';
import type { PostgresEventStore } from '@ktt/event-store';
import { createEventStoreDatabase, type EventStoreDatabase } from '@ktt/testing/postgres/event-store-database';
import { waitFor } from '@ktt/event-store/conformance/event-store.conformance';
import { Generation } from '../generations';
import { Projector } from '../projector/projector';
import { rebuildReadModels } from '../rebuild/rebuild';
import { snapshotHeldBack } from '../rebuild/visibility';
import { nameCollation, type OrganizationSort } from './organization-order';
import { OrganizationQueries, type OrganizationFilter } from './organization-queries';
import { searchText } from './timeline';

const TODAY = '2026-06-30';
const LIST_INDEX = 'organization_timeline_list_current_idx';
const KINDS: OrganizationKind[] = ['cooperative', 'cooperative_group', 'union'];
const STATUSES: OrganizationStatus[] = ['active', 'dormant', 'suspended', 'dissolved'];

/**
 * The list of a territory reads its matches through the list index (migration 1733710000000) and
 * sorts them itself; its answers must be what they were: the rows a plain statement over the timeline
 * selects, in the same order, with the same total, page after page. Random filters, searches, orders,
 * moments known and page sizes on the demo, on the live projector's generation and on a rebuilt one.
 */
describe('the organization list against a plain statement over the timeline', () => {
  let database: EventStoreDatabase;
  let store: PostgresEventStore;
  let projector: Projector;
  const organizations = new OrganizationQueries();
  let units: string[];
  let names: string[];
  let known: { from: number; to: number };

  beforeAll(async () => {
    ({ store } = database = await createEventStoreDatabase('org_list_reference'));
    expect((await loadDemo(new OrganizationCommandHandler(store), { scale: 0.02, today: TODAY, store })).refusals).toBe(0);
    projector = new Projector(database.pool, store, pino({ level: 'silent' }));
    await projector.start();
    const head = await store.headPosition();
    await waitFor(() => projector.status().position === head, 30_000);
    const schema = (await Generation.active(database.pool)).identifier;
    units = (await database.pool.query<{ p: string }>(`SELECT DISTINCT province_code AS p FROM ${schema}.organization_timeline ORDER BY 1`)).rows.map((r) => r.p);
    names = (await database.pool.query<{ name: string }>(`SELECT DISTINCT name FROM ${schema}.organization_timeline ORDER BY 1`)).rows.map((r) => r.name);
    const range = await database.pool.query<{ from: Date; to: Date }>(`SELECT min(lower(known)) AS from, max(lower(known)) AS to FROM ${schema}.organization_timeline`);
    known = { from: range.rows[0].from.getTime(), to: range.rows[0].to.getTime() };
  }, 120_000);
  afterAll(async () => {
    await projector?.stop();
    await database?.dispose();
  });

  const date = (from: string, to: string) =>
    fc.integer({ min: Date.parse(from), max: Date.parse(to) }).map((ms) => new Date(Math.floor(ms / 86_400_000) * 86_400_000).toISOString().slice(0, 10));
  /** What a user types: two consecutive words of a real name (as the bench asks), a part of one, or anything. */
  const search = () =>
    fc.oneof(
      fc.tuple(fc.constantFrom(...names), fc.nat()).map(([name, at]) => {
        const words = name.split(/\s+/);
        const i = at % Math.max(1, words.length - 1);
        return words.slice(i, i + 2).join(' ').toLowerCase();
      }),
      fc.tuple(fc.constantFrom(...names), fc.nat(), fc.integer({ min: 1, max: 6 })).map(([name, at, n]) => name.slice(at % name.length, (at % name.length) + n)),
      fc.string({ maxLength: 4 }),
    );
  /** Present one time in four: every filter at once would leave almost every question without a match. */
  const sometimes = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary, weight: 1 });
  const filters = () =>
    fc
      .record({
        asOf: date('2016-01-01', TODAY),
        units: fc.oneof({ arbitrary: fc.subarray(units, { minLength: 1, maxLength: 3 }), weight: 4 }, { arbitrary: fc.constant(undefined), weight: 1 }),
        kind: sometimes(fc.constantFrom(...KINDS)),
        status: sometimes(fc.constantFrom(...STATUSES)),
        sector: sometimes(fc.constantFrom<Sector>(...SECTORS)),
        q: sometimes(search()),
        registeredFrom: sometimes(date('2010-01-01', TODAY)),
        registeredTo: sometimes(date('2010-01-01', TODAY)),
        sort: sometimes(fc.constantFrom<OrganizationSort>('name', 'registeredOn', '-registeredOn')),
        knownAt: sometimes(fc.integer({ min: known.from - 86_400_000, max: known.to + 86_400_000 }).map((ms) => new Date(ms).toISOString())),
        limit: fc.integer({ min: 1, max: 40 }),
      })
      .map((drawn) => Object.fromEntries(Object.entries(drawn).filter(([, value]) => value !== undefined)) as unknown as OrganizationFilter);

  /** The plain statement: every row in force at asOf and known at knownAt that the filters keep, in the order asked. */
  async function reference(pool: Pool, schema: string, filter: OrganizationFilter): Promise<string[]> {
    const collation = await nameCollation(pool);
    const orderBy = {
      id: 'organization_id',
      name: `name${collation ? ` COLLATE "${collation}"` : ''}, organization_id`,
      registeredOn: 'registered_on, organization_id',
      '-registeredOn': 'registered_on DESC, organization_id DESC',
    }[filter.sort ?? 'id'];
    const { rows } = await pool.query<{ id: string }>(
      `SELECT organization_id::text AS id FROM ${schema}.organization_timeline
        WHERE valid @> $1::date AND known @> $2::timestamptz
          AND ($3::text[] IS NULL OR province_code = ANY($3)) AND ($4::text IS NULL OR kind = $4)
          AND ($5::text IS NULL OR status = $5) AND ($6::text IS NULL OR sector = $6)
          AND ($7::text IS NULL OR strpos(search_text, $7) > 0)
          AND ($8::date IS NULL OR registered_on >= $8) AND ($9::date IS NULL OR registered_on <= $9)
        ORDER BY ${orderBy}`,
      [
        filter.asOf, filter.knownAt ?? 'infinity', filter.units ?? null, filter.kind ?? null, filter.status ?? null, filter.sector ?? null,
        filter.q ? searchText(filter.q) : null, filter.registeredFrom ?? null, filter.registeredTo ?? null,
      ],
    );
    return rows.map((row) => row.id);
  }

  async function agree(generation: Generation): Promise<{ checked: number; nonEmpty: number }> {
    let checked = 0;
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(filters(), async (filter) => {
        const expected = await reference(database.pool, generation.identifier, filter);
        const seen: string[] = [];
        let cursor: string | undefined;
        // At most five pages: the cursor's continuation, then the rest is the reference's prefix.
        for (let page = 0; page < 5; page++) {
          const answer = await organizations.list(generation, { ...filter, ...(cursor ? { cursor } : {}) });
          expect(answer.total).toBe(expected.length);
          for (const item of answer.items) {
            // Each row whole, as one organization's own question answers it at the same (asOf, knownAt).
            expect(item).toEqual(await organizations.get(generation, item.id, filter.asOf, filter.knownAt));
          }
          seen.push(...answer.items.map((item) => item.id));
          if (answer.nextCursor === null) {
            expect(seen).toEqual(expected);
            break;
          }
          expect(seen).toEqual(expected.slice(0, seen.length));
          cursor = answer.nextCursor;
        }
        checked++;
        if (expected.length > 0) nonEmpty++;
      }),
      { numRuns: 120 },
    );
    return { checked, nonEmpty };
  }

  it('answers as the plain statement on the live projector\'s generation', async () => {
    const { checked, nonEmpty } = await agree(await Generation.active(database.pool));
    // Not vacuous: a good share of the questions have matches.
    expect(nonEmpty).toBeGreaterThan(checked / 4);
  }, 300_000);

  it('answers as the plain statement after a rebuild, whose list reads the list index', async () => {
    const result = await rebuildReadModels(database.pool, store, {});
    const generation = new Generation(database.pool, result.schema);
    // What an index-only scan needs: its pages all-visible (a snapshot older than the rebuild's writes, held
    // while it vacuumed, left them unmarked once under CI's load; the rebuild now vacuums again, visibility.ts).
    expect(result.visibility.filter(snapshotHeldBack)).toEqual([]);
    const { rows } = await database.pool.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = $2`, [result.schema, LIST_INDEX]);
    expect(rows).toHaveLength(1);
    expect(rows[0].indexdef).toContain('WHERE upper_inf(known)');

    // The statement a province's list sends, known now, explained: the matches come from the list index alone.
    const statements: { text: string; values: unknown[] }[] = [];
    const recording = { query: (text: string, values: unknown[]) => (statements.push({ text, values }), database.pool.query(text, values)) } as unknown as Pool;
    await organizations.list(new Generation(recording, result.schema), { asOf: '2024-06-30', units: [units[0]], kind: 'cooperative', q: 'hop tac', limit: 20 });
    const listed = statements.find((s) => /organization_timeline/.test(s.text))!;
    const client = await database.pool.connect();
    try {
      // The demo's tables are small enough for a sequential scan to win; the question is which index serves when one does.
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      await client.query('SET LOCAL enable_bitmapscan = off');
      const plan = JSON.stringify((await client.query(`EXPLAIN (FORMAT JSON) ${listed.text}`, listed.values)).rows[0]);
      expect(plan).toContain(`"Index Name":"${LIST_INDEX}"`);
      expect(plan).toContain('"Node Type":"Index Only Scan"');
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }

    const { checked } = await agree(generation);
    expect(checked).toBe(120);
  }, 300_000);
});
