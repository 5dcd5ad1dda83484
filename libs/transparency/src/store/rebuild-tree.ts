import type { Pool } from 'pg';
import type { EventStore, Position } from '@ktt/event-store';
import { TransparencyLog } from './transparency-log';

export interface CheckpointMismatch {
  treeSize: number;
  /** The root the checkpoint signed, hex. */
  signedRoot: string;
  /** The rebuilt tree's root at that size, hex; null when the log no longer has that many events. */
  rebuiltRoot: string | null;
}

export interface TreeRebuildResult {
  leaves: number;
  seconds: number;
  /** null: no checkpoints table (a database from before checkpoints existed), nothing to check. */
  checkpoints: { checked: number; mismatches: CheckpointMismatch[] } | null;
}

export interface TreeRebuildOptions {
  /** Events read and appended per transaction: bulk work commits in short batches (architecture.md). */
  pageSize?: number;
  onProgress?: (leaves: number) => void;
}

/**
 * Rebuilds the verifiable log's tree from the event store (derived data: the
 * leaves and nodes), then checks every stored checkpoint against it. The
 * checkpoints are kept — they are the commitments verifiers hold — so a
 * checkpoint whose signed root is not the rebuilt root at its size means the
 * log was rewritten under it: the caller reports it loudly (cli rebuild exits 1).
 * A builder running meanwhile (the api) notices the reset and resumes; both
 * append in log order and idempotently, so they cannot disagree.
 */
export async function rebuildTree(pool: Pool, store: EventStore, options: TreeRebuildOptions = {}): Promise<TreeRebuildResult> {
  const started = process.hrtime.bigint();
  const log = new TransparencyLog(pool);
  const pageSize = options.pageSize ?? 5000;
  await log.reset();
  let after: Position | undefined;
  let leaves = 0;
  for (;;) {
    const page = await store.readAll({ after, limit: pageSize });
    if (page.length === 0) break;
    await log.appendEvents(page);
    leaves += page.length;
    after = page[page.length - 1]!.position;
    options.onProgress?.(leaves);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { leaves, seconds, checkpoints: await checkCheckpoints(pool, log) };
}

async function checkCheckpoints(pool: Pool, log: TransparencyLog): Promise<TreeRebuildResult['checkpoints']> {
  let rows: { tree_size: string; root_hash: Buffer }[];
  try {
    ({ rows } = await pool.query<{ tree_size: string; root_hash: Buffer }>('SELECT tree_size, root_hash FROM transparency_checkpoints ORDER BY tree_size'));
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return null; // undefined_table
    throw error;
  }
  const size = await log.size();
  const mismatches: CheckpointMismatch[] = [];
  for (const row of rows) {
    const treeSize = Number(row.tree_size);
    const rebuilt = treeSize <= size ? await log.rootAt(treeSize) : null;
    if (!rebuilt || !rebuilt.equals(row.root_hash)) {
      mismatches.push({ treeSize, signedRoot: row.root_hash.toString('hex'), rebuiltRoot: rebuilt?.toString('hex') ?? null });
    }
  }
  return { checked: rows.length, mismatches };
}
