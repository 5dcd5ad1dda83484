import type { Principal } from '@ktt/auth';

/** Who asks and under which correlation: becomes every event's metadata. */
export interface CommandContext {
  /**
   * Who asks: required, so a path that forgets it does not compile. The
   * application authorizes it before anything else (a stored idempotent
   * answer included); its subject is recorded as `recordedBy` and owns the
   * request's Idempotency-Key. In-process writers use `systemPrincipal`.
   */
  principal: Principal;
  correlationId: string;
  causationId?: string | null;
  /** `If-Match`: the stream version the client saw. */
  expectedVersion?: number;
  idempotency?: { key: string; requestHash: string };
  /** Server clock; injectable so tests control "today". */
  now?: Date;
  /** The file an import read the command from: recorded in every event's metadata, so a record traces to its file. */
  source?: EventSource;
}

/** Where an imported event came from (metadata `source`): the file's name and SHA-256 (hex). */
export interface EventSource {
  kind: 'import';
  fileName: string;
  sha256: string;
}

export interface CommandResult {
  id: string;
  version: number;
  position: string;
  /** True for a registration or adoption (answered 201). */
  created: boolean;
  /** True when the answer is a replay of an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}
