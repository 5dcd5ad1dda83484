import { createHash } from 'node:crypto';
import {
  refLeafHash,
  refMth,
  refPath,
  refProof,
  refVerifyConsistency,
  refVerifyInclusion,
} from '@ktt/testing/rfc9162-reference';
import {
  consistencyPath,
  consistencyRanges,
  EMPTY_ROOT,
  foldRange,
  inclusionPath,
  inclusionRanges,
  leafHash,
  rangeNodes,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from './rfc9162';

// Every size to 130 crosses two powers of two (64, 128); the stored tree's spec goes to 300.
const MAX = 130;
// Entries stand for events' 32-byte hashes.
const entries = Array.from({ length: MAX }, (_, i) => createHash('sha256').update(`event ${i}`).digest());
const leaves = entries.map(leafHash);
const hex = (list: Buffer[]): string[] => list.map((b) => b.toString('hex'));

/** The pure module's range planner, evaluated in memory: what the stored tree does with PostgreSQL rows. */
function rangeHash(range: { start: number; end: number }): Buffer {
  return foldRange(rangeNodes(range).map(({ level, index }) => rootOf(leaves.slice(index * 2 ** level, (index + 1) * 2 ** level))));
}

describe('RFC 9162 §2.1 Merkle tree', () => {
  it('hashes leaves as SHA-256(0x00 || d) and the empty tree as SHA-256 of nothing', () => {
    expect(leafHash(entries[0]!)).toEqual(refLeafHash(entries[0]!));
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(rootOf([])).toEqual(refMth([]));
  });

  it('agrees with the reference on the root, every audit path and every consistency proof, sizes 1 to 130', () => {
    for (let n = 1; n <= MAX; n += 1) {
      const tree = leaves.slice(0, n);
      const root = rootOf(tree);
      expect(root).toEqual(refMth(entries, n));
      for (let i = 0; i < n; i += 1) {
        const path = inclusionPath(i, tree);
        expect(hex(path)).toEqual(hex(refPath(i, entries, n)));
        expect(hex(inclusionRanges(i, n).map(rangeHash))).toEqual(hex(path));
        expect(verifyInclusion(leaves[i]!, i, n, path, root)).toBe(true);
        expect(refVerifyInclusion(leaves[i]!, i, n, path, root)).toBe(true);
      }
      for (let m = 1; m <= n; m += 1) {
        const proof = consistencyPath(m, tree);
        const oldRoot = refMth(entries, m);
        expect(hex(proof)).toEqual(hex(refProof(m, entries, n)));
        expect(hex(consistencyRanges(m, n).map(rangeHash))).toEqual(hex(proof));
        expect(verifyConsistency(m, n, oldRoot, root, proof)).toBe(true);
        expect(refVerifyConsistency(m, n, oldRoot, root, proof)).toBe(true);
      }
    }
  });

  describe('refuses what does not prove', () => {
    const n = 77;
    const tree = leaves.slice(0, n);
    const root = rootOf(tree);

    it('an audit path for another leaf, a wrong size, a changed or shortened path', () => {
      const path = inclusionPath(40, tree);
      expect(verifyInclusion(leaves[41]!, 40, n, path, root)).toBe(false);
      expect(verifyInclusion(leaves[40]!, 41, n, path, root)).toBe(false);
      expect(verifyInclusion(leaves[40]!, 40, 64, path, root)).toBe(false);
      expect(verifyInclusion(leaves[40]!, 40, n, path.slice(1), root)).toBe(false);
      expect(verifyInclusion(leaves[40]!, 40, n, [...path, path[0]!], root)).toBe(false);
      const flipped = path.map((b, i) => (i === 2 ? Buffer.from(b.map((x, j) => (j === 0 ? x ^ 1 : x))) : b));
      expect(verifyInclusion(leaves[40]!, 40, n, flipped, root)).toBe(false);
      expect(verifyInclusion(leaves[40]!, n, n, path, root)).toBe(false);
    });

    it('a consistency proof against a rewritten old tree, or a truncated proof', () => {
      const proof = consistencyPath(30, tree);
      const rewritten = [...entries.slice(0, 30)];
      rewritten[7] = createHash('sha256').update('rewritten').digest();
      expect(verifyConsistency(30, n, refMth(rewritten), root, proof)).toBe(false);
      expect(verifyConsistency(30, n, refMth(entries, 30), root, proof.slice(0, -1))).toBe(false);
      expect(verifyConsistency(30, n, refMth(entries, 30), root, [])).toBe(false);
      expect(verifyConsistency(31, n, refMth(entries, 30), root, proof)).toBe(false);
      expect(verifyConsistency(n, n, root, refMth(entries, n - 1), [])).toBe(false);
      expect(verifyConsistency(n + 1, n, root, root, [])).toBe(false);
    });
  });
});
