import { DomainError } from '../../common/domain-error';
import type { LocalDate } from '../../common/local-date';
import { LIMITS } from '../../common/limits';
import { invalid, requirePastOrToday, requireText } from '../../common/validation';
import type { AmendPlan } from '../plan.commands';
import type { PlanAmended } from '../plan.events';
import { validateOptionalText, validateTargets } from '../plan.guards';
import type { PlanDecisionContext } from '../plan-decision-context';
import { conflict } from '../end/end-plan';
import type { PlanHistory } from '../plan.history';

/**
 * An amendment may be dated before the plan's adoption: that is how a
 * placeholder adoption date is corrected. `targets: []` withdraws every target
 * from the amendment's date on.
 */
export function decideAmendment(command: AmendPlan, history: PlanHistory | null, { today }: PlanDecisionContext): PlanAmended[] {
  const texts = validateAmendment(command, today);
  if (history === null) throw DomainError.notFound('PLAN_NOT_FOUND', `Plan ${command.planId} is not adopted`);
  // An ended plan is history: a change effective from its end on would change nothing in force.
  if (history.end !== null && command.effectiveOn >= history.end.effectiveOn) {
    throw conflict('PLAN_ENDED', 'effectiveOn', `Plan ${command.planId} ended on ${history.end.effectiveOn}`);
  }
  return [{ type: 'PlanAmended', data: amendmentData({ ...command, ...texts }) }];
}

function validateAmendment(command: AmendPlan, today: LocalDate): Pick<AmendPlan, 'reason' | 'document'> {
  requirePastOrToday(command.effectiveOn, 'effectiveOn', today);
  const reason = requireText(command.reason, 'reason', { max: LIMITS.text.planReason, multiline: true });
  if (command.targets === undefined && command.adoptedOn === undefined && command.document === undefined) {
    throw invalid('', 'An amendment gives at least one of targets, adoptedOn, document');
  }
  if (command.targets !== undefined) validateTargets(command.targets, { allowEmpty: true });
  if (command.adoptedOn !== undefined) requirePastOrToday(command.adoptedOn, 'adoptedOn', today);
  return { reason, document: validateOptionalText(command.document, 'document', { max: LIMITS.text.planDocument }) };
}

/** Only the fields given are carried. */
function amendmentData(command: AmendPlan): PlanAmended['data'] {
  const data: PlanAmended['data'] = { planId: command.planId, effectiveOn: command.effectiveOn, reason: command.reason };
  if (command.targets !== undefined) data.targets = command.targets.map((target) => ({ ...target }));
  if (command.adoptedOn !== undefined) data.adoptedOn = command.adoptedOn;
  if (command.document !== undefined) data.document = command.document;
  return data;
}
