import pino from 'pino';
import { OrganizationCommandHandler } from '@ktt/application';
import { loadDemo } from '@ktt/datagen';
import type { PostgresEventStore } from '@ktt/event-store';
import { createEventStoreDatabase, type EventStoreDatabase } from '@ktt/testing/postgres/event-store-database';
import { waitFor } from '@ktt/event-store/conformance/event-store.conformance';
import { Generation } from '../generations';
import { Projector } from '../projector/projector';
import { OrganizationQueries } from './organization-queries';

const TODAY = '2026-06-30';

/**
 * `cli demo` stamps its records with the times the registry would have entered them (as `generate`
 * does), so "known at" questions on the demo have answers: before, every record was made in the
 * minute of the load, and any earlier knownAt saw nothing at all.
 */
describe('"known at" on the demo', () => {
  let database: EventStoreDatabase;
  let store: PostgresEventStore;
  let projector: Projector;
  const organizations = new OrganizationQueries();

  beforeAll(async () => {
    ({ store } = database = await createEventStoreDatabase('demo_known_at'));
    expect((await loadDemo(new OrganizationCommandHandler(store), { scale: 0.02, today: TODAY, store })).refusals).toBe(0);
    projector = new Projector(database.pool, store, pino({ level: 'silent' }));
    await projector.start();
    const head = await store.headPosition();
    await waitFor(() => projector.status().position === head, 30_000);
  });
  afterAll(async () => {
    await projector?.stop();
    await database?.dispose();
  });

  const registeredBy = async (date: string) =>
    (await database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE event_type = 'OrganizationRegistered' AND data->>'effectiveOn' <= $1`, [date])).rows[0].n;

  it('knows fewer organizations at an earlier moment: those registered by then', async () => {
    const generation = await Generation.active(database.pool);
    const now = await organizations.list(generation, { asOf: TODAY, limit: 1 });
    // The end of 2022 in Vietnam: the registrations recorded by then are those of 2022 and before.
    const then = await organizations.list(generation, { asOf: TODAY, knownAt: '2022-12-31T17:00:00.000Z', limit: 1 });
    expect(now.total).toBe(await registeredBy(TODAY));
    expect(then.total).toBe(await registeredBy('2022-12-31'));
    expect(then.total).toBeGreaterThan(0);
    expect(then.total).toBeLessThan(now.total);
  });

  it('shows a late rating only from the moment it was entered', async () => {
    const { rows } = await database.pool.query<{ id: string; rated_on: string; year: number; recorded_at: string }>(
      `SELECT data->>'organizationId' AS id, data->>'effectiveOn' AS rated_on, (data->>'year')::int AS year, metadata->>'recordedAt' AS recorded_at
         FROM events
        WHERE event_type = 'OrganizationRated'
          AND ((metadata->>'recordedAt')::timestamptz AT TIME ZONE 'Asia/Ho_Chi_Minh')::date >= (data->>'effectiveOn')::date + 20
        ORDER BY global_position LIMIT 1`,
    );
    expect(rows).toHaveLength(1);
    const late = rows[0];
    const generation = await Generation.active(database.pool);
    const before = await organizations.get(generation, late.id, late.rated_on, new Date(Date.parse(late.recorded_at) - 1).toISOString());
    const after = await organizations.get(generation, late.id, late.rated_on, late.recorded_at);
    expect(before).not.toBeNull();
    expect(before!.rating?.year ?? null).not.toBe(late.year);
    expect(after!.rating).toMatchObject({ year: late.year, ratedOn: late.rated_on });
  });
});
