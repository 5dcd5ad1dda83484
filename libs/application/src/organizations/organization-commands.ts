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
import { decideAndAppend } from '../commands/decide-and-append';
import { requirePermission, requireProvince } from '../commands/authorization';

export const REGISTRATION_NUMBER_RESERVED = 'RegistrationNumberReserved';

/** Handles every organization command: load, fold, decide, append. */
export class OrganizationCommands {
  constructor(private readonly store: EventStore) {}

  execute(command: OrganizationCommand, context: CommandContext): Promise<CommandResult> {
    const streamId = organizationStreamId(command.organizationId);
    // Authorization and decision judge the same history: fold it once.
    const folds = new WeakMap<RecordedEvent[], OrganizationHistory | null>();
    const fold = (history: RecordedEvent[]) => {
      if (!folds.has(history)) folds.set(history, foldRecorded(history));
      return folds.get(history)!;
    };
    return decideAndAppend(
      this.store,
      {
        id: command.organizationId,
        streamId,
        schemaVersions: { ...ORGANIZATION_EVENT_SCHEMA_VERSIONS, [REGISTRATION_NUMBER_RESERVED]: 1 },
        authorize: (history) => {
          // Auditors and admins correct any province's records: the role decides, not the province.
          if (command.type === 'CorrectRecord') return requirePermission(context.principal, 'corrections:write');
          requirePermission(context.principal, 'organizations:write');
          // For a union's membership this is the union's province: the union owns it.
          const province = command.type === 'RegisterOrganization' ? command.provinceCode : fold(history)?.registration.provinceCode;
          if (province !== undefined) requireProvince(context.principal, province);
        },
        decide: async (history) => {
          const folded = fold(history);
          const decided = command.type === 'CorrectRecord' ? withRetractedRevision(command, history) : command;
          const others = await this.loadHistories(referencedOrganizationIds(command));
          const facts = decide(decided, folded, {
            today: todayInVietnam(context.now),
            others,
          });
          if (command.type !== 'RegisterOrganization') return { facts };
          const registrationNumber = normalizeRegistrationNumber(command.registrationNumber);
          return {
            facts,
            // The reservation goes first: on EventStoreDB a crash after it leaves a reservation that verify reports.
            reservations: [
              {
                streamId: registrationNumberStreamId(registrationNumber),
                type: REGISTRATION_NUMBER_RESERVED,
                data: { registrationNumber, organizationId: command.organizationId },
              },
            ],
          };
        },
        onReservationTaken: () =>
          DomainError.conflict(
            'REGISTRATION_NUMBER_TAKEN',
            `registration number ${normalizeRegistrationNumber((command as { registrationNumber: string }).registrationNumber)} is already taken (numbers are never reused)`,
          ),
      },
      context,
    );
  }

  private async loadHistories(ids: string[]): Promise<Map<string, OrganizationHistory | null>> {
    const entries = await Promise.all(
      ids.map(async (id) => [id, foldRecorded(await this.store.readStream(organizationStreamId(id)))] as const),
    );
    return new Map(entries);
  }
}

/** A correction names the event by its id; the domain judges it by its place in the stream. */
function withRetractedRevision(command: CorrectRecord, history: RecordedEvent[]): CorrectRecord {
  const revision = history.findIndex((event) => event.metadata.eventId === command.retractedEventId);
  if (revision < 0) {
    throw DomainError.notFound('EVENT_NOT_FOUND', `no event ${command.retractedEventId} in the history of organization ${command.organizationId}`);
  }
  return { ...command, retractedRevision: revision };
}

export function foldRecorded(events: RecordedEvent[]): OrganizationHistory | null {
  // Stored shapes are lifted to the current ones: the domain only knows current schemas.
  return foldHistory(events.map((event) => upcast({ ...event, schemaVersion: event.metadata.schemaVersion }) as OrganizationEvent));
}
