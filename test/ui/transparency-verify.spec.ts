import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import {
  bytesToBase64,
  keyHashOf,
  parseCheckpointNote,
  parseVerifierKey,
  verifyConsistency,
  verifyNoteSignature,
} from '../../apps/admin-ui/src/pages/audit/transparency';

/**
 * The admin UI's own verifier of the log (apps/admin-ui/src/pages/audit/transparency.ts), run on Node's
 * WebCrypto as the browser runs it, against a reference written here from RFC 9162's definitions
 * (§2.1.1 MTH, §2.1.4.1 PROOF/SUBPROOF) and against notes signed here as C2SP signed-note says.
 */
const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const leaf = (i: number) => sha256(Buffer.from([0x00]), sha256(Buffer.from(`event ${i}`)));

/** MTH(D[n]): k is the largest power of two smaller than n. */
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leaves[0];
  const k = largestPowerOfTwoBelow(leaves.length);
  return sha256(Buffer.from([0x01]), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
function subproof(m: number, leaves: Buffer[], complete: boolean): Buffer[] {
  const n = leaves.length;
  if (m === n) return complete ? [] : [mth(leaves)];
  const k = largestPowerOfTwoBelow(n);
  return m <= k
    ? [...subproof(m, leaves.slice(0, k), complete), mth(leaves.slice(k))]
    : [...subproof(m - k, leaves.slice(k), false), mth(leaves.slice(0, k))];
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

describe('the admin UI’s consistency verifier (RFC 9162 §2.1.4.2)', () => {
  const leaves = Array.from({ length: 64 }, (_, i) => leaf(i));
  const roots = Array.from({ length: leaves.length + 1 }, (_, n) => mth(leaves.slice(0, n)));

  it('accepts the reference proof between every pair of sizes 1 ≤ m ≤ n ≤ 64, and nothing altered', async () => {
    let checked = 0;
    for (let n = 1; n <= leaves.length; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = m === n ? [] : subproof(m, leaves.slice(0, n), true);
        expect(await verifyConsistency(m, n, roots[m], roots[n], proof)).toBe(true);
        if (m < n) {
          // Any node of the path changed, the old or the new root another, a node missing: refused.
          const flipped = proof.map((node, i) => (i === (m + n) % proof.length ? Buffer.from(node.map((b, j) => (j === 0 ? b ^ 1 : b))) : node));
          expect(await verifyConsistency(m, n, roots[m], roots[n], flipped)).toBe(false);
          expect(await verifyConsistency(m, n, roots[m - 1], roots[n], proof)).toBe(false);
          expect(await verifyConsistency(m, n, roots[m], roots[n - 1], proof)).toBe(false);
          expect(await verifyConsistency(m, n, roots[m], roots[n], proof.slice(0, -1))).toBe(false);
          checked++;
        }
      }
    }
    expect(checked).toBe((64 * 63) / 2);
  });

  it('holds a larger log shorter than a saved checkpoint, or another root at the same size, inconsistent', async () => {
    expect(await verifyConsistency(9, 5, roots[9], roots[5], subproof(5, leaves.slice(0, 9), true))).toBe(false);
    expect(await verifyConsistency(7, 7, roots[7], roots[8], [])).toBe(false);
    expect(await verifyConsistency(7, 7, roots[7], roots[7], [])).toBe(true);
    expect(await verifyConsistency(0, 7, roots[0], roots[7], [])).toBe(true);
  });
});

describe('the admin UI’s signed-note reader (C2SP signed-note, Ed25519)', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const name = 'ktt-registry.test/log';
  const keyHash = sha256(Buffer.from(`${name}\n`), Buffer.from([0x01]), raw).subarray(0, 4);
  const verifierKey = `${name}+${keyHash.toString('hex')}+${Buffer.concat([Buffer.from([0x01]), raw]).toString('base64')}`;
  const body = `${name}\n42\n${sha256(Buffer.from('root')).toString('base64')}\n`;
  const signature = sign(null, Buffer.from(body), privateKey);
  const note = `${body}\n\u2014 ${name} ${Buffer.concat([keyHash, signature]).toString('base64')}\n`;

  it('reads the checkpoint and verifies its signature with the published key', async () => {
    const checkpoint = parseCheckpointNote(note);
    expect(checkpoint).toMatchObject({ origin: name, treeSize: 42, body });
    const key = parseVerifierKey(verifierKey);
    expect(bytesToBase64(await keyHashOf(key.name, key.publicKey))).toBe(keyHash.toString('base64'));
    expect(await verifyNoteSignature(checkpoint, key)).toBe('verified');
    // Pasted from a Windows editor, without its final newline: the same note.
    expect(await verifyNoteSignature(parseCheckpointNote(`  ${note.trim().replace(/\n/g, '\r\n')}`), key)).toBe('verified');
  });

  it('refuses a note whose size was changed, or signed by another key', async () => {
    const key = parseVerifierKey(verifierKey);
    expect(await verifyNoteSignature(parseCheckpointNote(note.replace('\n42\n', '\n43\n')), key)).toBe('invalid');
    const other = generateKeyPairSync('ed25519');
    const otherRaw = other.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
    const otherHash = sha256(Buffer.from(`${name}\n`), Buffer.from([0x01]), otherRaw).subarray(0, 4);
    const otherKey = parseVerifierKey(`${name}+${otherHash.toString('hex')}+${Buffer.concat([Buffer.from([0x01]), otherRaw]).toString('base64')}`);
    expect(await verifyNoteSignature(parseCheckpointNote(note), otherKey)).toBe('missing');
  });

  it('names what is wrong with a text that is not a signed checkpoint', () => {
    expect(() => parseCheckpointNote(body)).toThrow('note.noSignatures');
    expect(() => parseCheckpointNote(note.replace('\n42\n', '\nforty-two\n'))).toThrow('note.size');
    expect(() => parseCheckpointNote(note.replace(/\n[^\n]+=\n\n/, '\nnot-base64\n\n'))).toThrow('note.root');
    expect(() => parseVerifierKey('ktt+0011+AAAA')).toThrow('key.format');
  });
});
