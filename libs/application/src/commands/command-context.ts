/** Who asks and under which correlation: becomes every event's metadata. */
export interface CommandContext {
  /** The token's subject once auth exists; recorded as `recordedBy`. */
  actor: string;
  correlationId: string;
  causationId?: string | null;
  /** `If-Match`: the stream version the client saw. */
  expectedVersion?: number;
  idempotency?: { key: string; requestHash: string };
  /** Server clock; injectable so tests control "today". */
  now?: Date;
  /**
   * Throws when the caller may not write for this province (a registrar's
   * tokens name theirs). Called with the province of the organization whose
   * history the command writes, before anything is decided or appended.
   */
  authorizeProvince?: (provinceCode: string) => void;
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
