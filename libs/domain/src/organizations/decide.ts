import { assertNever } from '../common/assert-never';
import { isCanonicalUuid } from '../common/identity';
import type { DecisionContext } from './decision-context';
import { decideDissolution } from './dissolution/dissolve-organization';
import { decideDormancy } from './dormancy/find-organization-dormant';
import { decideMemberCountChange } from './membership/change-member-count';
import type { OrganizationCommand } from './organization.commands';
import type { OrganizationEvent } from './organization.events';
import type { OrganizationHistory } from './organization.history';
import { decideProfileChange } from './profile/change-profile';
import { decideRating } from './rating/rate-organization';
import { decideRegistration } from './registration/register-organization';
import { decideResumption } from './resumption/resume-organization';
import { decideSuspension } from './suspension/suspend-organization';
import { decideJoin } from './union-membership/join-union';
import { decideLeave } from './union-membership/leave-union';
import { decideCorrection } from './correction/correct-record';
import { decideRelocation } from './relocation/relocate-organization';

/** One use case's decision: what its command adds to the organization's stream, or a DomainError. */
type Decision<Command extends OrganizationCommand> = (
  command: Command,
  history: OrganizationHistory | null,
  context: DecisionContext,
) => OrganizationEvent[];

/** The use case of each command type; a command type without one does not compile. */
const DECISIONS: { [Type in OrganizationCommand['type']]: Decision<Extract<OrganizationCommand, { type: Type }>> } = {
  RegisterOrganization: decideRegistration,
  RateOrganization: decideRating,
  ChangeMemberCount: decideMemberCountChange,
  ChangeProfile: decideProfileChange,
  SuspendOrganization: decideSuspension,
  FindOrganizationDormant: decideDormancy,
  ResumeOrganization: decideResumption,
  DissolveOrganization: decideDissolution,
  JoinUnion: decideJoin,
  LeaveUnion: decideLeave,
  RelocateOrganization: decideRelocation,
  CorrectRecord: (command, history, context) => decideCorrection(command, history, context, decide),
};

/**
 * Pure: what the command adds to the organization's stream, or a DomainError.
 * Checks come in tiers: the request alone (400), then existence (404), then
 * what the recorded history forbids (409).
 */
export function decide(
  command: OrganizationCommand,
  history: OrganizationHistory | null,
  context: DecisionContext,
): OrganizationEvent[] {
  // The table's type pairs each entry with its command type; TypeScript cannot follow that pairing through the lookup.
  const decision = DECISIONS[command.type] as Decision<OrganizationCommand>;
  return decision(command, history, context);
}

/**
 * The other organizations whose histories `decide` consults, for the handler
 * to load into `context.others`: a union's founding cooperatives, and a
 * joining cooperative. A leave is judged on the union's history alone.
 */
export function referencedOrganizationIds(command: OrganizationCommand): string[] {
  // An id that is not a canonical UUID names no stream: `decide` refuses it, naming its field.
  return referencedIds(command).filter(isCanonicalUuid);
}

function referencedIds(command: OrganizationCommand): unknown[] {
  switch (command.type) {
    case 'RegisterOrganization':
      return command.kind === 'union' && Array.isArray(command.memberCooperativeIds) ? [...new Set(command.memberCooperativeIds)] : [];
    case 'JoinUnion':
      return [command.cooperativeId];
    case 'RateOrganization':
    case 'ChangeMemberCount':
    case 'ChangeProfile':
    case 'SuspendOrganization':
    case 'FindOrganizationDormant':
    case 'ResumeOrganization':
    case 'DissolveOrganization':
    case 'LeaveUnion':
    case 'RelocateOrganization':
      return [];
    case 'CorrectRecord': {
      // A replacement join names a cooperative whose history the rules consult.
      return [command.replacement?.cooperativeId];
    }
    default:
      return assertNever(command);
  }
}
