import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The second clock (domain.md, "Two clocks"): every timeline row also holds
 * the recorded-time range in which the system knew it (`known`), so "as of
 * X, known at T" is `valid @> X AND known @> T`, one indexed query, and a
 * record made later — back-dated or a correction — never changes what an
 * earlier `knownAt` answers. Also `audit_events`, the audit trail.
 *
 * Read models are derived data: this migration replaces the generation
 * function and starts a fresh, empty generation; the projector fills it from
 * position 0 (the old generations are dropped).
 */
export class BitemporalReadModels1732600000000 implements MigrationInterface {
  name = 'BitemporalReadModels1732600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION ktt_create_read_models(target_schema text) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        IF target_schema !~ '^(rm_[0-9]+|replay_[a-z0-9_]{1,40})$' THEN RAISE EXCEPTION 'bad read-model schema name %', target_schema; END IF;
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
            known tstzrange NOT NULL,
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
            EXCLUDE USING gist (organization_id WITH =, valid WITH &&, known WITH &&))$$, target_schema);
        -- province progress and lists as of X known at T: one index scan over the province's rows in force
        EXECUTE format('CREATE INDEX ON %I.organization_timeline USING gist (province_code, valid, known)', target_schema);
        -- one organization as of X known at T
        EXECUTE format('CREATE INDEX ON %I.organization_timeline USING gist (organization_id, valid, known)', target_schema);
        EXECUTE format($$CREATE TABLE %I.union_memberships (
            union_id uuid NOT NULL,
            cooperative_id uuid NOT NULL,
            valid daterange NOT NULL,
            known tstzrange NOT NULL,
            union_province_code text NOT NULL)$$, target_schema);
        -- memberships in force at X known at T in a province; a union's and a cooperative's memberships
        EXECUTE format('CREATE INDEX ON %I.union_memberships USING gist (union_province_code, valid, known)', target_schema);
        EXECUTE format('CREATE INDEX ON %I.union_memberships (union_id)', target_schema);
        EXECUTE format('CREATE INDEX ON %I.union_memberships (cooperative_id)', target_schema);
        EXECUTE format($$CREATE TABLE %I.plan_facts (
            event_id uuid PRIMARY KEY,
            plan_id text NOT NULL,
            revision integer NOT NULL,
            event_type text NOT NULL,
            data jsonb NOT NULL,
            recorded_at timestamptz NOT NULL)$$, target_schema);
        EXECUTE format('CREATE UNIQUE INDEX ON %I.plan_facts (plan_id, revision)', target_schema);
        EXECUTE format($$CREATE TABLE %I.audit_events (
            event_id uuid PRIMARY KEY,
            position text NOT NULL,
            stream_id text NOT NULL,
            revision integer NOT NULL,
            event_type text NOT NULL,
            recorded_at timestamptz NOT NULL,
            recorded_by text NOT NULL,
            organization_id uuid,
            province_code text,
            effective_on date,
            decision_ref text,
            corrects_event_id uuid,
            corrected_by_event_id uuid,
            sequence bigint NOT NULL)$$, target_schema);
        -- the trail by recorded time (cursor on (recorded_at, sequence)), filtered by who, where, what
        EXECUTE format('CREATE INDEX ON %I.audit_events (recorded_at, sequence)', target_schema);
        EXECUTE format('CREATE INDEX ON %I.audit_events (recorded_by, recorded_at)', target_schema);
        EXECUTE format('CREATE INDEX ON %I.audit_events (province_code, recorded_at)', target_schema);
        EXECUTE format('CREATE INDEX ON %I.audit_events (organization_id, revision)', target_schema);
      END $fn$`);
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
