import type { MigrationInterface, QueryRunner } from 'typeorm';

const PROVINCE_INDEX = 'organization_timeline_province_until_idx';
/**
 * Keyed like the index of rows known now (1732900000000: "in force at X" ends after X, which bounds the
 * scan), over every row, with what the questions at an earlier `knownAt` read: the counters of progress,
 * and what flows and lists look at, so most of them are answered from the index alone.
 */
const INDEX_COLUMNS = `(province_code, (coalesce(upper(valid), 'infinity'::date))) INCLUDE (valid, known, organization_id, kind, status, rating, sector, member_count, managers_total, managers_with_degree, director_trained, value_chain, high_tech, enterprise_linked, digital_adoption)`;

/**
 * Replaces the timeline's GiST index on (province_code, valid, known) by a btree (issue 19, the rebuild's
 * floor; bench/manual-measurements.md, "Rebuild, round three").
 *
 * A rebuild builds every secondary index after the load. On the national log (2.31 M timeline rows) the
 * GiST index took 10.5 s of one core on an idle machine (19 s in a rebuild, sharing the two cores), the
 * longest task after the load; this btree takes 2.7-3.1 s. What it served, province questions at an
 * earlier `knownAt` (progress, series, flows, lists), all say "in force at X" or "touching [A, B]", which
 * imply that the row's `valid` ends after X (or A): the same bound the index of rows known now uses.
 * Measured in psql on that log, province 64 (91,670 rows): progress at 2022-06-30 known at 2023-01-01,
 * btree 12-18 ms, GiST 9-23 ms; at 2018-06-30 known at 2019-01-01, btree 19 ms, GiST 28 ms (the planner
 * already chose the btree when both existed); the rows of flows over a year known at 2024-01-01, btree
 * 19 ms, GiST 7-8 ms (a GiST also prunes by `known`; for that one question the btree reads the
 * province's rows ending after the stretch starts). Rows known now keep their partial indexes.
 *
 * New generations get the btree and not the GiST; existing ones too (built here, about 3 s on the
 * national log); no data changes.
 */
export class ProvinceBtreeInsteadOfGist1733740000000 implements MigrationInterface {
  name = 'ProvinceBtreeInsteadOfGist1733740000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER FUNCTION ktt_create_read_models(text) RENAME TO ktt_create_read_models_1733710000000`);
    await queryRunner.query(`
      CREATE FUNCTION ktt_create_read_models(target_schema text) RETURNS void LANGUAGE plpgsql AS $fn$
      DECLARE
        gist_index text;
      BEGIN
        PERFORM ktt_create_read_models_1733710000000(target_schema);
        FOR gist_index IN ${provinceGistIndexes('target_schema')} LOOP
          EXECUTE format('DROP INDEX %I.%I', target_schema, gist_index);
        END LOOP;
        EXECUTE format('CREATE INDEX %I ON %I.organization_timeline ${INDEX_COLUMNS.replace(/'/g, "''")}', '${PROVINCE_INDEX}', target_schema);
      END $fn$`);
    const schemas: { nspname: string }[] = await queryRunner.query(
      `SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'organization_timeline' AND c.relkind = 'r'`,
    );
    for (const { nspname } of schemas) {
      const schema = `"${nspname.replace(/"/g, '""')}"`;
      await queryRunner.query(`CREATE INDEX IF NOT EXISTS "${PROVINCE_INDEX}" ON ${schema}.organization_timeline ${INDEX_COLUMNS}`);
      const gists: { name: string }[] = await queryRunner.query(provinceGistIndexes('$1'), [nspname]);
      for (const { name } of gists) await queryRunner.query(`DROP INDEX ${schema}."${name.replace(/"/g, '""')}"`);
    }
  }

  async down(): Promise<void> {
    throw new Error('read models are derived: to go back, restore the earlier code and rebuild');
  }
}

/** The GiST indexes of `schema`'s timeline whose first column is province_code (named by PostgreSQL, so found, not assumed). */
function provinceGistIndexes(schema: string): string {
  return `SELECT i.relname AS name FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_am a ON a.oid = i.relam
       JOIN pg_attribute c ON c.attrelid = t.oid AND c.attnum = x.indkey[0]
      WHERE n.nspname = ${schema} AND t.relname = 'organization_timeline' AND a.amname = 'gist' AND c.attname = 'province_code'`;
}
