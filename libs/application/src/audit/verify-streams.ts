import { ORGANIZATION_STREAM_PREFIX, organizationIdOfStream, REGISTRATION_NUMBER_STREAM_PREFIX } from '@ktt/domain';
import { hashEvent, type EventStore, type Position, type RecordedEvent } from '@ktt/event-store';
import type { BrokenEvent, OrphanReservation, VerificationResult } from '../answers';
import { REGISTRATION_NUMBER_RESERVED } from '../organizations/organization-command.handler';

/**
 * Tamper evidence (architecture.md, "Writes"): every event's `hash` covers its
 * stored content and `previousHash`, the hash of the event before it in its
 * stream. Verification recomputes both from what is stored — never from an
 * upcast form — so an edit made past the append-only trigger, a removed or
 * reordered event, or a rewritten link is found.
 */

/** The tree's stored leaves (libs/transparency StoredLeaves): events whose leaf no longer matches their hash. */
export interface LeafWitness {
  mismatched(events: readonly { eventId: string; hash: unknown }[]): Promise<Set<string>>;
}

export interface VerifyAllOptions {
  /** With the tree's leaves, an event rewritten with its hash and chain recomputed is found too (reason `leaf`). */
  leaves?: LeafWitness;
  /** Called after each page with the number of events checked so far. */
  onProgress?: (checkedEvents: number) => void;
  pageSize?: number;
  /** How long to wait for the log to show what is already committed (default 30 s). */
  catchUpMs?: number;
}

/** Verifies one stream, oldest first; for a reservation stream also that its organization was registered. */
export async function verifyStream(store: EventStore, streamId: string, leaves?: LeafWitness): Promise<VerificationResult> {
  const checker = new ChainChecker();
  const reservations = new Reservations();
  const events = await store.readStream(streamId);
  const mismatched = await leafMismatches(leaves, events);
  for (const event of events) {
    checker.check(event, mismatched);
    reservations.see(event);
  }
  const pending = reservations.unregistered();
  const orphans: OrphanReservation[] = [];
  for (const orphan of pending) {
    // The stream as the reservation recorded it: older records may name it by a non-canonical id.
    const registration = await store.readStream(`${ORGANIZATION_STREAM_PREFIX}${orphan.organizationId}`);
    if (!registration.some((event) => event.type === 'OrganizationRegistered')) orphans.push(orphan);
  }
  return result(checker, orphans);
}

/**
 * Verifies every stream (organizations, plans, reservations, idempotency
 * records) by reading the global log page by page: memory holds one hash per
 * stream, not the events.
 */
export async function verifyAll(store: EventStore, options: VerifyAllOptions = {}): Promise<VerificationResult> {
  const pageSize = options.pageSize ?? 2000;
  const checker = new ChainChecker();
  const reservations = new Reservations();
  let after: Position | undefined;
  // Everything recorded when the check starts: the global log shows an event once no older transaction
  // runs on the server, so the end of the log may lag the head for a moment; wait for it (bounded).
  const head = await store.headPosition();
  const deadline = Date.now() + (options.catchUpMs ?? 30_000);
  for (;;) {
    const page = await store.readAll({ after, limit: pageSize });
    const mismatched = await leafMismatches(options.leaves, page);
    for (const event of page) {
      checker.check(event, mismatched);
      reservations.see(event);
    }
    options.onProgress?.(checker.checked);
    if (page.length > 0) after = page[page.length - 1].position;
    if (page.length === pageSize) continue;
    const reachedHead = !head || (after !== undefined && store.comparePositions(after, head) >= 0);
    if (reachedHead || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return result(checker, reservations.unregistered());
}

function leafMismatches(leaves: LeafWitness | undefined, events: RecordedEvent[]): Promise<ReadonlySet<string>> {
  return leaves ? leaves.mismatched(events.map((event) => ({ eventId: String(event.metadata.eventId), hash: event.metadata.hash }))) : Promise.resolve(new Set());
}

function result(checker: ChainChecker, orphanReservations: OrphanReservation[]): VerificationResult {
  const { firstBroken, checked } = checker;
  return {
    ok: !firstBroken && orphanReservations.length === 0,
    checkedEvents: checked,
    ...(firstBroken ? { firstBrokenAt: firstBroken } : {}),
    orphanReservations,
  };
}

/** Follows each stream's chain in stream order, keeping only its last revision and hash. */
class ChainChecker {
  checked = 0;
  firstBroken: BrokenEvent | undefined;
  private readonly last = new Map<string, { revision: number; hash: unknown }>();

  check(event: RecordedEvent, leafMismatched: ReadonlySet<string> = new Set()): void {
    this.checked += 1;
    // A chain and hash that hold but differ from the tree's leaf: rewritten and rehashed after it was logged.
    const reason = this.breakOf(event) ?? (leafMismatched.has(String(event.metadata.eventId)) ? 'leaf' : null);
    // The next link is checked against what is stored here, so one edit is reported once, at the edited event.
    this.last.set(event.streamId, { revision: event.revision, hash: event.metadata.hash });
    if (reason && !this.firstBroken) {
      this.firstBroken = {
        streamId: event.streamId,
        revision: event.revision,
        eventId: String(event.metadata.eventId),
        position: event.position,
        reason,
      };
    }
  }

  private breakOf(event: RecordedEvent): BrokenEvent['reason'] | null {
    const previous = this.last.get(event.streamId);
    const expectedRevision = previous ? previous.revision + 1 : 0;
    const expectedPreviousHash = previous ? previous.hash : null;
    // The link first: a rewritten previousHash also changes the content, but the chain is what was cut.
    if (event.revision !== expectedRevision || (event.metadata.previousHash ?? null) !== expectedPreviousHash) return 'chain';
    return hashEvent(event) === event.metadata.hash ? null : 'hash';
  }
}

/**
 * Reservations seen and registrations seen; what is reserved but not registered at the end is an orphan.
 * A reservation is held only until its registration shows up (they are appended together), so at national
 * scale memory holds the organizations registered, not every reservation's details as well (issue 19).
 */
class Reservations {
  private readonly reserved = new Map<string, OrphanReservation>();
  private readonly registered = new Set<string>();

  see(event: RecordedEvent): void {
    const registered = organizationIdOfStream(event.streamId);
    if (event.streamId.startsWith(REGISTRATION_NUMBER_STREAM_PREFIX) && event.type === REGISTRATION_NUMBER_RESERVED) {
      const organizationId = String(event.data.organizationId);
      if (this.registered.has(organizationId)) return;
      this.reserved.set(organizationId, {
        streamId: event.streamId,
        registrationNumber: String(event.data.registrationNumber),
        organizationId,
        eventId: String(event.metadata.eventId),
        recordedAt: event.metadata.recordedAt,
      });
    } else if (registered !== null && event.type === 'OrganizationRegistered') {
      this.registered.add(registered);
      this.reserved.delete(registered);
    }
  }

  unregistered(): OrphanReservation[] {
    return [...this.reserved.values()];
  }
}
