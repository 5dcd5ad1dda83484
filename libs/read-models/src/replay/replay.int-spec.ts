import { digestSchema } from '@ktt/testing/postgres/digest';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { Pool } from 'pg';
import { OrganizationCommandHandler } from '@ktt/application';
import { loadDemo } from '@ktt/datagen';
import type { PostgresEventStore } from '@ktt/event-store';
import type { MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { createEventStoreDatabase } from '@ktt/testing/postgres/event-store-database';
import { waitFor } from '@ktt/event-store/conformance/event-store.conformance';
import { activeSchema, Generation } from '../generations';
import { Projector } from '../projector/projector';
import { metricsAt } from '../progress/metrics-query';
import { parseReplayUntil, replayReadModels, ReplayRefusedError } from './replay';
import { systemPrincipal } from '@ktt/auth';

const digest = digestSchema;

const DATES = ['2020-12-31', '2024-06-30', '2026-12-31'];

describe('replay of the read models into a side schema', () => {
  let database: MigratedDatabase;
  let store: PostgresEventStore;
  let commands: OrganizationCommandHandler;
  let projector: Projector;

  beforeAll(async () => {
    ({ store } = database = await createEventStoreDatabase('replay'));
    commands = new OrganizationCommandHandler(store);
    expect((await loadDemo(commands, { scale: 0.01, today: '2026-06-30' })).refusals).toBe(0);
    projector = new Projector(database.pool, store, pino({ level: 'silent' }));
    await projector.start();
  });
  afterAll(async () => {
    await projector?.stop();
    await database?.dispose();
  });

  const caughtUp = async () => {
    const head = await store.headPosition();
    await waitFor(() => projector.status().position === head, 30_000);
    return head!;
  };
  const generations = async () => (await database.pool.query('SELECT generation, schema_name, state FROM read_model_generations ORDER BY 1')).rows;

  let pastHead: string;
  let pastDigest: Record<string, string>;
  let pastMetrics: unknown;
  let pastMoment: string;

  it('(a) until the head: equal, row for row, to the active generation; the generations table untouched', async () => {
    pastHead = await caughtUp();
    const active = await activeSchema(database.pool);
    pastDigest = await digest(database.pool, active);
    pastMetrics = await metricsAt(await Generation.active(database.pool), ['91'], DATES, () => null);
    expect(Number(pastDigest.audit_events.split(':')[0])).toBeGreaterThan(100);
    const before = await generations();

    const progress: boolean[] = [];
    const result = await replayReadModels(database.pool, store, { until: { position: pastHead }, into: 'head', batchSize: 300, onProgress: (p) => progress.push(p.done) });
    expect(result).toMatchObject({ schema: 'replay_head', lastPosition: pastHead });
    expect(progress.at(-1)).toBe(true);
    expect(await digest(database.pool, 'replay_head')).toEqual(pastDigest);
    expect(await generations()).toEqual(before);
    // Wait a tick so every later event is recorded after this moment.
    pastMoment = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
  });

  it('(b) until an earlier position: the read models and metrics as they were then, not as they are now', async () => {
    // Later records: five new cooperatives of 91 registered back in 2020 and one of the demo's dissolved.
    for (let i = 0; i < 5; i++) {
      const id = randomUUID();
      await commands.execute({
        command: { type: 'RegisterOrganization', organizationId: id, kind: 'cooperative', name: 'Hợp tác xã mới', registrationNumber: `RP-${id.slice(0, 8)}`, provinceCode: '91', sector: 'agriculture', registeredOn: '2020-06-01', memberCount: 8 },
        context: { principal: systemPrincipal('later'), correlationId: id },
      });
    }
    await caughtUp();
    const now = await metricsAt(await Generation.active(database.pool), ['91'], DATES, () => null);
    expect(now).not.toEqual(pastMetrics); // else the comparison below could not fail

    await replayReadModels(database.pool, store, { until: { position: pastHead }, into: 'past', batchSize: 500 });
    expect(await digest(database.pool, 'replay_past')).toEqual(pastDigest);
    expect(await metricsAt(new Generation(database.pool, 'replay_past'), ['91'], DATES, () => null)).toEqual(pastMetrics);
    // Today's answers are unchanged by the replay.
    expect(await metricsAt(await Generation.active(database.pool), ['91'], DATES, () => null)).toEqual(now);
  });

  it('(c) until a moment: stops before the first event recorded after it', async () => {
    await replayReadModels(database.pool, store, { until: parseReplayUntil(store, pastMoment), into: 'moment' });
    expect(await digest(database.pool, 'replay_moment')).toEqual(pastDigest);
    const { rows } = await database.pool.query(`SELECT count(*)::int AS n FROM replay_moment.audit_events WHERE recorded_by = 'later'`);
    expect(rows[0].n).toBe(0);
  });

  it('refuses an existing schema unless told to replace it, and names it cannot use', async () => {
    await expect(replayReadModels(database.pool, store, { until: { position: pastHead }, into: 'past' })).rejects.toThrow(/exists already/);
    const replaced = await replayReadModels(database.pool, store, { until: { recordedAt: '2000-01-01T00:00:00.000Z' }, into: 'past', replace: true });
    expect(replaced.events).toBe(0);
    const { rows } = await database.pool.query('SELECT count(*)::int AS n FROM replay_past.organization_timeline');
    expect(rows[0].n).toBe(0);
    await expect(replayReadModels(database.pool, store, { until: { position: pastHead }, into: 'Bad-Name' })).rejects.toThrow(ReplayRefusedError);
    await expect(database.pool.query(`SELECT ktt_create_read_models('replay_x; DROP')`)).rejects.toThrow(/bad read-model schema name/);
    expect(() => parseReplayUntil(store, '2026-01-01')).toThrow(/time and offset/);
    expect(() => parseReplayUntil(store, 'yesterday')).toThrow(/neither a timestamp nor a position/);
    expect(parseReplayUntil(store, '2026-01-01T07:00:00+07:00')).toEqual({ recordedAt: '2026-01-01T00:00:00.000Z' });
    expect(parseReplayUntil(store, pastHead)).toEqual({ position: pastHead });
  });
});
