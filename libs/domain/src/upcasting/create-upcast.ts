/** An event as stored: its data has the shape of `schemaVersion`. */
export interface StoredFact {
  type: string;
  data: Record<string, unknown>;
  schemaVersion: number;
}

/** An event in the current shape of its type. */
export interface CurrentFact {
  type: string;
  data: Record<string, unknown>;
}

/** One step: the data of version n → the data of version n + 1. Pure; must not change its argument. */
export type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/** Steps by event type, then by the version they upgrade from. */
export type UpcasterRegistry = Readonly<Record<string, Readonly<Record<number, Upcaster>>>>;

/** A stored event this code cannot read: written by a newer release, or a missing step. */
export class UnknownSchemaVersionError extends Error {
  constructor(type: string, version: unknown, current: number) {
    super(`cannot upcast ${type} of schema version ${String(version)} to version ${current}`);
    this.name = 'UnknownSchemaVersionError';
  }
}

/**
 * Builds an upcast over a registry and the current versions. Types without a
 * current version here (plan events, reservations, idempotency records) are
 * passed through: they have not evolved, and their readers do not upcast.
 */
export function createUpcast(registry: UpcasterRegistry, currentVersions: Readonly<Record<string, number>>) {
  return function upcast(event: StoredFact): CurrentFact {
    const current = currentVersions[event.type];
    if (current === undefined) return { type: event.type, data: event.data };
    const stored = event.schemaVersion;
    if (!Number.isInteger(stored) || stored < 1 || stored > current) throw new UnknownSchemaVersionError(event.type, stored, current);
    let data = event.data;
    for (let version = stored; version < current; version++) {
      const step = registry[event.type]?.[version];
      if (!step) throw new UnknownSchemaVersionError(event.type, stored, current);
      data = step(data);
    }
    return { type: event.type, data };
  };
}
