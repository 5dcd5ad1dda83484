import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ImportFileRefused } from './import-errors';

/** A national register (100,000 rows) is about 10 MB as XLSX, 25 MB as CSV: a file 10 times that is no register. */
export const MAX_IMPORT_FILE_BYTES = 256 * 1024 * 1024;

export interface SpooledFile {
  path: string;
  sha256: string;
  bytes: number;
  /** Removes the spooled copy. */
  remove(): Promise<void>;
}

/**
 * Copies an upload to a temporary file, hashing it on the way: the SHA-256 goes into every event's
 * metadata, so it must be known before the first row is written, and the zip and encoding checks
 * read the whole file before any row is. Larger than `maxBytes`: refused (FILE_TOO_LARGE) and removed.
 */
export async function spoolFile(input: Readable, maxBytes = MAX_IMPORT_FILE_BYTES): Promise<SpooledFile> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ktt-import-'));
  const file = path.join(dir, 'upload');
  const hash = createHash('sha256');
  let bytes = 0;
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await pipeline(
      input,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          bytes += chunk.length;
          if (bytes > maxBytes) throw new ImportFileRefused('FILE_TOO_LARGE', `the file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(file),
    );
  } catch (error) {
    await remove();
    throw error;
  }
  return { path: file, sha256: hash.digest('hex'), bytes, remove };
}
