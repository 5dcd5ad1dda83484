import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateSignerKey, NoteFormatError, parseSignerKey, type NoteSigner } from './note';

export const SIGNING_KEY_FILE = 'transparency-key';

export class SigningKeyError extends Error {}

/**
 * The checkpoints' signing key: TRANSPARENCY_KEY when set; else the one
 * generated on first start into `<dataDir>/transparency-key`, readable by its
 * owner only (0600), in Go's signer-key form so that Go's note tools take it
 * too. Errors say what is wrong and where, never the key itself.
 *
 * The key is named by the origin (the log's key name SHOULD match the origin
 * line, c2sp.org/tlog-checkpoint): a key of another name is refused rather
 * than signing checkpoints whose verifiers would look for another name.
 */
export async function resolveSigningKey(options: { fromEnvironment: string | null; dataDir: string; origin: string }): Promise<{ signer: NoteSigner; created: boolean; file: string | null }> {
  if (options.fromEnvironment) {
    return { signer: named(read(options.fromEnvironment, 'TRANSPARENCY_KEY'), options.origin, 'TRANSPARENCY_KEY'), created: false, file: null };
  }
  const file = path.join(options.dataDir, SIGNING_KEY_FILE);
  if (existsSync(file)) {
    // Made by hand or copied with a looser mode: it holds a private key.
    if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
    return { signer: named(read(await readFile(file, 'utf8'), file), options.origin, file), created: false, file };
  }
  await mkdir(options.dataDir, { recursive: true });
  const key = generateSignerKey(options.origin);
  // Written whole under another name, then linked into place: two processes starting on one data directory
  // never overwrite each other's key, and neither reads the other's half-written file. The loser uses the winner's.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(draft, `${key}\n`, { mode: 0o600, flag: 'wx' });
  let created = true;
  try {
    await link(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    created = false;
  } finally {
    await unlink(draft);
  }
  return { signer: named(read(await readFile(file, 'utf8'), file), options.origin, file), created, file };
}

function read(text: string, where: string): NoteSigner {
  try {
    return parseSignerKey(text);
  } catch (error) {
    if (error instanceof NoteFormatError) throw new SigningKeyError(`${where} is not a checkpoint signing key: ${error.message}`);
    throw error;
  }
}

function named(signer: NoteSigner, origin: string, where: string): NoteSigner {
  if (signer.name !== origin) {
    throw new SigningKeyError(
      `${where} is the key of the log "${signer.name}" but TRANSPARENCY_ORIGIN is "${origin}": checkpoints are signed under their origin; ` +
        `set TRANSPARENCY_ORIGIN=${signer.name}, or give a key of that name (a new origin is a new log for its verifiers)`,
    );
  }
  return signer;
}
