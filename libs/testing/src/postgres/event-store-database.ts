import { PostgresEventStore } from '@ktt/event-store';
import { createMigratedDatabase, type MigratedDatabase } from './migrated-database';

export interface EventStoreDatabase extends MigratedDatabase {
  /** The PostgreSQL event store on the database's pool. */
  store: PostgresEventStore;
}

/** A fresh migrated database (migrated-database.ts) with the event store most integration specs write through. */
export async function createEventStoreDatabase(prefix = 'test'): Promise<EventStoreDatabase> {
  const database = await createMigratedDatabase(prefix);
  return { ...database, store: new PostgresEventStore({ pool: database.pool, connectionString: database.url }) };
}
