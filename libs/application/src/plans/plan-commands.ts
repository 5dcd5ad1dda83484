import {
  decidePlan,
  foldPlanHistory,
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

/** Plans are history too: adopting or amending one is an event (domain.md, "Targets"). */
export class PlanCommands {
  constructor(private readonly store: EventStore) {}

  execute(command: PlanCommand, context: CommandContext): Promise<CommandResult> {
    return decideAndAppend(
      this.store,
      {
        id: command.planId,
        streamId: planStreamId(command.planId),
        schemaVersions: PLAN_EVENT_SCHEMA_VERSIONS,
        authorize: () => requirePermission(context.principal, 'plans:write'),
        decide: async (history) => ({
          facts: decidePlan(command, foldRecordedPlan(history), { today: todayInVietnam(context.now) }),
        }),
      },
      context,
    );
  }
}

export function foldRecordedPlan(events: RecordedEvent[]): PlanHistory | null {
  return foldPlanHistory(events.map((event) => ({ type: event.type, data: event.data }) as PlanEvent));
}
