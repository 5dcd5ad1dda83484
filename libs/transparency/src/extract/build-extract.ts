import { administrativeUnitsStreamId, DomainError, organizationStreamId, type LocalDate } from '@ktt/domain';
import type { EventStore, RecordedEvent } from '@ktt/event-store';
import { extractState, knownBy } from './extract-state';
import type { ExtractEvent, ExtractState, OrganizationExtract, StoredEvent } from './extract.types';

/** What an extract needs of the tree (TransparencyLog) and of the checkpoints (CheckpointStore). */
export interface ExtractSources {
  store: EventStore;
  log: {
    leafOf(eventId: string): Promise<{ leafIndex: number } | null>;
    inclusionProof(leafIndex: number, treeSize: number): Promise<Buffer[]>;
  };
  checkpoints: { latest(): Promise<{ treeSize: number; note: string } | null> };
  verifierKey: string;
  firstMap: readonly { code: string; name: string }[];
  /** Cooperatives: the unions whose streams may list it (any superset; the fold decides). */
  unionCandidates(cooperativeId: string): Promise<string[]>;
}

export interface ExtractRequest {
  organizationId: string;
  asOf: LocalDate;
  knownAt: string;
  /** How long to wait for a checkpoint covering every event of the extract before 503. */
  waitMs?: number;
  /** Called with the organization's state before anything else is read or proven (a registrar's province); throws to refuse. */
  authorize?: (state: ExtractState) => void;
}

/** 503: an event of the extract is not yet under a signed checkpoint (they are issued every few seconds). */
export class CheckpointPendingError extends Error {
  readonly code = 'CHECKPOINT_PENDING';
  constructor(readonly retryAfterSeconds: number) {
    super('an event of this extract is not yet covered by a signed checkpoint; ask again in a few seconds');
  }
}

/**
 * Makes the signed extract of an organization (issue 18): the events its state is computed from — its
 * own stream, the map's stream (the province in force), the unions that may list it (a cooperative) or
 * its members' streams (a union: a dissolved member is not listed) — each with an inclusion proof
 * against the latest checkpoint, and the state recomputed from exactly those events (extractState),
 * so the offline verifier recomputes the same. 404 when it is not registered at `asOf` / known at `knownAt`.
 */
export async function buildExtract(sources: ExtractSources, request: ExtractRequest): Promise<OrganizationExtract> {
  const { organizationId, asOf, knownAt } = request;
  const own = known(await sources.store.readStream(organizationStreamId(organizationId)), knownAt);
  const mapEvents = await sources.store.readStream(administrativeUnitsStreamId());
  const base = extractState({ organizationId, asOf, knownAt, events: [...own, ...mapEvents].map(stored), firstMap: sources.firstMap });
  if (!base) {
    throw DomainError.notFound('ORGANIZATION_NOT_FOUND', `no organization ${organizationId} registered on or before ${asOf} and recorded by ${knownAt}`);
  }
  request.authorize?.(base);
  const related =
    base.kind === 'union'
      ? membersNamed(own)
      : base.kind === 'cooperative'
        ? await sources.unionCandidates(organizationId)
        : [];
  const others: RecordedEvent[] = [];
  for (const id of [...new Set(related)].filter((id) => id !== organizationId).sort()) {
    others.push(...known(await sources.store.readStream(organizationStreamId(id)), knownAt));
  }
  const events = [...own, ...mapEvents, ...others].map(stored);
  const state = extractState({ organizationId, asOf, knownAt, events, firstMap: sources.firstMap })!;
  const { checkpoint, leaves } = await covered(sources, events, request.waitMs ?? 5000);
  const proven: ExtractEvent[] = [];
  for (const event of events) {
    const leafIndex = leaves.get(event.metadata.eventId)!;
    const path = await sources.log.inclusionProof(leafIndex, checkpoint.treeSize);
    proven.push({ leafIndex, event, auditPath: path.map((hash) => hash.toString('hex')) });
  }
  return { organizationId, asOf, knownAt, state, checkpoint: checkpoint.note, verifierKey: sources.verifierKey, events: proven };
}

/** The latest checkpoint once it covers every event (leaf index below its size), waiting a little for the next one. */
async function covered(sources: ExtractSources, events: StoredEvent[], waitMs: number) {
  const deadline = Date.now() + waitMs;
  const leaves = new Map<string, number>();
  for (;;) {
    const checkpoint = await sources.checkpoints.latest();
    let all = checkpoint !== null;
    for (const event of events) {
      if (!all) break;
      const id = event.metadata.eventId;
      if (!leaves.has(id)) {
        const leaf = await sources.log.leafOf(id);
        if (leaf) leaves.set(id, leaf.leafIndex);
      }
      const index = leaves.get(id);
      all = index !== undefined && index < checkpoint!.treeSize;
    }
    if (all) return { checkpoint: checkpoint!, leaves };
    if (Date.now() > deadline) throw new CheckpointPendingError(Math.max(1, Math.ceil(waitMs / 1000)));
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Every cooperative a union's stream ever names (registration, joins, leaves, corrections' replacements): a superset; the fold decides. */
function membersNamed(own: RecordedEvent[]): string[] {
  const ids = new Set<string>();
  const visit = (data: unknown) => {
    if (data === null || typeof data !== 'object') return;
    const d = data as { memberCooperativeIds?: unknown; cooperativeId?: unknown; replacement?: { data?: unknown } | null };
    if (Array.isArray(d.memberCooperativeIds)) for (const id of d.memberCooperativeIds) ids.add(String(id));
    if (typeof d.cooperativeId === 'string') ids.add(d.cooperativeId);
    if (d.replacement) visit(d.replacement.data);
  };
  for (const event of own) visit(event.data);
  return [...ids];
}

function known(events: RecordedEvent[], knownAt: string): RecordedEvent[] {
  return events.filter((event) => knownBy(event, knownAt));
}

/** The stored event as hashed: no position (it is not part of the hash). */
function stored(event: RecordedEvent): StoredEvent {
  return { streamId: event.streamId, revision: event.revision, type: event.type, data: event.data, metadata: event.metadata };
}
