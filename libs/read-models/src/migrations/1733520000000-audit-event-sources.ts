import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail names the file an imported event came from (issue 17): `audit_events.source`
 * holds the event's metadata `source` (`{ kind: 'import', fileName, sha256 }`), NULL for every other
 * event. New generations get the column (the generation function adds it after creating the
 * tables), and so do existing schemas, replays included. No rebuild: events recorded before this
 * release carry no source (imports came with it), so NULL is what a rebuild would write too.
 */
export class AuditEventSources1733520000000 implements MigrationInterface {
  name = 'AuditEventSources1733520000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER FUNCTION ktt_create_read_models(text) RENAME TO ktt_create_read_models_1733400000000`);
    await queryRunner.query(`
      CREATE FUNCTION ktt_create_read_models(target_schema text) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM ktt_create_read_models_1733400000000(target_schema);
        EXECUTE format('ALTER TABLE %I.audit_events ADD COLUMN source jsonb', target_schema);
      END $fn$`);
    const schemas: { nspname: string }[] = await queryRunner.query(
      `SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'audit_events' AND c.relkind = 'r'`,
    );
    for (const { nspname } of schemas) {
      await queryRunner.query(`ALTER TABLE "${nspname.replace(/"/g, '""')}".audit_events ADD COLUMN IF NOT EXISTS source jsonb`);
    }
  }

  async down(): Promise<void> {
    throw new Error('read models are derived: to go back, restore the earlier code and rebuild');
  }
}
