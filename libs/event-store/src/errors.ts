/** The port's own errors: adapters translate their engine's errors into these. */
export class EventStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class WrongExpectedRevisionError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly expected: string,
    readonly actual: number | 'no_stream' | 'unknown',
    options?: { cause?: unknown },
  ) {
    super(`stream ${streamId} is at ${actual}, expected ${expected}`, options);
  }
}

/** The engine cannot be reached (connection refused, server gone). Callers answer 503. */
export class EventStoreUnavailableError extends EventStoreError {}
