// Types only: @nestjs/cqrs 12 is ESM only and the cli and jest load this library as CommonJS; apps/api registers the handlers.
import type { ICommand, ICommandHandler } from '@nestjs/cqrs';
import {
  decide,
  DomainError,
  foldHistory,
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
import type { EventStore, RecordedEvent } from '@ktt/event-store';
import type { CommandContext, CommandResult } from '../commands/command-context';
import { decideAndAppend, type CommandSpec, type Decision } from '../commands/decide-and-append';
import { requirePermission, requireProvince } from '../commands/authorization';

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
  constructor(
    private readonly store: EventStore,
    private readonly refuseIfQuarantined?: QuarantineCheck,
  ) {}

  async execute({ command, context }: Pick<OrganizationCommandMessage, 'command' | 'context'>): Promise<CommandResult> {
    if (this.refuseIfQuarantined) {
      // A union's membership is judged by the union's province: the cooperative's stream is checked, not its province.
      for (const id of streamsWritten(command)) {
        await this.refuseIfQuarantined(id, (provinceCode) => authorize(command, context, id === command.organizationId ? provinceCode : null));
      }
    }
    return decideAndAppend(this.store, this.spec(command, context), context);
  }

  private spec(command: OrganizationCommandSent, context: CommandContext): CommandSpec {
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
      // For a union's membership the province is the union's: the union owns it.
      authorize: (history) =>
        authorize(command, context, command.type === 'RegisterOrganization' ? command.provinceCode : (fold(history)?.registration.provinceCode ?? null)),
      decide: async (history): Promise<Decision> => {
        const decided: OrganizationCommand = command.type === 'CorrectRecord' ? withRetractedRevision(command, history) : command;
        const others = await this.loadHistories(referencedOrganizationIds(decided));
        const facts = decide(decided, fold(history), { today: todayInVietnam(context.now), others });
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

/**
 * The application's own authorization (api.md, "Authentication"). Auditors and
 * admins correct any province's records: the role decides, not the province.
 * `provinceCode` null: none known yet (an id with no stream: the decision answers 404).
 */
function authorize(command: OrganizationCommandSent, context: CommandContext, provinceCode: string | null): void {
  if (command.type === 'CorrectRecord') return requirePermission(context.principal, 'corrections:write');
  requirePermission(context.principal, 'organizations:write');
  if (provinceCode !== null) requireProvince(context.principal, provinceCode);
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
