import path from 'node:path';
import { seedAdministrativeUnits, type OrganizationCommandHandler } from '@ktt/application';
import { GENERATE_SCALES, generate, loadDemo, readProvinces } from '@ktt/datagen';
import type { LocalDate } from '@ktt/domain';
import type { EventStore } from '@ktt/event-store';
import type { Pool } from 'pg';
import { Bar } from './progress';
import { msSince } from './stats';

/**
 * The data set every figure is measured on, chosen by the environment:
 *
 * - `BENCH_DATASET=demo` (default): the demo history of Kiên Giang, Yên Bái and
 *   An Giang (`loadDemo`), `BENCH_SCALE` a number (default 0.25; 1 = the sizes of domain.md).
 * - `BENCH_DATASET=generate`: the national generator (`npm run cli -- generate`,
 *   libs/datagen), `BENCH_SCALE` = national | province | small
 *   (default national), history to the same fixed date as the demo's.
 * `loadDataSet` below is the one place a data set plugs in.
 */
export type DataSetKind = 'demo' | 'generate';
export const GENERATOR_SCALES = ['national', 'province', 'small'] as const;
export type GeneratorScale = (typeof GENERATOR_SCALES)[number];

export interface DataSetChoice {
  kind: DataSetKind;
  /** demo: a number; generate: national | province | small. */
  scale: number | GeneratorScale;
}

export interface DataSet {
  kind: DataSetKind;
  scale: number | GeneratorScale;
  /** One line for the report: what was loaded and how. */
  description: string;
  /** The history runs to this date: query dates are drawn up to it. */
  today: LocalDate;
  /** Provinces the query benchmarks ask about (the first is also the api's read load). */
  queryProvinces: string[];
  /** How many provinces the data set covers. */
  provinceCount: number;
  organizations: number;
  /** Commands sent through OrganizationCommandHandler (null: the generator decides and appends without them). */
  commands: number | null;
  refusals: number;
  /** Wall time of the load through the command path (one run). */
  seconds: number;
}

/** The history runs to this date whatever the day of the run: the same data set every time. */
export const DEMO_TODAY: LocalDate = '2025-12-31';
/** The generator records nothing after this instant (the end of DEMO_TODAY in Vietnam). */
const GENERATE_NOW = new Date('2025-12-31T16:59:59.000Z');

/** Reads BENCH_DATASET and BENCH_SCALE; a wrong value stops the bench before anything starts. */
export function dataSetChoice(env: NodeJS.ProcessEnv = process.env): DataSetChoice {
  const kind = (env.BENCH_DATASET ?? 'demo').trim();
  if (kind === 'demo') {
    const scale = Number(env.BENCH_SCALE ?? 0.25);
    if (!Number.isFinite(scale) || scale <= 0) throw new Error(`BENCH_SCALE must be a positive number with BENCH_DATASET=demo (got "${env.BENCH_SCALE}")`);
    return { kind, scale };
  }
  if (kind === 'generate') {
    const scale = (env.BENCH_SCALE ?? 'national').trim() as GeneratorScale;
    if (!GENERATOR_SCALES.includes(scale)) {
      throw new Error(`BENCH_SCALE must be one of ${GENERATOR_SCALES.join(', ')} with BENCH_DATASET=generate (got "${env.BENCH_SCALE}")`);
    }
    return { kind, scale };
  }
  throw new Error(`BENCH_DATASET must be demo or generate (got "${kind}")`);
}

export interface LoadContext {
  commands: OrganizationCommandHandler;
  store: EventStore;
  pool: Pool;
  /** The project's root (data/ is under it). */
  root: string;
}

/**
 * ─── THE PLUG-IN POINT OF THE DATA SET ──────────────────────────────────────
 * Loads the chosen data set into the bench's fresh database, once. Everything
 * after it (rebuild, queries, appends, the peer comparison, the api load)
 * reads only the returned `DataSet` and the log, so another data set needs
 * nothing but a branch here.
 * ────────────────────────────────────────────────────────────────────────────
 */
export async function loadDataSet(choice: DataSetChoice, { commands, store, root }: LoadContext): Promise<DataSet> {
  if (choice.kind === 'generate') {
    const scale = choice.scale as GeneratorScale;
    // The store holds the 2025 merger, as on the api's first start: the generated seats follow it.
    await seedAdministrativeUnits(store, path.join(root, 'data'));
    const bar = new Bar(`generate ${scale} (once)`, 1, 'events');
    const summary = await generate(store, {
      scale,
      provinces: await readProvinces(path.join(root, 'data')),
      today: DEMO_TODAY,
      now: GENERATE_NOW,
      onProgress: (written, total) => bar.update(written, Math.max(written, total)),
    });
    bar.stop();
    const selected = GENERATE_SCALES[scale].provinces;
    // The demo's two provinces when generated (every scale has Kiên Giang), else the first ones.
    const queryProvinces = selected === null ? ['91', '15'] : selected.filter((code) => code === '91' || code === '15');
    return {
      kind: 'generate',
      scale,
      description:
        `the national generator (\`generate\`, scale ${scale}, seed ${summary.seed}, history 2016-01-01 to ${summary.today}) loaded once: ` +
        "each organization's history decided by the domain's `decide`, then appended whole (not through OrganizationCommandHandler; " +
        `${Math.round(summary.eventsPerSecond).toLocaleString('en-US')} events/s)`,
      today: summary.today,
      queryProvinces: queryProvinces.length > 0 ? queryProvinces : [selected![0]],
      provinceCount: summary.provinces,
      organizations: Object.values(summary.organizations).reduce((sum, o) => sum + o.registered, 0),
      commands: null,
      refusals: summary.refusals,
      seconds: summary.seconds,
    };
  }
  const scale = choice.scale as number;
  const bar = new Bar('load demo (once)', 1, 'commands');
  const started = process.hrtime.bigint();
  const demo = await loadDemo(commands, { scale, today: DEMO_TODAY, store, concurrency: 16, onProgress: (done, total) => bar.update(done, total) });
  const seconds = msSince(started) / 1000;
  bar.stop();
  const provinces = new Set(demo.organizations.map((o) => o.provinceCode));
  return {
    kind: 'demo',
    scale,
    description: `the demo history (\`loadDemo\`, seed default, scale ${scale}, history to ${DEMO_TODAY}) loaded once through the command path (16 concurrent)`,
    today: DEMO_TODAY,
    queryProvinces: ['91', '15'],
    provinceCount: provinces.size,
    organizations: demo.organizations.reduce((sum, o) => sum + o.registered, 0),
    commands: demo.commandsSent,
    refusals: demo.refusals,
    seconds,
  };
}
