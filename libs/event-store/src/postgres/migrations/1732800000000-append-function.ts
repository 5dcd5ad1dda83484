import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One append, one statement: `ktt_append_events` checks every stream's
 * expected revision and inserts its events inside the statement's own
 * transaction, so an append costs one round trip instead of BEGIN, a revision
 * look-up and an insert per stream, and COMMIT (profile of the append
 * benchmark: the Node process spent most of its time writing to the socket).
 * Inside, it is set-based: one look-up of every stream's revision, one insert
 * of every event (the generator's batches of ~250 streams spent about 310 µs
 * of database time per event with two statements per stream, 36 µs so).
 * The checks are those the adapter made itself before: the expected revision
 * against max(stream_revision), and unique (stream_id, stream_revision) for a
 * writer that slips in between (reported as a wrong expected revision).
 *
 * Expected revisions per stream: -1 = no stream, -2 = any, n >= 0 = exactly n;
 * a stream may appear once per append.
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
        current_revisions bigint[];
        has_events boolean[];
        i int;
        s int;
      BEGIN
        IF cardinality(p_stream_ids) <> (SELECT count(DISTINCT u) FROM unnest(p_stream_ids) u) THEN
          RAISE EXCEPTION 'a stream appears more than once in one append' USING ERRCODE = '22023';
        END IF;
        -- Set-based: every stream's current revision in one statement, every event in one insert
        -- (a statement per stream cost about eight times the database time of a generator's batch).
        SELECT array_agg((SELECT max(e.stream_revision) FROM events e WHERE e.stream_id = u.id) ORDER BY u.n)
          INTO current_revisions
          FROM unnest(p_stream_ids) WITH ORDINALITY AS u(id, n);
        FOR i IN 1 .. coalesce(cardinality(p_stream_ids), 0) LOOP
          IF (p_expected[i] = -1 AND current_revisions[i] IS NOT NULL)
             OR (p_expected[i] >= 0 AND current_revisions[i] IS DISTINCT FROM p_expected[i]) THEN
            RAISE EXCEPTION 'stream % is at %, expected %', p_stream_ids[i], coalesce(current_revisions[i]::text, 'no_stream'), p_expected[i]
              USING ERRCODE = 'KT001', DETAIL = p_stream_ids[i], HINT = coalesce(current_revisions[i]::text, 'no_stream');
          END IF;
        END LOOP;
        RETURN QUERY
          INSERT INTO events AS ev (stream_id, stream_revision, event_id, event_type, data, metadata)
          SELECT p_stream_ids[x.s], coalesce(current_revisions[x.s], -1) + row_number() OVER (PARTITION BY x.s ORDER BY x.ord),
                 x.event_id, x.event_type, x.data, x.metadata
            FROM unnest(p_event_streams, p_event_ids, p_types, p_data, p_metadata) WITH ORDINALITY
                 AS x(s, event_id, event_type, data, metadata, ord)
           ORDER BY x.ord
          RETURNING ev.stream_id, ev.stream_revision, ev.transaction_id::text, ev.global_position;
        -- A stream given no events answers its current revision.
        has_events := array_fill(false, ARRAY[coalesce(cardinality(p_stream_ids), 0)]);
        FOREACH s IN ARRAY coalesce(p_event_streams, '{}') LOOP
          has_events[s] := true;
        END LOOP;
        FOR i IN 1 .. coalesce(cardinality(p_stream_ids), 0) LOOP
          IF NOT has_events[i] THEN
            stream_id := p_stream_ids[i];
            stream_revision := coalesce(current_revisions[i], -1);
            xid_text := NULL;
            global_position := NULL;
            RETURN NEXT;
          END IF;
        END LOOP;
      END $fn$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION ktt_append_events(text[], bigint[], int[], uuid[], text[], jsonb[], jsonb[])');
  }
}
