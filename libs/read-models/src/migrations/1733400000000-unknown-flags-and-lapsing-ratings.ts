import type { MigrationInterface, QueryRunner } from 'typeorm';

const FLAG_COLUMNS = ['director_trained', 'value_chain', 'high_tech', 'enterprise_linked', 'digital_adoption'];
const DROP_NOT_NULL = FLAG_COLUMNS.map((column) => `ALTER COLUMN ${column} DROP NOT NULL`).join(', ');

/**
 * Two changes of what the timeline's rows hold (domain.md, "Ratings" and the profile flags):
 *
 * - a profile flag may be unknown: the five flag columns hold NULL for it (`managers_*` were
 *   nullable already). New generations get nullable columns (the generation function now drops
 *   the constraint after creating the tables), and so do existing schemas, replays included;
 * - a rating lapses on 1 January of its year + 3, and the rating in force is the one of the
 *   greatest year assessed, not the latest decision: rows built before say otherwise.
 *
 * Read models are derived: as migration 1733300000000 did, this one drops the generations built
 * with the old meaning and starts a fresh, empty one; the projector fills it from position 0 (a
 * rebuild does the same, faster). Stored events are untouched: an old registration's flags stay
 * as stored (false), see the upcaster of OrganizationRegistered v1.
 */
export class UnknownFlagsAndLapsingRatings1733400000000 implements MigrationInterface {
  name = 'UnknownFlagsAndLapsingRatings1733400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER FUNCTION ktt_create_read_models(text) RENAME TO ktt_create_read_models_1733100000000`);
    await queryRunner.query(`
      CREATE FUNCTION ktt_create_read_models(target_schema text) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM ktt_create_read_models_1733100000000(target_schema);
        EXECUTE format('ALTER TABLE %I.organization_timeline ${DROP_NOT_NULL}', target_schema);
      END $fn$`);
    const schemas: { nspname: string }[] = await queryRunner.query(
      `SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'organization_timeline' AND c.relkind = 'r'`,
    );
    for (const { nspname } of schemas) {
      await queryRunner.query(`ALTER TABLE "${nspname.replace(/"/g, '""')}".organization_timeline ${DROP_NOT_NULL}`);
    }
    const generations: { schema_name: string }[] = await queryRunner.query('SELECT schema_name FROM read_model_generations');
    for (const { schema_name } of generations) {
      if (!/^rm_[0-9]+$/.test(schema_name)) throw new Error(`unexpected schema ${schema_name}`);
      await queryRunner.query(`DROP SCHEMA IF EXISTS "${schema_name}" CASCADE`);
    }
    await queryRunner.query(`UPDATE read_model_generations SET state = 'retired' WHERE state <> 'retired'`);
    const [{ next }] = await queryRunner.query('SELECT coalesce(max(generation), 0) + 1 AS next FROM read_model_generations');
    await queryRunner.query('SELECT ktt_create_read_models($1)', [`rm_${next}`]);
    await queryRunner.query(`INSERT INTO read_model_generations (generation, schema_name, state, activated_at) VALUES ($1, $2, 'active', now())`, [next, `rm_${next}`]);
  }

  async down(): Promise<void> {
    throw new Error('read models are derived: to go back, restore the earlier code and rebuild');
  }
}
