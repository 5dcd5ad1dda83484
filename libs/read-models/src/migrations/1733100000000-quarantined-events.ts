import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLE = `
  CREATE TABLE %I.quarantined_events (
    event_id uuid PRIMARY KEY,
    -- the event's place in the whole log (as audit_events.sequence): orders a stream's held events
    sequence bigint NOT NULL,
    position text NOT NULL,
    stream_id text NOT NULL,
    revision bigint NOT NULL,
    event_type text NOT NULL,
    -- the organization it is about (its id lower-cased), and the province of its registration: what answers say they are degraded by
    organization_id uuid,
    province_code text,
    -- failed: applying it failed; held: an earlier event of its stream is quarantined
    reason text NOT NULL CHECK (reason IN ('failed', 'held')),
    error text NOT NULL,
    quarantined_at timestamptz NOT NULL DEFAULT now(),
    attempts int NOT NULL DEFAULT 1
  )`;

/**
 * Poison events are isolated, not fatal (architecture.md, "Reads"): an event
 * the projector cannot apply is recorded here, in the same transaction as the
 * checkpoint, with every later event of its stream; the other streams go on.
 * One table per generation, like the checkpoint it moves with; existing
 * generations and replays get it too. No data changes.
 */
export class QuarantinedEvents1733100000000 implements MigrationInterface {
  name = 'QuarantinedEvents1733100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER FUNCTION ktt_create_read_models(text) RENAME TO ktt_create_read_models_1732900000000`);
    await queryRunner.query(`
      CREATE FUNCTION ktt_create_read_models(target_schema text) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM ktt_create_read_models_1732900000000(target_schema);
        EXECUTE format($t$${TABLE}$t$, target_schema);
        EXECUTE format('CREATE INDEX ON %I.quarantined_events (stream_id, sequence)', target_schema);
        EXECUTE format('CREATE INDEX ON %I.quarantined_events (organization_id)', target_schema);
      END $fn$`);
    const schemas: { nspname: string; owner: string }[] = await queryRunner.query(
      `SELECT n.nspname, pg_get_userbyid(n.nspowner) AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relname = 'projection_checkpoints' AND c.relkind = 'r'`,
    );
    const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
    for (const { nspname, owner } of schemas) {
      const schema = quote(nspname);
      await queryRunner.query(TABLE.replace('%I', schema));
      await queryRunner.query(`CREATE INDEX ON ${schema}.quarantined_events (stream_id, sequence)`);
      await queryRunner.query(`CREATE INDEX ON ${schema}.quarantined_events (organization_id)`);
      // The generation's tables belong to its schema's owner (the application role, which writes them).
      await queryRunner.query(`ALTER TABLE ${schema}.quarantined_events OWNER TO ${quote(owner)}`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION ktt_create_read_models(text)`);
    await queryRunner.query(`ALTER FUNCTION ktt_create_read_models_1732900000000(text) RENAME TO ktt_create_read_models`);
  }
}
