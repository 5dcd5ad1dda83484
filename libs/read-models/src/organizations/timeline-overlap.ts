import type { TimelineRow } from './timeline-fold';

/**
 * The timeline's no-overlap guarantee (no two rows of one organization overlap in both effective
 * and recorded time; migration 1733700000000), checked in Node on the rows the fold yields for one
 * organization, before they are written. A rebuild folds each organization's whole history at once
 * into a table whose triggers are off, so these rows are all the organization's rows: checking them
 * among themselves checks what the triggers, or the exclusion constraint before them, would have.
 *
 * Ranges are half-open, as PostgreSQL's `[)` ranges: `valid` [from, to) with to null for no end,
 * `known` [knownFrom, knownTo) with knownTo null for still known. Dates ('YYYY-MM-DD') and recorded
 * times (the fold's 'YYYY-MM-DDTHH:MM:SS.sssZ', all of one format) compare as strings. An empty range
 * ([a, a)) overlaps nothing, as `&&` says in PostgreSQL.
 */
export class TimelineOverlapError extends Error {
  readonly code = '23P01'; // exclusion_violation, as the constraint raised
  readonly severity = 'ERROR';
  constructor(
    readonly organizationId: string,
    readonly rows: string,
  ) {
    super(`timeline rows of organization ${organizationId} overlap in effective and recorded time (${rows})`);
    this.name = 'TimelineOverlapError';
  }
}

/**
 * Two rows of `rows` that overlap in both times, or null. A sweep over recorded time: rows in order
 * of `knownFrom`, each compared with the rows still known when it starts. Those are one version of
 * the timeline (a handful of effective ranges) plus rows that start together, so the work is
 * O(n log n) for the sort and about n × (ranges of a version) comparisons.
 */
export function findTimelineOverlap(rows: readonly TimelineRow[]): [TimelineRow, TimelineRow] | null {
  const sorted = rows.filter((row) => !emptyRange(row.from, row.to) && !emptyRange(row.knownFrom, row.knownTo));
  sorted.sort(byKnownFrom);
  const known: TimelineRow[] = [];
  for (const row of sorted) {
    let kept = 0;
    for (let i = 0; i < known.length; i++) {
      const other = known[i];
      // Known until row.knownFrom or earlier: it meets neither this row nor any later one in recorded time.
      if (other.knownTo !== null && other.knownTo <= row.knownFrom) continue;
      if (rangesOverlap(other.from, other.to, row.from, row.to)) return [other, row];
      known[kept++] = other; // compacted in place: a rebuild runs this for 2.3 M rows, garbage counts
    }
    known.length = kept;
    known.push(row);
  }
  return null;
}

const byKnownFrom = (a: TimelineRow, b: TimelineRow): number => (a.knownFrom < b.knownFrom ? -1 : a.knownFrom > b.knownFrom ? 1 : 0);

/** Throws TimelineOverlapError naming the organization and two overlapping rows, as the SQL check does. */
export function assertNoTimelineRowsOverlap(organizationId: string, rows: readonly TimelineRow[]): void {
  const overlap = findTimelineOverlap(rows);
  if (overlap) throw new TimelineOverlapError(organizationId, overlap.map(describeRow).join(', '));
}

function describeRow(row: TimelineRow): string {
  return `valid [${row.from},${row.to ?? ''}) known [${row.knownFrom},${row.knownTo ?? ''})`;
}

/** [from, to) with null for no end: empty when it ends where (or before) it starts. */
function emptyRange(from: string, to: string | null): boolean {
  return to !== null && to <= from;
}

/** Two non-empty half-open ranges overlap when each starts before the other ends. */
function rangesOverlap(aFrom: string, aTo: string | null, bFrom: string, bTo: string | null): boolean {
  return (bTo === null || aFrom < bTo) && (aTo === null || bFrom < aTo);
}
