// Types only: @nestjs/cqrs 12 is ESM only and the cli and jest load this library as CommonJS; apps/api registers the handlers.
import type { ICommand, ICommandHandler } from '@nestjs/cqrs';
import {
  ADMINISTRATIVE_UNITS_EVENT_SCHEMA_VERSIONS,
  administrativeUnitsStreamId,
  decideReorganization,
  type AdministrativeUnitsEvent,
  type ReorganizeProvinces,
} from '@ktt/domain';
import type { EventStore, RecordedEvent } from '@ktt/event-store';
import type { CommandContext, CommandResult } from '../commands/command-context';
import { decideAndAppend } from '../commands/decide-and-append';
import { requirePermission } from '../commands/authorization';

/** The provinces of the first map: in force on every date before the first reorganization. */
export type FirstMap = readonly { code: string; name: string }[];

/** The command bus's message for a reorganization of the map: the command and who sends it. */
export class ReorganizeProvincesMessage implements ICommand {
  constructor(
    readonly command: ReorganizeProvinces,
    readonly context: CommandContext,
  ) {}
}

/** A reorganization of the map is an event of the `administrative-units` stream (domain.md, "Administrative units"). */
export class AdministrativeUnitsCommandHandler implements ICommandHandler<ReorganizeProvincesMessage, CommandResult> {
  constructor(
    private readonly store: EventStore,
    private readonly first: FirstMap,
  ) {}

  execute({ command, context }: Pick<ReorganizeProvincesMessage, 'command' | 'context'>): Promise<CommandResult> {
    const streamId = administrativeUnitsStreamId();
    return decideAndAppend(
      this.store,
      {
        id: streamId,
        streamId,
        schemaVersions: ADMINISTRATIVE_UNITS_EVENT_SCHEMA_VERSIONS,
        authorize: () => requirePermission(context.principal, 'administrative-units:write'),
        decide: async (history) => ({ facts: decideReorganization(command, this.first, recordedReorganizations(history)) }),
      },
      context,
    );
  }
}

export function recordedReorganizations(events: readonly RecordedEvent[]): AdministrativeUnitsEvent[] {
  return events.map((event) => ({ type: event.type, data: event.data }) as AdministrativeUnitsEvent);
}
