import {
  WrongExpectedRevisionError,
  type EventStore,
  type RecordedEvent,
  type StreamAppend,
} from '@ktt/event-store';
import type { CommandContext, CommandResult } from './command-context';
import { PreconditionFailedError, TooMuchContentionError } from './application-errors';
import { envelope, type DomainFact } from './event-envelope';
import {
  findEarlierAnswer,
  IDEMPOTENCY_RECORDED,
  idempotencyStreamId,
  type IdempotencyRecordData,
} from '../idempotency/idempotency';

/** What a use case contributes: the rest (load, retry, envelope, idempotency) is common. */
export interface Decision {
  /** The facts to append to the target stream. */
  facts: DomainFact[];
  /** Streams appended before the target (e.g. a registration-number reservation), with "no stream". */
  reservations?: { streamId: string; type: string; data: Record<string, unknown> }[];
}

export interface CommandSpec {
  /** The id answered to the client (organization or plan id). */
  id: string;
  streamId: string;
  /**
   * Throws ForbiddenError when the context's principal may not send this
   * command to this stream as it is now (history in recorded order). Called
   * before anything else — before a stored idempotent answer is looked up —
   * and again against every history a decision is made on.
   */
  authorize(history: RecordedEvent[]): void;
  /** Decides against the stream as it is now (history in recorded order); throws DomainError to refuse. */
  decide(history: RecordedEvent[]): Promise<Decision>;
  /** A conflict on a reservation stream means what, in domain terms (e.g. REGISTRATION_NUMBER_TAKEN)? */
  onReservationTaken?(streamId: string): Error;
  schemaVersions: Record<string, number>;
}

/**
 * Bounded: under heavy contention a client gets a clear error rather than a
 * request that never ends. With a short random wait between decisions, 50
 * writers on one organization are all served (test/reliability).
 */
const MAX_DECISIONS = 100;

/** 1–20 ms, growing with the attempt: concurrent writers stop colliding in lockstep. */
function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(20, 2 * attempt) + 1;
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Load, fold, decide, append with the expected revision (architecture.md, "Writes").
 * With If-Match a moved stream is a 412; without it the decision is made again
 * against the new state, so no fact is appended on a stale decision.
 */
export async function decideAndAppend(store: EventStore, spec: CommandSpec, context: CommandContext, read?: { history: RecordedEvent[] }): Promise<CommandResult> {
  // Authorization first (api.md): a caller it refuses learns nothing, not even a stored answer.
  // `read`: the stream as the caller just read it (with what else it needed, in one round trip).
  let history = read?.history ?? (await store.readStream(spec.streamId));
  spec.authorize(history);
  const subject = context.principal.subject;
  const earlier = await findEarlierAnswer(store, subject, context.idempotency);
  if (earlier) return earlier;

  for (let attempt = 1; attempt <= MAX_DECISIONS; attempt++) {
    if (attempt > 1) {
      history = await store.readStream(spec.streamId);
      spec.authorize(history);
    }
    const last = history.at(-1);
    const version = last ? last.revision : null;
    if (context.expectedVersion !== undefined && context.expectedVersion !== version) {
      throw new PreconditionFailedError(spec.streamId, context.expectedVersion, version);
    }
    let decision: Decision;
    try {
      decision = await spec.decide(history);
    } catch (refusal) {
      // The same request may have been stored between our look for an earlier answer and this read of
      // the stream (a retry racing its first try): then the refusal is of our own write; answer as it did.
      const earlierAnswer = context.idempotency ? await findEarlierAnswer(store, subject, context.idempotency) : null;
      if (earlierAnswer) return earlierAnswer;
      throw refusal;
    }
    const events = envelope(spec.streamId, last, decision.facts, context, spec.schemaVersions);
    const newVersion = (version ?? -1) + events.length;
    const created = version === null;
    const appends: StreamAppend[] = (decision.reservations ?? []).map((reservation) => ({
      streamId: reservation.streamId,
      expectedRevision: 'no_stream',
      events: envelope(reservation.streamId, undefined, [reservation], context, spec.schemaVersions),
    }));
    appends.push({ streamId: spec.streamId, expectedRevision: version ?? 'no_stream', events });
    if (context.idempotency) {
      const streamId = idempotencyStreamId(subject, context.idempotency.key);
      const record: IdempotencyRecordData = {
        requestHash: context.idempotency.requestHash,
        response: { id: spec.id, version: newVersion, created },
      };
      appends.push({
        streamId,
        expectedRevision: 'no_stream',
        events: envelope(streamId, undefined, [{ type: IDEMPOTENCY_RECORDED, data: record }], context, {}),
      });
    }
    try {
      const result = await store.append(appends);
      return {
        id: spec.id,
        version: newVersion,
        position: result.position,
        created,
        replayed: false,
      };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      if (context.idempotency) {
        // A concurrent request with the same key may have won (its reservation or events were written
        // first, its idempotency record with them): answer as it did (or 422 for another body).
        const answer = await findEarlierAnswer(store, subject, context.idempotency);
        if (answer) return answer;
      }
      if (decision.reservations?.some((r) => r.streamId === error.streamId) && spec.onReservationTaken) {
        throw spec.onReservationTaken(error.streamId);
      }
      if (context.expectedVersion !== undefined) {
        throw new PreconditionFailedError(spec.streamId, context.expectedVersion, null);
      }
      // The stream moved (or the same id was registered meanwhile): decide again against what is there now.
      await backoff(attempt);
    }
  }
  throw new TooMuchContentionError(spec.streamId);
}
