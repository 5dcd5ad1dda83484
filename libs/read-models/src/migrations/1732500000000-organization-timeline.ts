import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The temporal organization read model (architecture.md, "Reads").
 *
 * - `rm_organization_facts`: the projector's own copy of each organization's
 *   stream, so a batch can recompute an organization's timeline without
 *   reading the event store again (and idempotently: keyed by event id).
 * - `rm_organization_timeline`: each organization's state over effective-date
 *   ranges, one row per range in which nothing changes. "As of X" is
 *   `valid @> X`, served by the GiST index on (province_code, valid); the
 *   exclusion constraint proves the ranges of one organization never overlap.
 * - `rm_union_memberships`: (union, cooperative) over the ranges in force.
 * - `projection_checkpoints`: where each projection stands, written in the
 *   same transaction as the rows it covers.
 */
export class OrganizationTimeline1732500000000 implements MigrationInterface {
  name = 'OrganizationTimeline1732500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await queryRunner.query(`
      CREATE TABLE projection_checkpoints (
        projection text PRIMARY KEY,
        position text NOT NULL,
        events_applied bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE rm_organization_facts (
        event_id uuid PRIMARY KEY,
        organization_id uuid NOT NULL,
        revision integer NOT NULL,
        event_type text NOT NULL,
        data jsonb NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
    // Loading one organization's facts in stream order.
    await queryRunner.query('CREATE UNIQUE INDEX rm_organization_facts_stream ON rm_organization_facts (organization_id, revision)');
    await queryRunner.query(`
      CREATE TABLE rm_organization_timeline (
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
        CONSTRAINT rm_organization_timeline_no_overlap EXCLUDE USING gist (organization_id WITH =, valid WITH &&)
      )`);
    // Province progress and lists "as of X": one index scan over the province's rows in force at X.
    await queryRunner.query('CREATE INDEX rm_organization_timeline_province_valid ON rm_organization_timeline USING gist (province_code, valid)');
    // One organization as of X (the exclusion constraint's index serves it too, this one is narrower).
    await queryRunner.query('CREATE INDEX rm_organization_timeline_org ON rm_organization_timeline (organization_id, lower(valid))');
    await queryRunner.query(`
      CREATE TABLE rm_union_memberships (
        union_id uuid NOT NULL,
        cooperative_id uuid NOT NULL,
        valid daterange NOT NULL,
        union_province_code text NOT NULL
      )`);
    // Memberships in force at X in a province; a cooperative's unions at X.
    await queryRunner.query('CREATE INDEX rm_union_memberships_province_valid ON rm_union_memberships USING gist (union_province_code, valid)');
    await queryRunner.query('CREATE INDEX rm_union_memberships_union ON rm_union_memberships (union_id)');
    await queryRunner.query('CREATE INDEX rm_union_memberships_cooperative ON rm_union_memberships (cooperative_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE rm_union_memberships, rm_organization_timeline, rm_organization_facts, projection_checkpoints');
  }
}
