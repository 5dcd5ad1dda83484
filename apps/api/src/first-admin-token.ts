import { chmod, open } from 'node:fs/promises';
import path from 'node:path';
import type { MintedToken, TokenService } from '@ktt/auth';

export const FIRST_ADMIN_TOKEN_FILE = 'first-admin-token';
const FIRST_ADMIN_DAYS = 7;

export interface FirstAdminToken extends MintedToken {
  file: string;
}

/**
 * Once, when the embedded default generated its signing secret: the first way
 * in. The token goes to a file only its owner can read (0600, in the data
 * directory), so it is not left in a terminal scrollback or a log collector
 * alone; `printFirstAdminToken` then shows it once, as plain lines.
 */
export async function writeFirstAdminToken(tokens: TokenService, dataDir: string): Promise<FirstAdminToken> {
  const minted = tokens.mint({ role: 'admin', subject: 'first-admin', expiresInSeconds: FIRST_ADMIN_DAYS * 24 * 3600 });
  const file = path.join(dataDir, FIRST_ADMIN_TOKEN_FILE);
  // `mode` applies only to a new file: an old one left behind is narrowed too, before anything is written to it.
  const handle = await open(file, 'w', 0o600);
  try {
    await chmod(file, 0o600);
    await handle.writeFile(`${minted.token}\n`);
  } finally {
    await handle.close();
  }
  return { ...minted, file };
}

/**
 * The end of the first start, once the server listens: what to open, where the token is kept, how to load
 * the demo. Plain lines on stdout, never inside a JSON log line.
 */
export function printFirstAdminToken(first: FirstAdminToken, url: string): void {
  process.stdout.write(
    [
      '',
      `First start: open ${url}/ and sign in with this admin token (valid ${FIRST_ADMIN_DAYS} days, id ${first.jti}):`,
      first.token,
      `  The token is kept in ${first.file} (readable only by you).`,
      '  Load the demo (Kiên Giang, Yên Bái and An Giang, 2018 to today): npm run cli -- demo',
      '  More tokens: npm run cli -- token --role registrar --province 91 --subject NAME (revoke: npm run cli -- token revoke <id>)',
      `  The API and its documentation: ${url}/docs`,
      '',
    ].join('\n'),
  );
}

/** The URL a person opens: a wildcard listen address is reached through localhost. */
export function browsable(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
