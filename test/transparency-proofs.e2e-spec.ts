import { Client } from 'pg';
import { hashEvent } from '@ktt/event-store';
import { createTestDatabase, type TestDatabase } from '@ktt/testing/postgres/test-database';
import { refLeafHash, refMth, refVerifyConsistency, refVerifyInclusion } from '@ktt/testing/rfc9162-reference';
import { startApi, type ApiProcess } from './support/api-process';
import { httpClient } from './support/http';
import { cooperative } from './support/fixtures';

const fromHex = (list: string[]): Buffer[] => list.map((h) => Buffer.from(h, 'hex'));

/**
 * GET /api/transparency/proof/inclusion and /consistency (issue 18) over HTTP,
 * each proof checked with the test's own RFC 9162 reference against roots
 * computed from the events table in the projector's order.
 */
describe('RFC 9162 proofs over HTTP', () => {
  let database: TestDatabase;
  let api: ApiProcess;
  let auditor: ReturnType<typeof httpClient>;
  let anonymous: ReturnType<typeof httpClient>;
  let eventId: string;

  /** The global log's event hashes, in the order the projector reads it (architecture.md). */
  async function logHashes(): Promise<Buffer[]> {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ hash: string }>(`SELECT metadata->>'hash' AS hash FROM events ORDER BY transaction_id, global_position`);
      return rows.map((row) => Buffer.from(row.hash, 'hex'));
    } finally {
      await client.end();
    }
  }

  /** Answers once the event is a leaf of the tree (the builder follows the log within a second or so). */
  async function inclusionOf(id: string, query = ''): Promise<{ status: number; body: any; headers: Headers }> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const answer = await auditor.get(`/api/transparency/proof/inclusion?eventId=${id}${query}`);
      if (answer.status !== 404 && answer.status !== 503) return answer;
      if (Date.now() > deadline) return answer;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase('e2e_proofs');
    api = await startApi({ DATABASE_URL: database.url, TRANSPARENCY_CHECKPOINT_SECONDS: '1' });
    const admin = httpClient(api.baseUrl, { token: api.adminToken });
    auditor = httpClient(api.baseUrl, { token: api.token('auditor') });
    anonymous = httpClient(api.baseUrl);
    const created = await admin.post('/api/organizations', cooperative());
    expect(created.status).toBe(201);
    expect((await admin.post('/api/organizations', cooperative())).status).toBe(201);
    const history = await admin.get(`/api/organizations/${created.body.id}/events`);
    eventId = history.body[0].eventId;
  });
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it('proves an event is in the log: the whole stored event, its place, and an audit path to the root', async () => {
    const answer = await inclusionOf(eventId);
    expect(answer.status).toBe(200);
    const { leafIndex, treeSize, event, auditPath } = answer.body;
    // The verifier recomputes the event's hash from the event itself (api.md), then its leaf.
    expect(hashEvent(event)).toBe(event.metadata.hash);
    expect(event.metadata.eventId).toBe(eventId);
    const hashes = await logHashes();
    expect(hashes[leafIndex]!.toString('hex')).toBe(event.metadata.hash);
    expect(refVerifyInclusion(refLeafHash(Buffer.from(event.metadata.hash, 'hex')), leafIndex, treeSize, fromHex(auditPath), refMth(hashes, treeSize))).toBe(true);

    // Any size that holds it, asked explicitly.
    const exact = await auditor.get(`/api/transparency/proof/inclusion?eventId=${eventId.toUpperCase()}&treeSize=${leafIndex + 1}`);
    expect(exact.status).toBe(200);
    expect(exact.body.treeSize).toBe(leafIndex + 1);
    expect(refVerifyInclusion(refLeafHash(Buffer.from(event.metadata.hash, 'hex')), leafIndex, leafIndex + 1, fromHex(exact.body.auditPath), refMth(hashes, leafIndex + 1))).toBe(true);
  });

  it('gives inclusion proofs to auditors and admins only: 401 without a token, 403 for an analyst or a registrar', async () => {
    await inclusionOf(eventId);
    const path = `/api/transparency/proof/inclusion?eventId=${eventId}`;
    expect((await anonymous.get(path)).status).toBe(401);
    expect((await httpClient(api.baseUrl, { token: api.token('analyst') }).get(path)).status).toBe(403);
    expect((await httpClient(api.baseUrl, { token: api.token('registrar', ['91'], 'registrar.91') }).get(path)).status).toBe(403);
    expect((await httpClient(api.baseUrl, { token: api.adminToken }).get(path)).status).toBe(200);
  });

  it('proves without a token that a later tree extends an earlier one, for every pair of sizes', async () => {
    const { body } = await inclusionOf(eventId);
    const size: number = body.treeSize;
    const hashes = await logHashes();
    expect(size).toBeGreaterThanOrEqual(3);
    for (let to = 1; to <= size; to += 1) {
      for (let from = 0; from <= to; from += 1) {
        const answer = await anonymous.get(`/api/transparency/proof/consistency?from=${from}&to=${to}`);
        expect(answer.status).toBe(200);
        expect(answer.body.from).toBe(from);
        expect(answer.body.to).toBe(to);
        expect(refVerifyConsistency(from, to, refMth(hashes, from), refMth(hashes, to), fromHex(answer.body.proof))).toBe(true);
      }
    }
    // `to` defaults to the latest checkpoint's size (or the tree's, before the first one).
    const latest = await anonymous.get('/api/transparency/proof/consistency?from=1');
    expect(latest.status).toBe(200);
    expect(latest.body.to).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['from greater than to', '/api/transparency/proof/consistency?from=3&to=2', 'from'],
    ['to beyond the tree', '/api/transparency/proof/consistency?from=1&to=999999', 'to'],
    ['from not a size', '/api/transparency/proof/consistency?from=-1&to=2', 'from'],
    ['from missing', '/api/transparency/proof/consistency?to=2', 'from'],
    ['to with a leading zero', '/api/transparency/proof/consistency?from=1&to=02', 'to'],
  ])('refuses %s with a 400 problem naming the field', async (_case, path, field) => {
    const answer = await anonymous.get(path);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body.errors).toEqual([expect.objectContaining({ path: field })]);
  });

  it('refuses an inclusion proof beyond the tree, below the event, or for a malformed id, naming the field; 404 for an event not in the log', async () => {
    const { body } = await inclusionOf(eventId);
    for (const [query, field] of [
      [`eventId=${eventId}&treeSize=999999`, 'treeSize'],
      [`eventId=${eventId}&treeSize=${body.leafIndex}`, 'treeSize'],
      [`eventId=${eventId}&treeSize=x`, 'treeSize'],
      ['eventId=not-a-uuid', 'eventId'],
      ['', 'eventId'],
    ] as const) {
      const answer = await auditor.get(`/api/transparency/proof/inclusion?${query}`);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(answer.body.errors).toEqual([expect.objectContaining({ path: field })]);
    }
    const unknown = await auditor.get('/api/transparency/proof/inclusion?eventId=00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
  });
});
