import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The 2025 reorganization (domain.md, "Administrative units"): the timeline's
 * `province_code`, the memberships' `union_province_code` and the audit
 * trail's `province_code` now hold the seat's *unit* (the first-map province
 * whose territory holds it: `formerProvinceCode ?? provinceCode` of the
 * registration or the latest relocation), and a relocation opens a new row.
 * The tables keep their shape; what the rows mean changed.
 *
 * Read models are derived: as migration 1732600000000 did, this one drops the
 * generations built with the old meaning and starts a fresh, empty one; the
 * projector fills it from position 0 (a rebuild does the same, faster).
 */
export class SeatUnits1733300000000 implements MigrationInterface {
  name = 'SeatUnits1733300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
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
