import { createHash, createPublicKey, verify } from 'node:crypto';
import { formatCheckpoint, generateSignerKey, NoteFormatError, NoteVerificationError, parseCheckpoint, parseSignerKey, parseVerifierKey, signNote, verifyNote } from './note';

/**
 * The signed note's bytes against the published formats (c2sp.org/signed-note,
 * c2sp.org/tlog-checkpoint), checked two ways that do not go through the
 * product's verifier: the test vector of Go's golang.org/x/mod/sumdb/note (the
 * reference implementation), and a reading of our own output written here from
 * the specs' definitions with node:crypto alone.
 */
describe('signed notes', () => {
  // golang.org/x/mod/sumdb/note, note_test.go (TestSign, TestOpen): Ed25519 is deterministic, so the bytes must match.
  const GO_SIGNER_KEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
  const GO_VERIFIER_KEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
  const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
  const GO_NOTE = `${GO_TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;
  const GO_OTHER_SIGNATURE = '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

  describe('against the reference implementation\'s test vector', () => {
    it('signs byte for byte as Go\'s note.Sign does', () => {
      expect(signNote(GO_TEXT, parseSignerKey(GO_SIGNER_KEY))).toBe(GO_NOTE);
    });

    it('derives the verifier key Go publishes for that signer key', () => {
      expect(parseSignerKey(GO_SIGNER_KEY).verifierKey).toBe(GO_VERIFIER_KEY);
    });

    it('opens Go\'s note, and ignores the signature of a key it does not know', () => {
      expect(verifyNote(GO_NOTE, GO_VERIFIER_KEY)).toEqual({ text: GO_TEXT });
      expect(verifyNote(GO_NOTE + GO_OTHER_SIGNATURE, GO_VERIFIER_KEY)).toEqual({ text: GO_TEXT });
    });

    it('refuses a note carrying only another key\'s signature', () => {
      expect(() => verifyNote(`${GO_TEXT}\n${GO_OTHER_SIGNATURE}`, GO_VERIFIER_KEY)).toThrow(NoteVerificationError);
    });

    it.each([
      ['a key ID that does not match the name and key', 'PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'],
      ['an unknown algorithm', 'PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'],
      ['a key of the wrong length', 'PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=='],
      ['a name with a plus', 'Peter+Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'],
    ])('refuses a verifier key with %s', (_what, key) => {
      expect(() => parseVerifierKey(key)).toThrow(NoteFormatError);
    });
  });

  describe('a checkpoint the product signs', () => {
    const origin = 'registry.example.vn/log';
    const signer = parseSignerKey(generateSignerKey(origin));
    const rootHash = createHash('sha256').update('some root').digest();
    const note = signNote(formatCheckpoint({ origin, treeSize: 20852163, rootHash }), signer);

    it('is the checkpoint text, a blank line and one signature line, read here from the specs alone', () => {
      const bytes = Buffer.from(note, 'utf8');
      // tlog-checkpoint: origin, decimal size, base64 root, each ending in a newline; signed-note: a blank line, then
      // em dash (E2 80 94), space, key name, space, base64 signature, newline.
      const match = /^([^\n]+)\n([0-9]+)\n([A-Za-z0-9+/=]+)\n\n\u2014 ([^ \n]+) ([A-Za-z0-9+/=]+)\n$/u.exec(note);
      expect(match).not.toBeNull();
      const [, originLine, sizeLine, rootLine, keyName, signatureBase64] = match!;
      expect([originLine, sizeLine, Buffer.from(rootLine, 'base64')]).toEqual([origin, '20852163', rootHash]);
      expect(keyName).toBe(origin);
      expect(bytes.subarray(bytes.indexOf('\n\n') + 2, bytes.indexOf('\n\n') + 5)).toEqual(Buffer.from([0xe2, 0x80, 0x94]));

      // The verifier key: <name>+<hex key ID>+<base64(0x01 || 32-byte public key)>.
      // Split at the first two '+' (the base64 may hold more), as Go's note.NewVerifier does.
      const [, name, keyIdHex, keyBase64] = /^([^+]+)\+([^+]+)\+(.+)$/.exec(signer.verifierKey)!;
      const keyBytes = Buffer.from(keyBase64, 'base64');
      expect([name, keyBytes.length, keyBytes[0]]).toEqual([origin, 33, 0x01]);
      const publicKey = keyBytes.subarray(1);
      // key ID = SHA-256(key name || 0x0A || 0x01 || 32-byte Ed25519 public key)[:4]
      const keyId = createHash('sha256').update(Buffer.concat([Buffer.from(origin, 'utf8'), Buffer.from([0x0a, 0x01]), publicKey])).digest().subarray(0, 4);
      expect(keyIdHex).toBe(keyId.toString('hex'));

      // The signature: base64(key ID (4 bytes, big-endian) || Ed25519 signature (64 bytes)) over the text with its final newline.
      const signature = Buffer.from(signatureBase64, 'base64');
      expect(signature.length).toBe(68);
      expect(signature.subarray(0, 4)).toEqual(keyId);
      const text = Buffer.from(`${originLine}\n${sizeLine}\n${rootLine}\n`, 'utf8');
      const spki = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), publicKey]), format: 'der', type: 'spki' });
      expect(verify(null, text, spki, signature.subarray(4))).toBe(true);
    });

    it('verifies with its verifier key and states the checkpoint signed', () => {
      expect(parseCheckpoint(verifyNote(note, signer.verifierKey).text)).toEqual({ origin, treeSize: 20852163, rootHash });
    });

    it('does not verify once any byte of the text or the signature is changed', () => {
      const bytes = Buffer.from(note, 'utf8');
      const signatureStart = bytes.lastIndexOf(' ') + 1;
      // Each byte of the text, and each byte of the signature's base64 (a changed key ID or signature).
      const positions = [...Array.from({ length: bytes.indexOf('\n\n') }, (_, i) => i), ...Array.from({ length: bytes.length - 1 - signatureStart }, (_, i) => signatureStart + i)];
      for (const position of positions) {
        const changed = Buffer.from(bytes);
        changed[position] = changed[position] === 0x41 ? 0x42 : 0x41; // 'A' or 'B': stays printable
        if (changed.equals(bytes)) continue;
        expect({ position, verified: attempt(() => verifyNote(changed.toString('utf8'), signer.verifierKey)) }).toEqual({ position, verified: false });
      }
    });

    it('does not verify with another key of the same name', () => {
      const other = parseSignerKey(generateSignerKey(origin));
      expect(() => verifyNote(note, other.verifierKey)).toThrow(NoteVerificationError);
    });

    it('never shows the private key when printed', () => {
      const printed = JSON.stringify({ signer });
      expect(printed).toContain(signer.verifierKey);
      expect(printed).not.toMatch(/PRIVATE/);
    });
  });

  describe('the checkpoint text', () => {
    const root = Buffer.alloc(32, 7);

    it('writes the size in decimal without leading zeroes and the root in padded base64', () => {
      expect(formatCheckpoint({ origin: 'example.com/log42', treeSize: 0, rootHash: root })).toBe(`example.com/log42\n0\n${root.toString('base64')}\n`);
      expect(root.toString('base64')).toMatch(/=$/);
    });

    it.each([
      ['a leading zero', `o\n01\n${root.toString('base64')}\n`],
      ['a root of 31 bytes', `o\n1\n${Buffer.alloc(31).toString('base64')}\n`],
      ['an extension line', `o\n1\n${root.toString('base64')}\nextra\n`],
      ['no final newline', `o\n1\n${root.toString('base64')}`],
      ['an origin with a space', `o o\n1\n${root.toString('base64')}\n`],
    ])('refuses %s', (_what, text) => {
      expect(() => parseCheckpoint(text)).toThrow(NoteFormatError);
    });

    it('refuses an origin that cannot be a key name', () => {
      expect(() => formatCheckpoint({ origin: 'a+b', treeSize: 1, rootHash: root })).toThrow(NoteFormatError);
    });
  });
});

function attempt(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch {
    return false;
  }
}
