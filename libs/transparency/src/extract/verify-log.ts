import { verifyConsistency } from '../merkle/rfc9162';
import { openCheckpoint, readCheckpoint } from './checkpoint-note';
import type { VerificationReport } from './verify-extract';

/** What `cli verify-log` fetched from the server: its latest checkpoint and the consistency proof from the saved size to it. */
export interface LogAnswers {
  currentNote: string;
  proof: { from: number; to: number; proof: string[] } | null;
}

/**
 * Checks that the log the server answers now extends the one a checkpoint saved earlier committed to
 * (RFC 9162 §2.1.4.2): same origin, a tree at least as large, and a consistency proof from the saved
 * root to the current one. With a verifier key both notes' signatures are checked too.
 */
export function verifyLog(savedNote: string, answers: LogAnswers, verifierKey?: string): VerificationReport {
  const passed: string[] = [];
  const failed: string[] = [];
  const open = (note: string) => (verifierKey ? openCheckpoint(note, verifierKey) : readCheckpoint(note));
  const saved = open(savedNote);
  const current = open(answers.currentNote);
  if (!saved.ok) failed.push(`saved checkpoint: ${saved.problem}`);
  if (!current.ok) failed.push(`server's checkpoint: ${current.problem}`);
  if (!saved.ok || !current.ok) return { ok: false, passed, failed };
  passed.push(verifierKey ? `both checkpoints signed by ${saved.keyName}` : 'signatures not checked (no --key given)');
  if (saved.origin !== current.origin) failed.push(`the server's log is ${current.origin}, the saved checkpoint's ${saved.origin}`);
  const [m, n] = [saved.treeSize, current.treeSize];
  if (n < m) failed.push(`the server's log has ${n} entries, fewer than the ${m} the saved checkpoint committed to`);
  else if (n === m) {
    if (saved.root.equals(current.root)) passed.push(`same tree size ${n} and the same root`);
    else failed.push(`same tree size ${n} but another root: the log was rewritten`);
  } else if (!answers.proof || answers.proof.from !== m || answers.proof.to !== n || !answers.proof.proof.every((h) => /^[0-9a-f]{64}$/i.test(h))) {
    failed.push(`the server gave no consistency proof from ${m} to ${n}`);
  } else if (!verifyConsistency(m, n, saved.root, current.root, answers.proof.proof.map((h) => Buffer.from(h, 'hex')))) {
    failed.push(`the consistency proof from tree size ${m} to ${n} does not hold: the log the server answers now does not extend the saved checkpoint (entries before ${m} were changed)`);
  } else passed.push(`consistency proof from tree size ${m} to ${n} verified: the log extends the saved checkpoint`);
  return { ok: failed.length === 0, passed, failed };
}
