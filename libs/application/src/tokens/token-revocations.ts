import { randomUUID } from 'node:crypto';
import { WrongExpectedRevisionError, type EventStore } from '@ktt/event-store';
import { ForbiddenError, type Principal } from '@ktt/auth';
import { envelope } from '../commands/event-envelope';

/**
 * A revoked token is an event (`TokenRevoked` on `token-revocation-<jti>`):
 * durable in the event store (PostgreSQL by default), hash-chained and
 * attributed like every other write, and needing no table of its own. The
 * projector skips these streams, as it skips idempotency records.
 */
export const TOKEN_REVOKED = 'TokenRevoked';
export const TOKEN_REVOCATION_STREAM_PREFIX = 'token-revocation-';

export function tokenRevocationStreamId(jti: string): string {
  return `${TOKEN_REVOCATION_STREAM_PREFIX}${jti}`;
}

const JTI = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Revokes a token by its id (admins only). `false` when it was revoked already (nothing written). */
export async function revokeToken(
  store: EventStore,
  jti: string,
  context: { principal: Principal; reason?: string; now?: Date },
): Promise<boolean> {
  if (context.principal.role !== 'admin') throw new ForbiddenError(`the role ${context.principal.role} may not revoke tokens`);
  const id = jti.trim().toLowerCase();
  if (!JTI.test(id)) throw new Error(`"${jti}" is not a token id (a UUID, the token's jti)`);
  const streamId = tokenRevocationStreamId(id);
  const events = envelope(
    streamId,
    undefined,
    [{ type: TOKEN_REVOKED, data: { jti: id, reason: context.reason ?? null } }],
    { principal: context.principal, correlationId: randomUUID(), now: context.now },
    {},
  );
  try {
    await store.append([{ streamId, expectedRevision: 'no_stream', events }]);
    return true;
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError) return false;
    throw error;
  }
}

/**
 * Whether a token was revoked, as the api asks on every authenticated request.
 * A revocation is final, so "revoked" is remembered for good; "not revoked" for
 * `ttlMs` only, so a revoke takes effect within that time (api.md).
 */
export class TokenRevocations {
  private readonly notRevokedAt = new Map<string, number>();
  private readonly revoked = new Set<string>();

  constructor(
    private readonly store: EventStore,
    private readonly ttlMs = 5_000,
  ) {}

  async isRevoked(jti: string): Promise<boolean> {
    if (this.revoked.has(jti)) return true;
    const checked = this.notRevokedAt.get(jti);
    if (checked !== undefined && Date.now() - checked < this.ttlMs) return false;
    const events = await this.store.readStream(tokenRevocationStreamId(jti));
    if (events.length > 0) {
      this.revoked.add(jti);
      this.notRevokedAt.delete(jti);
      return true;
    }
    this.remember(jti);
    return false;
  }

  private remember(jti: string): void {
    // Bounded: past 10,000 distinct tokens, entries older than the ttl are dropped (they would be read again anyway).
    if (this.notRevokedAt.size >= 10_000) {
      const now = Date.now();
      for (const [id, at] of this.notRevokedAt) if (now - at >= this.ttlMs) this.notRevokedAt.delete(id);
    }
    this.notRevokedAt.set(jti, Date.now());
  }
}
