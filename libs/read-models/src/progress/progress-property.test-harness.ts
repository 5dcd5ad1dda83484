import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Pool } from 'pg';
import pino from 'pino';
import path from 'node:path';
import { OrganizationCommandHandler, readAdministrativeUnitsReference } from '@ktt/application';
import { DomainError, type ChangeProfile, type OrganizationCommand, type OrganizationKind, type Rating, type Sector } from '@ktt/domain';
import { PostgresEventStore } from '@ktt/event-store';
import { FEW_DATES, Generation, metricsAt, OrganizationQueries, Projector, type Measured, type OrganizationAsOf } from '@ktt/read-models';
import { FLAGS, type LocalDate, type ModelOrganization, type ModelState, type RegistryModel } from './progress.test-model';
import { createMigratedDatabase, type MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { systemPrincipal } from '@ktt/auth';

/**
 * What the property tests of libs/read-models/src/progress share
 * (progress.property.int-spec.ts: metrics and states "as of X";
 * known-at.property.int-spec.ts: "as of X, known at T"): random ops that an
 * interpreter turns into concrete commands against the independent model
 * (progress.test-model.ts), databases of 100 fresh provinces each, the real
 * projector run to the head, and the comparison of the product's views with
 * the model's states. Each test keeps its own dates, weights, date modes,
 * names and ids as parameters.
 *
 * Test support only: tsconfig.build.json leaves `*.test-harness.ts` and
 * `*.test-model.ts` out of the product build, so fast-check, a
 * devDependency, never reaches dist; .dependency-cruiser.cjs keeps production
 * code from importing either.
 */

export const DAY_MS = 86_400_000;
export const addDays = (date: LocalDate, days: number): LocalDate =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * Effective dates on a coarse grid, so that ties are frequent: the 1st and the
 * 15th of every month from 2019 up to `last`, then `last` itself.
 */
export function gridUpTo(last: LocalDate): LocalDate[] {
  const dates: LocalDate[] = [];
  for (let year = 2019; year <= Number(last.slice(0, 4)); year++) {
    for (let month = 1; month <= 12; month++) {
      for (const day of [1, 15]) {
        const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        if (date <= last) dates.push(date);
      }
    }
  }
  return [...dates, last];
}

/** Random probe dates are FIRST_PROBE plus up to `probeDaysUntil(last)` days. */
export const FIRST_PROBE: LocalDate = '2018-12-01';
export const probeDaysUntil = (last: LocalDate): number =>
  (Date.parse(`${last}T00:00:00Z`) - Date.parse(`${FIRST_PROBE}T00:00:00Z`)) / DAY_MS;

export const SECTORS: Sector[] = ['agriculture', 'fisheries', 'agriculture', 'industry', 'trade_services', 'fisheries', 'credit', 'other', 'construction', 'transport'];
export const RATINGS: Rating[] = ['good', 'fair', 'average', 'weak'];
export const MINIMUM: Record<string, number> = { cooperative: 5, cooperative_group: 2, union: 0 };

export type OpType = 'register' | 'rate' | 'members' | 'profile' | 'suspend' | 'dormant' | 'resume' | 'dissolve' | 'join' | 'leave';

/**
 * An abstract step: random numbers that `Interpreter.toCommand` turns into a
 * concrete command against the model's current state. Every test has the
 * modes `window` (a date in the organization's window) and `anywhere` (any
 * date and any organization, so some are refused), plus its own.
 */
export interface Op<Mode extends string> {
  type: OpType;
  org: number;
  other: number;
  date: number;
  mode: Mode;
  n: number;
  bits: number;
}

export const weighted = <T>(entries: [T, number][]) => fc.oneof(...entries.map(([value, weight]) => ({ arbitrary: fc.constant(value), weight })));

/** Ops whose type and date mode are drawn with these weights. */
export function opArb<Mode extends string>(types: [OpType, number][], modes: [Mode, number][]): fc.Arbitrary<Op<Mode>> {
  return fc.record({
    type: weighted<OpType>(types),
    org: fc.nat({ max: 999 }),
    other: fc.nat({ max: 999 }),
    date: fc.nat({ max: 9999 }),
    mode: weighted<Mode>(modes),
    n: fc.nat({ max: 9999 }),
    bits: fc.nat({ max: 0x3ffff }),
  });
}

export const pick = <T>(items: T[], k: number): T | undefined => (items.length === 0 ? undefined : items[k % items.length]);

/** `group` is the uuid's third and fourth groups, one per test file (e.g. '4000-8000'). */
export const uuidOf = (group: string, n: number) => `00000000-0000-${group}-${n.toString(16).padStart(12, '0')}`;

/** Ids, names and registration numbers unique in the database across all runs (numbers are never reused). */
export class Registrations {
  private serial = 0;

  constructor(
    private readonly uuidGroup: string,
    private readonly namePrefix: string,
    private readonly numberPrefix: string,
  ) {}

  next(): { organizationId: string; name: string; registrationNumber: string } {
    const n = ++this.serial;
    return { organizationId: uuidOf(this.uuidGroup, n), name: `${this.namePrefix} ${n}`, registrationNumber: `${this.numberPrefix}-${n}` };
  }
}

export interface InterpreterOptions<Mode extends string> {
  /** Where effective dates are drawn from (see `gridUpTo`). */
  grid: LocalDate[];
  /** No effective date after this one (but in `anywhere` mode, which draws from the grid). */
  lastEffective: LocalDate;
  registrations: Registrations;
  /** A suspension has an `until` date half the time. */
  suspendUntil: boolean;
  /**
   * The dates this op's mode prefers for the organization (null for a
   * registration) among those the window admits; none: a date of the grid in
   * the window.
   */
  preferredDates(op: Op<Mode>, org: ModelOrganization | null, inWindow: (date: LocalDate) => boolean, model: RegistryModel): LocalDate[];
  /** Whether a lifecycle event is dated exactly on the latest one (a tie) rather than drawn. */
  lifecycleOnLatest?(op: Op<Mode>): boolean;
}

/** Turns an op into a command, valid against the model's history so far unless the mode is `anywhere`. */
export class Interpreter<Mode extends string> {
  constructor(
    private readonly model: RegistryModel,
    private readonly options: InterpreterOptions<Mode>,
  ) {}

  toCommand(op: Op<Mode>): OrganizationCommand {
    if (this.model.all().length === 0) return this.register(op);
    switch (op.type) {
      case 'register':
        return this.register(op);
      case 'rate':
        return this.rate(op) ?? this.register(op);
      case 'members':
        return this.members(op) ?? this.profile(op);
      case 'profile':
        return this.profile(op);
      case 'suspend':
        return this.lifecycle(op, ['active']) ?? this.profile(op);
      case 'dormant':
        return this.lifecycle(op, ['active', 'suspended']) ?? this.profile(op);
      case 'resume':
        return this.lifecycle(op, ['suspended', 'dormant']) ?? this.profile(op);
      case 'dissolve':
        return this.lifecycle(op, ['active', 'suspended', 'dormant']) ?? this.profile(op);
      case 'join':
        return this.join(op) ?? this.register(op, 'union');
      case 'leave':
        return this.leave(op) ?? this.profile(op);
    }
  }

  /** A date in [lo, hi): one the mode prefers, else one of the grid, else `lo`; in `anywhere` mode any date of the grid. */
  private dateIn(op: Op<Mode>, org: ModelOrganization | null, lo: LocalDate, hi: LocalDate | null): LocalDate {
    const { grid, lastEffective } = this.options;
    const inWindow = (date: LocalDate) => date >= lo && (hi === null || date < hi) && date <= lastEffective;
    if (op.mode === 'anywhere') return grid[op.date % grid.length];
    const preferred = this.options.preferredDates(op, org, inWindow, this.model);
    if (preferred.length > 0) return pick(preferred, op.date)!;
    return pick(grid.filter(inWindow), op.date) ?? lo;
  }

  private candidates(op: Op<Mode>, eligible: (org: ModelOrganization) => boolean): ModelOrganization | undefined {
    const orgs = this.model.all();
    return pick(op.mode === 'anywhere' ? orgs : orgs.filter(eligible), op.org);
  }

  private end(org: ModelOrganization): LocalDate | null {
    return this.model.dissolvedOn(org);
  }

  private register(op: Op<Mode>, wanted?: OrganizationKind): OrganizationCommand {
    const { grid } = this.options;
    const roll = op.n % 10;
    let kind: OrganizationKind = wanted ?? (roll < 5 ? 'cooperative' : roll < 7 ? 'cooperative_group' : 'union');
    let registeredOn = this.dateIn(op, null, grid[0], null);
    let founders: string[] = [];
    if (kind === 'union') {
      const cooperatives = this.model.all().filter((org) => org.kind === 'cooperative');
      const existingOn = (date: LocalDate) => cooperatives.filter((c) => this.model.exists(c, date));
      const dates = op.mode === 'anywhere' ? grid : grid.filter((date) => existingOn(date).length >= 3);
      const date = pick(dates, op.date);
      const pool = date === undefined ? [] : op.mode === 'anywhere' ? cooperatives : existingOn(date);
      if (date === undefined || pool.length < 3) kind = 'cooperative';
      else {
        registeredOn = date;
        const size = Math.min(pool.length, 3 + (op.bits % 3));
        founders = Array.from({ length: size }, (_, i) => pool[(op.other + i) % pool.length].id);
      }
    }
    const { organizationId, name, registrationNumber } = this.options.registrations.next();
    const total = (op.bits >> 1) % 6;
    return {
      type: 'RegisterOrganization',
      organizationId,
      kind,
      name,
      registrationNumber,
      provinceCode: this.model.provinceCode,
      sector: SECTORS[op.other % SECTORS.length],
      registeredOn,
      ...(kind === 'union' ? { memberCooperativeIds: founders } : { memberCount: MINIMUM[kind] + ((op.n >> 4) % 40) }),
      ...(op.bits & 1 ? { managers: { total, withDegree: (op.bits >> 4) % (total + 1) } } : {}),
      ...this.flags(op.bits >> 7),
    };
  }

  /** Each flag omitted, false, true or null (unknown): the four readings of a profile field. */
  private flags(bits: number): Partial<Record<(typeof FLAGS)[number], boolean | null>> {
    const flags: Partial<Record<(typeof FLAGS)[number], boolean | null>> = {};
    FLAGS.forEach((flag, i) => {
      const value = (bits >> (2 * i)) & 3;
      if (value !== 0) flags[flag] = value === 3 ? null : value === 2;
    });
    return flags;
  }

  private rate(op: Op<Mode>): OrganizationCommand | null {
    const org = this.candidates(op, (o) => o.kind !== 'cooperative_group');
    if (!org) return null;
    const ratedOn = this.dateIn(op, org, org.registeredOn, this.end(org));
    // Up to three years back: late decisions about an older year, and ratings that lapse soon (domain.md, "Ratings").
    let year = Number(ratedOn.slice(0, 4)) - (op.bits & 1) - 2 * ((op.bits >> 17) & 1);
    if (op.mode !== 'anywhere') year = Math.max(year, Number(org.registeredOn.slice(0, 4)));
    return { type: 'RateOrganization', organizationId: org.id, rating: RATINGS[op.n % RATINGS.length], year, ratedOn };
  }

  private members(op: Op<Mode>): OrganizationCommand | null {
    const org = this.candidates(op, (o) => o.kind !== 'union');
    if (!org) return null;
    const effectiveOn = this.dateIn(op, org, org.registeredOn, this.end(org));
    return { type: 'ChangeMemberCount', organizationId: org.id, memberCount: (MINIMUM[org.kind] || 2) + (op.n % 60), effectiveOn };
  }

  private profile(op: Op<Mode>): OrganizationCommand {
    const org = pick(this.model.all(), op.org)!;
    const effectiveOn = this.dateIn(op, org, org.registeredOn, this.end(org));
    const total = (op.n >> 2) % 7;
    const command: ChangeProfile = {
      type: 'ChangeProfile',
      organizationId: org.id,
      effectiveOn,
      // Given: known, or null (back to unknown).
      ...(op.bits & 1 ? { managers: (op.bits >> 6) & 1 ? null : { total, withDegree: (op.n >> 5) % (total + 1) } } : {}),
      ...this.flags(op.bits >> 7),
    };
    if (!(op.bits & 1) && FLAGS.every((flag) => command[flag] === undefined)) command.digitalAdoption = (op.bits & 2) !== 0;
    return command;
  }

  /** Lifecycle events may not be dated before the latest one. */
  private lifecycle(op: Op<Mode>, from: string[]): OrganizationCommand | null {
    const org = this.candidates(op, (o) => from.includes(this.model.latestLifecycle(o).status));
    if (!org) return null;
    const latest = this.model.latestLifecycle(org).effectiveOn;
    const effectiveOn = this.options.lifecycleOnLatest?.(op) ? latest : this.dateIn(op, org, latest, this.end(org));
    const organizationId = org.id;
    switch (op.type) {
      case 'suspend':
        return {
          type: 'SuspendOrganization',
          organizationId,
          effectiveOn,
          reason: 'Tạm ngừng theo thông báo',
          ...(this.options.suspendUntil && op.bits & 1 ? { until: addDays(effectiveOn, 200) } : {}),
        };
      case 'dormant':
        return { type: 'FindOrganizationDormant', organizationId, effectiveOn, finding: 'Không còn hoạt động' };
      case 'resume':
        return { type: 'ResumeOrganization', organizationId, effectiveOn };
      default:
        return { type: 'DissolveOrganization', organizationId, effectiveOn, mode: op.bits & 1 ? 'compulsory' : 'voluntary', decisionRef: `QĐ ${op.n}` };
    }
  }

  private pairs(): { union: ModelOrganization; cooperative: ModelOrganization }[] {
    const orgs = this.model.all();
    return orgs.filter((u) => u.kind === 'union').flatMap((union) => orgs.filter((c) => c.kind === 'cooperative').map((cooperative) => ({ union, cooperative })));
  }

  private join(op: Op<Mode>): OrganizationCommand | null {
    const windowOf = ({ union, cooperative }: { union: ModelOrganization; cooperative: ModelOrganization }) => {
      const last = this.model.latestPair(union, cooperative.id);
      const lo = [union.registeredOn, cooperative.registeredOn, last?.effectiveOn ?? ''].sort().at(-1)!;
      const ends = [this.end(union), this.end(cooperative)].filter((d): d is string => d !== null).sort();
      return { lo, hi: ends[0] ?? null, member: last?.value ?? false };
    };
    const pair = this.pairWhere(op, (w) => !w.member && w.lo <= this.options.lastEffective && (w.hi === null || w.lo < w.hi), windowOf);
    if (!pair) return null;
    const { lo, hi } = windowOf(pair);
    return { type: 'JoinUnion', organizationId: pair.union.id, cooperativeId: pair.cooperative.id, effectiveOn: this.dateIn(op, pair.union, lo, hi) };
  }

  private leave(op: Op<Mode>): OrganizationCommand | null {
    const windowOf = ({ union, cooperative }: { union: ModelOrganization; cooperative: ModelOrganization }) => {
      const last = this.model.latestPair(union, cooperative.id);
      return { lo: last ? addDays(last.effectiveOn, 1) : union.registeredOn, hi: this.end(union), member: last?.value ?? false };
    };
    const pair = this.pairWhere(op, (w) => w.member && w.lo <= this.options.lastEffective && (w.hi === null || w.lo < w.hi), windowOf);
    if (!pair) return null;
    const { lo, hi } = windowOf(pair);
    return { type: 'LeaveUnion', organizationId: pair.union.id, cooperativeId: pair.cooperative.id, effectiveOn: this.dateIn(op, pair.union, lo, hi) };
  }

  /** A (union, cooperative) pair whose window admits the op (any pair in `anywhere` mode). */
  private pairWhere<W>(
    op: Op<Mode>,
    admits: (window: W) => boolean,
    windowOf: (pair: { union: ModelOrganization; cooperative: ModelOrganization }) => W,
  ): { union: ModelOrganization; cooperative: ModelOrganization } | undefined {
    const all = this.pairs();
    return pick(op.mode === 'anywhere' ? all : all.filter((p) => admits(windowOf(p))), op.org);
  }
}

/** The date a command takes effect on: the registration's, the rating's, or its `effectiveOn`. */
export const effectiveDateOf = (command: OrganizationCommand): LocalDate =>
  command.type === 'RegisterOrganization' ? command.registeredOn : command.type === 'RateOrganization' ? command.ratedOn : (command as { effectiveOn: string }).effectiveOn;

/** Every effective date recorded in the model, each once. */
export const eventDatesOf = (model: RegistryModel): LocalDate[] => [...new Set(model.all().flatMap((org) => model.datesOf(org)))];

/** The dates, the day before each, then the others: each once, in that order. */
export const withDayBefore = (dates: LocalDate[], ...others: LocalDate[]): LocalDate[] => [...new Set([...dates, ...dates.map((d) => addDays(d, -1)), ...others])];

/** The fields of the product's view that the model answers, arrays in id order. */
export function comparable(view: OrganizationAsOf): ModelState {
  return {
    id: view.id,
    kind: view.kind,
    sector: view.sector,
    status: view.status,
    registeredOn: view.registeredOn,
    dissolvedOn: view.dissolvedOn,
    memberCount: view.memberCount,
    rating: view.rating,
    managers: view.managers,
    valueChain: view.valueChain,
    highTech: view.highTech,
    enterpriseLinked: view.enterpriseLinked,
    digitalAdoption: view.digitalAdoption,
    directorTrained: view.directorTrained,
    memberCooperativeIds: [...view.memberCooperativeIds].sort(),
    unionIds: [...view.unionIds].sort(),
  };
}

const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);

/** The product's list equals the model's states, both in id order. */
export function expectSameStates(items: OrganizationAsOf[], expected: ModelState[]): void {
  expect(items.map(comparable).sort(byId)).toEqual(expected.sort(byId));
}

/** The product's `get` equals the model's state (null: no such organization then). */
export function expectSameState(view: OrganizationAsOf | null, expected: ModelState | null): void {
  expect(view === null ? null : comparable(view)).toEqual(expected);
}

/** Runs an expectation and, when it fails, appends the commands of the history so the counterexample reads. */
export function check(log: string[], what: string, assertion: () => void): void {
  try {
    assertion();
  } catch (error) {
    (error as Error).message = `${what}\n${(error as Error).message}\n\nHistory (accepted ✓ / refused ✗, in recorded order):\n${log.join('\n')}`;
    throw error;
  }
}

/**
 * Sends a command through the real command path, logs it (prefixed by
 * `logPrefix`) and checks that the model predicted the product's answer.
 * Returns the product's refusal, or null when it accepted the command.
 */
export async function executeAsPredicted(
  commands: OrganizationCommandHandler,
  model: RegistryModel,
  command: OrganizationCommand,
  log: string[],
  context: { actor: string; now: Date; logPrefix?: string },
): Promise<string | null> {
  const predicted = model.refusal(command);
  let refused: string | null = null;
  try {
    await commands.execute({ command, context: { principal: systemPrincipal(context.actor), correlationId: randomUUID(), now: context.now } });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    refused = `${error.code}: ${error.message}`;
  }
  const { type, ...fields } = command;
  log.push(`${context.logPrefix ?? ''}${refused === null ? '✓' : '✗'} ${type} ${JSON.stringify(fields)}${refused ? `  → ${refused}` : ''}`);
  check(log, `The model ${predicted === null ? 'accepts' : `refuses (${predicted})`} the last command; the product ${refused === null ? 'accepts it' : 'refuses it'}`, () =>
    expect(refused === null).toBe(predicted === null),
  );
  return refused;
}

/**
 * `metricsAt` counts a few dates (up to FEW_DATES, a progress question) by
 * one lookup per date and more (a series) by a sweep: the properties check
 * both ways of counting, for the same dates. `dates` must be more than
 * FEW_DATES, or the sweep would not be exercised. `territory`: one unit (a
 * first-map province code), or the units a territory is made of.
 */
export async function metricsEachWay(
  pool: Pool,
  territory: string | readonly string[],
  dates: LocalDate[],
  knownAt?: string,
): Promise<{ way: string; metrics: Map<LocalDate, Measured> }[]> {
  const units = typeof territory === 'string' ? [territory] : territory;
  const days = [...new Set(dates)].sort();
  if (days.length <= FEW_DATES) throw new Error(`metricsEachWay needs more than ${FEW_DATES} dates to exercise the sweep, got ${days.length}`);
  const generation = await Generation.active(pool);
  const sweep = await metricsAt(generation, units, days, () => null, knownAt);
  const perDate = new Map<LocalDate, Measured>();
  for (let i = 0; i < days.length; i += FEW_DATES) {
    const few = await metricsAt(generation, units, days.slice(i, i + FEW_DATES), () => null, knownAt);
    few.forEach((metrics, day) => perDate.set(day, metrics));
  }
  return [
    { way: 'by sweep', metrics: sweep },
    { way: 'date by date', metrics: perDate },
  ];
}

/** Runs the real projector until it has applied the whole log (a stall fails the run rather than hanging it). */
export async function projectToHead(pool: Pool, store: PostgresEventStore): Promise<void> {
  const projector = new Projector(pool, store, pino({ level: 'silent' }));
  const deadline = Date.now() + 20_000;
  const stalled = (where: string) => new Error(`projector stalled ${where}: ${JSON.stringify(projector.status())}`);
  try {
    await Promise.race([
      projector.start(),
      new Promise<never>((_, reject) => setTimeout(() => reject(stalled('while starting')), 20_000).unref()),
    ]);
    const head = await store.headPosition();
    for (;;) {
      const status = projector.status();
      if (status.state === 'failed') throw new Error(`projector failed at ${status.failedAt}: ${status.error}`);
      if (status.position === head) break;
      if (Date.now() > deadline) throw stalled(`before the head ${head}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    await projector.stop();
  }
}

/**
 * The 63 provinces of the first map (before 1 July 2025), from the reference
 * data. A database whose map is not seeded with the 2025 merger has them all
 * in force on every date: commands are judged on the map as recorded, and a
 * code that never named a province is refused.
 */
const FIRST_MAP_CODES = readAdministrativeUnitsReference(path.resolve(__dirname, '../../../../data')).before.map((province) => province.code);

/**
 * A fresh province for each history: a database holds the 63 provinces of
 * the first map (its map is not seeded, so each stays in force on every date
 * and is its own territory), then the next one is created (named after
 * `prefix`), with its event store, commands and queries.
 */
export class FreshProvinces {
  private database: MigratedDatabase | null = null;
  private provincesLeft = 0;
  store!: PostgresEventStore;
  commands!: OrganizationCommandHandler;
  queries!: OrganizationQueries;

  constructor(private readonly prefix: string) {}

  /** The pool of the current database (after the first `next()`). */
  get pool(): Pool {
    return this.database!.pool;
  }

  async next(): Promise<string> {
    if (!this.database || this.provincesLeft === 0) {
      await this.database?.dispose();
      this.database = await createMigratedDatabase(this.prefix);
      this.store = new PostgresEventStore({ pool: this.database.pool, connectionString: this.database.url });
      this.commands = new OrganizationCommandHandler(this.store);
      this.queries = new OrganizationQueries();
      this.provincesLeft = FIRST_MAP_CODES.length;
    }
    this.provincesLeft--;
    return FIRST_MAP_CODES[this.provincesLeft];
  }

  /** Runs the real projector over the current database up to the head of its log. */
  project(): Promise<void> {
    return projectToHead(this.pool, this.store);
  }

  async dispose(): Promise<void> {
    await this.database?.dispose();
  }
}

/**
 * fc.assert parameters: a failure is shrunk for at most
 * `interruptAfterTimeLimit` ms, then reported as found so far (and fails);
 * the environment variable `seedVariable` replays a seed, and
 * `endOnFailureVariable`, when given, skips shrinking when set.
 */
export function assertParameters<Ts>(options: {
  numRuns: number;
  interruptAfterTimeLimit: number;
  seedVariable: string;
  endOnFailureVariable?: string;
}): fc.Parameters<Ts> {
  const { numRuns, interruptAfterTimeLimit, seedVariable, endOnFailureVariable } = options;
  return {
    numRuns,
    interruptAfterTimeLimit,
    markInterruptAsFailure: true,
    ...(endOnFailureVariable ? { endOnFailure: Boolean(process.env[endOnFailureVariable]) } : {}),
    ...(process.env[seedVariable] ? { seed: Number(process.env[seedVariable]) } : {}),
  };
}
