/**
 * What the application answers besides command results, in the shapes the api sends (api.md). Types
 * only, importing nothing: the admin UI reads these same types (`import type`), so a change of shape
 * here fails the UI's typecheck instead of drifting from a copy.
 */

/** One event of an organization's history (GET /api/organizations/:id/events), data in its current shape. */
export interface HistoryEntry {
  revision: number;
  type: string;
  data: Record<string, unknown>;
  effectiveOn: string | null;
  recordedAt: string;
  recordedBy: string;
  eventId: string;
  hash: string;
  previousHash: string | null;
  /** The schema version it was stored in (what `hash` covers). */
  schemaVersion: number;
  correlationId: string;
  position: string;
  /** The correction that retracted this event, if any. */
  correctedBy?: string;
  /** For a correction: the event it retracts. */
  corrects?: string;
  /** For an imported event: the file it came from (`POST /api/imports`, `cli import`). */
  source?: { kind: 'import'; fileName: string; sha256: string };
}

export interface BrokenEvent {
  streamId: string;
  revision: number;
  eventId: string;
  position: string;
  /**
   * `chain`: revision gap or `previousHash` not the previous event's hash; `hash`: the content does not match `hash`;
   * `leaf`: chain and hash hold, but the hash is not the one the verifiable log's tree recorded for the event (rewritten and rehashed).
   */
  reason: 'hash' | 'chain' | 'leaf';
}

/** A registration-number reservation whose organization was never registered (EventStoreDB crash between the ordered writes). */
export interface OrphanReservation {
  streamId: string;
  registrationNumber: string;
  organizationId: string;
  eventId: string;
  recordedAt: string;
}

/** GET /api/audit/verify. */
export interface VerificationResult {
  /** Nothing found: no broken event and no orphan reservation. */
  ok: boolean;
  checkedEvents: number;
  /** The first broken event in reading order (global order for every stream). */
  firstBrokenAt?: BrokenEvent;
  orphanReservations: OrphanReservation[];
}

/** A row (or a cell of it) an import refused: `column` is the file's header, null for the row as a whole. */
export interface ImportRefusal {
  /** The spreadsheet's row number (the header is row 1). */
  row: number;
  column: string | null;
  /** Stable: the domain's code where the domain refused it (e.g. BELOW_MINIMUM_MEMBERS), else the import's. */
  code: string;
  /** English, with the detail. */
  message: string;
  /** The message in Vietnamese and English, by code. */
  messages: { vi: string; en: string };
}

/**
 * A value of the file that differs from the record. `recorded` and `file` are a string (the API's
 * word, an ISO date, a text), a number, a boolean (a flag) or null (not recorded).
 */
export interface ImportDifference {
  row: number;
  column: string;
  /** A cell's value as the import compares it: a string, number, boolean or null (typed `unknown`: OpenAPI 3.0 has no union of primitive types). */
  recorded: unknown;
  file: unknown;
}

/** `POST /api/imports`'s answer (issue 17). */
export interface ImportReport {
  /** Data rows read (the header and empty rows not counted). */
  rows: number;
  /** Rows registered (in a dry run: that a real run would register). */
  created: number;
  /** Rows whose registration number is recorded with the same values. */
  unchanged: number;
  /** Rows whose differences were recorded as dated changes (`applyChanges`). */
  changed: number;
  differences: ImportDifference[];
  refused: ImportRefusal[];
  dryRun: boolean;
  /** The file as recorded in every event's metadata (`source`). */
  file: { name: string; sha256: string };
  /** Where the last row's events stand in the log (null when nothing was written): `minPosition` to read them. */
  position: string | null;
}
