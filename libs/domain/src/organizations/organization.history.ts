import { assertNever } from '../shared/assert-never';
import type { LocalDate } from '../shared/local-date';
import type { OrganizationEvent, OrganizationRegistered } from './organization.events';
import type { OrganizationKind, OrganizationStatus } from './organization.types';

/**
 * The fold of one organization's stream that decisions and as-of queries need.
 * Attributes are not folded into "current values": they are judged per
 * effective date (see `stateAsOf`), so the whole list of events is kept, in
 * recorded order. Only what the rules consult directly is summarised.
 */
export interface OrganizationHistory {
  readonly id: string;
  readonly kind: OrganizationKind;
  readonly registeredOn: LocalDate;
  readonly registration: OrganizationRegistered['data'];
  /** Effective date of the dissolution, if one is recorded. */
  readonly dissolvedOn: LocalDate | null;
  /**
   * The state after the latest lifecycle event. Lifecycle events may not be
   * dated before the latest one, so recorded order is also effective order and
   * "the latest" needs no sorting. Registration counts as `active` from `registeredOn`.
   */
  readonly lifecycle: { readonly status: OrganizationStatus; readonly effectiveOn: LocalDate };
  /** Every event of the stream, in recorded order (registration first). */
  readonly events: readonly OrganizationEvent[];
}

export function evolve(history: OrganizationHistory | null, event: OrganizationEvent): OrganizationHistory {
  if (event.type === 'OrganizationRegistered') return registered(history, event);
  if (history === null) {
    throw new Error(`Corrupt stream: ${event.type} for ${event.data.organizationId} before its registration`);
  }
  const next = { ...history, events: [...history.events, event] };
  switch (event.type) {
    case 'OrganizationSuspended':
      return { ...next, lifecycle: { status: 'suspended', effectiveOn: event.data.effectiveOn } };
    case 'OrganizationFoundDormant':
      return { ...next, lifecycle: { status: 'dormant', effectiveOn: event.data.effectiveOn } };
    case 'OrganizationResumed':
      return { ...next, lifecycle: { status: 'active', effectiveOn: event.data.effectiveOn } };
    case 'OrganizationDissolved':
      return {
        ...next,
        dissolvedOn: event.data.effectiveOn,
        lifecycle: { status: 'dissolved', effectiveOn: event.data.effectiveOn },
      };
    case 'OrganizationRated':
    case 'MemberCountChanged':
    case 'ProfileChanged':
    case 'CooperativeJoinedUnion':
    case 'CooperativeLeftUnion':
      return next;
    default:
      return assertNever(event);
  }
}

/** Events in recorded order; null for an empty stream. */
export function foldHistory(events: readonly OrganizationEvent[]): OrganizationHistory | null {
  return events.reduce<OrganizationHistory | null>(evolve, null);
}

function registered(history: OrganizationHistory | null, event: OrganizationRegistered): OrganizationHistory {
  if (history !== null) {
    throw new Error(`Corrupt stream: ${history.id} registered twice`);
  }
  const { data } = event;
  return {
    id: data.organizationId,
    kind: data.kind,
    registeredOn: data.effectiveOn,
    registration: data,
    dissolvedOn: null,
    lifecycle: { status: 'active', effectiveOn: data.effectiveOn },
    events: [event],
  };
}
