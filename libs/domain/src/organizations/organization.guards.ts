import { DomainError } from '../common/domain-error';
import type { LocalDate } from '../common/local-date';
import { LIMITS } from '../common/limits';
import { invalid, requireInteger } from '../common/validation';
import type { OrganizationHistory } from './organization.history';
import type { Managers, OrganizationKind, OrganizationStatus } from './organization.types';

/** Guard clauses shared by the use cases of `decide`. Each throws a DomainError or returns. */

export function requireHistory(history: OrganizationHistory | null, id: string): OrganizationHistory {
  if (history === null) throw DomainError.notFound('ORGANIZATION_NOT_FOUND', `Organization ${id} is not registered`);
  return history;
}

/** "Nothing may be dated before registration" (domain.md, "Two clocks"). */
export function requireOnOrAfterRegistration(history: OrganizationHistory, date: LocalDate, what = 'The change'): void {
  if (date < history.registeredOn) {
    throw DomainError.conflict(
      'BEFORE_REGISTRATION',
      `${what} is dated ${date}, before ${history.id} was registered on ${history.registeredOn}`,
    );
  }
}

/**
 * Judged by effective dates, not by recording order: a change dated before the
 * dissolution is a late record and is accepted; one dated on or after it is not.
 */
export function requireBeforeDissolution(history: OrganizationHistory, date: LocalDate, what = 'The change'): void {
  if (history.dissolvedOn !== null && date >= history.dissolvedOn) {
    throw DomainError.conflict(
      'ORGANIZATION_DISSOLVED',
      `${what} is dated ${date}, on or after the dissolution of ${history.id} on ${history.dissolvedOn}`,
    );
  }
}

/** Both bounds of an organization's life at once: registered on or before `date`, not yet dissolved at `date`. */
export function requireExistsOn(history: OrganizationHistory, date: LocalDate, what?: string): void {
  requireOnOrAfterRegistration(history, date, what);
  requireBeforeDissolution(history, date, what);
}

/** Lifecycle events are ordered by effective date; an equal date is allowed. */
export function requireLifecycleOrder(history: OrganizationHistory, date: LocalDate): void {
  const latest = history.lifecycle;
  if (date < latest.effectiveOn) {
    throw DomainError.conflict(
      'LIFECYCLE_OUT_OF_ORDER',
      `A lifecycle change dated ${date} is before the latest one (${latest.status} on ${latest.effectiveOn})`,
    );
  }
}

export function requireStatus(
  history: OrganizationHistory,
  allowed: readonly OrganizationStatus[],
  action: string,
): void {
  const current = history.lifecycle.status;
  if (!allowed.includes(current)) {
    throw DomainError.conflict(
      'INVALID_TRANSITION',
      `Cannot ${action} ${history.id}: it is ${current}; allowed from ${allowed.join(' or ')}`,
    );
  }
}

export function requireKind(
  history: OrganizationHistory,
  allowed: readonly OrganizationKind[],
  action: string,
): void {
  if (!allowed.includes(history.kind)) {
    throw DomainError.conflict(
      'NOT_APPLICABLE_TO_KIND',
      `Cannot ${action} a ${history.kind}; only ${allowed.join(' or ')}`,
    );
  }
}

export function requireManagers(managers: Managers, path = 'managers'): void {
  if (typeof managers !== 'object' || managers === null || Array.isArray(managers)) {
    throw invalid(path, `${path} must be an object { total, withDegree }`);
  }
  requireInteger(managers.total, `${path}.total`, 0, LIMITS.managers.max);
  requireInteger(managers.withDegree, `${path}.withDegree`, 0, LIMITS.managers.max);
  if (managers.withDegree > managers.total) {
    throw invalid(`${path}.withDegree`, `${path}.withDegree (${managers.withDegree}) exceeds ${path}.total (${managers.total})`);
  }
}

/** A profile flag is true, false or null (unknown); undefined is "not given". */
export function requireFlag(value: unknown, path: string): void {
  if (value !== undefined && value !== null && typeof value !== 'boolean') throw invalid(path, `${path} must be true, false or null (unknown)`);
}

/**
 * A union's members are cooperatives (Law 17/2023/QH15: a union is founded by
 * cooperatives) that exist on the date they found or join it. Suspended and
 * dormant cooperatives exist. An unknown id is reported the same way, naming it.
 */
export function requireCooperativeOn(cooperative: OrganizationHistory | null, id: string, date: LocalDate): void {
  if (cooperative === null || cooperative.kind !== 'cooperative') {
    const found = cooperative === null ? 'no registered organization' : `a ${cooperative.kind}`;
    throw DomainError.conflict('NOT_A_COOPERATIVE', `${id} is ${found}, not a cooperative`);
  }
  requireExistsOn(cooperative, date, `Cooperative ${id}'s membership`);
}

/**
 * The checks every lifecycle command shares, in order: it must exist on the
 * date (a command dated on or after the dissolution is ORGANIZATION_DISSOLVED,
 * even a second dissolution), follow the latest lifecycle event, and be a
 * transition allowed from the latest lifecycle state.
 */
export function requireLifecycleChange(
  history: OrganizationHistory | null,
  command: { organizationId: string; effectiveOn: LocalDate },
  allowedFrom: readonly OrganizationStatus[],
  action: string,
): OrganizationHistory {
  const organization = requireHistory(history, command.organizationId);
  requireExistsOn(organization, command.effectiveOn, `The ${action}`);
  requireLifecycleOrder(organization, command.effectiveOn);
  requireStatus(organization, allowedFrom, action);
  return organization;
}
