/**
 * The client's errors are built here the way the client builds them
 * (node_modules/@eventstore/db-client/dist/utils/CommandError.js): gRPC
 * ServiceErrors go through the client's own `convertToCommandError`, and the
 * errors it builds directly use the same constructor arguments it uses.
 */
import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  StreamDeletedError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
  convertToCommandError,
} from '@eventstore/db-client';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../errors';
import { isStreamNotFound, isUnavailable, translateError } from './translate-error';

/** A gRPC ServiceError as @grpc/grpc-js produces it. */
function serviceError(code: status, details: string, entries: Record<string, string> = {}): ServiceError {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(entries)) metadata.set(key, value);
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata });
}

function converted<T>(error: ServiceError, type: new (...args: never[]) => T): T {
  const result = convertToCommandError(error);
  expect(result).toBeInstanceOf(type);
  return result as T;
}

describe('translateError: wrong expected version', () => {
  it('translates the append-path error (built from the append response)', () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 'organization-1', expected: 3n, current: 5n });
    const translated = translateError(error, { streamId: 'organization-1', expectedRevision: 3 });
    expect(translated).toBeInstanceOf(WrongExpectedRevisionError);
    expect(translated).toMatchObject({ streamId: 'organization-1', expected: '3', actual: 5, cause: error });
  });

  it('reports no_stream when the stream does not exist', () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 'plan-x', expected: 0n, current: 'no_stream' });
    expect(translateError(error, { expectedRevision: 0 })).toMatchObject({ streamId: 'plan-x', expected: '0', actual: 'no_stream' });
  });

  it('reports the caller expectation as given (no_stream) when the stream exists', () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 'registration-number-7', expected: 'no_stream', current: 0n });
    expect(translateError(error, { streamId: 'registration-number-7', expectedRevision: 'no_stream' })).toMatchObject({
      streamId: 'registration-number-7',
      expected: 'no_stream',
      actual: 0,
    });
  });

  it('translates the trailer-metadata form (convertToCommandError) without caller context', () => {
    const error = converted(
      serviceError(status.FAILED_PRECONDITION, 'Wrong expected version.', {
        exception: 'wrong-expected-version',
        'stream-name': 'organization-9',
        'expected-version': '2',
        'actual-version': '4',
      }),
      WrongExpectedVersionError,
    );
    const translated = translateError(error);
    expect(translated).toBeInstanceOf(WrongExpectedRevisionError);
    expect(translated).toMatchObject({ streamId: 'organization-9', expected: '2', actual: 4 });
  });

  it('reports the server\'s "no stream" sentinel (ulong max) as no_stream and unusable values as unknown', () => {
    const sentinel = new WrongExpectedVersionError(undefined, { streamName: 's', expected: 1n, current: (1n << 64n) - 1n });
    expect(translateError(sentinel)).toMatchObject({ actual: 'no_stream' });
    const huge = new WrongExpectedVersionError(undefined, { streamName: 's', expected: 1n, current: 1n << 60n });
    expect(translateError(huge)).toMatchObject({ actual: 'unknown' });
  });
});

describe('translateError: unavailable', () => {
  /** The server's answer when a write reaches a follower: the leader's endpoint in the trailer metadata. */
  const notLeader = () =>
    converted(
      serviceError(status.NOT_FOUND, 'Leader info available', {
        exception: 'not-leader',
        'leader-endpoint-host': '10.0.0.2',
        'leader-endpoint-port': '2113',
      }),
      NotLeaderError,
    );
  const cases: Array<[string, () => Error]> = [
    ['UnavailableError (gRPC UNAVAILABLE)', () => converted(serviceError(status.UNAVAILABLE, 'No connection established'), UnavailableError)],
    ['UnavailableError ("write after end" workaround)', () => converted(serviceError(status.INTERNAL, 'write after end'), UnavailableError)],
    ['DeadlineExceededError (gRPC DEADLINE_EXCEEDED)', () => converted(serviceError(status.DEADLINE_EXCEEDED, 'Deadline exceeded'), DeadlineExceededError)],
    ['DeadlineExceededError (server Timeout detail)', () => new DeadlineExceededError()],
    ['TimeoutError (gRPC ABORTED)', () => converted(serviceError(status.ABORTED, 'Operation timed out'), TimeoutError)],
    ['NotLeaderError', notLeader],
    ['CancelledError (cancelled by the server)', () => converted(serviceError(status.CANCELLED, 'Server shutting down'), CancelledError)],
    ['discovery giving up', () => new Error('Failed to discover after 10 attempts.')],
    ['an unconverted gRPC UNAVAILABLE ServiceError', () => serviceError(status.UNAVAILABLE, 'Connection dropped')],
  ];

  it.each(cases)('%s → EventStoreUnavailableError', (_name, make) => {
    const error = make();
    const translated = translateError(error);
    expect(translated).toBeInstanceOf(EventStoreUnavailableError);
    expect((translated as EventStoreUnavailableError).cause).toBe(error);
    expect((translated as Error).message).toContain(error.message);
    expect(isUnavailable(error)).toBe(true);
  });

  it('keeps the leader endpoint on the cause of a NotLeaderError', () => {
    const error = notLeader();
    expect(error.leader).toEqual({ address: '10.0.0.2', port: 2113 });
  });
});

describe('translateError: everything else is returned unchanged (to be rethrown)', () => {
  const cases: Array<[string, () => unknown]> = [
    ['AccessDeniedError', () => converted(serviceError(status.PERMISSION_DENIED, 'Access denied', { exception: 'access-denied' }), AccessDeniedError)],
    ['StreamDeletedError', () => StreamDeletedError.fromStreamName('organization-1')],
    ['MaxAppendSizeExceededError', () => MaxAppendSizeExceededError.fromMaxAppendSize(1024)],
    ['UnknownError', () => converted(serviceError(status.INTERNAL, 'boom'), UnknownError)],
    ['StreamNotFoundError (readStream handles it before translation)', () => new StreamNotFoundError(undefined, 'organization-1')],
    ['a plain Error', () => new Error('bug')],
    ['a TypeError', () => new TypeError('x is not a function')],
    ['a non-Error value', () => 'oops'],
  ];

  it.each(cases)('%s', (_name, make) => {
    const error = make();
    expect(translateError(error)).toBe(error);
    expect(isUnavailable(error)).toBe(false);
  });
});

describe('isStreamNotFound', () => {
  it('recognises the error the client raises when reading a missing stream', () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 'organization-404'))).toBe(true);
    expect(isStreamNotFound(converted(serviceError(status.NOT_FOUND, 'not found', { exception: 'stream-not-found', 'stream-name': 's' }), StreamNotFoundError))).toBe(true);
    expect(isStreamNotFound(StreamDeletedError.fromStreamName('s'))).toBe(false);
    expect(isStreamNotFound(new Error('not found'))).toBe(false);
  });
});
