import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateSignerKey } from './note';
import { resolveSigningKey, SIGNING_KEY_FILE, SigningKeyError } from './signing-key';

describe('the checkpoints\' signing key', () => {
  let dataDir: string;
  const origin = 'registry.example.vn/log';

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'ktt-signing-key-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is generated on first start into the data directory, readable by its owner only, and kept', async () => {
    const first = await resolveSigningKey({ fromEnvironment: null, dataDir, origin });
    const file = path.join(dataDir, SIGNING_KEY_FILE);
    expect({ created: first.created, file: first.file, mode: statSync(file).mode & 0o777 }).toEqual({ created: true, file, mode: 0o600 });
    expect(readFileSync(file, 'utf8')).toMatch(/^PRIVATE\+KEY\+registry\.example\.vn\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}\n$/);
    const second = await resolveSigningKey({ fromEnvironment: null, dataDir, origin });
    expect({ created: second.created, verifierKey: second.signer.verifierKey }).toEqual({ created: false, verifierKey: first.signer.verifierKey });
  });

  it('is one key when several processes start on one data directory at once', async () => {
    const started = await Promise.all(Array.from({ length: 8 }, () => resolveSigningKey({ fromEnvironment: null, dataDir, origin })));
    expect(new Set(started.map((one) => one.signer.verifierKey)).size).toBe(1);
    expect(started.filter((one) => one.created)).toHaveLength(1);
    expect(readdirSync(dataDir)).toEqual([SIGNING_KEY_FILE]);
  });

  it('is TRANSPARENCY_KEY when set, and then nothing is written', async () => {
    const key = generateSignerKey(origin);
    const resolved = await resolveSigningKey({ fromEnvironment: key, dataDir, origin });
    expect(resolved.signer.verifierKey).toBe((await resolveSigningKey({ fromEnvironment: key, dataDir: path.join(dataDir, 'other'), origin })).signer.verifierKey);
    expect(() => statSync(path.join(dataDir, SIGNING_KEY_FILE))).toThrow();
  });

  it('refuses a key named after another origin, naming both and not the key', async () => {
    const key = generateSignerKey('other.example/log');
    const refusal = resolveSigningKey({ fromEnvironment: key, dataDir, origin });
    await expect(refusal).rejects.toThrow(SigningKeyError);
    await expect(refusal).rejects.toThrow(/"other\.example\/log" but TRANSPARENCY_ORIGIN is "registry\.example\.vn\/log"/);
  });

  it('refuses what is not a signing key without repeating it', async () => {
    const secret = 'PRIVATE+KEY+registry.example.vn/log+00000000+AAAA';
    const error = await resolveSigningKey({ fromEnvironment: secret, dataDir, origin }).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(SigningKeyError);
    expect((error as Error).message).toMatch(/^TRANSPARENCY_KEY is not a checkpoint signing key/);
    expect((error as Error).message).not.toContain('AAAA');
  });
});
