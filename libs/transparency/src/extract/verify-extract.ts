import { canonicalJson, hashEvent } from '@ktt/event-store';
import { leafHash, verifyInclusion } from '../merkle/rfc9162';
import { openCheckpoint } from './checkpoint-note';
import { extractState } from './extract-state';
import type { OrganizationExtract, StoredEvent } from './extract.types';

/** What `cli verify-extract` prints: each check that held, and each that failed, in plain words. */
export interface VerificationReport {
  ok: boolean;
  passed: string[];
  failed: string[];
}

/**
 * Checks an extract offline (issue 18), trusting nothing in it but what it proves:
 * the checkpoint's signature by `verifierKey` (obtained apart from the extract), each event's hash
 * recomputed from its stored content, each inclusion proof against the checkpoint's root, each
 * stream's chain (revisions from 0, `previousHash` links), and the state recomputed from the events by
 * the domain's own fold (upcast first) against the state the extract states.
 */
export function verifyExtract(extract: OrganizationExtract, verifierKey: string, firstMap: readonly { code: string; name: string }[]): VerificationReport {
  const passed: string[] = [];
  const failed: string[] = [];
  const shape = shapeProblem(extract);
  if (shape) return { ok: false, passed, failed: [`the file is not an extract: ${shape}`] };

  const checkpoint = openCheckpoint(extract.checkpoint, verifierKey);
  if (!checkpoint.ok) failed.push(`checkpoint: ${checkpoint.problem}`);
  else passed.push(`checkpoint signed by ${checkpoint.keyName}: tree size ${checkpoint.treeSize}, root ${checkpoint.root.toString('base64')}`);
  if (extract.verifierKey !== verifierKey.trim()) {
    passed.push('note: the extract names another verifier key than the one given; only the key given was trusted');
  }

  let hashesOk = 0;
  let proofsOk = 0;
  for (const { leafIndex, event, auditPath } of extract.events) {
    const name = describe(event, leafIndex);
    const recomputed = hashEvent(event);
    if (recomputed !== event.metadata.hash) {
      failed.push(`${name}: its content does not match its hash (recomputed ${recomputed}, stated ${String(event.metadata.hash)})`);
      continue;
    }
    hashesOk += 1;
    if (!checkpoint.ok) continue;
    const path = auditPath.map((hex) => Buffer.from(hex, 'hex'));
    const leaf = leafHash(Buffer.from(event.metadata.hash, 'hex'));
    if (!auditPath.every(isHash32) || !verifyInclusion(leaf, leafIndex, checkpoint.treeSize, path, checkpoint.root)) {
      failed.push(`${name}: its inclusion proof does not lead to the checkpoint's root (tree size ${checkpoint.treeSize})`);
      continue;
    }
    proofsOk += 1;
  }
  if (hashesOk === extract.events.length) passed.push(`${hashesOk} event hashes recomputed and equal`);
  if (checkpoint.ok && proofsOk === extract.events.length) passed.push(`${proofsOk} inclusion proofs verified against the checkpoint's root`);

  const chainProblems = chainsOf(extract.events.map((e) => e.event));
  failed.push(...chainProblems);
  if (chainProblems.length === 0) passed.push('every stream in the extract is whole from revision 0 and its previousHash links hold');

  let recomputed: ReturnType<typeof extractState>;
  try {
    recomputed = extractState({ organizationId: extract.organizationId, asOf: extract.asOf, knownAt: extract.knownAt, events: extract.events.map((e) => e.event), firstMap });
  } catch (error) {
    failed.push(`state: the domain's fold refused the events: ${(error as Error).message}`);
    return { ok: false, passed, failed };
  }
  if (recomputed === null) failed.push(`state: the events show no organization ${extract.organizationId} registered by ${extract.asOf} and recorded by ${extract.knownAt}`);
  else {
    const differing = Object.keys({ ...recomputed, ...extract.state }).filter(
      (key) => canonicalJson((recomputed as unknown as Record<string, unknown>)[key] ?? null) !== canonicalJson((extract.state as unknown as Record<string, unknown>)[key] ?? null),
    );
    if (differing.length > 0) {
      failed.push(
        `state: the extract's state differs from the fold of its events in ${differing
          .map((key) => `${key} (extract ${canonicalJson((extract.state as unknown as Record<string, unknown>)[key] ?? null)}, fold ${canonicalJson((recomputed as unknown as Record<string, unknown>)[key] ?? null)})`)
          .join(', ')}`,
      );
    } else passed.push(`state as of ${extract.asOf} (known at ${extract.knownAt}) recomputed by the domain's fold and equal`);
  }
  return { ok: failed.length === 0, passed, failed };
}

function describe(event: StoredEvent, leafIndex: number): string {
  return `event ${String(event.metadata?.eventId)} (${event.streamId} revision ${event.revision}, leaf ${leafIndex})`;
}

function isHash32(hex: unknown): boolean {
  return typeof hex === 'string' && /^[0-9a-f]{64}$/i.test(hex);
}

/** Each stream's events by revision must be 0, 1, 2, … and each link to the hash of the one before. */
function chainsOf(events: readonly StoredEvent[]): string[] {
  const streams = new Map<string, StoredEvent[]>();
  for (const event of events) streams.set(event.streamId, [...(streams.get(event.streamId) ?? []), event]);
  const problems: string[] = [];
  for (const [streamId, list] of streams) {
    list.sort((a, b) => a.revision - b.revision);
    list.forEach((event, i) => {
      if (event.revision !== i) problems.push(`${streamId}: revision ${i} is missing from the extract (found ${event.revision})`);
      else if ((event.metadata.previousHash ?? null) !== (i === 0 ? null : list[i - 1].metadata.hash)) {
        problems.push(`${streamId} revision ${i}: its previousHash does not link to the event before it`);
      }
    });
  }
  return problems;
}

function shapeProblem(extract: OrganizationExtract): string | null {
  if (extract === null || typeof extract !== 'object') return 'not a JSON object';
  for (const key of ['organizationId', 'asOf', 'knownAt', 'checkpoint', 'verifierKey'] as const) {
    if (typeof extract[key] !== 'string') return `${key} must be a string`;
  }
  if (extract.state === null || typeof extract.state !== 'object') return 'state must be an object';
  if (!Array.isArray(extract.events)) return 'events must be a list';
  for (const [i, item] of extract.events.entries()) {
    const event = item?.event;
    if (!Number.isInteger(item?.leafIndex) || !Array.isArray(item?.auditPath)) return `events[${i}] needs leafIndex and auditPath`;
    if (!event || typeof event.streamId !== 'string' || !Number.isInteger(event.revision) || typeof event.type !== 'string' || typeof event.metadata !== 'object' || event.metadata === null) {
      return `events[${i}].event needs streamId, revision, type, data and metadata`;
    }
    if (!isHash32(event.metadata.hash)) return `events[${i}].event.metadata.hash must be 64 hex digits`;
  }
  return null;
}
