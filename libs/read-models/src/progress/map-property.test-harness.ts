import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { Pool } from 'pg';
import { loadAdministrativeMap, OrganizationCommandHandler, seedAdministrativeUnits } from '@ktt/application';
import { envelope } from '@ktt/application/commands/event-envelope';
import { systemPrincipal } from '@ktt/auth';
import { DomainError, ORGANIZATION_EVENT_SCHEMA_VERSIONS, organizationStreamId, type AdministrativeMap, type OrganizationCommand, type RegisterOrganization } from '@ktt/domain';
import { PostgresEventStore, type EventStore } from '@ktt/event-store';
import { createMigratedDatabase, type MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { PlanQueries } from '../plans/plan-queries';
import { loadPopulationFigures } from '../population/population';
import { ProgressQueries } from './progress-queries';
import {
  executeAsPredicted,
  gridUpTo,
  Interpreter,
  opArb,
  pick,
  probeDaysUntil,
  projectToHead,
  type InterpreterOptions,
  type Op,
  type Registrations,
} from './progress-property.test-harness';
import { FLAGS, RegistryModel, type LocalDate, type TerritoryChange } from './progress.test-model';

/**
 * What the property tests of the map share (map.property.int-spec.ts on the
 * read models, apps/api/src/provinces/map-queries.property.int-spec.ts over
 * the api's routes): histories of organizations seated in former An Giang
 * (89), former Kiên Giang (91), former Lào Cai (10), former Yên Bái (15) and
 * Hà Nội (01, not merged) — registrations before and after 1 July 2025 (after
 * it with `formerProvinceCode` where the province is merged), relocations
 * between provinces and within a merged one, corrections that retract a move
 * (or replace it by another), registrations the first demo wrote under ended
 * codes, the other commands of the shared harness, a few seats the map
 * refuses — recorded through the real command path at increasing recorded
 * times, and the independent model of what was known at T.
 *
 * The map is reference data, not code under test: the model reads from it
 * only which units (first-map provinces) make up a code on a date and which
 * province holds a unit on a date; every seat it folds itself.
 *
 * Test support only (left out of the product build, like the shared harness).
 */

export const TODAY: LocalDate = '2026-06-30';
export const MERGER: LocalDate = '2025-07-01';
export const DATA_DIR = path.resolve(__dirname, '../../../../data');
export const map: AdministrativeMap = loadAdministrativeMap(DATA_DIR);

/** The first-map provinces the histories are seated in: two merged pairs and one that was not merged. */
export const UNITS = ['89', '91', '10', '15', '01'];
/** The codes asked. */
export const CODES = ['89', '91', '10', '15', '01'];
/** `boundariesOn` asked: none (the boundaries of asOf), and dates on both sides of the merger. */
export const BOUNDARIES: (LocalDate | undefined)[] = [undefined, '2024-01-01', '2025-06-30', MERGER, '2026-01-01'];
/** The territories as units: each unit alone, and each merged province after the merger. */
export const TERRITORIES: string[][] = [...UNITS.map((unit) => [unit]), map.unitsOf('91', '2026-01-01')!, map.unitsOf('15', '2026-01-01')!];

/** The grid of 1st and 15th, with the last day before the merger, so the day of the step is drawn too. */
const GRID = [...new Set([...gridUpTo(TODAY), '2025-06-30'])].sort();

type DateMode = 'window' | 'tie' | 'anywhere';

const baseOpArb = opArb<DateMode>(
  [
    ['register', 7],
    ['rate', 3],
    ['members', 3],
    ['profile', 2],
    ['suspend', 1],
    ['dormant', 1],
    ['resume', 1],
    ['dissolve', 1],
    ['join', 4],
    ['leave', 2],
  ],
  [
    ['window', 7],
    ['tie', 2],
    ['anywhere', 1],
  ],
);

/**
 * A base op, or a relocation; `seat` draws the unit and how the seat is written; `raw` (one in 12)
 * sends a seat drawn with no regard for the map; `legacy` (one in 6) writes a registration dated
 * after the merger under an ended code as the first demo did (see `legacyRegistration`).
 */
export interface Step {
  op: Op<DateMode>;
  relocate: number;
  seat: number;
  raw: number;
  legacy: number;
}
const stepArb: fc.Arbitrary<Step> = fc.record({ op: baseOpArb, relocate: fc.nat({ max: 9 }), seat: fc.nat({ max: 9999 }), raw: fc.nat({ max: 11 }), legacy: fc.nat({ max: 5 }) });

/** The codes that ended on 1 July 2025 among the units: what a record made before the map had a history may name after it. */
const ENDED = UNITS.filter((unit) => map.unitsOf(unit, MERGER) === null);

/**
 * domain.md, "Old codes in old events": a registration recorded before the reorganization event
 * existed, dated on or after 1 July 2025 under a code that ended (89, 10), without a former
 * province, is read as the successor province with that code as its former province. The command
 * path refuses such a seat today, so it is appended as the first demo wrote it: the event alone,
 * through the product's envelope. Null where the step does not make one.
 */
function legacyRegistration(step: Step, command: OrganizationCommand, model: RegistryModel): RegisterOrganization | null {
  if (step.legacy !== 0 || command.type !== 'RegisterOrganization' || command.kind === 'union') return null;
  const { formerProvinceCode: _former, ...rest } = command;
  // Dated after the merger (a group or a cooperative has no founders whose dates would bind it).
  const registeredOn = command.registeredOn >= MERGER ? command.registeredOn : pick(GRID.filter((date) => date >= MERGER), step.seat)!;
  // Schema v1 of the registration, as the first demo wrote it: every flag stored, an omitted one as false (no null in v1).
  const flags = Object.fromEntries(FLAGS.map((flag) => [flag, rest[flag] ?? false]));
  const legacy: RegisterOrganization = { ...rest, ...flags, registeredOn, provinceCode: pick(ENDED, step.seat)! };
  // Valid in every other respect: the same seat written as today's map asks is accepted.
  return model.refusal({ ...legacy, ...seatFor(legacy.provinceCode, legacy.registeredOn, 0) }) === null ? legacy : null;
}

async function appendLegacy(store: EventStore, command: RegisterOrganization, recordedAt: Date): Promise<void> {
  const streamId = organizationStreamId(command.organizationId);
  const data = {
    organizationId: command.organizationId,
    effectiveOn: command.registeredOn,
    kind: command.kind,
    name: command.name,
    registrationNumber: command.registrationNumber.trim().toUpperCase(),
    provinceCode: command.provinceCode,
    sector: command.sector,
    memberCount: command.memberCount ?? null,
    memberCooperativeIds: [],
    managers: command.managers ? { ...command.managers } : null,
    directorTrained: command.directorTrained ?? false,
    valueChain: command.valueChain ?? false,
    highTech: command.highTech ?? false,
    enterpriseLinked: command.enterpriseLinked ?? false,
    digitalAdoption: command.digitalAdoption ?? false,
  };
  const context = { principal: systemPrincipal('system:first-demo'), correlationId: randomUUID(), now: recordedAt };
  // Stored as v1: read through the upcaster of OrganizationRegistered v1 (its flags keep their stored false).
  const events = envelope(streamId, undefined, [{ type: 'OrganizationRegistered', data }], context, { ...ORGANIZATION_EVENT_SCHEMA_VERSIONS, OrganizationRegistered: 1 });
  await store.append([{ streamId, expectedRevision: 'no_stream', events }]);
}

const gapArb = fc.oneof({ arbitrary: fc.constant(1), weight: 1 }, { arbitrary: fc.integer({ min: 2, max: 600_000 }), weight: 4 });

/** Steps, the gaps between their recorded times, the records whose time is asked as knownAt, and random days. */
export function historyArb(maxSteps: number) {
  return fc.record({
    steps: fc.array(stepArb, { minLength: 12, maxLength: maxSteps }),
    gaps: fc.array(gapArb, { minLength: maxSteps, maxLength: maxSteps }),
    around: fc.array(fc.nat({ max: maxSteps - 1 }), { minLength: 1, maxLength: 2 }),
    probes: fc.array(fc.nat({ max: probeDaysUntil(TODAY) }), { minLength: 2, maxLength: 4 }),
  });
}

type Seat = { provinceCode: string; formerProvinceCode?: string | null };

/**
 * A seat as a registrar writes it for `unit` on `date`: before the merger the unit's own code
 * (its former province sometimes repeated); from it, the code in force holding the unit, with the
 * unit as former province where that province is merged (and, where it is not, sometimes the unit,
 * sometimes null, sometimes nothing).
 */
function seatFor(unit: string, date: LocalDate, style: number): Seat {
  if (date < MERGER) return style % 4 === 0 ? { provinceCode: unit, formerProvinceCode: unit } : { provinceCode: unit };
  const code = map.provinceOfUnit(unit, date).code;
  if (map.unitsOf(code, date)!.length > 1) return { provinceCode: code, formerProvinceCode: unit };
  return style % 3 === 0 ? { provinceCode: code, formerProvinceCode: unit } : style % 3 === 1 ? { provinceCode: code, formerProvinceCode: null } : { provinceCode: code };
}

/** A seat drawn with no regard for the map: an ended code, a merged one without its former province, a wrong former province, a code that never was. */
function rawSeat(style: number): Seat {
  const provinceCode = pick([...CODES, '00'], style)!;
  const former = [undefined, null, ...UNITS][Math.floor(style / 7) % (UNITS.length + 2)];
  return former === undefined ? { provinceCode } : { provinceCode, formerProvinceCode: former };
}

/** Turns steps into commands: the base interpreter's, with the seat of a registration written on the map of its date, and relocations. */
class MapInterpreter {
  private readonly base: Interpreter<DateMode>;

  constructor(
    private readonly model: RegistryModel,
    options: InterpreterOptions<DateMode>,
  ) {
    this.base = new Interpreter(model, options);
  }

  toCommand(step: Step): OrganizationCommand {
    if (step.relocate < 2 && this.model.all().length > 0) {
      const relocation = this.relocation(step);
      if (relocation) return relocation;
    }
    const command = this.base.toCommand(step.op);
    if (command.type !== 'RegisterOrganization') return command;
    const { provinceCode: _drawn, ...rest } = command;
    const seat = step.raw === 0 ? rawSeat(step.seat) : seatFor(pick(UNITS, step.seat)!, command.registeredOn, step.seat >> 3);
    return { ...rest, ...seat } as RegisterOrganization;
  }

  /**
   * A move of the seat on a date in the organization's window, on or after its latest move, to
   * another unit than the one it is in then (across provinces, or within a merged one after the merger).
   */
  relocation(step: Step): OrganizationCommand | null {
    const { op } = step;
    const org = pick(this.model.all(), op.org)!;
    if (op.mode === 'anywhere' || step.raw === 0) {
      return { type: 'RelocateOrganization', organizationId: org.id, effectiveOn: pick(GRID, op.date)!, ...rawSeat(step.seat) };
    }
    const lo = [org.registeredOn, ...org.seat.map((change) => change.effectiveOn)].sort().at(-1)!;
    const hi = this.model.dissolvedOn(org);
    const inWindow = (date: LocalDate) => date >= lo && (hi === null || date < hi) && date <= TODAY;
    const preferred = op.mode === 'tie' ? this.model.datesOf(org).filter(inWindow) : [];
    const date = pick(preferred.length > 0 ? preferred : GRID.filter(inWindow), op.date);
    if (date === undefined) return null;
    const here = this.model.seatAt(org, date);
    const unit = pick(
      UNITS.filter((u) => u !== here),
      step.seat,
    )!;
    return { type: 'RelocateOrganization', organizationId: org.id, effectiveOn: date, ...seatFor(unit, date, step.seat >> 3) };
  }
}

function interpreterOptions(registrations: Registrations): InterpreterOptions<DateMode> {
  return {
    grid: GRID,
    lastEffective: TODAY,
    registrations,
    suspendUntil: false,
    /** `tie`: one of the organization's own dates (for a registration: any organization's, or the days around the merger). */
    preferredDates: (op, org, inWindow, model) =>
      op.mode !== 'tie' ? [] : (org ? model.datesOf(org) : [...model.all().flatMap((o) => model.datesOf(o)), '2025-06-30', MERGER]).filter(inWindow),
  };
}

/**
 * One record of a history: a command, or a correction that retracts the relocation recorded at
 * `retracts` (an index into the history) and puts `command` (a relocation, or nothing) in its place.
 */
export interface Recorded {
  command: OrganizationCommand | null;
  recordedAt: Date;
  accepted: boolean;
  retracts?: { organizationId: string; index: number };
  /** A relocation's event, which a later correction names. */
  eventId?: string;
}

/** What was known at T: a fold of the accepted records made at or before T (all of them when T is absent), in recorded order. */
export function modelKnownAt(history: Recorded[], knownAt: Date | undefined): RegistryModel {
  const model = new RegistryModel(UNITS[0], TODAY, map);
  history.forEach((entry, index) => fold(model, entry, index, knownAt));
  return model;
}

function fold(model: RegistryModel, { command, recordedAt, accepted, retracts }: Recorded, index: number, knownAt?: Date): void {
  if (!accepted || (knownAt !== undefined && recordedAt.getTime() > knownAt.getTime())) return;
  if (retracts) model.retractRelocation(retracts.organizationId, retracts.index);
  if (command) model.record(command, index);
}

/** What the histories reached, so a run can show it did reach what the property is about. */
export interface HistoryTotals {
  accepted: number;
  refused: number;
  relocations: number;
  relocationsWithin: number;
  registeredAfterMerger: number;
  refusedSeats: number;
  legacy: number;
  corrections: number;
  replacements: number;
}

export const noHistoryTotals = (): HistoryTotals => ({ accepted: 0, refused: 0, relocations: 0, relocationsWithin: 0, registeredAfterMerger: 0, refusedSeats: 0, legacy: 0, corrections: 0, replacements: 0 });

/**
 * Sends each step's command through the real command path at its own recorded time (from
 * `startAt`, `gaps` apart), checking that the model predicted whether it is accepted, and folds the
 * accepted ones. Returns the model, the history, its log (for counterexamples) and the next free time.
 */
export async function recordHistory(
  commands: OrganizationCommandHandler,
  store: EventStore,
  input: { steps: Step[]; gaps: number[] },
  options: { startAt: number; registrations: Registrations; actor: string; totals: HistoryTotals },
): Promise<{ model: RegistryModel; history: Recorded[]; log: string[]; end: number }> {
  const { totals } = options;
  const model = new RegistryModel(UNITS[0], TODAY, map);
  const interpreter = new MapInterpreter(model, interpreterOptions(options.registrations));
  const history: Recorded[] = [];
  const log: string[] = [];
  let at = options.startAt;
  for (const [k, step] of input.steps.entries()) {
    const recordedAt = new Date(at);
    at += input.gaps[k];
    const correction = step.relocate === 9 ? await correctRelocation(commands, model, interpreter, history, step, recordedAt, log) : null;
    if (correction) {
      history.push(correction);
      if (correction.accepted) {
        fold(model, correction, history.length - 1);
        totals.corrections++;
        if (correction.command) totals.replacements++;
      }
      continue;
    }
    const command = interpreter.toCommand(step);
    const legacy = legacyRegistration(step, command, model);
    if (legacy) {
      await appendLegacy(store, legacy, recordedAt);
      const { type, ...fields } = legacy;
      log.push(`${recordedAt.toISOString()} ✓ ${type} (appended as the first demo wrote it) ${JSON.stringify(fields)}`);
      history.push({ command: legacy, recordedAt, accepted: true });
      model.record(legacy);
      totals.legacy++;
      totals.accepted++;
      continue;
    }
    const refused = await executeAsPredicted(commands, model, command, log, { actor: options.actor, now: recordedAt, logPrefix: `${recordedAt.toISOString()} ` });
    history.push({ command, recordedAt, accepted: refused === null });
    if (refused !== null) {
      totals.refused++;
      if (/PROVINCE|PREDECESSOR/.test(refused)) totals.refusedSeats++;
      continue;
    }
    if (command.type === 'RelocateOrganization') {
      // Its event, for a later correction to name.
      history.at(-1)!.eventId = (await store.readStream(organizationStreamId(command.organizationId))).at(-1)!.metadata.eventId as string;
      totals.relocations++;
      const from = model.seatAt(model.get(command.organizationId)!, command.effectiveOn);
      const to = command.formerProvinceCode ?? command.provinceCode;
      if (command.effectiveOn >= MERGER && map.provinceOfUnit(from, command.effectiveOn).code === map.provinceOfUnit(to, command.effectiveOn).code) totals.relocationsWithin++;
    }
    if (command.type === 'RegisterOrganization' && command.registeredOn >= MERGER) totals.registeredAfterMerger++;
    model.record(command, history.length - 1);
    totals.accepted++;
  }
  return { model, history, log, end: at };
}

/**
 * A correction of one of the history's relocations not retracted yet (null when there is none):
 * a retraction, or a replacement by another move of the same organization. The product decides
 * whether it takes it (a replacement is judged as its command would be, on the history without the
 * retracted move); what it takes, the model folds from the correction's recorded time.
 */
async function correctRelocation(
  commands: OrganizationCommandHandler,
  model: RegistryModel,
  interpreter: MapInterpreter,
  history: Recorded[],
  step: Step,
  recordedAt: Date,
  log: string[],
): Promise<Recorded | null> {
  const retracted = new Set(history.flatMap((entry) => (entry.accepted && entry.retracts ? [entry.retracts.index] : [])));
  const moves = history.map((entry, index) => ({ entry, index })).filter(({ entry, index }) => entry.accepted && entry.eventId && !retracted.has(index));
  const target = pick(moves, step.seat);
  if (!target) return null;
  const organizationId = target.entry.command!.organizationId;
  const other = interpreter.relocation({ ...step, op: { ...step.op, org: model.all().findIndex((org) => org.id === organizationId), mode: 'window' }, raw: 1 });
  const replacement = step.raw % 2 === 0 || other === null || other.type !== 'RelocateOrganization' ? null : other;
  const sent = {
    type: 'CorrectRecord' as const,
    organizationId,
    retractedEventId: target.entry.eventId!,
    reason: 'Ghi nhầm trụ sở',
    ...(replacement ? { replacement: { provinceCode: replacement.provinceCode, ...(replacement.formerProvinceCode !== undefined ? { formerProvinceCode: replacement.formerProvinceCode } : {}), effectiveOn: replacement.effectiveOn } } : {}),
  };
  let refused: string | null = null;
  try {
    await commands.execute({ command: sent, context: { principal: systemPrincipal('map-property-corrections'), correlationId: randomUUID(), now: recordedAt } });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    refused = `${error.code}: ${error.message}`;
  }
  const { type, ...fields } = sent;
  log.push(`${recordedAt.toISOString()} ${refused === null ? '✓' : '✗'} ${type} of record #${target.index} ${JSON.stringify(fields)}${refused ? `  → ${refused}` : ''}`);
  return { command: replacement, recordedAt, accepted: refused === null, retracts: { organizationId, index: target.index } };
}

/** knownAt asked: now (absent), and exactly at and a millisecond before the records `around` names. */
export function instantsAround(history: Recorded[], around: number[]): (Date | undefined)[] {
  const times = history.map((h) => h.recordedAt.getTime());
  const instants: (Date | undefined)[] = [undefined];
  for (const a of around) {
    const t = times[a % times.length];
    instants.push(new Date(t), new Date(t - 1));
  }
  return instants;
}

/**
 * What the 2025 merger does to the territory of `code` when it falls in [from, to] (domain.md,
 * "Flows": the organizations that joined or left the territory by a reorganization): the units
 * that join it and those that leave it, counted from the organizations of the day before.
 */
export function territoryChanges(code: string, from: LocalDate, to: LocalDate): TerritoryChange[] {
  if (MERGER < from || MERGER > to) return [];
  const dayBefore = '2025-06-30';
  const before = map.unitsOf(code, dayBefore) ?? [];
  const after = map.unitsOf(code, MERGER) ?? [];
  const change = { dayBefore, joining: after.filter((u) => !before.includes(u)), leaving: before.filter((u) => !after.includes(u)) };
  return change.joining.length + change.leaving.length > 0 ? [change] : [];
}

/**
 * The population of a territory for a date, read from the reference data by the test itself
 * (domain.md, "Population"): each unit's figure of the latest year ≤ the date's year, summed;
 * null when a unit has none that early.
 */
const POPULATION = JSON.parse(readFileSync(path.join(DATA_DIR, 'reference', 'province-population-figures.json'), 'utf8')) as {
  figures: { provinceCode: string; year: number; population: number }[];
  country?: { year: number; population: number }[];
};
const FIGURES = POPULATION.figures;

/** The country's own figure of the latest year ≤ the date's year (the file's `country`), or null. */
export function populationOfCountry(date: LocalDate): number | null {
  const year = Number(date.slice(0, 4));
  return (POPULATION.country ?? []).filter((f) => f.year <= year).sort((a, b) => b.year - a.year)[0]?.population ?? null;
}

/** Every unit: the provinces of the first map (the whole country). */
export const ALL_UNITS = map.provincesInForce('2025-06-30').map((province) => province.code);

export function populationOf(units: readonly string[], date: LocalDate): number | null {
  const year = Number(date.slice(0, 4));
  let total = 0;
  for (const unit of units) {
    const latest = FIGURES.filter((f) => f.provinceCode === unit && f.year <= year).sort((a, b) => b.year - a.year)[0];
    if (!latest) return null;
    total += latest.population;
  }
  return total;
}

/**
 * A fresh database for each history. Its histories are seated in real provinces (89, 91, 10, 15,
 * 01), so two histories may not share a database the way the other property tests share one by
 * giving each a province of its own.
 */
export interface HistoryDatabase {
  pool: Pool;
  store: PostgresEventStore;
  commands: OrganizationCommandHandler;
  progress: ProgressQueries;
  /** Runs the real projector over this database up to the head of its log. */
  project(): Promise<void>;
}

export class FreshDatabases {
  private database: MigratedDatabase | null = null;

  constructor(private readonly prefix: string) {}

  /** Drops the previous history's database and creates the next one, with the 2025 merger recorded. */
  async next(): Promise<HistoryDatabase> {
    await this.dispose();
    const database = (this.database = await createMigratedDatabase(this.prefix));
    const store = new PostgresEventStore({ pool: database.pool, connectionString: database.url });
    // As the api records it on first start: commands are judged on the map as recorded.
    await seedAdministrativeUnits(store, DATA_DIR);
    const populations = loadPopulationFigures(path.join(DATA_DIR, 'reference', 'province-population-figures.json'));
    return {
      pool: database.pool,
      store,
      commands: new OrganizationCommandHandler(store),
      // The population of the reference data, as the api reads it.
      progress: new ProgressQueries(new PlanQueries(), (units, date) => populations.populationOf(units, date).value),
      project: () => projectToHead(database.pool, store),
    };
  }

  /** Drops the current database, once (an interrupted run may still be in `next` when the suite ends). */
  async dispose(): Promise<void> {
    const database = this.database;
    this.database = null;
    await database?.dispose();
  }
}
