import { OrganizationCommandHandler, seedAdministrativeUnits } from '@ktt/application';
import { PostgresEventStore } from '@ktt/event-store';
import { createMigratedDatabase, type MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import type { Pool } from 'pg';
import path from 'node:path';
import { PlanQueries } from '../plans/plan-queries';
import { loadPopulationFigures } from '../population/population';
import { ProgressQueries } from './progress-queries';
import { projectToHead } from './progress-property.test-harness';

/**
 * What map.property.int-spec.ts needs besides the shared harness: a fresh
 * database for each history. Its histories are seated in real provinces
 * (89, 91, 10, 15, 01), so two histories may not share a database the way
 * the other property tests share one by giving each a province of its own.
 *
 * Test support only (left out of the product build, like the shared harness).
 */
export interface HistoryDatabase {
  pool: Pool;
  store: PostgresEventStore;
  commands: OrganizationCommandHandler;
  progress: ProgressQueries;
  /** Runs the real projector over this database up to the head of its log. */
  project(): Promise<void>;
}

export class FreshDatabases {
  private database: MigratedDatabase | null = null;

  constructor(
    private readonly prefix: string,
    private readonly dataDir: string,
  ) {}

  /** Drops the previous history's database and creates the next one. */
  async next(): Promise<HistoryDatabase> {
    await this.database?.dispose();
    const database = (this.database = await createMigratedDatabase(this.prefix));
    const store = new PostgresEventStore({ pool: database.pool, connectionString: database.url });
    // The 2025 merger recorded as the api records it on first start: commands are judged on the map as recorded.
    await seedAdministrativeUnits(store, this.dataDir);
    const populations = loadPopulationFigures(path.join(this.dataDir, 'reference', 'province-population-figures.json'));
    return {
      pool: database.pool,
      store,
      commands: new OrganizationCommandHandler(store),
      // The population of the reference data, as the api reads it.
      progress: new ProgressQueries(new PlanQueries(), (units, date) => populations.populationOf(units, date).value),
      project: () => projectToHead(database.pool, store),
    };
  }

  async dispose(): Promise<void> {
    await this.database?.dispose();
    this.database = null;
  }
}
