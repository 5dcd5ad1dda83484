import { invalid, requirePastOrToday } from '../../common/validation';
import type { DecisionContext } from '../decision-context';
import type { ChangeProfile } from '../organization.commands';
import type { ProfileChanged } from '../organization.events';
import { requireExistsOn, requireFlag, requireHistory, requireManagers } from '../organization.guards';
import type { OrganizationHistory } from '../organization.history';
import { PROFILE_FLAG_NAMES } from '../organization.types';

/** Accepted for every kind; each metric uses the flags where it defines them (domain.md). */
export function decideProfileChange(
  command: ChangeProfile,
  history: OrganizationHistory | null,
  { today }: DecisionContext,
): ProfileChanged[] {
  validateProfileChange(command, today);
  const organization = requireHistory(history, command.organizationId);
  requireExistsOn(organization, command.effectiveOn, 'The profile change');
  return [{ type: 'ProfileChanged', data: profileData(command) }];
}

function validateProfileChange(command: ChangeProfile, today: string): void {
  requirePastOrToday(command.effectiveOn, 'effectiveOn', today);
  const given = PROFILE_FLAG_NAMES.filter((flag) => command[flag] !== undefined);
  if (command.managers === undefined && given.length === 0) {
    throw invalid('', `Give at least one of managers, ${PROFILE_FLAG_NAMES.join(', ')}`);
  }
  if (command.managers !== undefined && command.managers !== null) requireManagers(command.managers);
  for (const flag of given) requireFlag(command[flag], flag);
}

/** Only the fields given are carried: the others keep their values; a null sets its field back to unknown. */
function profileData(command: ChangeProfile): ProfileChanged['data'] {
  const data: ProfileChanged['data'] = { organizationId: command.organizationId, effectiveOn: command.effectiveOn };
  if (command.managers !== undefined) {
    data.managers = command.managers === null ? null : { total: command.managers.total, withDegree: command.managers.withDegree };
  }
  for (const flag of PROFILE_FLAG_NAMES) {
    if (command[flag] !== undefined) data[flag] = command[flag];
  }
  return data;
}
