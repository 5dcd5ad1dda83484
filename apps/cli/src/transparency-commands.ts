import { existsSync, readFileSync } from 'node:fs';
// The module itself, not the application layer's index (its spreadsheets load exceljs): the verifier needs the map alone.
import { firstMapOf, readAdministrativeUnitsReference } from '@ktt/application/administrative-units/administrative-units';
import { verifyExtract, verifyLog, type OrganizationExtract, type VerificationReport } from '@ktt/transparency';

/**
 * The verifier's commands (issue 18): they need no database and no token, only a file, a verifier key
 * obtained apart (the server's GET /api/transparency/key, kept by the auditor) and, for the log, the
 * server's public endpoints. Exit 0 when every check held, 1 when one failed, 2 for a wrong command line.
 */

/** `verify-extract <file> --key <verifier key or a file holding it>`: every check offline. */
export function verifyExtractCommand(args: string[], dataDir: string): number {
  const { positional, flags } = parseArgs(args, ['key']);
  if (positional.length !== 1 || !flags.key) return usage('verify-extract <extract.json> --key <verifier key | file>');
  let extract: OrganizationExtract;
  try {
    extract = JSON.parse(readFileSync(positional[0], 'utf8')) as OrganizationExtract;
  } catch (error) {
    return print({ ok: false, passed: [], failed: [`cannot read ${positional[0]} as JSON: ${(error as Error).message}`] }, `extract ${positional[0]}`);
  }
  const firstMap = firstMapOf(readAdministrativeUnitsReference(dataDir));
  return print(verifyExtract(extract, keyText(flags.key), firstMap), `extract of organization ${String(extract?.organizationId)} as of ${String(extract?.asOf)}`);
}

/** `verify-log --checkpoint <saved note file> --url <server> [--key <verifier key | file>]`: the server's log extends the saved checkpoint. */
export async function verifyLogCommand(args: string[]): Promise<number> {
  const { positional, flags } = parseArgs(args, ['checkpoint', 'url', 'key']);
  if (positional.length !== 0 || !flags.checkpoint || !flags.url) return usage('verify-log --checkpoint <saved checkpoint file> --url <server> [--key <verifier key | file>]');
  const saved = readFileSync(flags.checkpoint, 'utf8');
  const base = flags.url.replace(/\/+$/, '');
  let currentNote: string;
  let proof: { from: number; to: number; proof: string[] } | null = null;
  try {
    const answer = await fetch(`${base}/api/transparency/checkpoint`);
    if (!answer.ok) throw new Error(`GET /api/transparency/checkpoint answered ${answer.status}`);
    currentNote = await answer.text();
    const from = Number(saved.split('\n')[1]);
    const to = Number(currentNote.split('\n')[1]);
    if (Number.isSafeInteger(from) && Number.isSafeInteger(to) && to > from) {
      const consistency = await fetch(`${base}/api/transparency/proof/consistency?from=${from}&to=${to}`);
      if (consistency.ok) proof = (await consistency.json()) as typeof proof;
    }
  } catch (error) {
    return print({ ok: false, passed: [], failed: [`cannot ask ${base}: ${(error as Error).message}`] }, `log at ${base}`);
  }
  return print(verifyLog(saved, { currentNote, proof }, flags.key ? keyText(flags.key) : undefined), `log at ${base} against ${flags.checkpoint}`);
}

/** A key given inline, or the path of a file holding it (as saved from GET /api/transparency/key). */
function keyText(value: string): string {
  return /^[^+\s]+\+[0-9a-f]{8}\+/.test(value) || !existsSync(value) ? value.trim() : readFileSync(value, 'utf8').trim();
}

function print(report: VerificationReport, what: string): number {
  const lines = [
    ...report.passed.map((line) => `ok      ${line}`),
    ...report.failed.map((line) => `FAILED  ${line}`),
    report.ok ? `VERIFIED: ${what}` : `NOT VERIFIED: ${what} (${report.failed.length} check${report.failed.length === 1 ? '' : 's'} failed)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return report.ok ? 0 : 1;
}

function usage(line: string): number {
  process.stderr.write(`usage: npm run cli -- ${line}\n`);
  return 2;
}

function parseArgs(args: string[], names: string[]): { positional: string[]; flags: Record<string, string | undefined> } {
  const positional: string[] = [];
  const flags: Record<string, string | undefined> = {};
  for (let i = 0; i < args.length; i++) {
    const match = /^--([a-z]+)(?:=(.*))?$/.exec(args[i]);
    if (!match) positional.push(args[i]);
    else if (names.includes(match[1])) flags[match[1]] = match[2] ?? args[++i];
    else positional.push(args[i]); // an unknown flag makes the usage line print
  }
  return { positional, flags };
}

export const TRANSPARENCY_USAGE = `  verify-extract <file> --key <verifier key | file>
               check a signed extract offline: each event's hash, each inclusion proof against the
               checkpoint's root, the checkpoint's signature, and the state recomputed by the domain's fold
  verify-log --checkpoint <saved checkpoint file> --url <server> [--key <verifier key | file>]
               check that the server's log still extends a checkpoint saved earlier (consistency proof)`;
