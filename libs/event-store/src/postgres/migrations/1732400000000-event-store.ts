import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only event log (architecture.md, "The event store").
 *
 * - `global_position` orders events inside one transaction and breaks ties;
 *   `transaction_id` (xid8) is what makes the global order safe to follow:
 *   readers only read rows whose transaction is below the oldest running one
 *   (`pg_snapshot_xmin(pg_current_snapshot())`), so a transaction that took
 *   a lower position but commits later is never skipped.
 * - unique (stream_id, stream_revision) is the optimistic-concurrency check.
 * - a trigger refuses UPDATE, DELETE and TRUNCATE: history is never edited.
 */
export class EventStore1732400000000 implements MigrationInterface {
  name = 'EventStore1732400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE events (
        global_position bigint GENERATED ALWAYS AS IDENTITY,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        stream_id text NOT NULL,
        stream_revision bigint NOT NULL CHECK (stream_revision >= 0),
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        CONSTRAINT events_pkey PRIMARY KEY (transaction_id, global_position),
        CONSTRAINT events_stream_revision_key UNIQUE (stream_id, stream_revision),
        CONSTRAINT events_event_id_key UNIQUE (event_id)
      )`);
    // Readers of the global log seek by the (transaction_id, global_position) pair: the primary key serves them.
    // Reading a stream uses the unique (stream_id, stream_revision) index.
    await queryRunner.query(`
      CREATE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'events are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
      FOR EACH ROW EXECUTE FUNCTION events_refuse_change()`);
    await queryRunner.query(`
      CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
      FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change()`);
    // Wakes live subscribers; NOTIFY is delivered at commit, once per transaction and channel.
    await queryRunner.query(`
      CREATE FUNCTION events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('events_appended', '');
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER events_notify AFTER INSERT ON events
      FOR EACH STATEMENT EXECUTE FUNCTION events_notify()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE events');
    await queryRunner.query('DROP FUNCTION events_refuse_change()');
    await queryRunner.query('DROP FUNCTION events_notify()');
  }
}
