import { readFileSync } from 'node:fs';
import path from 'node:path';
import { hashEvent } from '@ktt/event-store';
import { aCooperative, aUnion } from '@ktt/testing/builders';
import type { OrganizationEvent } from '@ktt/domain';
import { formatCheckpoint, generateSignerKey, parseSignerKey, signNote } from '../checkpoints/note';
import { consistencyPath, inclusionPath, leafHash, rootOf } from '../merkle/rfc9162';
import { extractState } from './extract-state';
import type { OrganizationExtract, StoredEvent } from './extract.types';
import { verifyExtract } from './verify-extract';
import { verifyLog } from './verify-log';

const firstMap = (JSON.parse(readFileSync(path.join(__dirname, '../../../../data/reference/administrative-units-2025.json'), 'utf8')) as { before: { code: string; name: string }[] }).before;
const signer = parseSignerKey(generateSignerKey('example.test/log'));
const otherKey = parseSignerKey(generateSignerKey('example.test/log')).verifierKey;

/** Stored events of one stream, each hashed and chained as the event store does, recorded a minute apart. */
function stored(streamId: string, events: OrganizationEvent[], start = Date.parse('2024-05-01T00:00:00Z')): StoredEvent[] {
  const out: StoredEvent[] = [];
  events.forEach((event, revision) => {
    const metadata = {
      eventId: `00000000-0000-4000-8000-${String(out.length + Math.floor(start / 1000)).padStart(12, '0').slice(-12)}`,
      recordedAt: new Date(start + revision * 60_000).toISOString(),
      recordedBy: 'spec',
      correlationId: 'c',
      causationId: null,
      schemaVersion: 1,
      previousHash: revision === 0 ? null : out[revision - 1].metadata.hash,
    };
    const base = { streamId, revision, type: event.type, data: event.data as Record<string, unknown>, metadata: { ...metadata, hash: '' } };
    out.push({ ...base, metadata: { ...metadata, hash: hashEvent(base) } });
  });
  return out;
}

/** An extract as the server makes it: the events leaves of a log (with `noise` before them), proven against a signed checkpoint. */
function extractOf(organizationId: string, events: StoredEvent[], knownAt = '2024-06-01T00:00:00.000Z', asOf = '2024-05-20'): OrganizationExtract {
  const noise = [Buffer.alloc(32, 7), Buffer.alloc(32, 9)];
  const leaves = [...noise, ...events.map((e) => Buffer.from(e.metadata.hash, 'hex'))].map(leafHash);
  const note = signNote(formatCheckpoint({ origin: 'example.test/log', treeSize: leaves.length, rootHash: rootOf(leaves) }), signer);
  return {
    organizationId,
    asOf,
    knownAt,
    state: extractState({ organizationId, asOf, knownAt, events, firstMap })!,
    checkpoint: note,
    verifierKey: signer.verifierKey,
    events: events.map((event, i) => ({ leafIndex: noise.length + i, event, auditPath: inclusionPath(noise.length + i, leaves).map((h) => h.toString('hex')) })),
  };
}

describe('verifyExtract (offline)', () => {
  const coop = aCooperative({ effectiveOn: '2024-01-10' });
  const others = [aCooperative({ effectiveOn: '2024-01-10' }), aCooperative({ effectiveOn: '2024-01-10' })];
  const union = aUnion([coop, ...others], { effectiveOn: '2024-02-01' });
  coop.memberCount(9, '2024-03-01');
  const events = [...stored(`organization-${coop.id}`, coop.events), ...stored(`organization-${union.id}`, union.events, Date.parse('2024-05-02T00:00:00Z'))];

  it('verifies an extract whose state holds the union that lists the cooperative', () => {
    const extract = extractOf(coop.id, events);
    expect(extract.state).toMatchObject({ id: coop.id, memberCount: 9, unionIds: [union.id], version: 1 });
    const report = verifyExtract(extract, signer.verifierKey, firstMap);
    expect(report.failed).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('fails an event whose data was changed without its hash, and one whose hash was recomputed too (its proof)', () => {
    const extract = extractOf(coop.id, events);
    const altered = structuredClone(extract);
    altered.events[1].event.data.memberCount = 90;
    expect(verifyExtract(altered, signer.verifierKey, firstMap).failed).toEqual(expect.arrayContaining([expect.stringMatching(/revision 1, leaf 3\): its content does not match its hash/)]));
    const rehashed = structuredClone(altered);
    rehashed.events[1].event.metadata.hash = hashEvent(rehashed.events[1].event);
    rehashed.state.memberCount = 90;
    const report = verifyExtract(rehashed, signer.verifierKey, firstMap);
    expect(report.ok).toBe(false);
    expect(report.failed).toEqual(expect.arrayContaining([expect.stringMatching(/revision 1, leaf 3\): its inclusion proof does not lead to the checkpoint's root/)]));
  });

  it('fails a state that is not the fold of the events, naming the field', () => {
    const extract = extractOf(coop.id, events);
    extract.state.unionIds = [];
    expect(verifyExtract(extract, signer.verifierKey, firstMap).failed).toEqual([expect.stringMatching(/^state: .* unionIds \(extract \[\], fold \["/)]);
  });

  it('fails a checkpoint signed by another key, and a checkpoint whose size was edited', () => {
    const extract = extractOf(coop.id, events);
    expect(verifyExtract(extract, otherKey, firstMap).failed).toEqual([expect.stringMatching(/^checkpoint: no signature line of the key/)]);
    const edited = { ...extract, checkpoint: extract.checkpoint.replace(/\n\d+\n/, '\n99\n') };
    expect(verifyExtract(edited, signer.verifierKey, firstMap).failed).toEqual([expect.stringMatching(/^checkpoint: the signature .* does not hold/)]);
  });

  it('fails an extract whose own stream misses an event', () => {
    const extract = extractOf(coop.id, events);
    extract.events.splice(0, 1);
    expect(verifyExtract(extract, signer.verifierKey, firstMap).failed).toEqual(expect.arrayContaining([expect.stringMatching(/revision 0 is missing/)]));
  });

  it('honours knownAt: an event recorded later does not count', () => {
    const extract = extractOf(coop.id, events, '2024-05-01T00:00:30.000Z');
    expect(extract.state).toMatchObject({ memberCount: 7, unionIds: [], version: 0 });
    expect(verifyExtract(extract, signer.verifierKey, firstMap).ok).toBe(true);
  });
});

describe('verifyLog', () => {
  const d = Array.from({ length: 13 }, (_, i) => leafHash(Buffer.alloc(32, i)));
  const note = (leaves: Buffer[]) => signNote(formatCheckpoint({ origin: 'example.test/log', treeSize: leaves.length, rootHash: rootOf(leaves) }), signer);

  it('verifies a log that extends the saved checkpoint, with the signatures', () => {
    const proof = { from: 5, to: 13, proof: consistencyPath(5, d).map((h) => h.toString('hex')) };
    expect(verifyLog(note(d.slice(0, 5)), { currentNote: note(d), proof }, signer.verifierKey)).toMatchObject({ ok: true, failed: [] });
  });

  it('fails when an entry before the saved size was changed, whatever proof the server gives', () => {
    const rewritten = [...d];
    rewritten[2] = leafHash(Buffer.alloc(32, 99));
    const proof = { from: 5, to: 13, proof: consistencyPath(5, rewritten).map((h) => h.toString('hex')) };
    const report = verifyLog(note(d.slice(0, 5)), { currentNote: note(rewritten), proof }, signer.verifierKey);
    expect(report.failed).toEqual([expect.stringMatching(/consistency proof from tree size 5 to 13 does not hold/)]);
    const sameSize = verifyLog(note(d.slice(0, 5)), { currentNote: note(rewritten.slice(0, 5)), proof: null });
    expect(sameSize.failed).toEqual([expect.stringMatching(/same tree size 5 but another root/)]);
  });
});
