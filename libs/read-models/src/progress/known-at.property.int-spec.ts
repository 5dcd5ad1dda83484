import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import pino from 'pino';
import { OrganizationCommands } from '@ktt/application';
import { DomainError, type ChangeProfile, type OrganizationCommand, type OrganizationKind, type Rating, type Sector } from '@ktt/domain';
import { PostgresEventStore } from '@ktt/event-store';
import { metricsAt, OrganizationQueries, Projector, type OrganizationView } from '@ktt/read-models';
import { createMigratedDatabase, type MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { FLAGS, RegistryModel, type LocalDate, type ModelOrganization, type ModelState } from './progress.test-model';

/**
 * Issue 5, point 2: "as of X, known at T". Random valid histories of one
 * province (the three kinds, ratings, member counts, profiles, the whole
 * lifecycle, union joins and leaves, back-dated records, a few refused
 * commands) go through the real command path, each command at its own,
 * strictly increasing recorded time (`context.now`, millisecond gaps
 * included), and through the real projector. Then, for many instants T
 * (before the first record, exactly at a record's time, a millisecond before
 * it, between two records, after the last) and many dates X, every metric of
 * `metricsAt(…, knownAt = T)`, `list({ asOf: X, knownAt: T })` and
 * `get(id, X, T)` must equal a plain fold (progress.test-model.ts, written
 * from domain.md) of only the accepted commands recorded at or before T
 * ("known at T (inclusive) means recorded ≤ T").
 */

jest.setTimeout(180_000);

/** Effective dates stay in 2025 and before; every recorded time is in 2026, so "today" in Vietnam is after all of them. */
const LAST_EFFECTIVE: LocalDate = '2025-12-31';
const TODAY: LocalDate = '2026-01-01';
const NUM_RUNS = Number(process.env.KNOWN_AT_RUNS ?? 15);

const DAY_MS = 86_400_000;
const addDays = (date: LocalDate, days: number): LocalDate =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** Effective dates on a coarse grid (1st and 15th, and the last day of 2025), so that ties are frequent. */
const GRID: LocalDate[] = (() => {
  const dates: LocalDate[] = [];
  for (let year = 2019; year <= 2025; year++) {
    for (let month = 1; month <= 12; month++) {
      for (const day of [1, 15]) dates.push(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
    }
  }
  return [...dates, LAST_EFFECTIVE];
})();
const FIRST_PROBE: LocalDate = '2018-12-01';
const PROBE_DAYS = (Date.parse(`${LAST_EFFECTIVE}T00:00:00Z`) - Date.parse(`${FIRST_PROBE}T00:00:00Z`)) / DAY_MS;

const SECTORS: Sector[] = ['agriculture', 'fisheries', 'agriculture', 'industry', 'trade_services', 'fisheries', 'credit', 'other', 'construction', 'transport'];
const RATINGS: Rating[] = ['good', 'fair', 'average', 'weak'];
const MINIMUM: Record<string, number> = { cooperative: 5, cooperative_group: 2, union: 0 };

type OpType = 'register' | 'rate' | 'members' | 'profile' | 'suspend' | 'dormant' | 'resume' | 'dissolve' | 'join' | 'leave';
type DateMode = 'window' | 'late' | 'anywhere';

/** Random numbers that the interpreter turns into a concrete command against the history so far. */
interface Op {
  type: OpType;
  org: number;
  other: number;
  date: number;
  mode: DateMode;
  n: number;
  bits: number;
}

const weighted = <T>(entries: [T, number][]) => fc.oneof(...entries.map(([value, weight]) => ({ arbitrary: fc.constant(value), weight })));

const opArb: fc.Arbitrary<Op> = fc.record({
  type: weighted<OpType>([
    ['register', 6],
    ['rate', 4],
    ['members', 3],
    ['profile', 3],
    ['suspend', 2],
    ['dormant', 1],
    ['resume', 2],
    ['dissolve', 2],
    ['join', 4],
    ['leave', 2],
  ]),
  org: fc.nat({ max: 999 }),
  other: fc.nat({ max: 999 }),
  date: fc.nat({ max: 9999 }),
  // `late`: dated at or before the organization's own dates already recorded (a back-dated record, or a tie).
  mode: weighted<DateMode>([
    ['window', 5],
    ['late', 4],
    ['anywhere', 1],
  ]),
  n: fc.nat({ max: 9999 }),
  bits: fc.nat({ max: 0x3ffff }),
});

const MAX_OPS = 30;
/** Gaps between two recorded times: one millisecond, under a second, or minutes. Never zero: times are distinct. */
const gapArb = fc.oneof(
  { arbitrary: fc.constant(1), weight: 2 },
  { arbitrary: fc.integer({ min: 2, max: 999 }), weight: 3 },
  { arbitrary: fc.integer({ min: 1_000, max: 600_000 }), weight: 5 },
);

const historyArb = fc.record({
  ops: fc.array(opArb, { minLength: 10, maxLength: MAX_OPS }),
  gaps: fc.array(gapArb, { minLength: MAX_OPS, maxLength: MAX_OPS }),
  /** Which records the probes of T sit on, exactly, a millisecond before, and half-way to the next. */
  around: fc.array(fc.nat({ max: MAX_OPS - 1 }), { minLength: 2, maxLength: 4 }),
  probes: fc.array(fc.nat({ max: PROBE_DAYS }), { minLength: 3, maxLength: 6 }),
});

let serial = 0;
const uuidOf = (n: number) => `00000000-0000-4000-9000-${n.toString(16).padStart(12, '0')}`;
const pick = <T>(items: T[], k: number): T | undefined => (items.length === 0 ? undefined : items[k % items.length]);

/** Turns an op into a command, valid against the history so far unless the mode is `anywhere`. */
class Interpreter {
  constructor(private readonly model: RegistryModel) {}

  toCommand(op: Op): OrganizationCommand {
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

  /** A date in [lo, hi): in `late` mode at or before the latest date already recorded for the organization. */
  private dateIn(op: Op, org: ModelOrganization | null, lo: LocalDate, hi: LocalDate | null): LocalDate {
    const inWindow = (date: LocalDate) => date >= lo && (hi === null || date < hi) && date <= LAST_EFFECTIVE;
    if (op.mode === 'anywhere') return GRID[op.date % GRID.length];
    if (op.mode === 'late' && org) {
      const latest = this.model.datesOf(org).at(-1)!;
      const early = [...GRID, ...this.model.datesOf(org)].filter((date) => inWindow(date) && date <= latest);
      if (early.length > 0) return pick(early, op.date)!;
    }
    return pick(GRID.filter(inWindow), op.date) ?? lo;
  }

  private candidates(op: Op, eligible: (org: ModelOrganization) => boolean): ModelOrganization | undefined {
    const orgs = this.model.all();
    return pick(op.mode === 'anywhere' ? orgs : orgs.filter(eligible), op.org);
  }

  private register(op: Op, wanted?: OrganizationKind): OrganizationCommand {
    const roll = op.n % 10;
    let kind: OrganizationKind = wanted ?? (roll < 5 ? 'cooperative' : roll < 7 ? 'cooperative_group' : 'union');
    let registeredOn = this.dateIn(op, null, GRID[0], null);
    let founders: string[] = [];
    if (kind === 'union') {
      const cooperatives = this.model.all().filter((org) => org.kind === 'cooperative');
      const existingOn = (date: LocalDate) => cooperatives.filter((c) => this.model.exists(c, date));
      const dates = op.mode === 'anywhere' ? GRID : GRID.filter((date) => existingOn(date).length >= 3);
      const date = pick(dates, op.date);
      const pool = date === undefined ? [] : op.mode === 'anywhere' ? cooperatives : existingOn(date);
      if (date === undefined || pool.length < 3) kind = 'cooperative';
      else {
        registeredOn = date;
        founders = Array.from({ length: Math.min(pool.length, 3 + (op.bits % 3)) }, (_, i) => pool[(op.other + i) % pool.length].id);
      }
    }
    const n = ++serial;
    const total = (op.bits >> 1) % 6;
    return {
      type: 'RegisterOrganization',
      organizationId: uuidOf(n),
      kind,
      name: `Hợp tác xã biết lúc ${n}`,
      registrationNumber: `KA-${n}`,
      provinceCode: this.model.provinceCode,
      sector: SECTORS[op.other % SECTORS.length],
      registeredOn,
      ...(kind === 'union' ? { memberCooperativeIds: founders } : { memberCount: MINIMUM[kind] + ((op.n >> 4) % 40) }),
      ...(op.bits & 1 ? { managers: { total, withDegree: (op.bits >> 4) % (total + 1) } } : {}),
      ...this.flags(op.bits >> 7),
    };
  }

  /** Each flag omitted, false or true. */
  private flags(bits: number): Partial<Record<(typeof FLAGS)[number], boolean>> {
    const flags: Partial<Record<(typeof FLAGS)[number], boolean>> = {};
    FLAGS.forEach((flag, i) => {
      const value = (bits >> (2 * i)) & 3;
      if (value !== 0) flags[flag] = value >= 2;
    });
    return flags;
  }

  private rate(op: Op): OrganizationCommand | null {
    const org = this.candidates(op, (o) => o.kind !== 'cooperative_group');
    if (!org) return null;
    const ratedOn = this.dateIn(op, org, org.registeredOn, this.model.dissolvedOn(org));
    let year = Number(ratedOn.slice(0, 4)) - (op.bits & 1);
    if (op.mode !== 'anywhere') year = Math.max(year, Number(org.registeredOn.slice(0, 4)));
    return { type: 'RateOrganization', organizationId: org.id, rating: RATINGS[op.n % RATINGS.length], year, ratedOn };
  }

  private members(op: Op): OrganizationCommand | null {
    const org = this.candidates(op, (o) => o.kind !== 'union');
    if (!org) return null;
    const effectiveOn = this.dateIn(op, org, org.registeredOn, this.model.dissolvedOn(org));
    return { type: 'ChangeMemberCount', organizationId: org.id, memberCount: (MINIMUM[org.kind] || 2) + (op.n % 60), effectiveOn };
  }

  private profile(op: Op): OrganizationCommand {
    const org = pick(this.model.all(), op.org)!;
    const effectiveOn = this.dateIn(op, org, org.registeredOn, this.model.dissolvedOn(org));
    const total = (op.n >> 2) % 7;
    const command: ChangeProfile = {
      type: 'ChangeProfile',
      organizationId: org.id,
      effectiveOn,
      ...(op.bits & 1 ? { managers: { total, withDegree: (op.n >> 5) % (total + 1) } } : {}),
      ...this.flags(op.bits >> 7),
    };
    if (!(op.bits & 1) && FLAGS.every((flag) => command[flag] === undefined)) command.digitalAdoption = (op.bits & 2) !== 0;
    return command;
  }

  /** Lifecycle events may not be dated before the latest one: `late` gives a tie with it at most. */
  private lifecycle(op: Op, from: string[]): OrganizationCommand | null {
    const org = this.candidates(op, (o) => from.includes(this.model.latestLifecycle(o).status));
    if (!org) return null;
    const latest = this.model.latestLifecycle(org).effectiveOn;
    const effectiveOn = op.mode === 'late' ? latest : this.dateIn(op, org, latest, this.model.dissolvedOn(org));
    const organizationId = org.id;
    switch (op.type) {
      case 'suspend':
        return { type: 'SuspendOrganization', organizationId, effectiveOn, reason: 'Tạm ngừng theo thông báo' };
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

  private join(op: Op): OrganizationCommand | null {
    const windowOf = ({ union, cooperative }: { union: ModelOrganization; cooperative: ModelOrganization }) => {
      const last = this.model.latestPair(union, cooperative.id);
      const lo = [union.registeredOn, cooperative.registeredOn, last?.effectiveOn ?? ''].sort().at(-1)!;
      const hi = [this.model.dissolvedOn(union), this.model.dissolvedOn(cooperative)].filter((d): d is string => d !== null).sort()[0] ?? null;
      return { lo, hi, member: last?.value ?? false };
    };
    const all = this.pairs();
    const pair = pick(op.mode === 'anywhere' ? all : all.filter((p) => {
      const w = windowOf(p);
      return !w.member && w.lo <= LAST_EFFECTIVE && (w.hi === null || w.lo < w.hi);
    }), op.org);
    if (!pair) return null;
    const { lo, hi } = windowOf(pair);
    return { type: 'JoinUnion', organizationId: pair.union.id, cooperativeId: pair.cooperative.id, effectiveOn: this.dateIn(op, pair.union, lo, hi) };
  }

  private leave(op: Op): OrganizationCommand | null {
    const windowOf = ({ union, cooperative }: { union: ModelOrganization; cooperative: ModelOrganization }) => {
      const last = this.model.latestPair(union, cooperative.id);
      return { lo: last ? addDays(last.effectiveOn, 1) : union.registeredOn, hi: this.model.dissolvedOn(union), member: last?.value ?? false };
    };
    const all = this.pairs();
    const pair = pick(op.mode === 'anywhere' ? all : all.filter((p) => {
      const w = windowOf(p);
      return w.member && w.lo <= LAST_EFFECTIVE && (w.hi === null || w.lo < w.hi);
    }), op.org);
    if (!pair) return null;
    const { lo, hi } = windowOf(pair);
    return { type: 'LeaveUnion', organizationId: pair.union.id, cooperativeId: pair.cooperative.id, effectiveOn: this.dateIn(op, pair.union, lo, hi) };
  }
}

/** The fields of the product's view that the model answers, arrays in id order. */
function comparable(view: OrganizationView): ModelState {
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

interface Recorded {
  command: OrganizationCommand;
  recordedAt: Date;
  accepted: boolean;
}

/** The independent model of what was known at T: a fold of the accepted commands recorded at or before T, in recorded order. */
function modelKnownAt(provinceCode: string, history: Recorded[], knownAt: Date): RegistryModel {
  const model = new RegistryModel(provinceCode, TODAY);
  for (const { command, recordedAt, accepted } of history) {
    if (accepted && recordedAt.getTime() <= knownAt.getTime()) model.record(command);
  }
  return model;
}

function check(log: string[], what: string, assertion: () => void): void {
  try {
    assertion();
  } catch (error) {
    (error as Error).message = `${what}\n${(error as Error).message}\n\nHistory (accepted ✓ / refused ✗, in recorded order):\n${log.join('\n')}`;
    throw error;
  }
}

describe('"as of X, known at T" against a plain fold of the events recorded up to T', () => {
  let database: MigratedDatabase | null = null;
  let store: PostgresEventStore;
  let commands: OrganizationCommands;
  let queries: OrganizationQueries;
  let provincesLeft = 0;
  /** Recorded times only move forward, across histories too (shrinking included). */
  let clock = Date.parse('2026-01-01T00:00:00.000Z');
  const totals = {
    commandsMs: 0, projectMs: 0, queriesMs: 0, histories: 0, accepted: 0, refused: 0, backDated: 0, instants: 0, instantsDiffering: 0, metricChecks: 0, listChecks: 0, getChecks: 0, hiddenGets: 0,
  };

  async function freshProvince(): Promise<string> {
    if (!database || provincesLeft === 0) {
      await database?.dispose();
      database = await createMigratedDatabase('knownat');
      store = new PostgresEventStore({ pool: database.pool, connectionString: database.url });
      commands = new OrganizationCommands(store);
      queries = new OrganizationQueries(database.pool);
      provincesLeft = 100;
    }
    provincesLeft--;
    return String(provincesLeft).padStart(2, '0');
  }

  async function project(): Promise<void> {
    const projector = new Projector(database!.pool, store, pino({ level: 'silent' }));
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

  afterAll(async () => {
    await database?.dispose();
  });

  it('metricsAt, list and get at T agree with the fold of the commands recorded ≤ T', async () => {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(historyArb, async ({ ops, gaps, around, probes }) => {
        const provinceCode = await freshProvince();
        const model = new RegistryModel(provinceCode, TODAY);
        const interpreter = new Interpreter(model);
        const history: Recorded[] = [];
        const log: string[] = [];
        let at = clock + 3_600_000;
        let phase = Date.now();

        for (const [k, op] of ops.entries()) {
          const command = interpreter.toCommand(op);
          const recordedAt = new Date(at);
          at += gaps[k];
          const predicted = model.refusal(command);
          let refused: string | null = null;
          try {
            await commands.execute(command, { actor: 'known-at-property', correlationId: randomUUID(), now: recordedAt });
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            refused = `${error.code}: ${error.message}`;
          }
          const { type, ...fields } = command;
          log.push(`${recordedAt.toISOString()} ${refused === null ? '✓' : '✗'} ${type} ${JSON.stringify(fields)}${refused ? `  → ${refused}` : ''}`);
          check(log, `The model ${predicted === null ? 'accepts' : `refuses (${predicted})`} the last command; the product ${refused === null ? 'accepts it' : 'refuses it'}`, () =>
            expect(refused === null).toBe(predicted === null),
          );
          history.push({ command, recordedAt, accepted: refused === null });
          if (refused !== null) {
            totals.refused++;
            continue;
          }
          if (command.type !== 'RegisterOrganization') {
            const date = command.type === 'RateOrganization' ? command.ratedOn : (command as { effectiveOn: string }).effectiveOn;
            if (model.datesOf(model.get(command.organizationId)!).some((d) => d > date)) totals.backDated++;
          }
          model.record(command);
          totals.accepted++;
        }
        clock = at;
        totals.commandsMs += Date.now() - phase;
        phase = Date.now();

        await project();
        totals.projectMs += Date.now() - phase;
        phase = Date.now();

        // The instants T: long before and just before the first record, exactly at a record (inclusive),
        // a millisecond before it, half-way to the next one (or a millisecond after), and after the last.
        const times = history.map((h) => h.recordedAt.getTime());
        const instants = new Set<number>([times[0] - DAY_MS, times[0] - 1, times[0], times.at(-1)!, times.at(-1)! + 1, times.at(-1)! + DAY_MS]);
        for (const a of around) {
          const k = a % times.length;
          instants.add(times[k]);
          instants.add(times[k] - 1);
          instants.add(k + 1 < times.length ? Math.floor((times[k] + times[k + 1]) / 2) : times[k] + 1);
        }

        const orgs = model.all();
        const probeDates = probes.map((days) => addDays(FIRST_PROBE, days));
        const eventDates = [...new Set(orgs.flatMap((org) => model.datesOf(org)))];
        const dates = [...new Set([...eventDates, ...eventDates.map((d) => addDays(d, -1)), ...probeDates, LAST_EFFECTIVE, TODAY, '2018-12-31'])].sort();
        const listDates = [...new Set([probeDates[0], LAST_EFFECTIVE])];
        const knownNow = await metricsAt(database!.pool, provinceCode, dates, null);

        for (const instant of [...instants].sort((a, b) => a - b)) {
          const knownAt = new Date(instant);
          const iso = knownAt.toISOString();
          const known = modelKnownAt(provinceCode, history, knownAt);
          const where = `province ${provinceCode}, known at ${iso}`;

          // Every metric, at every date where something changes, the day before each, and random dates.
          const actual = await metricsAt(database!.pool, provinceCode, dates, null, iso);
          let differs = false;
          for (const date of dates) {
            const expected = known.metricsAt(date);
            check(log, `metrics of ${where}, as of ${date}`, () => expect(actual.get(date)).toEqual(expected));
            if (JSON.stringify(expected) !== JSON.stringify(knownNow.get(date))) differs = true;
            totals.metricChecks++;
          }
          if (differs) totals.instantsDiffering++;

          // The list of the province at a random date and at the end of 2025.
          for (const date of listDates) {
            const { items } = await queries.list({ asOf: date, knownAt: iso, provinceCode, limit: 1000 });
            const expected = known.all().map((org) => known.stateAt(org, date)).filter((s): s is ModelState => s !== null);
            check(log, `organizations of ${where}, as of ${date}`, () =>
              expect(items.map(comparable).sort((a, b) => a.id.localeCompare(b.id))).toEqual(expected.sort((a, b) => a.id.localeCompare(b.id))),
            );
            totals.listChecks++;
          }

          // get(id, X, T) for every organization ever registered in the history, at its own dates, the day
          // before each, and one random date (the list covers the others): null when not yet recorded at T.
          const lookups = orgs.flatMap((org) => {
            const own = model.datesOf(org);
            return [...new Set([...own, ...own.map((d) => addDays(d, -1)), probeDates[0]])].map((date) => ({ org, date }));
          });
          const views = await Promise.all(lookups.map(({ org, date }) => queries.get(org.id, date, iso)));
          lookups.forEach(({ org, date }, i) => {
            const knownOrg = known.get(org.id);
            const expected = knownOrg ? known.stateAt(knownOrg, date) : null;
            if (expected === null) totals.hiddenGets++;
            check(log, `organization ${org.id} (${org.kind}) as of ${date}, known at ${iso}`, () =>
              expect(views[i] === null ? null : comparable(views[i]!)).toEqual(expected),
            );
          });
          totals.getChecks += lookups.length;
          totals.instants++;
        }
        totals.queriesMs += Date.now() - phase;
        totals.histories++;
      }),
      {
        numRuns: NUM_RUNS,
        interruptAfterTimeLimit: 120_000,
        markInterruptAsFailure: true,
        ...(process.env.KNOWN_AT_SEED ? { seed: Number(process.env.KNOWN_AT_SEED) } : {}),
      },
    );

    process.stderr.write(
      `known-at property: ${totals.histories} histories in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `${totals.accepted} commands accepted, ${totals.refused} refused (${totals.backDated} back-dated); ` +
        `${totals.instants} instants T (${totals.instantsDiffering} where the answer differs from known-now), ` +
        `${totals.metricChecks} metric dates, ${totals.listChecks} list checks, ${totals.getChecks} get() checks (${totals.hiddenGets} expected null); ` +
        `time in commands ${(totals.commandsMs / 1000).toFixed(1)} s, projector ${(totals.projectMs / 1000).toFixed(1)} s, queries and model ${(totals.queriesMs / 1000).toFixed(1)} s\n`,
    );
    expect(totals.backDated).toBeGreaterThan(0);
    expect(totals.instantsDiffering).toBeGreaterThan(0);
  });
});
