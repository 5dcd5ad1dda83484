import type { MigrationInterface, QueryRunner } from 'typeorm';

const LIST_INDEX = 'organization_timeline_list_current_idx';
/** The list's filters and sort keys (organization-queries.ts: the name too, for sort=name) and the folded text `q` searches. */
const INDEX_COLUMNS = `(province_code, (coalesce(upper(valid), 'infinity'::date)), organization_id) INCLUDE (valid, kind, status, sector, registered_on, name, search_text) WHERE upper_inf(known)`;

/**
 * The organization list of a territory, known now, read through an index of its own, profiled on
 * the national log (2.3 M timeline rows, 994,593 known now; bench/manual-measurements.md, "Organization
 * list at national scale"):
 *
 * - the list sorted its page out of the whole timeline: the planner walked the btree on
 *   (organization_id, valid) in id order, filtering, and read 241,329 rows for a page of 51 of
 *   province 91's active cooperatives (p95 82 ms with filters, 450 ms with a search `q`). It now
 *   finds the matches first, then sorts them (at most the few thousand organizations of a province
 *   in force at a date);
 * - this index holds what the matches are chosen by and sorted on, for the rows known now only
 *   (`WHERE upper_inf(known)`), keyed like the index of province progress (1732900000000: "in force
 *   at X" ends after X), so the matches come from the index alone, `q` included (the folded
 *   `search_text`, and the name for sort=name), with no visit to the table: an index-only scan. The
 *   page's rows are then read one by one by the whole key (province, end of `valid`, organization).
 *   The index of progress could not serve: it lacks the organization, the name and the search text.
 *   203 MB at national scale, built in about 4 s per generation on a loaded 2-core machine;
 * - a trigram index (pg_trgm, GIN) on the search text, known now, took 14.5 s to build there, a
 *   cost every rebuild would pay, and would not narrow the searches asked: two words of a real name
 *   ("tác xã", "nông nghiệp") are in most names; the territory narrows them, not the words.
 *
 * New generations get this index, and so do existing ones (built here, a few seconds on the
 * national log); no data changes. A rebuild drops it before loading and builds it after, as every
 * secondary index (rebuild/deferred-indexes.ts).
 */
export class OrganizationListIndex1733710000000 implements MigrationInterface {
  name = 'OrganizationListIndex1733710000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER FUNCTION ktt_create_read_models(text) RENAME TO ktt_create_read_models_1733700000000`);
    await queryRunner.query(`
      CREATE FUNCTION ktt_create_read_models(target_schema text) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM ktt_create_read_models_1733700000000(target_schema);
        EXECUTE format('CREATE INDEX %I ON %I.organization_timeline ${INDEX_COLUMNS.replace(/'/g, "''")}', '${LIST_INDEX}', target_schema);
      END $fn$`);
    const schemas: { nspname: string }[] = await queryRunner.query(
      `SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'organization_timeline' AND c.relkind = 'r'`,
    );
    for (const { nspname } of schemas) {
      await queryRunner.query(`CREATE INDEX IF NOT EXISTS "${LIST_INDEX}" ON "${nspname.replace(/"/g, '""')}".organization_timeline ${INDEX_COLUMNS}`);
    }
  }

  async down(): Promise<void> {
    throw new Error('read models are derived: to go back, restore the earlier code and rebuild');
  }
}
