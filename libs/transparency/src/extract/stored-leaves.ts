import type { Pool } from 'pg';
import { leafHash } from '../merkle/rfc9162';

/**
 * The tree's stored leaves as a second witness of each event's hash: the leaf was computed from the
 * hash the event had when it was appended to the tree, so an event rewritten afterwards with its hash
 * and its stream's chain recomputed (which the chain check cannot see) no longer matches its leaf.
 */
export class StoredLeaves {
  constructor(private readonly pool: Pool) {}

  /** The ids of the events whose stored leaf differs from SHA-256(0x00 || hash); events not yet in the tree are not judged. */
  async mismatched(events: readonly { eventId: string; hash: unknown }[]): Promise<Set<string>> {
    const ids = events.map((event) => event.eventId);
    if (ids.length === 0) return new Set();
    let rows: { event_id: string; leaf_hash: Buffer }[];
    try {
      ({ rows } = await this.pool.query<{ event_id: string; leaf_hash: Buffer }>('SELECT event_id::text, leaf_hash FROM transparency_leaves WHERE event_id = ANY($1::uuid[])', [ids]));
    } catch (error) {
      // A database migrated before the tree existed holds no leaves to compare with.
      if ((error as { code?: string }).code === '42P01') return new Set();
      throw error;
    }
    const stored = new Map(rows.map((row) => [row.event_id, row.leaf_hash]));
    const mismatched = new Set<string>();
    for (const { eventId, hash } of events) {
      const leaf = stored.get(eventId.toLowerCase());
      if (!leaf) continue;
      const expected = typeof hash === 'string' && /^[0-9a-f]{64}$/i.test(hash) ? leafHash(Buffer.from(hash, 'hex')) : null;
      if (!expected || !expected.equals(leaf)) mismatched.add(eventId);
    }
    return mismatched;
  }
}
