// Types only: @nestjs/cqrs 12 is ESM only and the cli and jest load this library as CommonJS; apps/api registers the handlers.
import type { ICommand, ICommandHandler } from '@nestjs/cqrs';
import {
  administrativeUnitsStreamId,
  isCanonicalUuid,
  decide,
  DomainError,
  evolve,
  foldHistory,
  isValidLocalDate,
  seatOn,
  type AdministrativeMap,
  type LocalDate,
  normalizeRegistrationNumber,
  ORGANIZATION_EVENT_SCHEMA_VERSIONS,
  organizationStreamId,
  referencedOrganizationIds,
  registrationNumberStreamId,
  todayInVietnam,
  upcast,
  type CorrectRecord,
  type OrganizationCommand,
  type OrganizationEvent,
  type OrganizationHistory,
} from '@ktt/domain';
import { readStreams, type EventStore, type RecordedEvent } from '@ktt/event-store';
import type { CommandContext, CommandResult } from '../commands/command-context';
import { decideAndAppend, type CommandSpec, type Decision } from '../commands/decide-and-append';
import { requirePermission, requireSeatInTerritory } from '../commands/authorization';
import { AdministrativeUnits, firstMapOf, readAdministrativeUnitsReference } from '../administrative-units/administrative-units';
import { PROJECT_DATA_DIR } from '../administrative-units/load-administrative-map';

export const REGISTRATION_NUMBER_RESERVED = 'RegistrationNumberReserved';

/**
 * An organization command as a caller sends it. A correction names the
 * retracted event by its id alone: its place in the stream (the domain's
 * `retractedRevision`) is found here, against the history it is decided on.
 */
export type OrganizationCommandSent = Exclude<OrganizationCommand, CorrectRecord> | Omit<CorrectRecord, 'retractedRevision'>;

/** The command bus's message for every organization command: the command and who sends it. */
export class OrganizationCommandMessage implements ICommand {
  constructor(
    readonly command: OrganizationCommandSent,
    readonly context: CommandContext,
  ) {}
}

/**
 * Refuses (409 STREAM_QUARANTINED) a write to an organization whose events the
 * read side holds back (architecture.md, "Reads"), after `authorize` (so 403
 * comes before 409). Given by the API; other callers write without a read side.
 */
export type QuarantineCheck = (organizationId: string, authorize: (provinceCode: string | null) => void) => Promise<void>;

/** Every organization use case: authorize, load, fold, decide, append (through `decideAndAppend`). */
export class OrganizationCommandHandler implements ICommandHandler<OrganizationCommandMessage, CommandResult> {
  private readonly administrativeUnits: AdministrativeUnits;

  /**
   * `administrativeUnits`: the map as recorded, on which seats are judged and tokens read; by
   * default the one of `store` over the project's reference data (what the api injects too).
   */
  constructor(
    private readonly store: EventStore,
    private readonly refuseIfQuarantined?: QuarantineCheck,
    administrativeUnits?: AdministrativeUnits,
  ) {
    this.administrativeUnits = administrativeUnits ?? new AdministrativeUnits(store, firstMapOf(readAdministrativeUnitsReference(PROJECT_DATA_DIR)));
  }

  /** The map seats are judged on now (the map as recorded in the store): the demo names its seats on it. */
  administrativeMap(): Promise<AdministrativeMap> {
    return this.administrativeUnits.map();
  }

  async execute({ command, context }: Pick<OrganizationCommandMessage, 'command' | 'context'>): Promise<CommandResult> {
    // One map for the whole command: authorization and decision read the same one. The map's stream and the
    // organization's are read in one round trip (a third of an append's round trips: bench/manual-measurements.md).
    // An id that names no stream is refused later, in the order it always was (authorization first).
    const streamId = isCanonicalUuid(command.organizationId) ? organizationStreamId(command.organizationId) : null;
    const [unitsEvents, history] = await readStreams(this.store, streamId === null ? [administrativeUnitsStreamId()] : [administrativeUnitsStreamId(), streamId]);
    const map = this.administrativeUnits.mapOf(unitsEvents!);
    const today = todayInVietnam(context.now);
    if (this.refuseIfQuarantined) {
      // A union's membership is judged by the union's province: the cooperative's stream is checked, not its province.
      for (const id of streamsWritten(command)) {
        await this.refuseIfQuarantined(id, (provinceCode) =>
          authorize(command, context, map, today, id === command.organizationId && provinceCode !== null ? { units: recordedUnits(map, provinceCode, today), seat: `province ${provinceCode}` } : null),
        );
      }
    }
    return decideAndAppend(this.store, this.spec(command, context, map, today), context, history ? { history } : undefined);
  }

  /**
   * Several commands for one organization, decided in order (each against the history with the facts
   * of those before it, each authorized on that history) and appended in one write, so they are
   * recorded all or none: an import's row (registration, rating, lifecycle) is never half-written.
   * `dryRun`: authorized and decided the same way, nothing appended (answers null).
   */
  async executeAll(commands: Exclude<OrganizationCommandSent, { type: 'CorrectRecord' }>[], context: CommandContext, options: { dryRun?: boolean; map?: AdministrativeMap } = {}): Promise<CommandResult | null> {
    const first = commands[0];
    if (!first || commands.some((command) => command.organizationId !== first.organizationId)) throw new Error('executeAll: one or more commands for one organization');
    const map = options.map ?? (await this.administrativeUnits.map());
    const today = todayInVietnam(context.now);
    // A registration names a new id: only an existing organization can be held back by the read side.
    if (this.refuseIfQuarantined && first.type !== 'RegisterOrganization') {
      await this.refuseIfQuarantined(first.organizationId, (provinceCode) =>
        authorize(first, context, map, today, provinceCode !== null ? { units: recordedUnits(map, provinceCode, today), seat: `province ${provinceCode}` } : null),
      );
    }
    const specs = commands.map((command) => this.spec(command, context, map, today));
    const spec: CommandSpec = {
      ...specs[0]!,
      authorize: (history) => specs[0]!.authorize(history),
      decide: async (history): Promise<Decision> => {
        let folded = foldRecorded(history);
        const facts: Decision['facts'] = [];
        const reservations: NonNullable<Decision['reservations']> = [];
        for (const [index, command] of commands.entries()) {
          let decided: OrganizationEvent[];
          try {
            if (facts.length > 0) authorize(command, context, map, today, seatOfCommand(command, folded, map, today));
            const others = await this.loadHistories(referencedOrganizationIds(command));
            decided = decide(command, folded, { today, others, map });
          } catch (refusal) {
            // Which command of the batch was refused (an import names the row's column by it).
            if (refusal instanceof Error) Object.assign(refusal, { commandIndex: index });
            throw refusal;
          }
          folded = decided.reduce<OrganizationHistory | null>(evolve, folded);
          facts.push(...decided);
          if (command.type === 'RegisterOrganization') {
            const number = normalizeRegistrationNumber(command.registrationNumber);
            reservations.push({ streamId: registrationNumberStreamId(number), type: REGISTRATION_NUMBER_RESERVED, data: { registrationNumber: number, organizationId: command.organizationId } });
          }
        }
        return { facts, reservations };
      },
    };
    if (!options.dryRun) return decideAndAppend(this.store, spec, context);
    const history = await this.store.readStream(spec.streamId);
    spec.authorize(history);
    await spec.decide(history);
    return null;
  }

  private spec(command: OrganizationCommandSent, context: CommandContext, map: AdministrativeMap, today: LocalDate): CommandSpec {
    // Authorization and decision judge the same history: fold it once.
    const folds = new WeakMap<RecordedEvent[], OrganizationHistory | null>();
    const fold = (history: RecordedEvent[]) => {
      if (!folds.has(history)) folds.set(history, foldRecorded(history));
      return folds.get(history)!;
    };
    // Normalized only once `decide` has accepted it (before that it may be anything a caller sent).
    const registrationNumber = () => (command.type === 'RegisterOrganization' ? normalizeRegistrationNumber(command.registrationNumber) : null);
    return {
      id: command.organizationId,
      streamId: organizationStreamId(command.organizationId),
      schemaVersions: { ...ORGANIZATION_EVENT_SCHEMA_VERSIONS, [REGISTRATION_NUMBER_RESERVED]: 1 },
      // For a union's membership the seat is the union's: the union owns it.
      authorize: (history) => authorize(command, context, map, today, seatOfCommand(command, fold(history), map, today)),
      decide: async (history): Promise<Decision> => {
        const decided: OrganizationCommand = command.type === 'CorrectRecord' ? withRetractedRevision(command, history) : command;
        const others = await this.loadHistories(referencedOrganizationIds(decided));
        const facts = decide(decided, fold(history), { today, others, map });
        const number = registrationNumber();
        if (number === null) return { facts };
        // The reservation goes first: on EventStoreDB a crash after it leaves a reservation that verify reports.
        const reservation = { streamId: registrationNumberStreamId(number), type: REGISTRATION_NUMBER_RESERVED, data: { registrationNumber: number, organizationId: command.organizationId } };
        return { facts, reservations: [reservation] };
      },
      onReservationTaken: () => DomainError.conflict('REGISTRATION_NUMBER_TAKEN', `registration number ${registrationNumber()} is already taken (numbers are never reused)`),
    };
  }

  private async loadHistories(ids: string[]): Promise<Map<string, OrganizationHistory | null>> {
    const entries = await Promise.all(ids.map(async (id) => [id, foldRecorded(await this.store.readStream(organizationStreamId(id)))] as const));
    return new Map(entries);
  }
}

/** Where a command writes, for authorization: the units its seat lies in on the command's date, and how to name it. */
interface SeatClaim {
  units: string[];
  seat: string;
}

/**
 * The application's own authorization (api.md, "Authentication"). Auditors and
 * admins correct any province's records: the role decides, not the province.
 * `seat` null: none known yet (an id with no stream: the decision answers 404).
 */
function authorize(command: OrganizationCommandSent, context: CommandContext, map: AdministrativeMap, today: LocalDate, seat: SeatClaim | null): void {
  if (command.type === 'CorrectRecord') return requirePermission(context.principal, 'corrections:write');
  requirePermission(context.principal, 'organizations:write');
  if (seat !== null) requireSeatInTerritory(context.principal, map, today, seat.units, seat.seat);
}

/**
 * The seat a command writes for, on its effective date (api.md: a token covers an organization
 * whose seat on the command's effective date lies in its territory): a registration's new seat, a
 * relocation's destination, otherwise the organization's recorded seat (a union's for its
 * membership). Judged before the decision, so a date or code the decision will refuse still names
 * a seat here: an invalid date reads as today, a date before registration as the registration's seat.
 */
function seatOfCommand(command: OrganizationCommandSent, history: OrganizationHistory | null, map: AdministrativeMap, today: LocalDate): SeatClaim | null {
  if (command.type === 'CorrectRecord') return null;
  if (command.type === 'RegisterOrganization') return namedSeat(map, command, dateOr(command.registeredOn, today));
  if (command.type === 'RelocateOrganization') return namedSeat(map, command, dateOr(command.effectiveOn, today));
  if (history === null) return null;
  const date = dateOr(command.type === 'RateOrganization' ? command.ratedOn : command.effectiveOn, today);
  const seat = seatOn(history, date < history.registeredOn ? history.registeredOn : date)!;
  return { units: [seat.unit], seat: `organization ${history.id}, seated in ${describeUnit(map, seat.unit, date)} on ${date}` };
}

/** The units a seat named by a command lies in on `date`: the former province where it names one of the code's, else the code's whole territory. */
function namedSeat(map: AdministrativeMap, seat: { provinceCode: unknown; formerProvinceCode?: unknown }, date: LocalDate): SeatClaim {
  const code = typeof seat.provinceCode === 'string' ? seat.provinceCode : '';
  const former = typeof seat.formerProvinceCode === 'string' ? seat.formerProvinceCode : null;
  const name = `province ${code}${former ? ` (former ${former})` : ''} on ${date}`;
  if (!map.isKnownProvinceCode(code)) return { units: [], seat: name };
  const units = map.unitsOf(code, date);
  if (units === null) return { units: recordedUnits(map, code, date), seat: name };
  return { units: former !== null && units.includes(former) ? [former] : units, seat: name };
}

/** A code as a record holds it: a first-map code is a unit itself (also after it ended); a later code, its territory on `date`. */
function recordedUnits(map: AdministrativeMap, code: string, date: LocalDate): string[] {
  return map.unitsOf(code, FIRST_MAP_DATE) ?? map.unitsOf(code, date) ?? [];
}

/** A date on the first map (before any reorganization): a first-map code is in force on it. */
const FIRST_MAP_DATE = '1900-01-01';

function describeUnit(map: AdministrativeMap, unit: string, date: LocalDate): string {
  // A record from before codes were checked against the map may hold a code that names no province.
  if (map.unitsOf(unit, FIRST_MAP_DATE) === null) return `province ${unit}`;
  const province = map.provinceOfUnit(unit, date);
  return province.code === unit && province.predecessors.length === 1 ? `province ${unit}` : `province ${province.code} (former ${unit})`;
}

function dateOr(value: unknown, today: LocalDate): LocalDate {
  return isValidLocalDate(value) ? (value as LocalDate) : today;
}

/** The organizations whose streams a command may write: its own, and the cooperative of a membership change. */
function streamsWritten(command: OrganizationCommandSent): string[] {
  return command.type === 'JoinUnion' || command.type === 'LeaveUnion' ? [command.organizationId, command.cooperativeId] : [command.organizationId];
}

/** A correction names the event by its id; the domain judges it by its place in the stream. */
function withRetractedRevision(command: Omit<CorrectRecord, 'retractedRevision'>, history: RecordedEvent[]): CorrectRecord {
  const revision = history.findIndex((event) => event.metadata.eventId === command.retractedEventId);
  if (revision < 0) {
    throw DomainError.notFound('EVENT_NOT_FOUND', `no event ${command.retractedEventId} in the history of organization ${command.organizationId}`);
  }
  return { ...command, retractedRevision: revision };
}

/** Stored events, lifted to the current schemas (the domain only knows those) and folded. */
export function foldRecorded(events: RecordedEvent[]): OrganizationHistory | null {
  // The one place stored data becomes a typed event: what the store holds was appended by this path.
  return foldHistory(events.map((event) => upcast({ ...event, schemaVersion: event.metadata.schemaVersion }) as OrganizationEvent));
}
