import { DomainError } from '../../common/domain-error';
import type { LocalDate } from '../../common/local-date';
import { LIMITS } from '../../common/limits';
import { invalid, requirePastOrToday, requireText } from '../../common/validation';
import type { AdoptPlan } from '../plan.commands';
import type { PlanAdopted } from '../plan.events';
import { validateOptionalText, validateTargets } from '../plan.guards';
import type { PlanDecisionContext } from '../plan-decision-context';
import type { PlanHistory } from '../plan.history';
import { isPlanId } from '../plan.types';

/** Plans are adopted by the province; the registry records them (the admin enters them). */
export function decideAdoption(command: AdoptPlan, history: PlanHistory | null, { today, map }: PlanDecisionContext): PlanAdopted[] {
  const data = validateAdoption(command, today);
  // The plan binds to the adopting province's territory on its adoption date: a code that never
  // named a province is 400, one not in force that day (89 in 2026) is 409 naming its successor.
  map.requireKnownProvinceCode(data.provinceCode, 'provinceCode');
  if (map.unitsOf(data.provinceCode, data.adoptedOn) === null) throw map.notInForce(data.provinceCode, data.adoptedOn, 'conflict');
  if (history !== null) throw DomainError.conflict('PLAN_EXISTS', `Plan ${command.planId} is already adopted`);
  return [{ type: 'PlanAdopted', data }];
}

/** The plan's fields checked by the domain's limits, and recorded as normalised. */
function validateAdoption(command: AdoptPlan, today: LocalDate): PlanAdopted['data'] {
  if (!isPlanId(command.planId)) throw invalid('id', 'id must be 1–100 lower-case letters, digits and "-"');
  if (!/^\d{2}$/.test(command.provinceCode ?? '')) throw invalid('provinceCode', 'provinceCode must be two digits');
  const text = LIMITS.text;
  const title = requireText(command.title, 'title', { max: text.planTitle });
  const issuer = requireText(command.issuer, 'issuer', { max: text.planIssuer });
  requirePastOrToday(command.adoptedOn, 'adoptedOn', today);
  const document = validateOptionalText(command.document, 'document', { max: text.planDocument }) ?? null;
  const source = validateOptionalText(command.source, 'source', { max: text.planSource }) ?? null;
  const note = validateOptionalText(command.note, 'note', { max: text.planNote, multiline: true }) ?? null;
  validateTargets(command.targets, { allowEmpty: false });
  return {
    planId: command.planId,
    provinceCode: command.provinceCode,
    document,
    title,
    issuer,
    adoptedOn: command.adoptedOn,
    source,
    note,
    targets: command.targets.map((target) => ({ ...target })),
    effectiveOn: command.adoptedOn,
  };
}
