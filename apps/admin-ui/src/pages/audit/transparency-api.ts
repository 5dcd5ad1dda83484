import { ApiError, queryString, type Problem, type Query } from '../../api/client';
import { hexToBytes } from './transparency';

/**
 * The log's public endpoints (no token: they hold only hashes and signatures, api.md). The checkpoint
 * and the key are `text/plain`, which the JSON client does not read, so they are fetched here; a
 * refusal still becomes an ApiError, read by ProblemMessage like any other.
 */
async function fetchPublic(path: string, accept: string): Promise<string> {
  const response = await fetch(path, { headers: { Accept: `${accept}, application/problem+json` } });
  const text = await response.text();
  if (!response.ok) {
    let problem: Problem | null = null;
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed && typeof parsed === 'object' && 'status' in parsed) problem = parsed as Problem;
    } catch {
      // not a problem+json body: the status says it
    }
    throw new ApiError(problem ?? { title: response.statusText || 'Request failed', status: response.status, detail: text.slice(0, 200) });
  }
  return text;
}

/** The latest signed checkpoint's text, or null while the log has none (404). */
export async function latestCheckpoint(): Promise<string | null> {
  try {
    return await fetchPublic('/api/transparency/checkpoint', 'text/plain');
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

export function verifierKey(): Promise<string> {
  return fetchPublic('/api/transparency/key', 'text/plain');
}

export interface CheckpointEntry {
  treeSize: number;
  issuedAt: string;
  note: string;
}

/** Stored checkpoints from a tree size on (GET /api/transparency/checkpoints?from=). */
export async function checkpointsFrom(from: number): Promise<CheckpointEntry[]> {
  const answer = JSON.parse(await fetchPublic(`/api/transparency/checkpoints${queryString({ from } as Query)}`, 'application/json')) as unknown;
  // A list, or a page holding one (`{ checkpoints, nextFrom }`).
  const page = answer as { checkpoints?: unknown[]; items?: unknown[] } | null;
  const list = Array.isArray(answer) ? answer : (page?.checkpoints ?? page?.items ?? []);
  return list as CheckpointEntry[];
}

/** RFC 9162 consistency proof between two tree sizes, its nodes as bytes. */
export async function consistencyProof(from: number, to: number): Promise<Uint8Array[]> {
  const answer = JSON.parse(await fetchPublic(`/api/transparency/proof/consistency${queryString({ from, to })}`, 'application/json')) as { proof: string[] };
  return answer.proof.map(hexToBytes);
}
