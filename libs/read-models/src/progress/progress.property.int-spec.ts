import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import pino from 'pino';
import { OrganizationCommands } from '@ktt/application';
import { DomainError, type ChangeProfile, type OrganizationCommand, type OrganizationKind, type Rating, type Sector } from '@ktt/domain';
import { PostgresEventStore } from '@ktt/event-store';
import { createMigratedDatabase, type MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { OrganizationQueries, type OrganizationView } from '../organizations/organization-queries';
import { Projector } from '../projector/projector';
import { metricsAt } from './metrics-query';
import { FLAGS, RegistryModel, type LocalDate, type ModelOrganization, type ModelState } from './progress.test-model';

/**
 * Issue 3, point 6, "Proof by an independent model": random valid histories of
 * one province (all three kinds, ratings, member counts, profiles, the whole
 * lifecycle, union joins and leaves, back-dated and same-date records) go
 * through the real command path and the real projector; every metric and the
 * state of every organization, as of many dates, must equal what a plain fold
 * of domain.md (progress.test-model.ts) says. The model also predicts which
 * commands the domain refuses, judged by effective dates only.
 */

jest.setTimeout(240_000);

const TODAY = '2026-06-30';
const NOW = new Date('2026-06-30T03:00:00Z'); // 10:00 in Vietnam
const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 25);

const DAY_MS = 86_400_000;
const addDays = (date: LocalDate, days: number): LocalDate =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** Effective dates are drawn from a coarse grid (1st and 15th, plus today), so that ties are frequent. */
const GRID: LocalDate[] = (() => {
  const dates: LocalDate[] = [];
  for (let year = 2019; year <= 2026; year++) {
    for (let month = 1; month <= 12; month++) {
      for (const day of [1, 15]) {
        const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        if (date <= TODAY) dates.push(date);
      }
    }
  }
  return [...dates, TODAY];
})();
const FIRST_PROBE = '2018-12-01';
const PROBE_DAYS = (Date.parse(`${TODAY}T00:00:00Z`) - Date.parse(`${FIRST_PROBE}T00:00:00Z`)) / DAY_MS;

const SECTORS: Sector[] = ['agriculture', 'fisheries', 'agriculture', 'industry', 'trade_services', 'fisheries', 'credit', 'other', 'construction', 'transport'];
const RATINGS: Rating[] = ['good', 'fair', 'average', 'weak'];
const MINIMUM: Record<string, number> = { cooperative: 5, cooperative_group: 2, union: 0 };

type OpType = 'register' | 'rate' | 'members' | 'profile' | 'suspend' | 'dormant' | 'resume' | 'dissolve' | 'join' | 'leave';
type DateMode = 'window' | 'tie' | 'anywhere';

/**
 * An abstract step: random numbers that `toCommand` turns into a concrete
 * command against the model's current state (valid by construction in the
 * `window` and `tie` modes; `anywhere` draws any date and any organization,
 * so some are refused).
 */
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
    ['rate', 3],
    ['members', 3],
    ['profile', 3],
    ['suspend', 2],
    ['dormant', 1],
    ['resume', 2],
    ['dissolve', 1],
    ['join', 5],
    ['leave', 3],
  ]),
  org: fc.nat({ max: 999 }),
  other: fc.nat({ max: 999 }),
  date: fc.nat({ max: 9999 }),
  mode: weighted<DateMode>([
    ['window', 7],
    ['tie', 2],
    ['anywhere', 1],
  ]),
  n: fc.nat({ max: 9999 }),
  bits: fc.nat({ max: 0x3ffff }),
});

const historyArb = fc.record({
  ops: fc.array(opArb, { minLength: 10, maxLength: 40 }),
  probes: fc.array(fc.nat({ max: PROBE_DAYS }), { minLength: 4, maxLength: 8 }),
});

/** Ids and registration numbers unique in the database across all runs (numbers are never reused). */
let serial = 0;
const nextSerial = () => ++serial;
const uuidOf = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

const pick = <T>(items: T[], k: number): T | undefined => (items.length === 0 ? undefined : items[k % items.length]);

class Interpreter {
  constructor(private readonly model: RegistryModel) {}

  toCommand(op: Op): OrganizationCommand {
    const orgs = this.model.all();
    if (orgs.length === 0) return this.register(op);
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

  /** A date in [lo, hi) drawn from the grid, or one of the organization's own dates (a tie), or anywhere. */
  private dateIn(op: Op, org: ModelOrganization | null, lo: LocalDate, hi: LocalDate | null): LocalDate {
    const inWindow = (date: LocalDate) => date >= lo && (hi === null || date < hi) && date <= TODAY;
    if (op.mode === 'anywhere') return GRID[op.date % GRID.length];
    if (op.mode === 'tie') {
      const ties = (org ? this.model.datesOf(org) : this.model.all().flatMap((o) => this.model.datesOf(o))).filter(inWindow);
      if (ties.length > 0) return pick(ties, op.date)!;
    }
    return pick(GRID.filter(inWindow), op.date) ?? lo;
  }

  private candidates(op: Op, eligible: (org: ModelOrganization) => boolean): ModelOrganization | undefined {
    const orgs = this.model.all();
    return pick(op.mode === 'anywhere' ? orgs : orgs.filter(eligible), op.org);
  }

  private end(org: ModelOrganization): LocalDate | null {
    return this.model.dissolvedOn(org);
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
        const size = Math.min(pool.length, 3 + (op.bits % 3));
        founders = Array.from({ length: size }, (_, i) => pool[(op.other + i) % pool.length].id);
      }
    }
    const n = nextSerial();
    const total = (op.bits >> 1) % 6;
    return {
      type: 'RegisterOrganization',
      organizationId: uuidOf(n),
      kind,
      name: `Hợp tác xã thử ${n}`,
      registrationNumber: `PB-${n}`,
      provinceCode: this.model.provinceCode,
      sector: SECTORS[op.other % SECTORS.length],
      registeredOn,
      ...(kind === 'union' ? { memberCooperativeIds: founders } : { memberCount: MINIMUM[kind] + ((op.n >> 4) % 40) }),
      ...(op.bits & 1 ? { managers: { total, withDegree: (op.bits >> 4) % (total + 1) } } : {}),
      ...this.flags(op.bits >> 7),
    };
  }

  /** Each flag omitted, false or true (the three readings of a profile field). */
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
    const ratedOn = this.dateIn(op, org, org.registeredOn, this.end(org));
    let year = Number(ratedOn.slice(0, 4)) - (op.bits & 1);
    if (op.mode !== 'anywhere') year = Math.max(year, Number(org.registeredOn.slice(0, 4)));
    return { type: 'RateOrganization', organizationId: org.id, rating: RATINGS[op.n % RATINGS.length], year, ratedOn };
  }

  private members(op: Op): OrganizationCommand | null {
    const org = this.candidates(op, (o) => o.kind !== 'union');
    if (!org) return null;
    const effectiveOn = this.dateIn(op, org, org.registeredOn, this.end(org));
    return { type: 'ChangeMemberCount', organizationId: org.id, memberCount: (MINIMUM[org.kind] || 2) + (op.n % 60), effectiveOn };
  }

  private profile(op: Op): OrganizationCommand {
    const org = pick(this.model.all(), op.org)!;
    const effectiveOn = this.dateIn(op, org, org.registeredOn, this.end(org));
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

  private lifecycle(op: Op, from: string[]): OrganizationCommand | null {
    const org = this.candidates(op, (o) => from.includes(this.model.latestLifecycle(o).status));
    if (!org) return null;
    const effectiveOn = this.dateIn(op, org, this.model.latestLifecycle(org).effectiveOn, this.end(org));
    const organizationId = org.id;
    switch (op.type) {
      case 'suspend':
        return { type: 'SuspendOrganization', organizationId, effectiveOn, reason: 'Tạm ngừng theo thông báo', ...(op.bits & 1 ? { until: addDays(effectiveOn, 200) } : {}) };
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
      const ends = [this.end(union), this.end(cooperative)].filter((d): d is string => d !== null).sort();
      return { lo, hi: ends[0] ?? null, member: last?.value ?? false };
    };
    const all = this.pairs();
    const pair = pick(
      op.mode === 'anywhere' ? all : all.filter((p) => {
        const w = windowOf(p);
        return !w.member && (w.hi === null || w.lo < w.hi);
      }),
      op.org,
    );
    if (!pair) return null;
    const { lo, hi } = windowOf(pair);
    return { type: 'JoinUnion', organizationId: pair.union.id, cooperativeId: pair.cooperative.id, effectiveOn: this.dateIn(op, pair.union, lo, hi) };
  }

  private leave(op: Op): OrganizationCommand | null {
    const windowOf = ({ union, cooperative }: { union: ModelOrganization; cooperative: ModelOrganization }) => {
      const last = this.model.latestPair(union, cooperative.id);
      return { lo: last ? addDays(last.effectiveOn, 1) : union.registeredOn, hi: this.end(union), member: last?.value ?? false };
    };
    const all = this.pairs();
    const pair = pick(
      op.mode === 'anywhere' ? all : all.filter((p) => {
        const w = windowOf(p);
        return w.member && w.lo <= TODAY && (w.hi === null || w.lo < w.hi);
      }),
      op.org,
    );
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

/** Runs an expectation and, when it fails, appends the commands of the history so the counterexample reads. */
function check(log: string[], what: string, assertion: () => void): void {
  try {
    assertion();
  } catch (error) {
    (error as Error).message = `${what}\n${(error as Error).message}\n\nHistory (accepted ✓ / refused ✗, in recorded order):\n${log.join('\n')}`;
    throw error;
  }
}

describe('metrics and organization states against an independent model of domain.md', () => {
  let database: MigratedDatabase | null = null;
  let store: PostgresEventStore;
  let commands: OrganizationCommands;
  let queries: OrganizationQueries;
  // provinceCode is two digits: a database holds 100 fresh provinces, then the next one is created.
  let provincesLeft = 0;
  const acceptedByType: Record<string, number> = {};
  const totals = { accepted: 0, refused: 0, histories: 0, organizations: 0, metricDates: 0, stateChecks: 0, backDated: 0, ties: 0 };

  async function freshProvince(): Promise<string> {
    if (!database || provincesLeft === 0) {
      await database?.dispose();
      database = await createMigratedDatabase('property');
      store = new PostgresEventStore({ pool: database.pool, connectionString: database.url });
      commands = new OrganizationCommands(store);
      queries = new OrganizationQueries(database.pool);
      provincesLeft = 100;
    }
    provincesLeft--;
    return String(provincesLeft).padStart(2, '0');
  }

  /** Runs the real projector until it has applied the whole log (a stall fails the run rather than hanging it). */
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

  it('agree on every metric and every organization, as of many dates', async () => {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(historyArb, async ({ ops, probes }) => {
        const provinceCode = await freshProvince();
        const model = new RegistryModel(provinceCode, TODAY);
        const interpreter = new Interpreter(model);
        const log: string[] = [];

        for (const op of ops) {
          const command = interpreter.toCommand(op);
          const predicted = model.refusal(command);
          const date = command.type === 'RegisterOrganization' ? command.registeredOn : command.type === 'RateOrganization' ? command.ratedOn : (command as { effectiveOn: string }).effectiveOn;
          let refused: string | null = null;
          try {
            await commands.execute(command, { actor: 'property-test', correlationId: randomUUID(), now: NOW });
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            refused = `${error.code}: ${error.message}`;
          }
          const { type, ...fields } = command;
          log.push(`${refused === null ? '✓' : '✗'} ${type} ${JSON.stringify(fields)}${refused ? `  → ${refused}` : ''}`);
          check(log, `The model ${predicted === null ? 'accepts' : `refuses (${predicted})`} the last command; the product ${refused === null ? 'accepts it' : 'refuses it'}`, () =>
            expect(refused === null).toBe(predicted === null),
          );
          if (refused !== null) {
            totals.refused++;
            continue;
          }
          if (command.type !== 'RegisterOrganization') {
            const org = model.get(command.organizationId)!;
            const dates = model.datesOf(org);
            if (dates.some((d) => d > date)) totals.backDated++;
            if (dates.includes(date)) totals.ties++;
          }
          model.record(command);
          totals.accepted++;
          const label = command.type === 'RegisterOrganization' ? `Register ${command.kind}` : command.type;
          acceptedByType[label] = (acceptedByType[label] ?? 0) + 1;
        }

        await project();

        const orgs = model.all();
        const probeDates = probes.map((days) => addDays(FIRST_PROBE, days));
        const eventDates = [...new Set(orgs.flatMap((org) => model.datesOf(org)))];
        const dates = [...new Set([...eventDates, ...eventDates.map((d) => addDays(d, -1)), ...probeDates, TODAY, '2018-12-31'])].sort();

        // Every metric, at every date where something changes, the day before each, and random dates.
        const actual = await metricsAt(database!.pool, provinceCode, dates, null);
        for (const date of dates) {
          check(log, `metrics of province ${provinceCode} as of ${date}`, () => expect(actual.get(date)).toEqual(model.metricsAt(date)));
        }

        // Every organization at each of those dates, through the list query (one query per date).
        for (const date of dates) {
          const { items } = await queries.list({ asOf: date, provinceCode, limit: 1000 });
          const expected = orgs.map((org) => model.stateAt(org, date)).filter((s): s is ModelState => s !== null);
          check(log, `organizations of province ${provinceCode} as of ${date}`, () =>
            expect(items.map(comparable).sort((a, b) => a.id.localeCompare(b.id))).toEqual(expected.sort((a, b) => a.id.localeCompare(b.id))),
          );
        }

        // And `get(id, asOf)` for each organization, at its own dates, the day before each, and the random ones.
        const lookups = orgs.flatMap((org) => {
          const own = model.datesOf(org);
          return [...new Set([...own, ...own.map((d) => addDays(d, -1)), ...probeDates])].map((date) => ({ org, date }));
        });
        const views = await Promise.all(lookups.map(({ org, date }) => queries.get(org.id, date)));
        lookups.forEach(({ org, date }, i) => {
          const view = views[i];
          check(log, `organization ${org.id} (${org.kind}) as of ${date}`, () =>
            expect(view === null ? null : comparable(view)).toEqual(model.stateAt(org, date)),
          );
        });

        totals.histories++;
        totals.organizations += orgs.length;
        totals.metricDates += dates.length;
        totals.stateChecks += lookups.length;
      }),
      {
        numRuns: NUM_RUNS,
        // A failure is shrunk for at most this long, then reported as found so far.
        interruptAfterTimeLimit: 150_000,
        markInterruptAsFailure: true,
        endOnFailure: Boolean(process.env.PROPERTY_END_ON_FAILURE),
        ...(process.env.PROPERTY_SEED ? { seed: Number(process.env.PROPERTY_SEED) } : {}),
      },
    );

    process.stderr.write(
      `property: ${totals.histories} histories in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `${totals.accepted} commands accepted, ${totals.refused} refused (${totals.backDated} back-dated, ${totals.ties} on a date already used); ` +
        `${totals.organizations} organizations, ${totals.metricDates} metric dates, ${totals.stateChecks} get() checks\n  accepted by type: ${JSON.stringify(acceptedByType)}\n`,
    );
    expect(totals.accepted).toBeGreaterThanOrEqual(totals.refused);
    expect(totals.backDated).toBeGreaterThan(0);
    expect(totals.ties).toBeGreaterThan(0);
  });
});
