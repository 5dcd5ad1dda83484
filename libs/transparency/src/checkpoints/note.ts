import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Checkpoints (signed tree heads) in the published formats, so that tools we
 * did not write can check them:
 *
 * - c2sp.org/tlog-checkpoint: the note text is `<origin>\n<tree size>\n<root>\n`,
 *   the tree size in ASCII decimal without leading zeroes, the root hash in
 *   standard base64 (RFC 4648 §4); extension lines are optional and NOT
 *   RECOMMENDED, so we write none (and read none).
 * - c2sp.org/signed-note: the text (ending in a newline), a blank line, then
 *   signature lines `— <key name> <base64(key ID || signature)>\n` (em dash
 *   U+2014, space). The key ID is SHA-256(key name || 0x0A || 0x01 || 32-byte
 *   Ed25519 public key)[:4], big-endian; the Ed25519 signature (RFC 8032)
 *   covers the text including its final newline, not the blank line. Key
 *   names are non-empty, without Unicode spaces or `+`. The log's key name is
 *   its origin ("SHOULD match the origin line").
 * - The key encodings are those of Go's golang.org/x/mod/sumdb/note, which the
 *   ecosystem (sumdb, litetlog, the witnesses) reads: a verifier key is
 *   `<name>+<key ID, 8 hex digits>+<base64(0x01 || public key)>`, a signer key
 *   `PRIVATE+KEY+<name>+<key ID>+<base64(0x01 || 32-byte seed)>`.
 */

const ALG_ED25519 = 0x01;
const EM_DASH_PREFIX = '\u2014 ';
/** Go's note.Open refuses more; the spec asks verifiers to accept at least 16. */
const MAX_SIGNATURES = 100;
// DER prefixes of an Ed25519 key as PKCS #8 and SPKI (RFC 8410): node:crypto reads raw keys through them.
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

export class NoteFormatError extends Error {}
export class NoteVerificationError extends Error {}

export interface Checkpoint {
  origin: string;
  treeSize: number;
  rootHash: Buffer;
}

/** A key that signs notes; the private half never leaves this object. */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: Buffer;
  readonly publicKey: Buffer;
  /** `<name>+<key ID>+<base64(0x01 || public key)>`, for verifiers. */
  readonly verifierKey: string;
  sign(message: Buffer): Buffer;
}

export interface VerifierKey {
  name: string;
  keyId: Buffer;
  publicKey: Buffer;
}

/** Non-empty, no Unicode space, no `+` (signed-note, "Format"); no control character either (a note may hold none). */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+\u0000-\u001f\u007f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u.test(name) && wellFormed(name);
}

/** SHA-256(key name || 0x0A || 0x01 || public key)[:4] (signed-note, "Ed25519 signatures"). */
export function keyIdOf(name: string, publicKey: Buffer): Buffer {
  return createHash('sha256').update(Buffer.from(`${name}\n`, 'utf8')).update(Buffer.from([ALG_ED25519])).update(publicKey).digest().subarray(0, 4);
}

export function formatCheckpoint(checkpoint: Checkpoint): string {
  if (!isValidKeyName(checkpoint.origin)) throw new NoteFormatError('the origin must be non-empty, without spaces, "+" or control characters');
  if (!Number.isSafeInteger(checkpoint.treeSize) || checkpoint.treeSize < 0) throw new NoteFormatError('the tree size must be a non-negative integer');
  if (checkpoint.rootHash.length !== 32) throw new NoteFormatError('the root hash must be 32 bytes');
  return `${checkpoint.origin}\n${checkpoint.treeSize}\n${checkpoint.rootHash.toString('base64')}\n`;
}

/** The checkpoint a note's text states; strict: three lines, canonical decimal and base64, no extension line. */
export function parseCheckpoint(text: string): Checkpoint {
  const lines = text.split('\n');
  if (lines.length !== 4 || lines[3] !== '') throw new NoteFormatError('a checkpoint is three lines, each ending in a newline');
  const [origin, size, root] = lines;
  if (!isValidKeyName(origin)) throw new NoteFormatError('the origin line is not a valid log name');
  if (!/^(0|[1-9][0-9]{0,15})$/.test(size) || !Number.isSafeInteger(Number(size))) throw new NoteFormatError('the tree size is not a decimal number without leading zeroes');
  const rootHash = strictBase64(root);
  if (rootHash === null || rootHash.length !== 32) throw new NoteFormatError('the root hash is not the base64 of 32 bytes');
  return { origin, treeSize: Number(size), rootHash };
}

/** The text, a blank line, and this signer's signature line. */
export function signNote(text: string, signer: NoteSigner): string {
  assertNoteText(text);
  const signature = signer.sign(Buffer.from(text, 'utf8'));
  return `${text}\n${EM_DASH_PREFIX}${signer.name} ${Buffer.concat([signer.keyId, signature]).toString('base64')}\n`;
}

/**
 * The text of a note if the key signed it. As the spec says: lines of other
 * keys are ignored, a line of this key (name and key ID) that fails rejects
 * the whole note, and a note this key did not sign is rejected.
 */
export function verifyNote(note: string, verifierKey: string | VerifierKey): { text: string } {
  const key = typeof verifierKey === 'string' ? parseVerifierKey(verifierKey) : verifierKey;
  if (!wellFormed(note) || /[\u0000-\u0009\u000b-\u001f]/.test(note)) throw new NoteVerificationError('a note is UTF-8 text without control characters other than newline');
  if (!note.endsWith('\n')) throw new NoteVerificationError('a note ends with a newline');
  // The text is separated from the signatures by the last empty line.
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteVerificationError('a note has a blank line before its signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw new NoteVerificationError(`a note may carry at most ${MAX_SIGNATURES} signatures`);
  const publicKey = ed25519PublicKey(key.publicKey);
  let verified = false;
  for (const line of lines) {
    const match = /^\u2014 (\S+) (\S+)$/u.exec(line);
    const name = match?.[1] ?? '';
    const bytes = match ? strictBase64(match[2]) : null;
    if (!match || !isValidKeyName(name) || bytes === null || bytes.length < 5) throw new NoteVerificationError('a signature line is "— <key name> <base64 signature>"');
    if (name !== key.name || !bytes.subarray(0, 4).equals(key.keyId)) continue;
    if (!verify(null, Buffer.from(text, 'utf8'), publicKey, bytes.subarray(4))) {
      throw new NoteVerificationError(`the signature of ${key.name}+${key.keyId.toString('hex')} does not verify: the note was changed or signed by another key`);
    }
    verified = true;
  }
  if (!verified) throw new NoteVerificationError(`the note carries no signature of ${key.name}+${key.keyId.toString('hex')}`);
  return { text };
}

/** `<name>+<key ID hex>+<base64(0x01 || 32-byte key)>`, checked as Go's note.NewVerifier checks it. */
export function parseVerifierKey(text: string): VerifierKey {
  const match = /^([^+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text.trim());
  const bytes = match ? strictBase64(match[3]) : null;
  if (!match || !isValidKeyName(match[1]) || bytes === null) throw new NoteFormatError('a verifier key is <name>+<8 hex digits>+<base64 key>');
  if (bytes.length !== 33 || bytes[0] !== ALG_ED25519) throw new NoteFormatError('the verifier key is not an Ed25519 key (0x01 and 32 bytes)');
  const publicKey = bytes.subarray(1);
  const keyId = Buffer.from(match[2], 'hex');
  if (!keyIdOf(match[1], publicKey).equals(keyId)) throw new NoteFormatError('the verifier key\'s key ID does not match its name and key');
  return { name: match[1], keyId, publicKey };
}

export function verifierKeyOf(name: string, publicKey: Buffer): string {
  return `${name}+${keyIdOf(name, publicKey).toString('hex')}+${Buffer.concat([Buffer.from([ALG_ED25519]), publicKey]).toString('base64')}`;
}

/**
 * A signer from `PRIVATE+KEY+<name>+<key ID>+<base64(0x01 || seed)>`. The
 * messages never quote the key: they say what is wrong with it.
 */
export function parseSignerKey(text: string): NoteSigner {
  const match = /^PRIVATE\+KEY\+([^+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text.trim());
  const bytes = match ? strictBase64(match[3]) : null;
  if (!match || !isValidKeyName(match[1]) || bytes === null) throw new NoteFormatError('a signer key is PRIVATE+KEY+<name>+<8 hex digits>+<base64 key>');
  if (bytes.length !== 33 || bytes[0] !== ALG_ED25519) throw new NoteFormatError('the signer key is not an Ed25519 key (0x01 and a 32-byte seed)');
  const signer = signerFromSeed(match[1], bytes.subarray(1));
  if (!signer.keyId.equals(Buffer.from(match[2], 'hex'))) throw new NoteFormatError('the signer key\'s key ID does not match its name and key');
  return signer;
}

/** A new key for this name, in the signer-key text form (as Go's note.GenerateKey writes it). */
export function generateSignerKey(name: string): string {
  if (!isValidKeyName(name)) throw new NoteFormatError('a key name must be non-empty, without spaces, "+" or control characters');
  const { privateKey } = generateKeyPairSync('ed25519');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url');
  const signer = signerFromSeed(name, seed);
  return `PRIVATE+KEY+${name}+${signer.keyId.toString('hex')}+${Buffer.concat([Buffer.from([ALG_ED25519]), seed]).toString('base64')}`;
}

function signerFromSeed(name: string, seed: Buffer): NoteSigner {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = Buffer.from(createPublicKey(privateKey).export({ format: 'jwk' }).x as string, 'base64url');
  const keyId = keyIdOf(name, publicKey);
  return Object.freeze({
    name,
    keyId,
    publicKey,
    verifierKey: verifierKeyOf(name, publicKey),
    sign: (message: Buffer) => sign(null, message, privateKey),
    // Printing the signer (a log line, an error) shows its public half only.
    toJSON: () => ({ name, verifierKey: verifierKeyOf(name, publicKey) }),
  });
}

function ed25519PublicKey(raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519, raw]), format: 'der', type: 'spki' });
}

function assertNoteText(text: string): void {
  if (text.length === 0 || !text.endsWith('\n') || text.includes('\n\n') || /[\u0000-\u0009\u000b-\u001f]/.test(text) || !wellFormed(text)) {
    throw new NoteFormatError('a note text is non-empty lines, each ending in a newline, without control characters');
  }
}

/** No lone surrogate: the text encodes as UTF-8 without replacement. */
function wellFormed(text: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

/** Standard base64 with padding (RFC 4648 §4), and only its canonical spelling. */
function strictBase64(text: string): Buffer | null {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}
