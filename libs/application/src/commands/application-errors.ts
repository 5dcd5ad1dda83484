/** Errors of the application layer; apps/api maps them (412, 422) in its one exception filter. */
export class PreconditionFailedError extends Error {
  readonly code = 'VERSION_MISMATCH';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number | null,
  ) {
    super(`If-Match expected version ${expectedVersion}, but the stream is at ${actualVersion ?? 'no version'}`);
  }
}

export class IdempotencyKeyReusedError extends Error {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor() {
    super('this Idempotency-Key was used before with a different request');
  }
}

/** Concurrent writers kept moving the stream: give up after a bounded number of decisions. */
export class TooMuchContentionError extends Error {
  readonly code = 'TOO_MUCH_CONTENTION';
  constructor(readonly streamId: string) {
    super(`gave up after repeated concurrent changes to ${streamId}; try again`);
  }
}
