import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The signed checkpoints (issue 18). Unlike the tree's nodes they are not
 * derived data: each is a commitment a verifier may already hold, so a
 * rebuild keeps them and nothing ever rewrites them. The application role may
 * only read and insert (database/roles.ts); the trigger refuses UPDATE, DELETE
 * and TRUNCATE whoever asks, as the events' does. A superuser can still switch
 * it off — which is why the notes are signed: an edited row no longer verifies.
 */
export class TransparencyCheckpoints1733620000000 implements MigrationInterface {
  name = 'TransparencyCheckpoints1733620000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE transparency_checkpoints (
        tree_size bigint PRIMARY KEY CHECK (tree_size > 0),
        root_hash bytea NOT NULL CHECK (octet_length(root_hash) = 32),
        note text NOT NULL,
        issued_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE FUNCTION transparency_checkpoints_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'checkpoints are never rewritten: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER transparency_checkpoints_insert_only BEFORE UPDATE OR DELETE ON transparency_checkpoints
      FOR EACH ROW EXECUTE FUNCTION transparency_checkpoints_refuse_change()`);
    await queryRunner.query(`
      CREATE TRIGGER transparency_checkpoints_no_truncate BEFORE TRUNCATE ON transparency_checkpoints
      FOR EACH STATEMENT EXECUTE FUNCTION transparency_checkpoints_refuse_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE transparency_checkpoints');
    await queryRunner.query('DROP FUNCTION transparency_checkpoints_refuse_change()');
  }
}
