/**
 * EventStoreDB positions in the port's opaque `Position` string.
 *
 * A place in `$all` is the pair (commit, prepare) of unsigned 64-bit log
 * positions. It is encoded as `<commit>/<prepare>`, each half written in
 * decimal and left-padded with zeros to 20 digits (the width of 2^64 - 1), so
 * that for two valid encodings plain string order equals log order. Code must
 * still compare with `comparePositions` (the port's rule); the padding only
 * makes stored checkpoints readable and sortable by eye and by SQL.
 */
import type { Position as EsdbPosition } from '@eventstore/db-client';
import { EventStoreError } from '../errors';
import type { Position } from '../event-store.port';

const WIDTH = 20;
const MAX_U64 = (1n << 64n) - 1n;
const ENCODED = /^(\d{20})\/(\d{20})$/;

export function encodePosition(position: EsdbPosition): Position {
  for (const half of [position.commit, position.prepare]) {
    if (half < 0n || half > MAX_U64) {
      throw new EventStoreError(`EventStoreDB position out of range: ${position.commit}/${position.prepare}`);
    }
  }
  return `${pad(position.commit)}/${pad(position.prepare)}` as Position;
}

export function decodePosition(position: Position | string): EsdbPosition {
  const match = ENCODED.exec(position);
  if (!match) {
    throw new EventStoreError(`not an EventStoreDB position: ${JSON.stringify(position)} (expected <commit>/<prepare>)`);
  }
  const commit = BigInt(match[1]);
  const prepare = BigInt(match[2]);
  if (commit > MAX_U64 || prepare > MAX_U64) {
    throw new EventStoreError(`EventStoreDB position out of range: ${position}`);
  }
  return { commit, prepare };
}

/** Orders as the pair (commit, prepare), both as BigInt. */
export function compareEsdbPositions(a: EsdbPosition, b: EsdbPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

export function comparePositions(a: Position, b: Position): number {
  return compareEsdbPositions(decodePosition(a), decodePosition(b));
}

function pad(value: bigint): string {
  return value.toString(10).padStart(WIDTH, '0');
}
