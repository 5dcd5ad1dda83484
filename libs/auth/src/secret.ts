import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The token signing secret: JWT_SECRET from the environment in production;
 * in the embedded default, generated on first start and kept (0600) in the
 * data directory. `created` tells the caller to print a first admin token.
 */
export async function resolveSigningSecret(options: { fromEnvironment: string | null; dataDir: string; embedded: boolean }): Promise<{ secret: string; created: boolean }> {
  if (options.fromEnvironment) return { secret: options.fromEnvironment, created: false };
  if (!options.embedded) throw new Error('JWT_SECRET must be set (at least 32 characters) when DATABASE_URL points to an external PostgreSQL');
  const file = path.join(options.dataDir, 'jwt-secret');
  if (existsSync(file)) return { secret: (await readFile(file, 'utf8')).trim(), created: false };
  await mkdir(options.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return { secret, created: true };
}
