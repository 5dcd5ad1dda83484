import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The bitemporal invariant (no two timeline rows of one organization overlap
 * in both effective and recorded time) was an exclusion constraint. Adding it
 * after a rebuild's load took 38 s of a 204 s national rebuild, three times
 * the plain GiST index on the same table, and its GiST index served no query
 * the btree on (organization_id, valid) does not (bench/manual-measurements.md).
 *
 * It is now checked by statement-level triggers on INSERT and UPDATE: the
 * rows a statement wrote (its transition table) are matched against the
 * table through the btree on (organization_id, valid), and an overlap raises
 * SQLSTATE 23P01 (exclusion_violation) naming the organization, as the
 * constraint did, so the projector's quarantine treats it alike. A rebuild
 * turns the triggers off while it loads and checks the whole table once,
 * set-based, before it turns them on again (rebuild/no-overlap.ts).
 *
 * The constraint also serialised concurrent writers of one organization; the
 * triggers see committed rows and their own: one projector writes a
 * generation at a time (its advisory lock), a rebuild writes a schema no one
 * else writes. New generations get the triggers, and so do existing schemas.
 */
export class TimelineNoOverlapCheck1733700000000 implements MigrationInterface {
  name = 'TimelineNoOverlapCheck1733700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION ktt_timeline_no_overlap() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        clash record;
      BEGIN
        -- Each written row meets itself in the table; a second match is an overlap. An organization's
        -- rows are read by the btree on (organization_id, valid) alone (OFFSET 0 keeps the overlap tests
        -- out of the scan): given "valid &&" and "known &&", the planner also searched the GiST index on
        -- (province_code, valid, known) without a province, ~141,000 entries per row on the national log,
        -- 180 ms per row the live projector wrote (bench/manual-measurements.md, the soak).
        EXECUTE format($q$
          SELECT n.organization_id, n.valid::text AS valid, n.known::text AS known
            FROM new_rows n
            CROSS JOIN LATERAL (
              SELECT count(*) AS matches
                FROM (SELECT t.valid, t.known FROM %I.%I t WHERE t.organization_id = n.organization_id OFFSET 0) t
               WHERE t.valid && n.valid AND t.known && n.known) m
           WHERE m.matches > 1 LIMIT 1$q$, TG_TABLE_SCHEMA, TG_TABLE_NAME)
          INTO clash;
        IF clash.organization_id IS NOT NULL THEN
          RAISE EXCEPTION 'timeline rows of organization % overlap in effective and recorded time (valid %, known %)',
            clash.organization_id, clash.valid, clash.known
            USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'organization_timeline_no_overlap',
                  SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME;
        END IF;
        RETURN NULL;
      END $fn$`);
    await queryRunner.query(`
      CREATE FUNCTION ktt_timeline_no_overlap_triggers(target_schema text) RETURNS void LANGUAGE plpgsql AS $fn$
      DECLARE
        excl text;
      BEGIN
        FOR excl IN SELECT conname FROM pg_constraint
                     WHERE conrelid = format('%I.organization_timeline', target_schema)::regclass AND contype = 'x' LOOP
          EXECUTE format('ALTER TABLE %I.organization_timeline DROP CONSTRAINT %I', target_schema, excl);
        END LOOP;
        EXECUTE format($t$CREATE TRIGGER organization_timeline_no_overlap_insert AFTER INSERT ON %I.organization_timeline
          REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ktt_timeline_no_overlap()$t$, target_schema);
        EXECUTE format($t$CREATE TRIGGER organization_timeline_no_overlap_update AFTER UPDATE ON %I.organization_timeline
          REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ktt_timeline_no_overlap()$t$, target_schema);
      END $fn$`);
    await queryRunner.query(`ALTER FUNCTION ktt_create_read_models(text) RENAME TO ktt_create_read_models_1733520000000`);
    await queryRunner.query(`
      CREATE FUNCTION ktt_create_read_models(target_schema text) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM ktt_create_read_models_1733520000000(target_schema);
        PERFORM ktt_timeline_no_overlap_triggers(target_schema);
      END $fn$`);
    const schemas: { nspname: string }[] = await queryRunner.query(
      `SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'organization_timeline' AND c.relkind = 'r'`,
    );
    for (const { nspname } of schemas) await queryRunner.query('SELECT ktt_timeline_no_overlap_triggers($1)', [nspname]);
  }

  async down(): Promise<void> {
    throw new Error('read models are derived: to go back, restore the earlier code and rebuild');
  }
}
