import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Group commit: `ktt_append_batch` writes several independent appends in one
 * statement, so in one transaction, so with one WAL flush and one NOTIFY.
 * Profile of 8 concurrent writers (bench/manual-measurements.md, issue 19):
 * the events table's NOTIFY trigger makes every committing transaction take
 * one lock and hold it until its commit record is flushed, so commits from
 * different connections never share a flush (about 0.7 ms each here) and the
 * 8 writers were capped at about 1,500 commits/s whatever else they did.
 *
 * Each append is judged on its own, exactly as `ktt_append_events` judges a
 * lone one (that function does the work), inside its own subtransaction: a
 * wrong expected revision (or any other error) of one append rolls back that
 * append alone and is answered as an error row; the others are written.
 * Appends are applied in the order given, each seeing those before it (two
 * appends to one stream at the same expected revision: the second conflicts).
 *
 * Arguments: the streams and events of every append concatenated, as
 * `ktt_append_events` takes them; `p_stream_counts[a]` / `p_event_counts[a]`
 * say how many of them belong to append a (1-based), and each event's
 * `p_event_streams` entry is the 1-based index of its stream within its
 * append. Answers `ktt_append_events`' rows with the append's index, or for a
 * failed append one row with the error's SQLSTATE, message, detail, hint and
 * constraint (the caller translates it as it would the error itself).
 * Subtransactions: keep batches under 64 appends (the per-backend cache of
 * subtransaction ids), the caller sends at most 32.
 */
export class AppendBatchFunction1733720000000 implements MigrationInterface {
  name = 'AppendBatchFunction1733720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION ktt_append_batch(
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

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION ktt_append_batch(int[], int[], text[], bigint[], int[], uuid[], text[], jsonb[], jsonb[])');
  }
}
