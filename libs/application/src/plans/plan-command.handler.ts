// Types only: @nestjs/cqrs 12 is ESM only and the cli and jest load this library as CommonJS; apps/api registers the handlers.
import type { ICommand, ICommandHandler } from '@nestjs/cqrs';
import {
  decidePlan,
  foldPlanHistory,
  isPlanId,
  PLAN_EVENT_SCHEMA_VERSIONS,
  planStreamId,
  todayInVietnam,
  type PlanCommand,
  type PlanEvent,
  type PlanHistory,
} from '@ktt/domain';
import type { EventStore, RecordedEvent } from '@ktt/event-store';
import type { CommandContext, CommandResult } from '../commands/command-context';
import { decideAndAppend } from '../commands/decide-and-append';
import { requirePermission } from '../commands/authorization';
import { AdministrativeUnits, firstMapOf, readAdministrativeUnitsReference } from '../administrative-units/administrative-units';
import { PROJECT_DATA_DIR } from '../administrative-units/load-administrative-map';

/** The command bus's message for every plan command: the command and who sends it. */
export class PlanCommandMessage implements ICommand {
  constructor(
    readonly command: PlanCommand,
    readonly context: CommandContext,
  ) {}
}

/** Plans are history too: adopting or amending one is an event (domain.md, "Targets"). */
export class PlanCommandHandler implements ICommandHandler<PlanCommandMessage, CommandResult> {
  private readonly administrativeUnits: AdministrativeUnits;

  /** `administrativeUnits`: the map as recorded (a plan's province must be in force on its adoption date); by default the one of `store`. */
  constructor(
    private readonly store: EventStore,
    administrativeUnits?: AdministrativeUnits,
  ) {
    this.administrativeUnits = administrativeUnits ?? new AdministrativeUnits(store, firstMapOf(readAdministrativeUnitsReference(PROJECT_DATA_DIR)));
  }

  execute({ command, context }: Pick<PlanCommandMessage, 'command' | 'context'>): Promise<CommandResult> {
    return decideAndAppend(
      this.store,
      {
        id: command.planId,
        streamId: planStreamId(command.planId),
        schemaVersions: PLAN_EVENT_SCHEMA_VERSIONS,
        authorize: () => requirePermission(context.principal, 'plans:write'),
        decide: async (history) => ({
          facts: decidePlan(command, foldRecordedPlan(history), {
            today: todayInVietnam(context.now),
            map: await this.administrativeUnits.map(),
            supersedingPlan: await this.supersedingPlan(command),
          }),
        }),
      },
      context,
    );
  }

  /** A plan is superseded only by an adopted plan: read its stream (an invalid id is refused by the decision). */
  private async supersedingPlan(command: PlanCommand): Promise<PlanHistory | null | undefined> {
    if (command.type !== 'EndPlan' || !command.supersededBy || !isPlanId(command.supersededBy)) return undefined;
    return foldRecordedPlan(await this.store.readStream(planStreamId(command.supersededBy)));
  }
}

export function foldRecordedPlan(events: RecordedEvent[]): PlanHistory | null {
  return foldPlanHistory(events.map((event) => ({ type: event.type, data: event.data }) as PlanEvent));
}
