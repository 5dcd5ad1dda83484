import { DomainError } from '../../common/domain-error';
import type { LocalDate } from '../../common/local-date';
import { invalid, requirePastOrToday, requireText } from '../../common/validation';
import type { AdoptPlan } from '../plan.commands';
import type { PlanAdopted } from '../plan.events';
import { validateOptionalText, validateTargets } from '../plan.guards';
import type { PlanHistory } from '../plan.history';

const PLAN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Plans are adopted by the province; the registry records them (the admin enters them). */
export function decideAdoption(
  command: AdoptPlan,
  history: PlanHistory | null,
  { today }: { today: LocalDate },
): PlanAdopted[] {
  validateAdoption(command, today);
  if (history !== null) throw DomainError.conflict('PLAN_EXISTS', `Plan ${command.planId} is already adopted`);
  return [{ type: 'PlanAdopted', data: adoptionData(command) }];
}

function validateAdoption(command: AdoptPlan, today: LocalDate): void {
  if (!PLAN_ID.test(command.planId ?? '')) throw invalid('id', 'id must be 1–128 letters, digits, ".", "_" or "-"');
  if (!/^\d{2}$/.test(command.provinceCode ?? '')) throw invalid('provinceCode', 'provinceCode must be two digits');
  requireText(command.title, 'title', 2000);
  requireText(command.issuer, 'issuer', 500);
  requirePastOrToday(command.adoptedOn, 'adoptedOn', today);
  validateOptionalText(command.document, 'document');
  validateOptionalText(command.source, 'source');
  validateOptionalText(command.note, 'note');
  validateTargets(command.targets, { allowEmpty: false });
}

function adoptionData(command: AdoptPlan): PlanAdopted['data'] {
  return {
    planId: command.planId,
    provinceCode: command.provinceCode,
    document: command.document ?? null,
    title: command.title.normalize('NFC').trim(),
    issuer: command.issuer.normalize('NFC').trim(),
    adoptedOn: command.adoptedOn,
    source: command.source ?? null,
    note: command.note ?? null,
    targets: command.targets.map((target) => ({ ...target })),
    effectiveOn: command.adoptedOn,
  };
}
