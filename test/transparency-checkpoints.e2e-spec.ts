import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import { createTestDatabase, testPool, type TestDatabase } from '@ktt/testing/postgres/test-database';
import { startApi, type ApiProcess } from './support/api-process';
import { cooperative } from './support/fixtures';
import { httpClient } from './support/http';

const ORIGIN = 'e2e.example.vn/log';

/**
 * The signed checkpoints over HTTP (issue 18): open to anyone, the note as
 * plain text byte for byte, the verifier key published, checkpoints issued as
 * the log grows and never rewritten. The note is read here as an outside
 * verifier would, from the C2SP texts and node:crypto, not by the product.
 */
describe('GET /api/transparency/checkpoint, /checkpoints and /key', () => {
  let database: TestDatabase;
  let api: ApiProcess;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'ktt-e2e-checkpoints-'));
    database = await createTestDatabase('e2e_checkpoints');
    api = await startApi({ DATABASE_URL: database.url, DATA_DIR: dataDir, TRANSPARENCY_ORIGIN: ORIGIN, TRANSPARENCY_CHECKPOINT_SECONDS: '1' });
  });
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('publishes the verifier key of a signing key generated into the data directory (0600), without a token', async () => {
    const answer = await fetch(`${api.baseUrl}/api/transparency/key`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const key = await answer.text();
    expect(key).toMatch(/^e2e\.example\.vn\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}\n$/); // base64(0x01 || 32 bytes)
    const file = path.join(dataDir, 'transparency-key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^PRIVATE\+KEY\+e2e\.example\.vn\/log\+/);
    expect(api.output()).not.toContain(readFileSync(file, 'utf8').trim());
  });

  it('answers the latest checkpoint as a note signed by that key over the log\'s size and root', async () => {
    const key = await (await fetch(`${api.baseUrl}/api/transparency/key`)).text();
    // The log as the projector reads it (architecture.md): the map of the provinces and the plans, recorded on first start.
    const pool = testPool(database.url, 1);
    const { rows } = await pool.query<{ hash: string }>(`SELECT metadata->>'hash' AS hash FROM events ORDER BY transaction_id, global_position`);
    await pool.end();
    expect(rows.length).toBeGreaterThan(0);
    const answer = await waitForCheckpoint(api.baseUrl, rows.length);
    expect(answer.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const read = readNote(await answer.text(), key.trim());
    // RFC 9162 §2.1.1 over the events' own hashes: leaf SHA-256(0x00 || d), node SHA-256(0x01 || left || right).
    const leaves = rows.map((row) => sha256(Buffer.from([0x00]), Buffer.from(row.hash, 'hex')));
    expect(read).toEqual({ origin: ORIGIN, treeSize: rows.length, rootHash: merkleRoot(leaves) });
  });

  it('issues a new checkpoint as the log grows, lists them smallest first, and never rewrites one', async () => {
    const key = (await (await fetch(`${api.baseUrl}/api/transparency/key`)).text()).trim();
    const first = await (await waitForCheckpoint(api.baseUrl, 1)).text();
    const firstSize = readNote(first, key).treeSize;
    const admin = httpClient(api.baseUrl, { token: api.adminToken });
    expect((await admin.post('/api/organizations', cooperative())).status).toBe(201);
    // Every event of the log, the registration's (and its number's reservation) included, comes under a checkpoint.
    const pool = testPool(database.url, 1);
    const events = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0].n;
    await pool.end();
    expect(events).toBeGreaterThan(firstSize);
    const later = readNote(await (await waitForCheckpoint(api.baseUrl, events)).text(), key);
    expect(later.treeSize).toBe(events);

    const listed = await fetch(`${api.baseUrl}/api/transparency/checkpoints`);
    expect(listed.status).toBe(200);
    const page = (await listed.json()) as { checkpoints: { treeSize: number; rootHash: string; issuedAt: string; note: string }[]; nextFrom: number | null };
    const sizes = page.checkpoints.map((checkpoint) => checkpoint.treeSize);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    expect(page.nextFrom).toBeNull();
    // The first checkpoint is still the very note answered before, and each row states what its note signs.
    expect(page.checkpoints.find((checkpoint) => checkpoint.treeSize === firstSize)?.note).toBe(first);
    for (const checkpoint of page.checkpoints) {
      const signed = readNote(checkpoint.note, key);
      expect({ treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash }).toEqual({ treeSize: signed.treeSize, rootHash: signed.rootHash.toString('hex') });
      expect(checkpoint.issuedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    const from = await (await fetch(`${api.baseUrl}/api/transparency/checkpoints?from=${firstSize + 1}`)).json();
    expect(from.checkpoints.map((checkpoint: { treeSize: number }) => checkpoint.treeSize)).toEqual(sizes.filter((size) => size >= firstSize + 1));

    // The answer is what the served OpenAPI document says it is.
    const document = await (await fetch(`${api.baseUrl}/docs/openapi.json`)).json();
    const schema = document.paths['/api/transparency/checkpoints'].get.responses['200'].content['application/json'].schema;
    const validate = new Ajv({ strict: false, allErrors: true }).compile({ ...schema, components: document.components });
    validate(page);
    expect(validate.errors ?? []).toEqual([]);
  });

  it.each(['-1', 'abc', '1.5', '007'])('refuses from=%s with 400 naming from', async (from) => {
    const answer = await httpClient(api.baseUrl).get(`/api/transparency/checkpoints?from=${from}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'from', message: 'from must be a tree size: a whole number of 0 or more, without leading zeroes' }] });
  });

  it('needs no token, and refuses one that is not valid (401), as /health does', async () => {
    for (const route of ['/api/transparency/checkpoint', '/api/transparency/checkpoints', '/api/transparency/key']) {
      expect({ route, status: (await fetch(`${api.baseUrl}${route}`)).status }).toEqual({ route, status: 200 });
      const forged = await fetch(`${api.baseUrl}${route}`, { headers: { authorization: 'Bearer not.a.valid-token' } });
      expect({ route, status: forged.status }).toEqual({ route, status: 401 });
    }
  });
});

function sha256(...parts: Buffer[]): Buffer {
  return createHash('sha256').update(Buffer.concat(parts)).digest();
}

/** MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])), k the largest power of two below n. */
function merkleRoot(leaves: Buffer[]): Buffer {
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha256(Buffer.from([0x01]), merkleRoot(leaves.slice(0, k)), merkleRoot(leaves.slice(k)));
}

/** Polls until the latest checkpoint covers `size` events (checkpoints come every second here). */
async function waitForCheckpoint(baseUrl: string, size: number): Promise<Response> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const answer = await fetch(`${baseUrl}/api/transparency/checkpoint`);
    if (answer.status === 200) {
      const text = await answer.clone().text();
      if (Number(text.split('\n')[1]) >= size) return answer;
    } else {
      expect(answer.status).toBe(404); // none issued yet
    }
    if (Date.now() > deadline) throw new Error(`no checkpoint of ${size} events within 15 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * c2sp.org/tlog-checkpoint in a c2sp.org/signed-note, read from the specs: the text, a blank line, a line
 * "— <name> <base64(key ID || Ed25519 signature)>"; key ID = SHA-256(name || 0x0A || 0x01 || public key)[:4].
 */
function readNote(note: string, verifierKey: string): { origin: string; treeSize: number; rootHash: Buffer } {
  const [, name, keyIdHex, keyBase64] = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(verifierKey)!;
  const keyBytes = Buffer.from(keyBase64, 'base64');
  expect(keyBytes[0]).toBe(0x01);
  const publicKey = keyBytes.subarray(1);
  const keyId = createHash('sha256').update(Buffer.concat([Buffer.from(name, 'utf8'), Buffer.from([0x0a, 0x01]), publicKey])).digest().subarray(0, 4);
  expect(keyId.toString('hex')).toBe(keyIdHex);
  const match = /^([^\n]+)\n(0|[1-9][0-9]*)\n([A-Za-z0-9+/]{43}=)\n\n\u2014 (\S+) ([A-Za-z0-9+/=]+)\n$/u.exec(note);
  expect(match).not.toBeNull();
  const [, origin, size, root, signer, signatureBase64] = match!;
  expect(signer).toBe(name);
  const signature = Buffer.from(signatureBase64, 'base64');
  expect(signature.subarray(0, 4)).toEqual(keyId);
  const spki = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), publicKey]), format: 'der', type: 'spki' });
  expect(verify(null, Buffer.from(`${origin}\n${size}\n${root}\n`, 'utf8'), spki, signature.subarray(4))).toBe(true);
  return { origin, treeSize: Number(size), rootHash: Buffer.from(root, 'base64') };
}
