import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One append, one statement: `ktt_append_events` checks every stream's
 * expected revision and inserts its events inside the statement's own
 * transaction, so an append costs one round trip instead of BEGIN, a revision
 * look-up and an insert per stream, and COMMIT (profile of the append
 * benchmark: the Node process spent most of its time writing to the socket).
 * The checks are those the adapter made itself before: the expected revision
 * against max(stream_revision), and unique (stream_id, stream_revision) for a
 * writer that slips in between (reported as a wrong expected revision).
 *
 * Expected revisions per stream: -1 = no stream, -2 = any, n >= 0 = exactly n.
 * Events are given in order with the 1-based index of their stream. Answers
 * one row per event (its stream, revision, transaction and position), and one
 * row with null position for a stream given no events (its current revision).
 * A wrong expected revision raises SQLSTATE KT001 with the stream id as DETAIL
 * and its current revision (or no_stream) as HINT.
 */
export class AppendFunction1732800000000 implements MigrationInterface {
  name = 'AppendFunction1732800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION ktt_append_events(
        p_stream_ids text[], p_expected bigint[],
        p_event_streams int[], p_event_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb[]
      ) RETURNS TABLE (stream_id text, stream_revision bigint, xid_text text, global_position bigint)
      LANGUAGE plpgsql AS $fn$
      DECLARE
        i int;
        current_revision bigint;
      BEGIN
        FOR i IN 1 .. coalesce(array_length(p_stream_ids, 1), 0) LOOP
          SELECT max(e.stream_revision) INTO current_revision FROM events e WHERE e.stream_id = p_stream_ids[i];
          IF (p_expected[i] = -1 AND current_revision IS NOT NULL)
             OR (p_expected[i] >= 0 AND current_revision IS DISTINCT FROM p_expected[i]) THEN
            RAISE EXCEPTION 'stream % is at %, expected %', p_stream_ids[i], coalesce(current_revision::text, 'no_stream'), p_expected[i]
              USING ERRCODE = 'KT001', DETAIL = p_stream_ids[i], HINT = coalesce(current_revision::text, 'no_stream');
          END IF;
          RETURN QUERY
            INSERT INTO events AS ev (stream_id, stream_revision, event_id, event_type, data, metadata)
            SELECT p_stream_ids[i], coalesce(current_revision, -1) + u.nth, u.event_id, u.event_type, u.data, u.metadata
              FROM (SELECT x.*, row_number() OVER (ORDER BY x.ord) AS nth
                      FROM unnest(p_event_streams, p_event_ids, p_types, p_data, p_metadata) WITH ORDINALITY
                           AS x(s, event_id, event_type, data, metadata, ord)
                     WHERE x.s = i) u
             ORDER BY u.ord
            RETURNING ev.stream_id, ev.stream_revision, ev.transaction_id::text, ev.global_position;
          IF NOT FOUND THEN
            RETURN QUERY SELECT p_stream_ids[i], coalesce(current_revision, -1), NULL::text, NULL::bigint;
          END IF;
        END LOOP;
      END $fn$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION ktt_append_events(text[], bigint[], int[], uuid[], text[], jsonb[], jsonb[])');
  }
}
