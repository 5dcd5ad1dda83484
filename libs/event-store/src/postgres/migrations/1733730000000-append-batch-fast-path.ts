import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A fast path for `ktt_append_batch` (migration 1733720000000): when no stream
 * is in two appends of the batch, the whole batch is first tried as one call
 * of `ktt_append_events` (one set-based check of every expected revision, one
 * insert of every event). Only if that fails (a wrong expected revision, a
 * writer of another process that took a revision meanwhile, any error) is each
 * append judged on its own in its own subtransaction, as before, so the
 * answers are the same: one conflict never fails the others. Profile (issue
 * 19, bench/manual-measurements.md): the per-append path spent about 290 µs of
 * PostgreSQL CPU per registration of a batch of 8 concurrent writers.
 */
export class AppendBatchFastPath1733730000000 implements MigrationInterface {
  name = 'AppendBatchFastPath1733730000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION ktt_append_batch(
        p_stream_counts int[], p_event_counts int[],
        p_stream_ids text[], p_expected bigint[],
        p_event_streams int[], p_event_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb[]
      ) RETURNS TABLE (append_index int, stream_id text, stream_revision bigint, xid_text text, global_position bigint,
                       error_code text, error_message text, error_detail text, error_hint text, error_constraint text)
      LANGUAGE plpgsql AS $fn$
      DECLARE
        a int;
        s0 int := 0;
        e0 int := 0;
        ns int;
        ne int;
        e int;
        append_of_stream int[] := '{}';
        batch_event_streams int[] := '{}';
      BEGIN
        IF cardinality(p_stream_counts) IS DISTINCT FROM cardinality(p_event_counts) THEN
          RAISE EXCEPTION 'stream and event counts of a batch differ in length' USING ERRCODE = '22023';
        END IF;
        -- Fast path: when no stream is in two appends, the whole batch is one call of ktt_append_events
        -- (one set-based check and one insert instead of one of each per append). If any append fails,
        -- the call takes back all it wrote and each append is judged on its own below.
        IF cardinality(p_stream_ids) = (SELECT count(DISTINCT u) FROM unnest(p_stream_ids) u) THEN
          FOR a IN 1 .. coalesce(cardinality(p_stream_counts), 0) LOOP
            FOR e IN 1 .. p_stream_counts[a] LOOP
              append_of_stream := append_of_stream || a;
            END LOOP;
            FOR e IN e0 + 1 .. e0 + p_event_counts[a] LOOP
              batch_event_streams := batch_event_streams || (s0 + p_event_streams[e]);
            END LOOP;
            s0 := s0 + p_stream_counts[a];
            e0 := e0 + p_event_counts[a];
          END LOOP;
          BEGIN
            RETURN QUERY
              SELECT append_of_stream[array_position(p_stream_ids, r.stream_id)], r.stream_id, r.stream_revision, r.xid_text, r.global_position,
                     NULL::text, NULL::text, NULL::text, NULL::text, NULL::text
                FROM ktt_append_events(p_stream_ids, p_expected, batch_event_streams, p_event_ids, p_types, p_data, p_metadata) r;
            RETURN;
          EXCEPTION WHEN OTHERS THEN
            s0 := 0;
            e0 := 0;
          END;
        END IF;
        FOR a IN 1 .. coalesce(cardinality(p_stream_counts), 0) LOOP
          ns := p_stream_counts[a];
          ne := p_event_counts[a];
          BEGIN
            -- The only statement of the block: if it fails it has returned nothing, and the block's
            -- subtransaction takes back whatever it wrote.
            RETURN QUERY
              SELECT a, r.stream_id, r.stream_revision, r.xid_text, r.global_position,
                     NULL::text, NULL::text, NULL::text, NULL::text, NULL::text
                FROM ktt_append_events(
                  coalesce(p_stream_ids[s0 + 1 : s0 + ns], '{}'), coalesce(p_expected[s0 + 1 : s0 + ns], '{}'),
                  coalesce(p_event_streams[e0 + 1 : e0 + ne], '{}'), coalesce(p_event_ids[e0 + 1 : e0 + ne], '{}'),
                  coalesce(p_types[e0 + 1 : e0 + ne], '{}'), coalesce(p_data[e0 + 1 : e0 + ne], '{}'),
                  coalesce(p_metadata[e0 + 1 : e0 + ne], '{}')) r;
          EXCEPTION WHEN OTHERS THEN
            append_index := a;
            stream_id := NULL;
            stream_revision := NULL;
            xid_text := NULL;
            global_position := NULL;
            GET STACKED DIAGNOSTICS error_code = RETURNED_SQLSTATE, error_message = MESSAGE_TEXT,
              error_detail = PG_EXCEPTION_DETAIL, error_hint = PG_EXCEPTION_HINT, error_constraint = CONSTRAINT_NAME;
            RETURN NEXT;
          END;
          s0 := s0 + ns;
          e0 := e0 + ne;
        END LOOP;
      END $fn$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION ktt_append_batch(
        p_stream_counts int[], p_event_counts int[],
        p_stream_ids text[], p_expected bigint[],
        p_event_streams int[], p_event_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb[]
      ) RETURNS TABLE (append_index int, stream_id text, stream_revision bigint, xid_text text, global_position bigint,
                       error_code text, error_message text, error_detail text, error_hint text, error_constraint text)
      LANGUAGE plpgsql AS $fn$
      DECLARE
        a int;
        s0 int := 0;
        e0 int := 0;
        ns int;
        ne int;
      BEGIN
        IF cardinality(p_stream_counts) IS DISTINCT FROM cardinality(p_event_counts) THEN
          RAISE EXCEPTION 'stream and event counts of a batch differ in length' USING ERRCODE = '22023';
        END IF;
        FOR a IN 1 .. coalesce(cardinality(p_stream_counts), 0) LOOP
          ns := p_stream_counts[a];
          ne := p_event_counts[a];
          BEGIN
            -- The only statement of the block: if it fails it has returned nothing, and the block's
            -- subtransaction takes back whatever it wrote.
            RETURN QUERY
              SELECT a, r.stream_id, r.stream_revision, r.xid_text, r.global_position,
                     NULL::text, NULL::text, NULL::text, NULL::text, NULL::text
                FROM ktt_append_events(
                  coalesce(p_stream_ids[s0 + 1 : s0 + ns], '{}'), coalesce(p_expected[s0 + 1 : s0 + ns], '{}'),
                  coalesce(p_event_streams[e0 + 1 : e0 + ne], '{}'), coalesce(p_event_ids[e0 + 1 : e0 + ne], '{}'),
                  coalesce(p_types[e0 + 1 : e0 + ne], '{}'), coalesce(p_data[e0 + 1 : e0 + ne], '{}'),
                  coalesce(p_metadata[e0 + 1 : e0 + ne], '{}')) r;
          EXCEPTION WHEN OTHERS THEN
            append_index := a;
            stream_id := NULL;
            stream_revision := NULL;
            xid_text := NULL;
            global_position := NULL;
            GET STACKED DIAGNOSTICS error_code = RETURNED_SQLSTATE, error_message = MESSAGE_TEXT,
              error_detail = PG_EXCEPTION_DETAIL, error_hint = PG_EXCEPTION_HINT, error_constraint = CONSTRAINT_NAME;
            RETURN NEXT;
          END;
          s0 := s0 + ns;
          e0 := e0 + ne;
        END LOOP;
      END $fn$`);
  }
}
