import { totalmem } from 'node:os';

const MB = 1024 * 1024;

/**
 * The embedded server's `shared_buffers`: a quarter of the machine's memory (PostgreSQL's own
 * advice for a dedicated server), at least PostgreSQL's default of 128 MB and at most 1 GB (the server
 * shares the machine with the api and whatever else runs there).
 *
 * Measured on the national log (bench/manual-measurements.md, "Rebuild, round three"): with the
 * default 128 MB a rebuild's random inserts into the facts' and the audit trail's uuid indexes (about
 * 40 MB each) and the timeline's writes kept evicting each other; with 1 GB the same rebuild took
 * 69.9 s instead of 87.3 s, back to back on the same load.
 */
export function sharedBuffersMegabytes(machineBytes: number = totalmem()): number {
  return Math.min(1024, Math.max(128, Math.floor(machineBytes / 4 / MB)));
}
