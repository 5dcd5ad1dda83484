import { createHash, createPublicKey, verify } from 'node:crypto';

/** A checkpoint whose signature held: its tree size and root. */
export type OpenedCheckpoint =
  | { ok: true; keyName: string; origin: string; treeSize: number; root: Buffer; body: string }
  | { ok: false; problem: string };

/**
 * Opens a C2SP signed note holding a tlog-checkpoint, with a verifier key given apart
 * (`<name>+<hex8 key hash>+<base64(0x01 || Ed25519 public key)>`): the note must carry a signature line
 * of that key (`— <name> <base64(key hash || signature)>`) whose Ed25519 signature over the body
 * (every line up to the blank line, with its final newline) holds. Written from the C2SP texts alone,
 * so the offline verifier does not trust the signer's own code.
 */
export function openCheckpoint(note: string, verifierKey: string): OpenedCheckpoint {
  const key = parseKey(verifierKey.trim());
  if (typeof key === 'string') return { ok: false, problem: key };
  const split = note.indexOf('\n\n');
  if (split < 0) return { ok: false, problem: 'the note has no blank line between its text and its signatures' };
  const body = note.slice(0, split + 1);
  const signatures = note.slice(split + 2).split('\n').filter((line) => line !== '');
  const ours = signatures
    .map((line) => /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === key.name)
    .map((m) => Buffer.from(m[2], 'base64'))
    .filter((raw) => raw.length === 68 && raw.subarray(0, 4).equals(key.hash));
  if (ours.length === 0) return { ok: false, problem: `no signature line of the key ${key.name}+${key.hash.toString('hex')} in the note` };
  // signed-note: a line of this key that fails rejects the note, whatever other lines say.
  if (!ours.every((raw) => verify(null, Buffer.from(body, 'utf8'), key.publicKey, raw.subarray(4)))) {
    return { ok: false, problem: `the signature of ${key.name} does not hold over the note's text (altered, or another key)` };
  }
  const lines = body.split('\n');
  const [origin, size, root] = lines;
  if (!origin || !/^(0|[1-9][0-9]*)$/.test(size ?? '') || !/^[A-Za-z0-9+/]{43}=$/.test(root ?? '')) {
    return { ok: false, problem: 'the signed text is not a tlog-checkpoint (origin, tree size, base64 root hash)' };
  }
  return { ok: true, keyName: key.name, origin, treeSize: Number(size), root: Buffer.from(root, 'base64'), body };
}

function parseKey(text: string): { name: string; hash: Buffer; publicKey: ReturnType<typeof createPublicKey> } | string {
  const match = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text);
  if (!match) return 'the verifier key is not of the form <name>+<8 hex digits>+<base64 key>';
  const raw = Buffer.from(match[3], 'base64');
  if (raw.length !== 33 || raw[0] !== 0x01) return 'the verifier key is not an Ed25519 key (algorithm byte 0x01 and 32 bytes)';
  const hash = createHash('sha256').update(Buffer.concat([Buffer.from(`${match[1]}\n`, 'utf8'), raw])).digest().subarray(0, 4);
  if (hash.toString('hex') !== match[2]) return 'the verifier key\'s key hash does not match its name and key';
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.subarray(1).toString('base64url') }, format: 'jwk' });
  return { name: match[1], hash: Buffer.from(match[2], 'hex'), publicKey };
}

/** A checkpoint's text read without checking any signature (verify-log without --key): origin, size, root. */
export function readCheckpoint(note: string): OpenedCheckpoint {
  const [origin, size, root] = note.split('\n');
  if (!origin || !/^(0|[1-9][0-9]*)$/.test(size ?? '') || !/^[A-Za-z0-9+/]{43}=$/.test(root ?? '')) {
    return { ok: false, problem: 'not a tlog-checkpoint (origin, tree size, base64 root hash)' };
  }
  return { ok: true, keyName: '(not checked)', origin, treeSize: Number(size), root: Buffer.from(root, 'base64'), body: note.slice(0, note.indexOf('\n\n') + 1) };
}
