import type { Position } from '../event-store.port';

/**
 * A PostgreSQL position is the pair (transaction id, global position), written
 * `"<xid>.<global_position>"`. The pair, not the bare position, is the cursor:
 * see the migration's comment and the late-commit test in the conformance suite.
 */
export interface PostgresCursor {
  transactionId: bigint;
  globalPosition: bigint;
}

export const START_CURSOR: PostgresCursor = { transactionId: 0n, globalPosition: 0n };

export function encodePostgresPosition(cursor: PostgresCursor): Position {
  return `${cursor.transactionId}.${cursor.globalPosition}` as Position;
}

export function decodePostgresPosition(position: Position | string): PostgresCursor {
  const match = /^(\d{1,20})\.(\d{1,20})$/.exec(position);
  if (!match) throw new RangeError(`not a PostgreSQL event store position: ${position}`);
  return { transactionId: BigInt(match[1]), globalPosition: BigInt(match[2]) };
}

export function comparePostgresPositions(a: Position | string, b: Position | string): number {
  const left = decodePostgresPosition(a);
  const right = decodePostgresPosition(b);
  if (left.transactionId !== right.transactionId) return left.transactionId < right.transactionId ? -1 : 1;
  if (left.globalPosition !== right.globalPosition) return left.globalPosition < right.globalPosition ? -1 : 1;
  return 0;
}
