import type { MigrationInterface, QueryRunner } from 'typeorm';

const DUPLICATE = 'organization_timeline_organization_id_valid_known_idx';

/**
 * The timeline's indexes, measured on the national log (1.79 M rows):
 *
 * - it had two identical GiST indexes on (organization_id, valid, known):
 *   the exclusion constraint's and a plain one. The planner uses either for
 *   the same queries, so the plain one only cost writes (about a third of
 *   the time of inserting timeline rows): dropped;
 * - the live projector deletes and updates rows of the organizations of a
 *   batch with `organization_id = ANY($1)`, which a GiST index cannot serve
 *   (no array search), and closes rows by (organization_id, valid), for which
 *   the planner chose the province GiST index with `valid = …` alone (a scan
 *   of most of it per row): a catch-up of 1,000 events took about a minute.
 *   A btree on (organization_id, valid) serves both exactly.
 *
 * New generations get both changes (the generation function now applies
 * them after creating the tables), and so do existing ones; no data changes.
 */
export class TimelineIndexes1732700000000 implements MigrationInterface {
  name = 'TimelineIndexes1732700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER FUNCTION ktt_create_read_models(text) RENAME TO ktt_create_read_models_1732600000000`);
    await queryRunner.query(`
      CREATE FUNCTION ktt_create_read_models(target_schema text) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM ktt_create_read_models_1732600000000(target_schema);
        EXECUTE format('DROP INDEX %I.%I', target_schema, '${DUPLICATE}');
        EXECUTE format('CREATE INDEX ON %I.organization_timeline (organization_id, valid)', target_schema);
      END $fn$`);
    const schemas: { nspname: string }[] = await queryRunner.query(
      `SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = $1`,
      [DUPLICATE],
    );
    for (const { nspname } of schemas) {
      const schema = `"${nspname.replace(/"/g, '""')}"`;
      await queryRunner.query(`DROP INDEX ${schema}."${DUPLICATE}"`);
      await queryRunner.query(`CREATE INDEX ON ${schema}.organization_timeline (organization_id, valid)`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION ktt_create_read_models(text)`);
    await queryRunner.query(`ALTER FUNCTION ktt_create_read_models_1732600000000(text) RENAME TO ktt_create_read_models`);
  }
}
