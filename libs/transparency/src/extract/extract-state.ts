import {
  administrativeUnitsStreamId,
  foldAdministrativeMap,
  foldHistory,
  organizationIdOfStream,
  stateAsOf,
  upcast,
  type AdministrativeMap,
  type AdministrativeUnitsEvent,
  type LocalDate,
  type OrganizationEvent,
  type OrganizationState,
} from '@ktt/domain';
import type { ExtractState, StoredEvent } from './extract.types';

/** What the state of an extract is computed from: the same on the server that makes it and in the offline verifier. */
export interface ExtractStateInput {
  organizationId: string;
  asOf: LocalDate;
  /** Only events whose `recordedAt` is at or before this timestamp count. */
  knownAt: string;
  /** The stored events of the extract (any order): the organization's stream, and the streams its state depends on. */
  events: readonly StoredEvent[];
  /** The provinces before any reorganization (the product's reference data); the reorganizations come from the events. */
  firstMap: readonly { code: string; name: string }[];
}

/** Whether an event was recorded by `knownAt` (both RFC 3339 timestamps, compared as instants). */
export function knownBy(event: StoredEvent, knownAt: string): boolean {
  return Date.parse(event.metadata.recordedAt) <= Date.parse(knownAt);
}

/**
 * The organization's state as the extract certifies it, or null when it is not registered at `asOf`
 * (or not recorded by `knownAt`). Only the domain's own functions decide: stored events are upcast,
 * each organization's stream folded (`foldHistory`) and judged at the date (`stateAsOf`), as the
 * command side does; the read model is not consulted, so a verifier recomputes exactly this.
 * Cross-stream facts are the read model's rules (organization-queries.ts): a union lists the members
 * its stream names that are registered and not dissolved at the date; a cooperative (not dissolved)
 * belongs to the unions whose own state lists it.
 */
export function extractState(input: ExtractStateInput): ExtractState | null {
  const streams = streamsKnown(input.events, input.knownAt);
  const ownId = input.organizationId;
  const states = new Map<string, OrganizationState | null>();
  let version = -1;
  for (const [streamId, events] of streams) {
    const id = organizationIdOfStream(streamId);
    if (id === null) continue;
    const history = foldHistory(events.map((event) => upcast({ type: event.type, data: event.data, schemaVersion: event.metadata.schemaVersion }) as OrganizationEvent));
    states.set(id, history ? stateAsOf(history, input.asOf) : null);
    if (id === ownId) version = events[events.length - 1].revision;
  }
  const own = states.get(ownId);
  if (!own) return null;
  const map = foldAdministrativeMap(
    input.firstMap,
    (streams.get(administrativeUnitsStreamId()) ?? []).map((event) => ({ type: event.type, data: event.data }) as AdministrativeUnitsEvent),
  );
  const undissolved = (id: string) => {
    const state = states.get(id);
    return state != null && state.status !== 'dissolved';
  };
  const unionIds =
    own.kind === 'cooperative' && own.status !== 'dissolved'
      ? [...states.values()].filter((s): s is OrganizationState => s != null && s.kind === 'union' && s.memberCooperativeIds.includes(ownId)).map((s) => s.id).sort()
      : [];
  return {
    ...own,
    provinceCode: provinceInForce(map, own.formerProvinceCode, input.asOf),
    memberCooperativeIds: own.memberCooperativeIds.filter(undissolved),
    unionIds,
    version,
  };
}

/**
 * Each stream's events recorded by `knownAt`, by revision. The map's stream is law and applies whatever
 * `knownAt` (reorganization.ts), so all of it counts.
 */
function streamsKnown(events: readonly StoredEvent[], knownAt: string): Map<string, StoredEvent[]> {
  const streams = new Map<string, StoredEvent[]>();
  for (const event of events) {
    if (event.streamId !== administrativeUnitsStreamId() && !knownBy(event, knownAt)) continue;
    const list = streams.get(event.streamId) ?? [];
    list.push(event);
    streams.set(event.streamId, list);
  }
  for (const list of streams.values()) list.sort((a, b) => a.revision - b.revision);
  return streams;
}

/** The code in force at `asOf` of the province holding the seat's unit (a unit the map does not know stands for itself, as in the read model). */
function provinceInForce(map: AdministrativeMap, unit: string, asOf: LocalDate): string {
  try {
    return map.provinceOfUnit(unit, asOf).code;
  } catch {
    return unit;
  }
}
