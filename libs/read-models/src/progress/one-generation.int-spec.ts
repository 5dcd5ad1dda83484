import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { Pool } from 'pg';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { administrativeMapFromReference, type AdministrativeUnitsReference, type LocalDate } from '@ktt/domain';
import type { PostgresEventStore, EventToAppend } from '@ktt/event-store';
import type { MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { createEventStoreDatabase } from '@ktt/testing/postgres/event-store-database';
import { waitFor } from '@ktt/event-store/conformance/event-store.conformance';
import { activeSchema, Generation } from '../generations';
import { Projector } from '../projector/projector';
import { rebuildReadModels } from '../rebuild/rebuild';
import { OrganizationQueries } from '../organizations/organization-queries';
import { PlanQueries } from '../plans/plan-queries';
import { ProgressQueries } from './progress-queries';

/**
 * A progress answer once resolved the active generation for its plans and
 * again for its metrics, so a blue-green switch in between mixed two
 * generations in one answer. Now the caller resolves it once per request and
 * every query of the answer is given that one handle (a `Generation`, the
 * pool and the schema together): no query looks it up itself, so a switch
 * cannot land between two of them.
 */
describe('one generation per answer', () => {
  let database: MigratedDatabase;
  let store: PostgresEventStore;
  let first: string;
  let second: string;

  const registration = (id: string): EventToAppend => ({
    type: 'OrganizationRegistered',
    data: {
      organizationId: id, effectiveOn: '2020-01-01', kind: 'cooperative', name: `HTX ${id.slice(0, 4)}`, registrationNumber: `G-${id.slice(0, 8)}`, provinceCode: '91', sector: 'agriculture',
      memberCount: 10, memberCooperativeIds: [], managers: null, directorTrained: false, valueChain: false, highTech: false, enterpriseLinked: false, digitalAdoption: false,
    },
    metadata: { eventId: randomUUID(), recordedAt: new Date().toISOString(), recordedBy: 'test', correlationId: randomUUID(), causationId: null, schemaVersion: 1, previousHash: null, hash: 'x' },
  });

  beforeAll(async () => {
    ({ store } = database = await createEventStoreDatabase('one_generation'));
    const ids = [randomUUID(), randomUUID()];
    for (const id of ids) await store.append([{ streamId: `organization-${id}`, expectedRevision: 'no_stream', events: [registration(id)] }]);
    const projector = new Projector(database.pool, store, pino({ level: 'silent' }));
    await projector.start();
    const head = await store.headPosition();
    await waitFor(() => projector.status().position === head, 10_000);
    await projector.stop();
    first = await activeSchema(database.pool);
    second = (await rebuildReadModels(database.pool, store)).schema; // now active; the first is retired and kept
    // The two generations differ: the retired one lost an organization.
    await database.pool.query(`DELETE FROM "${first}".organization_timeline WHERE organization_id = $1`, [ids[0]]);
  });
  afterAll(() => database.dispose());

  /** The pool, recording every statement sent through it. */
  function recording(pool: Pool): { pool: Pool; statements: string[] } {
    const statements: string[] = [];
    const proxy = new Proxy(pool, {
      get(target, property, receiver) {
        if (property === 'query') return (text: string, ...rest: unknown[]) => (statements.push(text), (target.query as (...args: unknown[]) => unknown)(text, ...rest));
        return Reflect.get(target, property, receiver);
      },
    });
    return { pool: proxy, statements };
  }

  it('reads plans and metrics from the generation it is given, never looking up the active one', async () => {
    const { pool, statements } = recording(database.pool);
    // The plan queries it is given (the api's provider), noting the handle each question hands them.
    const handed: Generation[] = [];
    const plans = new (class extends PlanQueries {
      override inForce(generation: Generation, asOf: LocalDate, provinceCode?: string, knownAt?: string) {
        handed.push(generation);
        return super.inForce(generation, asOf, provinceCode, knownAt);
      }
    })();
    const progress = new ProgressQueries(plans, () => null);
    const map = administrativeMapFromReference(
      JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'data', 'reference', 'administrative-units-2025.json'), 'utf8')) as AdministrativeUnitsReference,
    );
    const question = { map, territory: map.territory('91', '2024-01-01')!, asOf: '2024-01-01' };
    expect(await activeSchema(database.pool)).toBe(second);
    const retired = new Generation(pool, first);
    expect((await progress.progress(retired, question)).metrics.cooperatives).toBe(1);
    expect(handed).toHaveLength(1);
    expect(handed[0]).toBe(retired);
    expect((await progress.progress(new Generation(pool, second), question)).metrics.cooperatives).toBe(2);
    const series = await progress.series(retired, { map, code: '91', from: '2023-01-01', to: '2024-12-31', step: 'year' });
    expect(series.map((point) => point.metrics.cooperatives)).toEqual([1, 1]);
    const organizations = new OrganizationQueries();
    expect((await organizations.list(retired, { asOf: '2024-01-01', provinceCode: '91', limit: 10 })).items).toHaveLength(1);
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.filter((text) => /read_model_generations/.test(text))).toEqual([]);
  });
});
