import type { Position } from '../event-store.port';
import { EventStoreError } from '../errors';
import { compareEsdbPositions, comparePositions, decodePosition, encodePosition } from './position';

const MAX_U64 = (1n << 64n) - 1n;

describe('EventStoreDB position encoding', () => {
  it('encodes (commit, prepare) as zero-padded <commit>/<prepare>', () => {
    expect(encodePosition({ commit: 1234n, prepare: 1200n })).toBe('00000000000000001234/00000000000000001200');
    expect(encodePosition({ commit: 0n, prepare: 0n })).toBe('00000000000000000000/00000000000000000000');
    expect(encodePosition({ commit: MAX_U64, prepare: MAX_U64 })).toBe('18446744073709551615/18446744073709551615');
  });

  it('round-trips, including values beyond Number.MAX_SAFE_INTEGER', () => {
    for (const position of [
      { commit: 0n, prepare: 0n },
      { commit: 42n, prepare: 41n },
      { commit: BigInt(Number.MAX_SAFE_INTEGER) + 2n, prepare: BigInt(Number.MAX_SAFE_INTEGER) + 1n },
      { commit: MAX_U64, prepare: MAX_U64 - 1n },
    ]) {
      expect(decodePosition(encodePosition(position))).toEqual(position);
    }
  });

  it('refuses malformed or out-of-range positions', () => {
    for (const bad of ['', '12/34', '42', '00000000000000000001-00000000000000000001', '99999999999999999999/00000000000000000000', 'x'.repeat(41)]) {
      expect(() => decodePosition(bad)).toThrow(EventStoreError);
    }
    expect(() => encodePosition({ commit: -1n, prepare: 0n })).toThrow(EventStoreError);
    expect(() => encodePosition({ commit: MAX_U64 + 1n, prepare: 0n })).toThrow(EventStoreError);
  });
});

describe('EventStoreDB position ordering', () => {
  const p = (commit: bigint, prepare: bigint) => encodePosition({ commit, prepare });

  it('compares by commit, then prepare, as BigInt', () => {
    expect(comparePositions(p(1n, 5n), p(2n, 0n))).toBeLessThan(0);
    expect(comparePositions(p(2n, 0n), p(1n, 5n))).toBeGreaterThan(0);
    expect(comparePositions(p(7n, 3n), p(7n, 4n))).toBeLessThan(0);
    expect(comparePositions(p(7n, 4n), p(7n, 4n))).toBe(0);
    const big = BigInt(Number.MAX_SAFE_INTEGER);
    // Number() would make these equal; BigInt keeps them apart.
    expect(comparePositions(p(big + 1n, 0n), p(big + 2n, 0n))).toBeLessThan(0);
    expect(compareEsdbPositions({ commit: big + 2n, prepare: 1n }, { commit: big + 2n, prepare: 0n })).toBeGreaterThan(0);
  });

  it('sorts as strings the same way it sorts with comparePositions', () => {
    const values: bigint[] = [0n, 1n, 9n, 10n, 99n, 100n, 123456789n, BigInt(Number.MAX_SAFE_INTEGER) + 7n, MAX_U64];
    const positions: Position[] = [];
    for (const commit of values) for (const prepare of values.slice(0, 4)) positions.push(p(commit, prepare));
    const shuffled = [...positions].sort(() => Math.random() - 0.5);
    const byComparator = [...shuffled].sort(comparePositions);
    const byString = [...shuffled].sort();
    expect(byString).toEqual(byComparator);
    expect(byComparator).toEqual(positions);
  });
});
