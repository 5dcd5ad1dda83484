import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The verifiable log's Merkle tree (issue 18, RFC 9162 §2.1), stored so that
 * any root or proof at any size is O(log n) indexed reads:
 * - transparency_leaves: one row per event of the global log, in the order the
 *   projector reads it (leaf_index from 0), with SHA-256(0x00 || event hash)
 *   and where the event is (stream, revision: read back through the event
 *   store's port, either engine, for the inclusion proof's whole event);
 * - transparency_nodes: the hash of every complete perfect subtree of two or
 *   more leaves (level l ≥ 1, index i covers leaves [i·2^l, (i+1)·2^l)); a
 *   subtree's hash never changes once complete, whatever the tree grows to;
 * - transparency_tree: its one row holds the size, the log position of the
 *   last leaf (where the builder resumes) and a generation that a rebuild's
 *   reset bumps, so a builder appending from before the reset stops.
 * Derived data, rebuilt from the log by `cli rebuild` (the signed checkpoints,
 * which are not, live in transparency_checkpoints and are kept).
 */
export class TransparencyTree1733630000000 implements MigrationInterface {
  name = 'TransparencyTree1733630000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE transparency_leaves (
        leaf_index bigint PRIMARY KEY CHECK (leaf_index >= 0),
        event_id uuid NOT NULL UNIQUE,
        stream_id text NOT NULL,
        stream_revision bigint NOT NULL,
        leaf_hash bytea NOT NULL CHECK (octet_length(leaf_hash) = 32)
      )`);
    await queryRunner.query(`
      CREATE TABLE transparency_nodes (
        level int NOT NULL CHECK (level >= 1),
        idx bigint NOT NULL CHECK (idx >= 0),
        hash bytea NOT NULL CHECK (octet_length(hash) = 32),
        PRIMARY KEY (level, idx)
      )`);
    await queryRunner.query(`
      CREATE TABLE transparency_tree (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        size bigint NOT NULL CHECK (size >= 0),
        last_position text,
        generation bigint NOT NULL DEFAULT 0
      )`);
    await queryRunner.query('INSERT INTO transparency_tree (singleton, size) VALUES (true, 0)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE transparency_tree');
    await queryRunner.query('DROP TABLE transparency_nodes');
    await queryRunner.query('DROP TABLE transparency_leaves');
  }
}
