import { DomainError } from '../../common/domain-error';
import { LIMITS } from '../../common/limits';
import { invalid, requireId, requireOneOf, requirePastOrToday, requireInteger, requireText } from '../../common/validation';
import type { DecisionContext } from '../decision-context';
import { otherHistory } from '../decision-context';
import type { RegisterOrganization } from '../organization.commands';
import type { OrganizationRegistered } from '../organization.events';
import { requireCooperativeOn, requireFlag, requireManagers } from '../organization.guards';
import type { OrganizationHistory } from '../organization.history';
import {
  MINIMUM_FOUNDING_COOPERATIVES,
  MINIMUM_MEMBERS,
  ORGANIZATION_KINDS,
  PROFILE_FLAG_NAMES,
  SECTORS,
} from '../organization.types';
import { judgeSeatOn, validateSeat, type JudgedSeat } from '../seat';
import { normalizeName, normalizeRegistrationNumber, requireRegistrationNumber } from './registration-number';

export function decideRegistration(
  command: RegisterOrganization,
  history: OrganizationHistory | null,
  context: DecisionContext,
): OrganizationRegistered[] {
  validateRegistration(command, context);
  if (history !== null) {
    throw DomainError.conflict('ID_TAKEN', `An organization with id ${command.organizationId} is already registered`);
  }
  // The seat on the map of the registration date (domain.md, "Administrative units").
  const seat = judgeSeatOn(context.map, command, command.registeredOn);
  const founders = command.kind === 'union' ? (command.memberCooperativeIds ?? []) : [];
  for (const id of founders) requireCooperativeOn(otherHistory(context, id), id, command.registeredOn);
  return [registrationEvent(command, founders, seat)];
}

function validateRegistration(command: RegisterOrganization, { today, map }: DecisionContext): void {
  requireId(command.organizationId, 'id');
  requireOneOf(command.kind, ORGANIZATION_KINDS, 'kind');
  requireOneOf(command.sector, SECTORS, 'sector');
  requireText(command.name, 'name', { max: LIMITS.text.name });
  if (typeof command.registrationNumber !== 'string') throw invalid('registrationNumber', 'registrationNumber must be a text');
  requireRegistrationNumber(normalizeRegistrationNumber(command.registrationNumber));
  validateSeat(map, command);
  requirePastOrToday(command.registeredOn, 'registeredOn', today);
  if (command.kind === 'union') validateUnionFounding(command);
  else validateMemberCount(command);
  if (command.managers !== undefined && command.managers !== null) requireManagers(command.managers);
  for (const flag of PROFILE_FLAG_NAMES) requireFlag(command[flag], flag);
}

/** Minimums of Law 17/2023/QH15 (5 members for a cooperative, 2 for a group), applied to every date. */
function validateMemberCount(command: RegisterOrganization): void {
  if (command.memberCount === undefined) throw invalid('memberCount', `memberCount is required for a ${command.kind}`);
  requireInteger(command.memberCount, 'memberCount', LIMITS.memberCount.min, LIMITS.memberCount.max);
  const minimum = MINIMUM_MEMBERS[command.kind as keyof typeof MINIMUM_MEMBERS];
  if (command.memberCount < minimum) {
    throw DomainError.invalid(
      'BELOW_MINIMUM_MEMBERS',
      'memberCount',
      `A ${command.kind} has at least ${minimum} members; got ${command.memberCount}`,
    );
  }
  if (command.memberCooperativeIds !== undefined && command.memberCooperativeIds.length > 0) {
    throw invalid('memberCooperativeIds', 'Only a union has member cooperatives');
  }
}

/** A union is founded by at least 3 distinct cooperatives (Law 17/2023/QH15) and has no member count. */
function validateUnionFounding(command: RegisterOrganization): void {
  if (command.memberCount !== undefined) throw invalid('memberCount', 'A union has no memberCount; it lists its member cooperatives');
  const ids = command.memberCooperativeIds;
  if (!Array.isArray(ids) || ids.length < MINIMUM_FOUNDING_COOPERATIVES) {
    throw invalid('memberCooperativeIds', `A union is founded by at least ${MINIMUM_FOUNDING_COOPERATIVES} cooperatives`);
  }
  if (ids.length > LIMITS.memberCooperativeIds.max) {
    throw invalid('memberCooperativeIds', `memberCooperativeIds lists at most ${LIMITS.memberCooperativeIds.max} cooperatives`);
  }
  ids.forEach((id, index) => requireId(id, `memberCooperativeIds[${index}]`));
  if (new Set(ids).size !== ids.length) throw invalid('memberCooperativeIds', 'memberCooperativeIds holds duplicates');
}

function registrationEvent(command: RegisterOrganization, founders: string[], seat: JudgedSeat): OrganizationRegistered {
  return {
    type: 'OrganizationRegistered',
    data: {
      organizationId: command.organizationId,
      effectiveOn: command.registeredOn,
      kind: command.kind,
      name: normalizeName(command.name),
      registrationNumber: normalizeRegistrationNumber(command.registrationNumber),
      provinceCode: seat.provinceCode,
      formerProvinceCode: seat.formerProvinceCode,
      sector: command.sector,
      memberCount: command.kind === 'union' ? null : (command.memberCount as number),
      memberCooperativeIds: [...founders],
      managers: command.managers ? { total: command.managers.total, withDegree: command.managers.withDegree } : null,
      // An omitted flag is unknown, not "no" (domain.md); every flag is stored explicitly (schema v2).
      directorTrained: command.directorTrained ?? null,
      valueChain: command.valueChain ?? null,
      highTech: command.highTech ?? null,
      enterpriseLinked: command.enterpriseLinked ?? null,
      digitalAdoption: command.digitalAdoption ?? null,
    },
  };
}
