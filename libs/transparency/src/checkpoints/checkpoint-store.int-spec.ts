import { createHash } from 'node:crypto';
import { Client } from 'pg';
import pino from 'pino';
import { createMigratedDatabase, type MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { consistencyPath, leafHash, rootOf } from '../merkle/rfc9162';
import { CheckpointIssuer } from './checkpoint-issuer';
import { CheckpointRefusedError, CheckpointStore, type CheckpointedLog } from './checkpoint-store';
import { generateSignerKey, parseCheckpoint, parseSignerKey, verifyNote } from './note';

/** A tree held in memory (the stored one is TransparencyLog's): what issuing reads of it. */
class MemoryLog implements CheckpointedLog {
  leaves: Buffer[] = [];
  append(count: number): void {
    for (let i = 0; i < count; i++) this.leaves.push(leafHash(createHash('sha256').update(`event ${this.leaves.length}`).digest()));
  }
  async size() {
    return this.leaves.length;
  }
  async rootAt(treeSize: number) {
    return rootOf(this.leaves.slice(0, treeSize));
  }
  async consistencyProof(from: number, to: number) {
    return consistencyPath(from, this.leaves.slice(0, to));
  }
}

const ORIGIN = 'registry.example.vn/log';

describe('signed checkpoints in PostgreSQL', () => {
  let database: MigratedDatabase;
  const signer = parseSignerKey(generateSignerKey(ORIGIN));

  beforeEach(async () => {
    database = await createMigratedDatabase('checkpoints');
  });
  afterEach(async () => {
    await database.dispose();
  });

  it('signs the tree\'s size and root once it grew, and nothing when it did not', async () => {
    const store = new CheckpointStore(database.pool, signer);
    const log = new MemoryLog();
    expect(await store.issue(log)).toBeNull(); // an empty log: no checkpoint
    log.append(5);
    const first = await store.issue(log);
    expect(first).toMatchObject({ treeSize: 5, rootHash: rootOf(log.leaves) });
    expect(parseCheckpoint(verifyNote(first!.note, store.verifierKey).text)).toEqual({ origin: ORIGIN, treeSize: 5, rootHash: rootOf(log.leaves) });
    expect(await store.issue(log)).toBeNull();
    expect(await store.latest()).toEqual(first);
  });

  it('adds a checkpoint as the tree grows and never rewrites an earlier one', async () => {
    const store = new CheckpointStore(database.pool, signer);
    const log = new MemoryLog();
    log.append(3);
    const first = await store.issue(log);
    log.append(4);
    const second = await store.issue(log);
    expect((await store.list()).checkpoints).toEqual([first, second]);
    expect((await store.list({ from: 4 })).checkpoints).toEqual([second]);
    expect(await store.list({ from: 0, limit: 1 })).toEqual({ checkpoints: [first], nextFrom: 7 });
  });

  it('refuses to sign a tree that does not extend the signed checkpoint (an event it covers was rewritten)', async () => {
    const store = new CheckpointStore(database.pool, signer);
    const log = new MemoryLog();
    log.append(6);
    await store.issue(log);
    log.leaves[2] = leafHash(createHash('sha256').update('forged').digest());
    log.append(2);
    await expect(store.issue(log)).rejects.toThrow(CheckpointRefusedError);
    await expect(store.issue(log)).rejects.toThrow(/does not extend the signed checkpoint of 6/);
    expect((await store.latest())?.treeSize).toBe(6);
  });

  it('refuses to sign with another key than the one that signed the latest checkpoint', async () => {
    const log = new MemoryLog();
    log.append(2);
    await new CheckpointStore(database.pool, signer).issue(log);
    log.append(1);
    const other = new CheckpointStore(database.pool, parseSignerKey(generateSignerKey(ORIGIN)));
    await expect(other.issue(log)).rejects.toThrow(/does not verify with this process's key/);
  });

  describe('the application role', () => {
    let app: Client;
    beforeEach(async () => {
      const log = new MemoryLog();
      log.append(1);
      await new CheckpointStore(database.pool, signer).issue(log);
      app = new Client({ connectionString: database.url });
      await app.connect();
    });
    afterEach(() => app.end());

    it.each([
      ['UPDATE a checkpoint', "UPDATE transparency_checkpoints SET note = 'forged'"],
      ['DELETE a checkpoint', 'DELETE FROM transparency_checkpoints'],
      ['TRUNCATE the checkpoints', 'TRUNCATE transparency_checkpoints'],
      ['disable their trigger', 'ALTER TABLE transparency_checkpoints DISABLE TRIGGER transparency_checkpoints_insert_only'],
    ])('may not %s', async (_what, sql) => {
      await expect(app.query(sql)).rejects.toMatchObject({ code: '42501' });
      expect((await app.query('SELECT count(*)::int AS n, min(note) AS note FROM transparency_checkpoints')).rows[0]).toMatchObject({ n: 1, note: expect.stringContaining(ORIGIN) });
    });

    it('and the owner is refused by the trigger', async () => {
      const owner = new Client({ connectionString: database.ownerUrl });
      await owner.connect();
      try {
        await expect(owner.query("UPDATE transparency_checkpoints SET note = 'forged'")).rejects.toThrow(/checkpoints are never rewritten: UPDATE refused/);
        await expect(owner.query('DELETE FROM transparency_checkpoints')).rejects.toThrow(/checkpoints are never rewritten: DELETE refused/);
      } finally {
        await owner.end();
      }
    });
  });

  describe('the issuer', () => {
    const logger = pino({ level: 'silent' });

    it('issues once N events were appended, or T seconds after the latest checkpoint if fewer were', async () => {
      const store = new CheckpointStore(database.pool, signer);
      const log = new MemoryLog();
      const issuer = new CheckpointIssuer(store, log, { everyEvents: 10, everySeconds: 5 }, logger);
      const start = Date.now();
      log.append(10);
      expect((await issuer.tick(start))?.treeSize).toBe(10); // ten events: at once
      log.append(9);
      expect(await issuer.tick(start + 1_000)).toBeNull(); // nine, one second later: not yet
      expect(await issuer.tick(start + 4_999)).toBeNull();
      expect((await issuer.tick(start + 5_000))?.treeSize).toBe(19); // five seconds: the nine are signed
      expect(await issuer.tick(start + 60_000)).toBeNull(); // nothing appended: nothing signed, however long
      log.append(1);
      expect((await issuer.tick(start + 60_001))?.treeSize).toBe(20);
      const notes = (await store.list()).checkpoints.map((checkpoint) => [checkpoint.treeSize, checkpoint.note]);
      expect(notes.map(([size]) => size)).toEqual([10, 19, 20]);
      // Each earlier checkpoint is still the note first issued, and verifies.
      for (const [, note] of notes) expect(() => verifyNote(note as string, store.verifierKey)).not.toThrow();
    });

    it('runs on its own: an appended event is signed within T seconds', async () => {
      const store = new CheckpointStore(database.pool, signer);
      const log = new MemoryLog();
      const issuer = new CheckpointIssuer(store, log, { everyEvents: 1000, everySeconds: 1, pollMs: 50 }, logger);
      log.append(3);
      issuer.start();
      try {
        await waitFor(async () => (await store.latest())?.treeSize === 3, 3_000);
        log.append(2);
        const appendedAt = Date.now();
        await waitFor(async () => (await store.latest())?.treeSize === 5, 3_000);
        expect(Date.now() - appendedAt).toBeLessThan(1_000 + 500);
      } finally {
        await issuer.stop();
      }
    });

    it('stops, loudly, when the log no longer extends its checkpoint', async () => {
      const store = new CheckpointStore(database.pool, signer);
      const log = new MemoryLog();
      const errors: string[] = [];
      const listening = pino({ level: 'error' }, { write: (line: string) => errors.push(JSON.parse(line).msg) });
      const issuer = new CheckpointIssuer(store, log, { everyEvents: 1, everySeconds: 1, pollMs: 20 }, listening);
      log.append(4);
      issuer.start();
      try {
        await waitFor(async () => (await store.latest())?.treeSize === 4, 3_000);
        log.leaves[0] = leafHash(Buffer.alloc(32));
        log.append(1);
        await waitFor(async () => issuer.status().state === 'refused', 3_000);
        expect(errors).toEqual(['checkpoints are no longer issued']);
        expect((await store.latest())?.treeSize).toBe(4);
      } finally {
        await issuer.stop();
      }
    });
  });
});

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
