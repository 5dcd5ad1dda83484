import { readFileSync } from 'node:fs';
import path from 'node:path';
import { systemPrincipal } from '@ktt/auth';
import { administrativeUnitsStreamId, foldAdministrativeMap, type AdministrativeMap, type AdministrativeUnitsReference } from '@ktt/domain';
import type { EventStore, RecordedEvent } from '@ktt/event-store';
import { AdministrativeUnitsCommandHandler, recordedReorganizations, type FirstMap } from './administrative-units-command.handler';

/** The document the seeded event names: the merger's resolution and the decision that gave the codes. */
export const SEEDED_REORGANIZATION_DOCUMENT = 'Nghị quyết 202/2025/QH15; Quyết định 19/2025/QĐ-TTg (codes)';

export function readAdministrativeUnitsReference(dataDir: string): AdministrativeUnitsReference {
  const file = path.join(dataDir, 'reference', 'administrative-units-2025.json');
  return JSON.parse(readFileSync(file, 'utf8')) as AdministrativeUnitsReference;
}

/** The 63 of the reference data: the state before any reorganization. */
export function firstMapOf(reference: AdministrativeUnitsReference): FirstMap {
  return reference.before.map(({ code, name }) => ({ code, name }));
}

/**
 * The map as recorded: the first map from reference data, then every reorganization of the
 * `administrative-units` stream (a correction replaces the event of its date). Read from the stream
 * on each call (one small stream), so a reorganization recorded by another process is seen at once.
 */
export class AdministrativeUnits {
  constructor(
    private readonly store: EventStore,
    readonly first: FirstMap,
  ) {}

  // The last fold and the hash of the stream's last event it folded. Every reorganization or correction
  // appends an event, so an unchanged last hash means an unchanged map: each call still reads the stream
  // (one indexed read of a handful of events, so a reorganization recorded by this or any other process
  // counts at once, with no TTL or restart), and folds it again only when it grew.
  private folded: { lastHash: string | null; map: AdministrativeMap } | null = null;

  async map(): Promise<AdministrativeMap> {
    return this.mapOf(await this.store.readStream(administrativeUnitsStreamId()));
  }

  /** The map of the stream's events as the caller just read them (with other streams, in one round trip). */
  mapOf(events: RecordedEvent[]): AdministrativeMap {
    const lastHash = events.at(-1)?.metadata.hash ?? null;
    if (this.folded && this.folded.lastHash === lastHash) return this.folded.map;
    const map = foldAdministrativeMap(this.first, recordedReorganizations(events));
    this.folded = { lastHash, map };
    return map;
  }

  /** 400 (or 404 for a URL path) UNKNOWN_PROVINCE for a code that names no province on any date of the map as recorded now. */
  async requireKnownProvinceCode(code: string, path: string, where: 'body-or-query' | 'url-path' = 'body-or-query'): Promise<void> {
    (await this.map()).requireKnownProvinceCode(code, path, where);
  }
}

/**
 * Records the 2025 merger of the reference data (data/reference/administrative-units-2025.json) as the
 * stream's first event, once: a stream with any event (seeded before, or a reorganization an admin
 * recorded) is left alone, and two processes starting at once write it once (same idempotency key, and
 * the append expects no stream). Recorded by `system:seed`. Returns whether it wrote the event.
 */
export async function seedAdministrativeUnits(store: EventStore, dataDir: string): Promise<boolean> {
  if ((await store.readStream(administrativeUnitsStreamId())).length > 0) return false;
  const reference = readAdministrativeUnitsReference(dataDir);
  const result = await new AdministrativeUnitsCommandHandler(store, firstMapOf(reference)).execute({
    command: {
      type: 'ReorganizeProvinces',
      effectiveOn: reference.effectiveDate,
      document: SEEDED_REORGANIZATION_DOCUMENT,
      provinces: reference.after.map(({ code, name, predecessors }) => ({ code, name, predecessors })),
    },
    context: {
      principal: systemPrincipal('system:seed'),
      correlationId: 'seed-administrative-units-2025',
      idempotency: { key: 'seed-administrative-units-2025', requestHash: 'seed-administrative-units-2025' },
    },
  });
  return !result.replayed;
}
