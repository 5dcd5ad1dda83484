import { createHash } from 'node:crypto';

/**
 * An independent reference for RFC 9162 §2.1, written for the tests only and
 * straight from the RFC's recursive definitions (MTH, PATH, PROOF/SUBPROOF).
 * It shares no code with libs/transparency, so a bug there cannot hide itself
 * by being repeated here. Verifiers are recursive too (they rebuild the roots
 * along the definitions), not the iterative algorithms of §2.1.3.2/§2.1.4.2
 * that the product uses.
 */

const h = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();

export const refLeafHash = (d: Buffer): Buffer => h(Buffer.from([0]), d);
const refNode = (l: Buffer, r: Buffer): Buffer => h(Buffer.from([1]), l, r);

/** k: the largest power of two smaller than n. */
function k(n: number): number {
  let p = 1;
  while (p << 1 < n) p <<= 1;
  return p;
}

/**
 * MTH(D[lo:hi]) over the entries `d` (not yet leaf-hashed). Memoised per array
 * and range only so that checking every size up to a few hundred stays fast;
 * the recursion is the RFC's.
 */
const memo = new WeakMap<readonly Buffer[], Map<string, Buffer>>();
function mth(d: readonly Buffer[], lo: number, hi: number): Buffer {
  let cache = memo.get(d);
  if (!cache) memo.set(d, (cache = new Map()));
  const key = `${lo}:${hi}`;
  const known = cache.get(key);
  if (known) return known;
  let value: Buffer;
  if (hi === lo) value = h();
  else if (hi - lo === 1) value = refLeafHash(d[lo]!);
  else {
    const split = k(hi - lo);
    value = refNode(mth(d, lo, lo + split), mth(d, lo + split, hi));
  }
  cache.set(key, value);
  return value;
}

/** MTH(D[n]) where D is the first `n` entries of `d` (all of them by default). */
export function refMth(d: readonly Buffer[], n = d.length): Buffer {
  return mth(d, 0, n);
}

/** PATH(m, D[n]), D the first `n` entries of `d`. */
export function refPath(m: number, d: readonly Buffer[], n = d.length): Buffer[] {
  const path = (mm: number, lo: number, hi: number): Buffer[] => {
    if (hi - lo <= 1) return [];
    const split = k(hi - lo);
    return mm < split
      ? [...path(mm, lo, lo + split), mth(d, lo + split, hi)]
      : [...path(mm - split, lo + split, hi), mth(d, lo, lo + split)];
  };
  return path(m, 0, n);
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true), D the first `n` entries of `d`. */
export function refProof(m: number, d: readonly Buffer[], n = d.length): Buffer[] {
  const subproof = (mm: number, lo: number, hi: number, b: boolean): Buffer[] => {
    if (mm === hi - lo) return b ? [] : [mth(d, lo, hi)];
    const split = k(hi - lo);
    return mm <= split
      ? [...subproof(mm, lo, lo + split, b), mth(d, lo + split, hi)]
      : [...subproof(mm - split, lo + split, hi, false), mth(d, lo, lo + split)];
  };
  return m === 0 || m === n ? [] : subproof(m, 0, n, true);
}

/** Recomputes the root from a leaf and its audit path by walking PATH's definition backwards. */
export function refVerifyInclusion(leaf: Buffer, index: number, size: number, path: readonly Buffer[], root: Buffer): boolean {
  if (index < 0 || index >= size) return false;
  const rest = [...path];
  const walk = (m: number, n: number): Buffer | null => {
    if (n === 1) return leaf;
    const sibling = rest.pop();
    if (!sibling) return null;
    const split = k(n);
    if (m < split) {
      const left = walk(m, split);
      return left && refNode(left, sibling);
    }
    const right = walk(m - split, n - split);
    return right && refNode(sibling, right);
  };
  const computed = walk(index, size);
  return computed !== null && rest.length === 0 && computed.equals(root);
}

/** Recomputes both roots from a consistency proof by walking SUBPROOF's definition backwards. */
export function refVerifyConsistency(m: number, n: number, oldRoot: Buffer, newRoot: Buffer, proof: readonly Buffer[]): boolean {
  if (m < 0 || m > n) return false;
  if (m === 0 || m === n) return proof.length === 0 && (m === 0 || oldRoot.equals(newRoot));
  const rest = [...proof];
  const walk = (mm: number, nn: number, b: boolean): { old: Buffer; now: Buffer } | null => {
    if (mm === nn) {
      if (b) return { old: oldRoot, now: oldRoot };
      const whole = rest.pop();
      return whole ? { old: whole, now: whole } : null;
    }
    const sibling = rest.pop();
    if (!sibling) return null;
    const split = k(nn);
    if (mm <= split) {
      const inner = walk(mm, split, b);
      return inner && { old: inner.old, now: refNode(inner.now, sibling) };
    }
    const inner = walk(mm - split, nn - split, false);
    return inner && { old: refNode(sibling, inner.old), now: refNode(sibling, inner.now) };
  };
  const roots = walk(m, n, true);
  return roots !== null && rest.length === 0 && roots.old.equals(oldRoot) && roots.now.equals(newRoot);
}
