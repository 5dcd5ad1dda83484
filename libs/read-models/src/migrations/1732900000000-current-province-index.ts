import type { MigrationInterface, QueryRunner } from 'typeorm';

const CURRENT = 'organization_timeline_province_current_idx';
/** Every generation and replay schema has it (migration 1732600000000). */
const PROVINCE_INDEX = 'organization_timeline_province_code_valid_known_idx';
const COUNTED = 'kind, status, rating, sector, member_count, managers_total, managers_with_degree, director_trained, value_chain, high_tech, enterprise_linked, digital_adoption';

/**
 * Province progress "as known now" read through an index of its own,
 * profiled on the national log (1.79 M timeline rows; province 15 holds
 * 66,906, of which about 7,600 are in force at a recent date):
 *
 * - 47 % of the timeline's rows are superseded versions (`known` closed),
 *   mostly with open `valid` ranges: the index on (province_code, valid,
 *   known) visited 36,683 entries to find the 7,642 known now and in force
 *   at 2026-06-01. This index holds only the rows known now
 *   (`WHERE upper_inf(known)`, 950,201 rows);
 * - it includes the columns the metrics count (metrics-query.ts), so the
 *   query reads the index alone (an index-only scan) instead of one table
 *   page per row: the rows in force at a date lie about one per page.
 *   Index-only scans need the visibility map: a rebuild vacuums its tables;
 * - a btree on the end of `valid` (the rows in force at X end after X) beat
 *   a GiST index on (province_code, valid) with the same columns: 2.9 to
 *   8.1 ms against 3.7 to 11.3 ms for one date from 2016 to 2026 (the GiST
 *   index checks every entry of the pages it visits), at 96 MB against
 *   113 MB, built in 2.4 s against 9 s.
 *
 * Questions with a past `knownAt` keep the index on (province_code, valid,
 * known). New generations get this index, and so do existing ones; no data
 * changes. Measured figures: bench/manual-measurements.md.
 */
export class CurrentProvinceIndex1732900000000 implements MigrationInterface {
  name = 'CurrentProvinceIndex1732900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER FUNCTION ktt_create_read_models(text) RENAME TO ktt_create_read_models_1732700000000`);
    await queryRunner.query(`
      CREATE FUNCTION ktt_create_read_models(target_schema text) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM ktt_create_read_models_1732700000000(target_schema);
        EXECUTE format('CREATE INDEX %I ON %I.organization_timeline (province_code, (coalesce(upper(valid), ''infinity''::date))) INCLUDE (valid, ${COUNTED}) WHERE upper_inf(known)', '${CURRENT}', target_schema);
      END $fn$`);
    const schemas: { nspname: string }[] = await queryRunner.query(
      `SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = $1`,
      [PROVINCE_INDEX],
    );
    for (const { nspname } of schemas) {
      const schema = `"${nspname.replace(/"/g, '""')}"`;
      await queryRunner.query(`CREATE INDEX "${CURRENT}" ON ${schema}.organization_timeline (province_code, (coalesce(upper(valid), 'infinity'::date))) INCLUDE (valid, ${COUNTED}) WHERE upper_inf(known)`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION ktt_create_read_models(text)`);
    await queryRunner.query(`ALTER FUNCTION ktt_create_read_models_1732700000000(text) RENAME TO ktt_create_read_models`);
  }
}
