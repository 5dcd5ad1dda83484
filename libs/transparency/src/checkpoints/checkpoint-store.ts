import type { Pool } from 'pg';
import { verifyConsistency } from '../merkle/rfc9162';
import { formatCheckpoint, NoteFormatError, NoteVerificationError, parseCheckpoint, signNote, verifyNote, type NoteSigner } from './note';

export interface StoredCheckpoint {
  treeSize: number;
  rootHash: Buffer;
  /** The signed note, as issued (c2sp.org/tlog-checkpoint). */
  note: string;
  /** RFC 3339, UTC. */
  issuedAt: string;
}

/** What issuing needs of the tree (T1a's TransparencyLog has it). */
export interface CheckpointedLog {
  size(): Promise<number>;
  rootAt(treeSize: number): Promise<Buffer>;
  consistencyProof(from: number, to: number): Promise<Buffer[]>;
}

/**
 * The log must not sign a checkpoint inconsistent with one it signed before
 * (c2sp.org/tlog-checkpoint, "Signatures"), nor sign with a key other than the
 * one its verifiers hold: either means the log or the key was changed, and
 * issuing would hide it. Loud, and nothing is signed.
 */
export class CheckpointRefusedError extends Error {}

const ISSUE_LOCK = 'transparency:checkpoints';
/** Checkpoints per page of `list`. */
export const CHECKPOINT_PAGE = 1000;

type Row = { tree_size: string; root_hash: Buffer; note: string; issued_at: Date };
const COLUMNS = 'tree_size, root_hash, note, issued_at';

/**
 * The signed checkpoints, insert-only (migration 1733620000000): issued as
 * the tree grows, kept through rebuilds, never rewritten.
 */
export class CheckpointStore {
  constructor(
    private readonly pool: Pool,
    private readonly signer: NoteSigner,
  ) {}

  /** The verifier key of the checkpoints this store signs. */
  get verifierKey(): string {
    return this.signer.verifierKey;
  }

  async latest(): Promise<StoredCheckpoint | null> {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM transparency_checkpoints ORDER BY tree_size DESC LIMIT 1`);
    return rows.length > 0 ? fromRow(rows[0]) : null;
  }

  /** Checkpoints of `from` leaves or more, smallest first, a page at a time; `nextFrom` continues. */
  async list(options: { from?: number; limit?: number } = {}): Promise<{ checkpoints: StoredCheckpoint[]; nextFrom: number | null }> {
    const limit = options.limit ?? CHECKPOINT_PAGE;
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM transparency_checkpoints WHERE tree_size >= $1 ORDER BY tree_size LIMIT $2`, [
      options.from ?? 0,
      limit + 1,
    ]);
    const checkpoints = rows.slice(0, limit).map(fromRow);
    return { checkpoints, nextFrom: rows.length > limit ? Number(rows[limit].tree_size) : null };
  }

  /**
   * Signs the tree's current size if it grew since the latest checkpoint;
   * null when there is nothing new (or another process is issuing right now).
   * Before signing it checks the latest checkpoint's note with its own key and
   * the tree's consistency proof from that checkpoint's root (taken from the
   * signed note, not the row): a rewritten log or a changed key is refused.
   */
  async issue(log: CheckpointedLog): Promise<StoredCheckpoint | null> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // One issuer at a time, whichever process runs one; released at COMMIT. No xid is taken until the INSERT.
      const { rows: lock } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [ISSUE_LOCK]);
      if (!lock[0].locked) {
        await client.query('ROLLBACK');
        return null;
      }
      const { rows: latestRows } = await client.query<Row>(`SELECT ${COLUMNS} FROM transparency_checkpoints ORDER BY tree_size DESC LIMIT 1`);
      const previous = latestRows.length > 0 ? fromRow(latestRows[0]) : null;
      const size = await log.size();
      if (size === 0 || (previous !== null && size <= previous.treeSize)) {
        await client.query('ROLLBACK');
        return null;
      }
      const rootHash = await log.rootAt(size);
      if (previous) await this.assertExtends(previous, size, rootHash, log);
      const note = signNote(formatCheckpoint({ origin: this.signer.name, treeSize: size, rootHash }), this.signer);
      const { rows } = await client.query<Row>(
        `INSERT INTO transparency_checkpoints (tree_size, root_hash, note) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
        [size, rootHash, note],
      );
      await client.query('COMMIT');
      return fromRow(rows[0]);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async assertExtends(previous: StoredCheckpoint, size: number, rootHash: Buffer, log: CheckpointedLog): Promise<void> {
    let signed;
    try {
      signed = parseCheckpoint(verifyNote(previous.note, this.signer.verifierKey).text);
    } catch (error) {
      if (!(error instanceof NoteVerificationError) && !(error instanceof NoteFormatError)) throw error;
      throw new CheckpointRefusedError(
        `the latest checkpoint (tree size ${previous.treeSize}) does not verify with this process's key ${this.signer.verifierKey} (${(error as Error).message}): ` +
          'every process that issues checkpoints must hold the same TRANSPARENCY_KEY, and a checkpoint edited in the database no longer verifies',
      );
    }
    if (signed.treeSize !== previous.treeSize) {
      throw new CheckpointRefusedError(`the checkpoint stored at tree size ${previous.treeSize} signs tree size ${signed.treeSize}: the table was edited`);
    }
    const proof = await log.consistencyProof(signed.treeSize, size);
    if (!verifyConsistency(signed.treeSize, size, signed.rootHash, rootHash, proof)) {
      throw new CheckpointRefusedError(
        `the tree of ${size} events does not extend the signed checkpoint of ${signed.treeSize}: an event already covered by a checkpoint was rewritten (run \`cli verify\` and \`cli rebuild\` to find it); no checkpoint is signed over it`,
      );
    }
  }
}

function fromRow(row: Row): StoredCheckpoint {
  return { treeSize: Number(row.tree_size), rootHash: row.root_hash, note: row.note, issuedAt: row.issued_at.toISOString() };
}
