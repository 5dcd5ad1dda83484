import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The repository's checked-in data (data/plans, data/reference), read for
 * specs. The domain's specs read it through here so that they import nothing
 * but the domain, libs/testing and fast-check (.dependency-cruiser.cjs,
 * `domain-specs-import-only-testing`).
 */
const DATA_DIR = path.resolve(__dirname, '..', '..', '..', 'data');

/** The JSON file at `relativePath` under data/, parsed. */
export function readDataJson<T = unknown>(relativePath: string): T {
  return JSON.parse(readFileSync(path.join(DATA_DIR, relativePath), 'utf8')) as T;
}

/** The names of the JSON files in a folder of data/, sorted. */
export function listDataJson(folder: string): string[] {
  return readdirSync(path.join(DATA_DIR, folder))
    .filter((name) => name.endsWith('.json'))
    .sort();
}
