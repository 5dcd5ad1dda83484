import { createHash } from 'node:crypto';

/**
 * RFC 9162 (Certificate Transparency v2.0), section 2.1: the Merkle tree hash,
 * inclusion proofs (audit paths) and consistency proofs, over raw Buffers.
 * Pure: the functions taking `leafHashes` hold the whole tree in memory (tests,
 * offline verifiers); the stored tree (store/) answers the same proofs from
 * perfect subtrees kept in PostgreSQL, planned by `rangeNodes` below.
 */

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

function sha256(...parts: Buffer[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** SHA-256(0x00 || d): `d` is the event's own 32-byte hash (raw bytes). */
export function leafHash(d: Buffer): Buffer {
  return sha256(LEAF_PREFIX, d);
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return sha256(NODE_PREFIX, left, right);
}

/** MTH({}) = SHA-256() — the hash of the empty string. */
export const EMPTY_ROOT: Buffer = sha256();

/** The largest power of two strictly smaller than n (n ≥ 2): RFC 9162's `k`. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) over leaf hashes (already `leafHash`ed). */
export function rootOf(leafHashes: readonly Buffer[]): Buffer {
  const n = leafHashes.length;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return leafHashes[0]!;
  const k = splitPoint(n);
  return nodeHash(rootOf(leafHashes.slice(0, k)), rootOf(leafHashes.slice(k)));
}

/** PATH(m, D[n]) (§2.1.3.1): the audit path of leaf `index`, from the leaf's sibling up. */
export function inclusionPath(index: number, leafHashes: readonly Buffer[]): Buffer[] {
  const n = leafHashes.length;
  if (!Number.isInteger(index) || index < 0 || index >= n) throw new RangeError(`leaf index ${index} outside a tree of ${n}`);
  if (n === 1) return [];
  const k = splitPoint(n);
  return index < k
    ? [...inclusionPath(index, leafHashes.slice(0, k)), rootOf(leafHashes.slice(k))]
    : [...inclusionPath(index - k, leafHashes.slice(k)), rootOf(leafHashes.slice(0, k))];
}

/** PROOF(m, D[n]) (§2.1.4.1): proves that the first `m` leaves are a prefix of the `n` given. */
export function consistencyPath(m: number, leafHashes: readonly Buffer[]): Buffer[] {
  const n = leafHashes.length;
  if (!Number.isInteger(m) || m < 0 || m > n) throw new RangeError(`tree size ${m} outside 0..${n}`);
  if (m === 0 || m === n) return [];
  return subproof(m, leafHashes, true);
}

function subproof(m: number, leaves: readonly Buffer[], complete: boolean): Buffer[] {
  const n = leaves.length;
  if (m === n) return complete ? [] : [rootOf(leaves)];
  const k = splitPoint(n);
  return m <= k
    ? [...subproof(m, leaves.slice(0, k), complete), rootOf(leaves.slice(k))]
    : [...subproof(m - k, leaves.slice(k), false), rootOf(leaves.slice(0, k))];
}

const isOdd = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);

/** §2.1.3.2: checks an audit path for the leaf hash at `index` against the root of a tree of `treeSize`. */
export function verifyInclusion(leaf: Buffer, index: number, treeSize: number, path: readonly Buffer[], root: Buffer): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(treeSize) || index < 0 || index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}

/**
 * §2.1.4.2: checks that a tree of `n` leaves with `newRoot` extends the tree of
 * `m` leaves with `oldRoot`. For m = n the proof is empty and the roots equal;
 * every tree extends the empty one (m = 0, empty proof).
 */
export function verifyConsistency(m: number, n: number, oldRoot: Buffer, newRoot: Buffer, path: readonly Buffer[]): boolean {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 0 || m > n) return false;
  if (m === 0) return path.length === 0;
  if (m === n) return path.length === 0 && oldRoot.equals(newRoot);
  if (path.length === 0) return false;
  const c = isPowerOfTwo(m) ? [oldRoot, ...path] : [...path];
  let fn = m - 1;
  let sn = n - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = c[0]!;
  let sr = c[0]!;
  for (const node of c.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(node, fr);
      sr = nodeHash(node, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, node);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return fr.equals(oldRoot) && sr.equals(newRoot) && sn === 0;
}

export function isPowerOfTwo(x: number): boolean {
  if (x < 1) return false;
  while (x % 2 === 0) x /= 2;
  return x === 1;
}

/**
 * The stored tree keeps the hash of every complete perfect subtree: level `l`,
 * index `i` covers leaves [i·2^l, (i+1)·2^l). Any range the proofs of §2.1 ask
 * for ([start, end) with `start` a multiple of the power of two that splits it)
 * is the ordered list of perfect subtrees below; its MTH folds them from the right.
 */
export interface PerfectNode {
  level: number;
  index: number;
}

export interface LeafRange {
  start: number;
  end: number;
}

/** The perfect subtrees of [start, end), left to right (largest first). */
export function rangeNodes({ start, end }: LeafRange): PerfectNode[] {
  const nodes: PerfectNode[] = [];
  let at = start;
  while (at < end) {
    let size = 1;
    let level = 0;
    // Largest aligned power of two that starts at `at` and fits before `end`.
    while (at % (size * 2) === 0 && at + size * 2 <= end) {
      size *= 2;
      level += 1;
    }
    nodes.push({ level, index: at / size });
    at += size;
  }
  return nodes;
}

/** MTH of a range from the hashes of its perfect subtrees (as `rangeNodes` lists them). */
export function foldRange(nodeHashes: readonly Buffer[]): Buffer {
  if (nodeHashes.length === 0) return EMPTY_ROOT;
  let hash = nodeHashes[nodeHashes.length - 1]!;
  for (let i = nodeHashes.length - 2; i >= 0; i -= 1) hash = nodeHash(nodeHashes[i]!, hash);
  return hash;
}

/** The ranges whose MTHs form PATH(index, D[n]), in proof order. */
export function inclusionRanges(index: number, n: number): LeafRange[] {
  if (!Number.isInteger(index) || index < 0 || index >= n) throw new RangeError(`leaf index ${index} outside a tree of ${n}`);
  const ranges: LeafRange[] = [];
  let start = 0;
  let end = n;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      ranges.push({ start: start + k, end });
      end = start + k;
    } else {
      ranges.push({ start, end: start + k });
      start += k;
    }
  }
  return ranges.reverse();
}

/** The ranges whose MTHs form PROOF(m, D[n]), in proof order. */
export function consistencyRanges(m: number, n: number): LeafRange[] {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 0 || m > n) throw new RangeError(`tree size ${m} outside 0..${n}`);
  if (m === 0 || m === n) return [];
  const ranges: LeafRange[] = [];
  let start = 0;
  let end = n;
  let complete = true;
  let size = m;
  while (size !== end - start) {
    const k = splitPoint(end - start);
    if (size <= k) {
      ranges.push({ start: start + k, end });
      end = start + k;
    } else {
      ranges.push({ start, end: start + k });
      start += k;
      size -= k;
      complete = false;
    }
  }
  if (!complete) ranges.push({ start, end });
  return ranges.reverse();
}
