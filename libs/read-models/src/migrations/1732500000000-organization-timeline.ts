import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read models live in a schema per generation (`rm_1`, `rm_2`, …) so a
 * rebuild is blue-green: `cli rebuild` creates the next generation's schema
 * with `ktt_create_read_models`, projects the whole log into it while the
 * active one keeps serving, and switches `read_model_generations` when it has
 * caught up. The DDL of a generation lives here, in the migration, as a
 * function (no `synchronize`, no DDL elsewhere).
 *
 * In a generation:
 * - `projection_checkpoints`: where its projection stands, written in the
 *   same transaction as the rows it covers;
 * - `organization_facts`: the projector's own copy of each organization's
 *   stream, so a batch recomputes an organization's timeline without reading
 *   the event store again (idempotent: keyed by event id);
 * - `organization_timeline`: each organization's state over effective-date
 *   ranges, one row per range in which nothing changes. "As of X" is
 *   `valid @> X`, served by the GiST index on (province_code, valid); the
 *   exclusion constraint proves the ranges of one organization never overlap;
 * - `union_memberships`: (union, cooperative) over the ranges in force;
 * - `plan_facts`: plan events, folded per request (a handful of plans).
 */
export class OrganizationTimeline1732500000000 implements MigrationInterface {
  name = 'OrganizationTimeline1732500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await queryRunner.query(`
      CREATE TABLE read_model_generations (
        generation integer PRIMARY KEY,
        schema_name text NOT NULL UNIQUE CHECK (schema_name ~ '^rm_[0-9]+$'),
        state text NOT NULL CHECK (state IN ('building', 'active', 'retired')),
        created_at timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz
      )`);
    // At most one active generation.
    await queryRunner.query(`CREATE UNIQUE INDEX read_model_generations_one_active ON read_model_generations (state) WHERE state = 'active'`);
    await queryRunner.query(`
      CREATE FUNCTION ktt_create_read_models(target_schema text) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        IF target_schema !~ '^rm_[0-9]+$' THEN RAISE EXCEPTION 'bad read-model schema name %', target_schema; END IF;
        EXECUTE format('CREATE SCHEMA %I', target_schema);
        EXECUTE format($$CREATE TABLE %I.projection_checkpoints (
            projection text PRIMARY KEY,
            position text NOT NULL,
            events_applied bigint NOT NULL DEFAULT 0,
            updated_at timestamptz NOT NULL DEFAULT now())$$, target_schema);
        EXECUTE format($$CREATE TABLE %I.organization_facts (
            event_id uuid PRIMARY KEY,
            organization_id uuid NOT NULL,
            revision integer NOT NULL,
            event_type text NOT NULL,
            data jsonb NOT NULL,
            recorded_at timestamptz NOT NULL)$$, target_schema);
        -- one organization's facts in stream order
        EXECUTE format('CREATE UNIQUE INDEX ON %I.organization_facts (organization_id, revision)', target_schema);
        EXECUTE format($$CREATE TABLE %I.organization_timeline (
            organization_id uuid NOT NULL,
            valid daterange NOT NULL,
            kind text NOT NULL,
            name text NOT NULL,
            search_text text NOT NULL,
            registration_number text NOT NULL,
            province_code text NOT NULL,
            sector text NOT NULL,
            status text NOT NULL,
            registered_on date NOT NULL,
            dissolved_on date,
            member_count integer,
            rating text,
            rating_year integer,
            rated_on date,
            managers_total integer,
            managers_with_degree integer,
            director_trained boolean NOT NULL,
            value_chain boolean NOT NULL,
            high_tech boolean NOT NULL,
            enterprise_linked boolean NOT NULL,
            digital_adoption boolean NOT NULL,
            member_cooperative_ids uuid[] NOT NULL,
            version integer NOT NULL,
            EXCLUDE USING gist (organization_id WITH =, valid WITH &&))$$, target_schema);
        -- province progress and lists as of X: one index scan over the province's rows in force at X
        EXECUTE format('CREATE INDEX ON %I.organization_timeline USING gist (province_code, valid)', target_schema);
        -- one organization as of X; list paging by id
        EXECUTE format('CREATE INDEX ON %I.organization_timeline (organization_id, lower(valid))', target_schema);
        EXECUTE format($$CREATE TABLE %I.union_memberships (
            union_id uuid NOT NULL,
            cooperative_id uuid NOT NULL,
            valid daterange NOT NULL,
            union_province_code text NOT NULL)$$, target_schema);
        -- memberships in force at X in a province; a union's and a cooperative's memberships
        EXECUTE format('CREATE INDEX ON %I.union_memberships USING gist (union_province_code, valid)', target_schema);
        EXECUTE format('CREATE INDEX ON %I.union_memberships (union_id)', target_schema);
        EXECUTE format('CREATE INDEX ON %I.union_memberships (cooperative_id)', target_schema);
        EXECUTE format($$CREATE TABLE %I.plan_facts (
            event_id uuid PRIMARY KEY,
            plan_id text NOT NULL,
            revision integer NOT NULL,
            event_type text NOT NULL,
            data jsonb NOT NULL)$$, target_schema);
        EXECUTE format('CREATE UNIQUE INDEX ON %I.plan_facts (plan_id, revision)', target_schema);
      END $fn$`);
    await queryRunner.query(`SELECT ktt_create_read_models('rm_1')`);
    await queryRunner.query(`INSERT INTO read_model_generations (generation, schema_name, state, activated_at) VALUES (1, 'rm_1', 'active', now())`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const generations: { schema_name: string }[] = await queryRunner.query('SELECT schema_name FROM read_model_generations');
    for (const { schema_name } of generations) await queryRunner.query(`DROP SCHEMA "${schema_name}" CASCADE`);
    await queryRunner.query('DROP TABLE read_model_generations');
    await queryRunner.query('DROP FUNCTION ktt_create_read_models(text)');
  }
}
