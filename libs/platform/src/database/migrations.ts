import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { AppendBatchFastPath1733730000000, AppendBatchFunction1733720000000, AppendFunction1732800000000, EventStore1732400000000 } from '@ktt/event-store';
import { BitemporalReadModels1732600000000, CurrentProvinceIndex1732900000000, OrganizationTimeline1732500000000, QuarantinedEvents1733100000000, SeatUnits1733300000000, TimelineIndexes1732700000000, UnknownFlagsAndLapsingRatings1733400000000, AuditEventSources1733520000000, TimelineNoOverlapCheck1733700000000, OrganizationListIndex1733710000000, ProvinceBtreeInsteadOfGist1733740000000 } from '@ktt/read-models';
import { TransparencyCheckpoints1733620000000, TransparencyTree1733630000000 } from '@ktt/transparency';

/** Every schema change, in order. Never `synchronize` (architecture.md, "Reads"). */
export const MIGRATIONS = [EventStore1732400000000, OrganizationTimeline1732500000000, BitemporalReadModels1732600000000, TimelineIndexes1732700000000, AppendFunction1732800000000, CurrentProvinceIndex1732900000000, QuarantinedEvents1733100000000, SeatUnits1733300000000, UnknownFlagsAndLapsingRatings1733400000000, AuditEventSources1733520000000, TransparencyCheckpoints1733620000000, TransparencyTree1733630000000, TimelineNoOverlapCheck1733700000000, OrganizationListIndex1733710000000, AppendBatchFunction1733720000000, AppendBatchFastPath1733730000000, ProvinceBtreeInsteadOfGist1733740000000];

/**
 * Applies pending migrations. Concurrent starters (several api replicas)
 * serialise on an advisory lock so a migration never runs twice.
 */
export async function runMigrations(url: string, logger?: Logger): Promise<string[]> {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    // The owner's default search path starts with "$user": a schema of the owner's name, which the application
    // role may create (it makes every generation's schema), would shadow public.schema_migrations and the tables
    // the migrations name, and a trigger of the application role's there would run as the owner. Public only.
    schema: 'public',
    extra: { options: '-c search_path=public' },
    logging: false,
  });
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', ['ktt:migrations']);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const migration of applied) logger?.info({ migration: migration.name }, 'migration applied');
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', ['ktt:migrations']).catch(() => undefined);
    await runner.release();
    await dataSource.destroy();
  }
}
