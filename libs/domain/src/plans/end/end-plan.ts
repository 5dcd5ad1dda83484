import { DomainError, type ConflictCode } from '../../common/domain-error';
import type { LocalDate } from '../../common/local-date';
import { LIMITS } from '../../common/limits';
import { invalid, requirePastOrToday, requireText } from '../../common/validation';
import type { EndPlan } from '../plan.commands';
import type { PlanEnded } from '../plan.events';
import { validateOptionalText } from '../plan.guards';
import type { PlanDecisionContext } from '../plan-decision-context';
import { planInForceFrom, type PlanHistory } from '../plan.history';
import { isPlanId } from '../plan.types';

/**
 * A plan ends by an event (domain.md, "A plan ends when an event ends it"):
 * repealed, or superseded by a named plan that is adopted. It ends once; an
 * end before the plan was in force would erase it rather than end it.
 */
export function decideEnd(command: EndPlan, history: PlanHistory | null, context: PlanDecisionContext): PlanEnded[] {
  const data = validateEnd(command, context.today);
  if (history === null) throw DomainError.notFound('PLAN_NOT_FOUND', `Plan ${command.planId} is not adopted`);
  if (history.end !== null) {
    throw conflict('PLAN_ENDED', 'effectiveOn', `Plan ${command.planId} already ended on ${history.end.effectiveOn}`);
  }
  const inForceFrom = planInForceFrom(history);
  if (data.effectiveOn < inForceFrom) {
    throw conflict('BEFORE_ADOPTION', 'effectiveOn', `Plan ${command.planId} is in force from ${inForceFrom}; it cannot end before`);
  }
  if (data.supersededBy !== null && !context.supersedingPlan) {
    throw conflict('SUPERSEDING_PLAN_NOT_ADOPTED', 'supersededBy', `Plan ${data.supersededBy} is not adopted`);
  }
  return [{ type: 'PlanEnded', data }];
}

function validateEnd(command: EndPlan, today: LocalDate): PlanEnded['data'] {
  requirePastOrToday(command.effectiveOn, 'effectiveOn', today);
  const reason = requireText(command.reason, 'reason', { max: LIMITS.text.planReason, multiline: true });
  const supersededBy = command.supersededBy ?? null;
  if (supersededBy !== null) {
    if (!isPlanId(supersededBy)) throw invalid('supersededBy', 'supersededBy must be a plan id: 1–100 lower-case letters, digits and "-"');
    if (supersededBy === command.planId) throw invalid('supersededBy', 'A plan cannot supersede itself');
  }
  const document = validateOptionalText(command.document ?? null, 'document', { max: LIMITS.text.planDocument });
  return { planId: command.planId, effectiveOn: command.effectiveOn, reason, supersededBy, document };
}

/** A 409 that names the field the recorded history refuses. */
export function conflict(code: ConflictCode, path: string, message: string): DomainError {
  return new DomainError('conflict', code, message, [{ path, message }]);
}
