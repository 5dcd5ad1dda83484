/**
 * The browser's own check of the verifiable log (issue 18): written here, in the UI, so that an auditor
 * need not trust the server's word that the log it shows today extends the checkpoint they kept.
 * Hashes go through WebCrypto (SHA-256; Ed25519 where the browser has it), nothing else is needed.
 *
 * - Checkpoints are C2SP `tlog-checkpoint` bodies (`<origin>\n<size>\n<base64 root>\n`) in C2SP
 *   `signed-note`s: the body, a blank line, then lines `— <key name> <base64(key hash(4) ‖ signature)>`.
 * - The verifier key is `<name>+<hex key hash>+<base64(0x01 ‖ 32-byte Ed25519 public key)>`, its key hash
 *   the first 4 bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key).
 * - Consistency proofs are RFC 9162 §2.1.4, checked by the algorithm of §2.1.4.2.
 */

export interface Checkpoint {
  origin: string;
  treeSize: number;
  /** The 32-byte root hash. */
  root: Uint8Array;
  /** The signed body (the first three lines and their newlines), as the signature covers it. */
  body: string;
  signatures: NoteSignature[];
}

export interface NoteSignature {
  name: string;
  keyHash: Uint8Array;
  signature: Uint8Array;
}

export interface VerifierKey {
  name: string;
  keyHash: Uint8Array;
  publicKey: Uint8Array;
  text: string;
}

/** A text that is not what it says, with the reason a person reads (a key of the page's dictionary and its values). */
export class NoteFormatError extends Error {
  constructor(
    readonly reason: string,
    readonly vars: Record<string, string | number> = {},
  ) {
    super(reason);
  }
}

/**
 * What an auditor pasted: the line endings a mail client or an editor may have changed back to `\n`,
 * the blank around it removed, and the final newline the format ends with put back.
 */
export function normalizeNote(text: string): string {
  return `${text.replace(/\r\n?/g, '\n').trim()}\n`;
}

/** A signed checkpoint's text → its fields; throws NoteFormatError naming what is wrong. */
export function parseCheckpointNote(text: string): Checkpoint {
  const note = normalizeNote(text);
  const split = note.indexOf('\n\n');
  if (split < 0) throw new NoteFormatError('note.noSignatures');
  const body = note.slice(0, split + 1);
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3) throw new NoteFormatError('note.shortBody');
  const [origin, sizeText, rootText] = lines;
  if (origin === '') throw new NoteFormatError('note.origin');
  if (!/^(0|[1-9]\d*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) throw new NoteFormatError('note.size', { text: sizeText.slice(0, 40) });
  const root = decodeBase64(rootText);
  if (root === null || root.length !== 32) throw new NoteFormatError('note.root');
  const signatures: NoteSignature[] = [];
  for (const line of note.slice(split + 2, -1).split('\n')) {
    // `— <name> <base64>`: the name holds no space (C2SP signed-note).
    const match = /^\u2014 (\S+) (\S+)$/.exec(line);
    const bytes = match ? decodeBase64(match[2]) : null;
    if (!match || bytes === null || bytes.length < 5) throw new NoteFormatError('note.signatureLine', { line: line.slice(0, 60) });
    signatures.push({ name: match[1], keyHash: bytes.slice(0, 4), signature: bytes.slice(4) });
  }
  if (signatures.length === 0) throw new NoteFormatError('note.noSignatures');
  return { origin, treeSize: Number(sizeText), root, body, signatures };
}

/** `<name>+<hex8>+<base64(0x01 ‖ key)>` → its parts; throws NoteFormatError when it is not an Ed25519 verifier key. */
export function parseVerifierKey(text: string): VerifierKey {
  const trimmed = text.trim();
  const match = /^([^+\s]+)\+([0-9a-f]{8})\+(\S+)$/.exec(trimmed);
  const bytes = match ? decodeBase64(match[3]) : null;
  if (!match || bytes === null) throw new NoteFormatError('key.format');
  if (bytes.length !== 33 || bytes[0] !== 0x01) throw new NoteFormatError('key.algorithm');
  return { name: match[1], keyHash: hexToBytes(match[2]), publicKey: bytes.slice(1), text: trimmed };
}

/** The key hash C2SP signed-note gives an Ed25519 key: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key), its first 4 bytes. */
export async function keyHashOf(name: string, publicKey: Uint8Array): Promise<Uint8Array> {
  const digest = await sha256(concat(new TextEncoder().encode(name), Uint8Array.of(0x0a, 0x01), publicKey));
  return digest.slice(0, 4);
}

/**
 * Whether the note is signed by the key: `verified` (a signature line of the key's name and hash
 * verifies over the body), `invalid` (such a line is there and does not verify, or none is there),
 * or `unsupported` (this browser's WebCrypto has no Ed25519: only the proof could be checked).
 */
export type SignatureCheck = 'verified' | 'invalid' | 'missing' | 'unsupported';

export async function verifyNoteSignature(checkpoint: Checkpoint, key: VerifierKey): Promise<SignatureCheck> {
  if (!bytesEqual(await keyHashOf(key.name, key.publicKey), key.keyHash)) return 'invalid';
  const mine = checkpoint.signatures.filter((line) => line.name === key.name && bytesEqual(line.keyHash, key.keyHash));
  if (mine.length === 0) return 'missing';
  let cryptoKey: CryptoKey;
  try {
    cryptoKey = await subtle().importKey('raw', key.publicKey as BufferSource, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return 'unsupported';
  }
  const message = new TextEncoder().encode(checkpoint.body);
  for (const line of mine) {
    if (line.signature.length === 64 && (await subtle().verify({ name: 'Ed25519' }, cryptoKey, line.signature as BufferSource, message))) return 'verified';
  }
  return 'invalid';
}

/**
 * RFC 9162 §2.1.4.2: whether `proof` shows that the tree of size `first` with root `firstRoot` is a prefix
 * of the tree of size `second` with root `secondRoot`. Equal sizes need equal roots and an empty proof;
 * the empty tree is a prefix of every tree.
 */
export async function verifyConsistency(first: number, second: number, firstRoot: Uint8Array, secondRoot: Uint8Array, proof: Uint8Array[]): Promise<boolean> {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) return false;
  if (first === second) return proof.length === 0 && bytesEqual(firstRoot, secondRoot);
  if (first === 0) return proof.length === 0;
  // 1. An empty path proves nothing.
  if (proof.length === 0) return false;
  // 2. Where the old tree is a perfect subtree of the new one, its root is the path's first node.
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  // 3.–4. (fn and sn can pass 2^31: halved by division, not by >>.)
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // 5.
  let fr = path[0];
  let sr = path[0];
  // 6.
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // 7.
  return sn === 0 && bytesEqual(fr, firstRoot) && bytesEqual(sr, secondRoot);
}

/** RFC 9162 §2.1.1: an interior node, SHA-256(0x01 ‖ left ‖ right). */
export async function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return sha256(concat(Uint8Array.of(0x01), left, right));
}

/** Whether this page can hash at all: WebCrypto exists only in a secure context (https, or localhost). */
export function hasWebCrypto(): boolean {
  return typeof globalThis.crypto !== 'undefined' && typeof globalThis.crypto.subtle !== 'undefined';
}

export function hexToBytes(hex: string): Uint8Array {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new NoteFormatError('proof.hex');
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

export function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Standard base64 with its padding (as the formats write it); null for anything else. */
export function decodeBase64(text: string): Uint8Array | null {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return null;
  const binary = atob(text);
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest('SHA-256', data as BufferSource));
}

function subtle(): SubtleCrypto {
  if (!hasWebCrypto()) throw new NoteFormatError('crypto.unavailable');
  return globalThis.crypto.subtle;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
