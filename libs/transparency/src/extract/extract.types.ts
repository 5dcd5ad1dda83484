import type { OrganizationState } from '@ktt/domain';
import type { EventMetadata } from '@ktt/event-store';

/** An event as stored (never upcast): what its `metadata.hash` was computed over (api.md, "the verifiable log"). */
export interface StoredEvent {
  streamId: string;
  revision: number;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

/** One event of an extract with its RFC 9162 inclusion proof (hex audit path) against the extract's checkpoint. */
export interface ExtractEvent {
  leafIndex: number;
  event: StoredEvent;
  auditPath: string[];
}

/**
 * The state an extract certifies: the domain's fold of the organization's stream as of `asOf` with the
 * events recorded by `knownAt`, the province in force on the map of `asOf`, its unions (cooperatives) or
 * its members still undissolved (unions), and the revision of its last event known (`version`).
 */
export interface ExtractState extends OrganizationState {
  unionIds: string[];
  version: number;
}

/** GET /api/organizations/{id}/extract: a signed extract of the register (issue 18). */
export interface OrganizationExtract {
  organizationId: string;
  asOf: string;
  /** The recorded-time cut: only events recorded at or before it count (the moment of the extract when none was asked). */
  knownAt: string;
  state: ExtractState;
  /** The C2SP signed note (tlog-checkpoint) every inclusion proof is checked against. */
  checkpoint: string;
  /** The note verifier key (`<name>+<hex key hash>+<base64 key>`) the server signs with; check it against one obtained apart. */
  verifierKey: string;
  events: ExtractEvent[];
}
