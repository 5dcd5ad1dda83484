import type { Pool, PoolClient } from 'pg';
import type { RecordedEvent } from '@ktt/event-store';
import {
  consistencyRanges,
  EMPTY_ROOT,
  foldRange,
  inclusionRanges,
  leafHash,
  nodeHash,
  rangeNodes,
  type LeafRange,
  type PerfectNode,
} from '../merkle/rfc9162';

/** A size or index outside the stored tree; `field` names what was asked wrong (the API's 400). */
export class TreeRangeError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The stored tree was reset (a rebuild) since this instance last appended: resume from the stored size. */
export class TreeResetError extends Error {}

/** Where the stored tree stands: a builder subscribes after `lastPosition`. */
export interface TreeState {
  size: number;
  lastPosition: string | null;
  generation: number;
}

export interface StoredLeaf {
  leafIndex: number;
  leafHash: Buffer;
  /** Where the event is in the event store (its stream and revision). */
  streamId: string;
  revision: number;
}

interface StackEntry extends PerfectNode {
  hash: Buffer;
}

const key = (level: number, index: number): string => `${level}:${index}`;

/**
 * The verifiable log's Merkle tree in PostgreSQL (migration 1733630000000).
 * Appends keep the hash of every complete perfect subtree, so a root or a proof
 * at any size reads only the O(log n) subtrees RFC 9162's recursion names
 * (merkle/rfc9162.ts plans them), in one query.
 */
export class TransparencyLog {
  /** The generation this instance appends to; a reset elsewhere changes the stored one (TreeResetError). */
  private generation: number | null = null;

  constructor(private readonly pool: Pool) {}

  async state(): Promise<TreeState> {
    const { rows } = await this.pool.query<{ size: string; last_position: string | null; generation: string }>(
      'SELECT size, last_position, generation FROM transparency_tree',
    );
    const state = { size: Number(rows[0]!.size), lastPosition: rows[0]!.last_position, generation: Number(rows[0]!.generation) };
    this.generation = state.generation;
    return state;
  }

  async size(): Promise<number> {
    const { rows } = await this.pool.query<{ size: string }>('SELECT size FROM transparency_tree');
    return Number(rows[0]!.size);
  }

  async rootAt(treeSize: number): Promise<Buffer> {
    await this.assertSize('treeSize', treeSize);
    if (treeSize === 0) return EMPTY_ROOT;
    const [root] = await this.hashRanges([{ start: 0, end: treeSize }]);
    return root!;
  }

  /** RFC 9162 §2.1.3.1 PATH(leafIndex, D[treeSize]). */
  async inclusionProof(leafIndex: number, treeSize: number): Promise<Buffer[]> {
    await this.assertSize('treeSize', treeSize);
    if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= treeSize) {
      throw new TreeRangeError('leafIndex', `leaf ${leafIndex} is not in a tree of ${treeSize} leaves`);
    }
    return this.hashRanges(inclusionRanges(leafIndex, treeSize));
  }

  /** RFC 9162 §2.1.4.1 PROOF(from, D[to]); empty when from is 0 or equals to. */
  async consistencyProof(from: number, to: number): Promise<Buffer[]> {
    await this.assertSize('to', to);
    if (!Number.isSafeInteger(from) || from < 0 || from > to) throw new TreeRangeError('from', `from (${from}) must be between 0 and to (${to})`);
    return this.hashRanges(consistencyRanges(from, to));
  }

  async leafOf(eventId: string): Promise<StoredLeaf | null> {
    const { rows } = await this.pool.query<{ leaf_index: string; leaf_hash: Buffer; stream_id: string; stream_revision: string }>(
      'SELECT leaf_index, leaf_hash, stream_id, stream_revision FROM transparency_leaves WHERE event_id = $1::uuid',
      [eventId],
    );
    const row = rows[0];
    return row ? { leafIndex: Number(row.leaf_index), leafHash: row.leaf_hash, streamId: row.stream_id, revision: Number(row.stream_revision) } : null;
  }

  /**
   * Appends the events as the next leaves, in the order given (the global log's).
   * Idempotent by event id: events already in the tree are skipped, so a builder
   * that replays a batch after a crash, or two appenders over the same stretch
   * of the log, leave one leaf per event. One transaction per call.
   */
  async appendEvents(events: readonly RecordedEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // The row lock serialises appenders (and a reset) on the tree.
      const { rows } = await client.query<{ size: string; generation: string }>('SELECT size, generation FROM transparency_tree FOR UPDATE');
      const generation = Number(rows[0]!.generation);
      if (this.generation !== null && this.generation !== generation) {
        throw new TreeResetError(`the tree was reset (generation ${this.generation} → ${generation}); resume from its stored size`);
      }
      this.generation = generation;
      const size = Number(rows[0]!.size);
      const fresh = await this.notYetIn(client, events);
      if (fresh.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      const stack = await this.frontier(client, size);
      const leafIndexes: number[] = [];
      const eventIds: string[] = [];
      const streamIds: string[] = [];
      const revisions: number[] = [];
      const leafHashes: Buffer[] = [];
      const nodeLevels: number[] = [];
      const nodeIndexes: number[] = [];
      const nodeHashes: Buffer[] = [];
      fresh.forEach((event, offset) => {
        const index = size + offset;
        const hash = leafHash(eventHashBytes(event));
        leafIndexes.push(index);
        eventIds.push(event.metadata.eventId);
        streamIds.push(event.streamId);
        revisions.push(event.revision);
        leafHashes.push(hash);
        stack.push({ level: 0, index, hash });
        // Two neighbours of one level complete their parent: the compact range's merge.
        while (stack.length >= 2 && stack[stack.length - 1]!.level === stack[stack.length - 2]!.level) {
          const right = stack.pop()!;
          const left = stack.pop()!;
          const parent = { level: left.level + 1, index: left.index / 2, hash: nodeHash(left.hash, right.hash) };
          stack.push(parent);
          nodeLevels.push(parent.level);
          nodeIndexes.push(parent.index);
          nodeHashes.push(parent.hash);
        }
      });
      await client.query(
        `INSERT INTO transparency_leaves (leaf_index, event_id, stream_id, stream_revision, leaf_hash)
         SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::bigint[], $5::bytea[])`,
        [leafIndexes, eventIds, streamIds, revisions, leafHashes],
      );
      if (nodeLevels.length > 0) {
        await client.query(
          `INSERT INTO transparency_nodes (level, idx, hash) SELECT * FROM unnest($1::int[], $2::bigint[], $3::bytea[])`,
          [nodeLevels, nodeIndexes, nodeHashes],
        );
      }
      await client.query('UPDATE transparency_tree SET size = $1, last_position = $2', [
        size + fresh.length,
        String(fresh[fresh.length - 1]!.position),
      ]);
      await client.query('COMMIT');
      return fresh.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Drops the derived tree (rebuild). DELETE, not TRUNCATE: the application role
   * may delete derived rows but holds no TRUNCATE. Bumps the generation so a
   * builder still appending the old tree stops (TreeResetError) and resumes.
   */
  async reset(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ generation: string }>('SELECT generation FROM transparency_tree FOR UPDATE');
      await client.query('DELETE FROM transparency_nodes');
      await client.query('DELETE FROM transparency_leaves');
      const generation = Number(rows[0]!.generation) + 1;
      await client.query('UPDATE transparency_tree SET size = 0, last_position = NULL, generation = $1', [generation]);
      await client.query('COMMIT');
      this.generation = generation;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async assertSize(field: string, treeSize: number): Promise<void> {
    if (!Number.isSafeInteger(treeSize) || treeSize < 0) throw new TreeRangeError(field, `${field} must be a whole number ≥ 0`);
    const size = await this.size();
    if (treeSize > size) throw new TreeRangeError(field, `${field} (${treeSize}) is beyond the tree's size (${size})`);
  }

  /** Events of the batch not yet a leaf (nor repeated earlier in the batch). */
  private async notYetIn(client: PoolClient, events: readonly RecordedEvent[]): Promise<RecordedEvent[]> {
    const ids = events.map((event) => event.metadata.eventId.toLowerCase());
    const { rows } = await client.query<{ event_id: string }>(
      'SELECT event_id::text FROM transparency_leaves WHERE event_id = ANY($1::uuid[])',
      [ids],
    );
    const seen = new Set(rows.map((row) => row.event_id));
    return events.filter((_, i) => {
      if (seen.has(ids[i]!)) return false;
      seen.add(ids[i]!);
      return true;
    });
  }

  /** The perfect subtrees of the tree's right edge, largest first: what the next leaves merge with. */
  private async frontier(client: PoolClient, size: number): Promise<StackEntry[]> {
    const nodes = rangeNodes({ start: 0, end: size });
    const hashes = await this.readNodes(client, nodes);
    return nodes.map((node) => ({ ...node, hash: hashes.get(key(node.level, node.index))! }));
  }

  private async hashRanges(ranges: readonly LeafRange[]): Promise<Buffer[]> {
    const perRange = ranges.map(rangeNodes);
    const hashes = await this.readNodes(this.pool, perRange.flat());
    return perRange.map((nodes) => foldRange(nodes.map((node) => hashes.get(key(node.level, node.index))!)));
  }

  /** One query for any set of perfect subtrees: leaves for level 0, nodes above. Missing = a damaged tree, loudly. */
  private async readNodes(db: Pool | PoolClient, nodes: readonly PerfectNode[]): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    if (nodes.length === 0) return found;
    const leaves = nodes.filter((node) => node.level === 0).map((node) => node.index);
    const inner = nodes.filter((node) => node.level > 0);
    const { rows } = await db.query<{ level: number; idx: string; hash: Buffer }>(
      `SELECT 0 AS level, leaf_index AS idx, leaf_hash AS hash FROM transparency_leaves WHERE leaf_index = ANY($1::bigint[])
       UNION ALL
       SELECT n.level, n.idx, n.hash FROM transparency_nodes n
         JOIN unnest($2::int[], $3::bigint[]) AS wanted(level, idx) ON n.level = wanted.level AND n.idx = wanted.idx`,
      [leaves, inner.map((node) => node.level), inner.map((node) => node.index)],
    );
    for (const row of rows) found.set(key(Number(row.level), Number(row.idx)), row.hash);
    const missing = nodes.find((node) => !found.has(key(node.level, node.index)));
    if (missing) throw new Error(`the stored tree lacks subtree ${key(missing.level, missing.index)}: rebuild it (cli rebuild)`);
    return found;
  }
}

/** d = the event's own SHA-256 `hash`, as 32 raw bytes (issue 18). */
function eventHashBytes(event: RecordedEvent): Buffer {
  const hash = event.metadata.hash;
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/i.test(hash)) {
    throw new Error(`event ${event.metadata.eventId} has no 32-byte hash; the tree cannot hold it`);
  }
  return Buffer.from(hash, 'hex');
}
