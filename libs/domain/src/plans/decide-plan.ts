import { assertNever } from '../common/assert-never';
import { decideAdoption } from './adoption/adopt-plan';
import { decideAmendment } from './amendment/amend-plan';
import { decideEnd } from './end/end-plan';
import type { PlanCommand } from './plan.commands';
import type { PlanEvent } from './plan.events';
import type { PlanDecisionContext } from './plan-decision-context';
import type { PlanHistory } from './plan.history';

export function decidePlan(command: PlanCommand, history: PlanHistory | null, context: PlanDecisionContext): PlanEvent[] {
  switch (command.type) {
    case 'AdoptPlan':
      return decideAdoption(command, history, context);
    case 'AmendPlan':
      return decideAmendment(command, history, context);
    case 'EndPlan':
      return decideEnd(command, history, context);
    default:
      return assertNever(command);
  }
}
