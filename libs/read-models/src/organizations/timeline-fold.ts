import { evolve, foldHistory, type LocalDate, type OrganizationEvent, type OrganizationHistory, type OrganizationState } from '@ktt/domain';
import { computeTimeline, extendTimeline, membershipRanges, searchText, type TimelineSegment } from './timeline';

/**
 * The bitemporal fold of one organization's facts into rows (the pure part
 * of organization-projection.ts): each recorded moment is a version of the
 * timeline, and a row keeps the recorded-time range in which its (valid
 * range, state) stayed in the timeline.
 *
 * What a row says of a state is made once, as the values of its columns, and
 * two rows are compared value by value (profile of a national rebuild:
 * serialising every row of every version as JSON to compare it was the
 * largest cost of the timeline phase, with the garbage it left). Timeline
 * rows leave as records that timeline-copy.ts writes; memberships (unions
 * only, few) as lines of COPY text in the order of MEMBERSHIP_COLUMNS.
 */

export interface KnownEvent {
  event: OrganizationEvent;
  /** UTC, milliseconds: when the system learned it. */
  recordedAt: string;
}

/** A new organization_timeline row; written by timeline-copy.ts. */
export interface TimelineRow {
  organizationId: string;
  from: LocalDate;
  to: LocalDate | null;
  /** Recorded-time range: from `knownFrom`, up to `knownTo` (null: still known). */
  knownFrom: string;
  knownTo: string | null;
  content: Content;
  version: number;
}

export interface RowChanges {
  timelineInserts: TimelineRow[];
  /** Rows open in the table (upper_inf(known)) that end at `at`; one organization's open rows never share a valid range. */
  timelineCloses: { organizationId: string; valid: string; at: string; version: number }[];
  /** New union_memberships rows, COPY text lines (MEMBERSHIP_COLUMNS). */
  membershipInserts: string[];
  membershipCloses: { unionId: string; cooperativeId: string; valid: string; at: string }[];
}

export const TIMELINE_COLUMNS = [
  'organization_id',
  'valid',
  'known',
  'kind',
  'name',
  'search_text',
  'registration_number',
  'province_code',
  'sector',
  'status',
  'registered_on',
  'dissolved_on',
  'member_count',
  'rating',
  'rating_year',
  'rated_on',
  'managers_total',
  'managers_with_degree',
  'director_trained',
  'value_chain',
  'high_tech',
  'enterprise_linked',
  'digital_adoption',
  'member_cooperative_ids',
  'version',
] as const;

export const MEMBERSHIP_COLUMNS = ['union_id', 'cooperative_id', 'valid', 'known', 'union_province_code'] as const;

export function emptyRowChanges(): RowChanges {
  return { timelineInserts: [], timelineCloses: [], membershipInserts: [], membershipCloses: [] };
}

/** What a row says of a state (every column but the organization, the ranges and the version). */
export interface Content {
  /** The values of the columns kind … member_cooperative_ids (TIMELINE_COLUMNS). */
  values: readonly unknown[];
  /** The same columns in COPY's binary format, once made (timeline-copy.ts); null: a value it does not encode. */
  binary?: Buffer | null;
}

interface OpenRow {
  from: LocalDate;
  to: LocalDate | null;
  content: Content;
  /** Null: already in the table (opened by an earlier batch); else opened at this moment in this batch. */
  openedAt: string | null;
  /**
   * The order rows were opened in (a version's new rows in valid order): rows are written in it, as
   * before, so a rebuild lays out the table's rows as it did (the planner's statistics follow the layout).
   */
  seq: number;
}

interface Membership {
  cooperativeId: string;
  valid: string;
  unit: string;
}

interface OpenMembership extends Membership {
  openedAt: string | null;
}

/**
 * What the new facts of one organization change, over both clocks. Each
 * recorded moment t (events recorded together share one) is a version of the
 * timeline, computed from the facts recorded up to t; a row keeps the
 * recorded-time range in which its (valid range, state) stayed in the
 * timeline. So `known @> T` gives exactly what the system knew at T,
 * back-dated records and corrections included, without a replay per query.
 * Incremental twice: the versions before the first new fact are already in the
 * table, so only later versions are computed, and rows they end are closed;
 * and each version extends the one before it (`extendTimeline`): a fact
 * effective on d leaves every range before d as it was, so only the dates from
 * d on are evaluated again (a correction or the registration: the whole version).
 */
export function bitemporalChanges(id: string, history: KnownEvent[], firstNew: number, change: RowChanges): void {
  const contents = new Map<OrganizationState, Content>();
  const contentOf = (state: OrganizationState): Content => {
    let content = contents.get(state);
    if (content === undefined) {
      content = rowContent(state);
      contents.set(state, content);
    }
    return content;
  };
  // The fold grows one event at a time (the domain's own evolve), not refolded from the start for every version.
  let folded: OrganizationHistory | null = firstNew > 0 ? foldHistory(history.slice(0, firstNew).map((known) => known.event)) : null;
  // The table's open rows are the timeline of the version before the first new fact.
  let segments: TimelineSegment[] = folded ? computeTimeline(folded) : [];
  let opened = 0;
  const seq = (): number => opened++;
  let open: OpenRow[] = segments.map((segment) => ({ from: segment.from, to: segment.to, content: contentOf(segment.state), openedAt: null, seq: seq() }));
  const openMemberships = new Map<string, OpenMembership>();
  if (folded?.kind === 'union') for (const [slot, membership] of memberships(id, segments)) openMemberships.set(slot, { ...membership, openedAt: null });

  let knownFrom = firstNew > 0 ? history[firstNew - 1].recordedAt : '';
  // A row that a version ends carries, as its version, the stream's last revision while it was known:
  // deterministic whatever the batches, so a rebuild writes the same rows as the live projector.
  let lastKnownRevision = firstNew - 1;
  // The earliest effective date of this version's new facts; '' when they rewrite the facts in force (the whole version).
  let changedFrom: LocalDate | null = null;
  for (let k = firstNew; k < history.length; k++) {
    const { event } = history[k];
    folded = evolve(folded, event);
    if (event.type === 'OrganizationRegistered' || event.type === 'RecordCorrected' || changedFrom === '') changedFrom = '';
    else if (changedFrom === null || event.data.effectiveOn < changedFrom) changedFrom = event.data.effectiveOn;
    // Clocks of several api replicas may disagree a little: recorded times are kept non-decreasing.
    const recordedAt = history[k].recordedAt > knownFrom ? history[k].recordedAt : knownFrom;
    knownFrom = recordedAt;
    if (k + 1 < history.length && history[k + 1].recordedAt <= recordedAt) continue; // recorded together: one version
    const next = changedFrom === '' ? computeTimeline(folded) : extendTimeline(segments, folded, changedFrom!);
    changedFrom = null;
    const version = lastKnownRevision;
    const ended: OpenRow[] = [];
    open = nextOpenRows(open, segments, next, contentOf, recordedAt, seq, (row) => ended.push(row));
    for (const row of ended.sort(bySeq)) {
      if (row.openedAt === null) change.timelineCloses.push({ organizationId: id, valid: validRange(row.from, row.to), at: recordedAt, version });
      else if (row.openedAt !== recordedAt) {
        change.timelineInserts.push({ organizationId: id, from: row.from, to: row.to, knownFrom: row.openedAt, knownTo: recordedAt, content: row.content, version });
      }
    }
    segments = next;
    lastKnownRevision = k;
    if (folded.kind !== 'union') continue;
    const now = memberships(id, segments);
    for (const [slot, current] of openMemberships) {
      if (now.get(slot)?.unit === current.unit) continue;
      openMemberships.delete(slot);
      if (current.openedAt === null) change.membershipCloses.push({ unionId: id, cooperativeId: current.cooperativeId, valid: current.valid, at: recordedAt });
      else if (current.openedAt !== recordedAt) change.membershipInserts.push(membershipLine(id, current, `[${current.openedAt},${recordedAt})`));
    }
    for (const [slot, membership] of now) if (!openMemberships.has(slot)) openMemberships.set(slot, { ...membership, openedAt: recordedAt });
  }
  // Rows still open carry the stream's latest version (If-Match); rows opened by earlier batches get it in writeChanges.
  const latest = history.length - 1;
  for (const row of [...open].sort(bySeq)) {
    if (row.openedAt !== null) change.timelineInserts.push({ organizationId: id, from: row.from, to: row.to, knownFrom: row.openedAt, knownTo: null, content: row.content, version: latest });
  }
  for (const membership of openMemberships.values()) {
    if (membership.openedAt !== null) change.membershipInserts.push(membershipLine(id, membership, `[${membership.openedAt},)`));
  }
}

/**
 * The rows open after a version: `open` holds one row per range of `previous`, in order. Ranges
 * `next` shares with `previous` (the same objects: `extendTimeline` keeps them) stay open as they
 * are; past them, a row stays open when the new version has its valid range with the same content,
 * and the others end (`onEnd`) while the new ranges open at `at`.
 */
function nextOpenRows(
  open: OpenRow[],
  previous: readonly TimelineSegment[],
  next: readonly TimelineSegment[],
  contentOf: (state: OrganizationState) => Content,
  at: string,
  seq: () => number,
  onEnd: (row: OpenRow) => void,
): OpenRow[] {
  let same = 0;
  while (same < previous.length && same < next.length && previous[same] === next[same]) same++;
  const rows = open.slice(0, same);
  let a = same;
  let b = same;
  // Both lists are ordered by the ranges' starts, each start once.
  while (a < open.length || b < next.length) {
    const old = a < open.length ? open[a] : null;
    const segment = b < next.length ? next[b] : null;
    if (old && (!segment || old.from < segment.from)) {
      onEnd(old);
      a++;
    } else if (segment && (!old || segment.from < old.from)) {
      rows.push({ from: segment.from, to: segment.to, content: contentOf(segment.state), openedAt: at, seq: seq() });
      b++;
    } else {
      const content = contentOf(segment!.state);
      if (old!.to === segment!.to && sameContent(old!.content, content)) rows.push(old!);
      else {
        onEnd(old!);
        rows.push({ from: segment!.from, to: segment!.to, content, openedAt: at, seq: seq() });
      }
      a++;
      b++;
    }
  }
  return rows;
}

const bySeq = (a: OpenRow, b: OpenRow): number => a.seq - b.seq;

/** A union's memberships of one version, by (cooperative, valid range). */
function memberships(id: string, segments: TimelineSegment[]): Map<string, Membership> {
  const now = new Map<string, Membership>();
  for (const range of membershipRanges(id, segments)) {
    const valid = validRange(range.from, range.to);
    now.set(`${range.cooperativeId}|${valid}`, { cooperativeId: range.cooperativeId, valid, unit: range.unionUnit });
  }
  return now;
}

function validRange(from: LocalDate, to: LocalDate | null): string {
  return `[${from},${to ?? ''})`;
}

/** A timeline row as a line of COPY text (TIMELINE_COLUMNS). */
export function timelineLine(row: TimelineRow): string {
  return `${row.organizationId}\t${validRange(row.from, row.to)}\t[${row.knownFrom},${row.knownTo ?? ''})\t${row.content.values.map(copyText).join('\t')}\t${row.version}\n`;
}

function membershipLine(unionId: string, membership: Membership, known: string): string {
  return `${unionId}\t${membership.cooperativeId}\t${membership.valid}\t${known}\t${copyText(membership.unit)}\n`;
}

/** The row's columns from kind to member_cooperative_ids (TIMELINE_COLUMNS), as a state gives them. */
function rowContent(state: OrganizationState): Content {
  return {
    values: [
      state.kind,
      state.name,
      searchText(state.name, state.registrationNumber),
      state.registrationNumber,
      // The seat's unit (the first-map province holding it), not the code as recorded: a territory is a set of units.
      state.formerProvinceCode,
      state.sector,
      state.status,
      state.registeredOn,
      state.dissolvedOn,
      state.memberCount,
      state.rating?.rating ?? null,
      state.rating?.year ?? null,
      state.rating?.ratedOn ?? null,
      state.managers?.total ?? null,
      state.managers?.withDegree ?? null,
      state.directorTrained,
      state.valueChain,
      state.highTech,
      state.enterpriseLinked,
      state.digitalAdoption,
      `{${state.memberCooperativeIds.join(',')}}`,
    ],
  };
}

/** Value by value, as the rows' JSON compared them before (a missing value is not null, 5 is not "5"). */
function sameContent(a: Content, b: Content): boolean {
  if (a === b) return true;
  for (let i = 0; i < a.values.length; i++) if (a.values[i] !== b.values[i]) return false;
  return true;
}

/** One value in COPY's text format: \N for null, the escapes of backslash and the line's separators. */
export function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  const text = String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]) : text;
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
