import fc from 'fast-check';
import { evolve, foldHistory, ratingLapsesOn, stateAsOf, statesAsOf, type OrganizationEvent, type OrganizationHistory, type Rating } from '@ktt/domain';
import { aCooperative, aUnion, type OrganizationStream } from '@ktt/testing/builders';
import { computeTimeline, extendTimeline, membershipRanges, searchText, type TimelineSegment } from './timeline';
import { bitemporalChanges, copyText, emptyRowChanges, MEMBERSHIP_COLUMNS, TIMELINE_COLUMNS, timelineLine, type KnownEvent } from './timeline-fold';
import { findTimelineOverlap } from './timeline-overlap';

/**
 * The timeline fold computes each version from the one before it (`extendTimeline`: only the dates
 * from the new facts' earliest effective date on) and compares rows by a text made once per state.
 * Over random histories — back-dated records, ties of effective dates, late ratings of old years
 * (their lapse date before the record), corrections with and without a replacement, relocations,
 * union memberships, events recorded together and clocks that go back — it must give exactly what
 * the whole computation gives: the timeline of every version as `computeTimeline` folds it, and the
 * rows the projection wrote before (the reference below is that code: every version computed whole,
 * every row serialised as JSON to compare it).
 */

const dayAfter2015 = (n: number) => new Date(Date.UTC(2015, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
// Few distinct days besides random ones, so that ties of effective dates and lapse dates are frequent.
const day = fc.oneof(fc.integer({ min: 0, max: 365 * 12 }).map(dayAfter2015), fc.constantFrom('2018-01-01', '2019-12-20', '2020-06-15', '2021-01-01', '2022-01-01', '2023-01-01'));
const COOPERATIVES = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003'];

type Op =
  | { kind: 'rate'; rating: Rating; on: string; back: number }
  | { kind: 'members'; count: number; on: string }
  | { kind: 'profile'; valueChain: boolean | null; withDegree: number | null; on: string }
  | { kind: 'suspend' | 'dormant' | 'resume' | 'dissolve'; on: string }
  | { kind: 'relocate'; province: string; on: string }
  | { kind: 'join' | 'leave'; cooperative: number; on: string }
  | { kind: 'correct'; target: number; replace: boolean; count: number; on: string };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('rate' as const), rating: fc.constantFrom<Rating>('good', 'fair', 'average', 'weak'), on: day, back: fc.integer({ min: 0, max: 5 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('members' as const), count: fc.integer({ min: 5, max: 9 }), on: day }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('profile' as const), valueChain: fc.constantFrom(true, false, null), withDegree: fc.constantFrom(1, 2, null), on: day }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('suspend' as const, 'dormant' as const, 'resume' as const, 'dissolve' as const), on: day }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('relocate' as const), province: fc.constantFrom('01', '15', '91'), on: day }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('join' as const, 'leave' as const), cooperative: fc.nat(2), on: day }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('correct' as const), target: fc.nat(), replace: fc.boolean(), count: fc.integer({ min: 5, max: 9 }), on: day }) },
);

const history = fc.record({
  union: fc.boolean(),
  registeredOn: fc.constantFrom('2015-01-01', '2017-06-15', '2019-12-20'),
  ops: fc.array(op, { maxLength: 14 }),
  // Minutes between one record and the next: 0 records them together, -1 is a replica's clock behind.
  gaps: fc.array(fc.constantFrom(-1, 0, 0, 1, 1, 2, 60), { minLength: 15, maxLength: 15 }),
});

function streamOf({ union, registeredOn, ops }: { union: boolean; registeredOn: string; ops: Op[] }): OrganizationStream {
  const stream = union ? aUnion(COOPERATIVES.slice(0, 2), { effectiveOn: registeredOn }) : aCooperative({ effectiveOn: registeredOn, memberCount: 7 });
  for (const o of ops) {
    if (o.kind === 'rate') stream.rated(o.rating, Number(o.on.slice(0, 4)) - o.back, o.on);
    else if (o.kind === 'members') stream.memberCount(o.count, o.on);
    else if (o.kind === 'profile') stream.profile({ valueChain: o.valueChain, managers: o.withDegree === null ? null : { total: 3, withDegree: o.withDegree } }, o.on);
    else if (o.kind === 'suspend') stream.suspended(o.on);
    else if (o.kind === 'dormant') stream.dormant(o.on);
    else if (o.kind === 'resume') stream.resumed(o.on);
    else if (o.kind === 'dissolve') stream.dissolved(o.on);
    else if (o.kind === 'relocate') stream.relocated(o.province, o.on);
    else if (o.kind === 'join') stream.joined(COOPERATIVES[o.cooperative], o.on);
    else if (o.kind === 'leave') stream.left(COOPERATIVES[o.cooperative], o.on);
    else if (o.kind === 'correct' && stream.events.length > 1) {
      // Any earlier record but the registration, a correction included (its retraction changes nothing).
      const retractedRevision = 1 + (o.target % (stream.events.length - 1));
      const retracted = stream.events[retractedRevision];
      const replacement = o.replace ? { type: 'MemberCountChanged' as const, data: { organizationId: stream.id, effectiveOn: o.on, memberCount: o.count } } : null;
      stream.events.push({
        type: 'RecordCorrected',
        data: { organizationId: stream.id, effectiveOn: o.on, retractedRevision, retractedEventId: `event-${retractedRevision}`, retractedType: retracted.type as 'MemberCountChanged', reason: 'Sai sót', replacement },
      } as OrganizationEvent);
    }
  }
  return stream;
}

function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

function knownEvents(events: OrganizationEvent[], gaps: number[]): KnownEvent[] {
  let minutes = 0;
  return events.map((event, i) => {
    minutes += gaps[i % gaps.length];
    return { event, recordedAt: new Date(Date.UTC(2024, 0, 1) + minutes * 60_000).toISOString() };
  });
}

describe('the timeline fold, version after version', () => {
  it('takes the states at its dates in one replay, each exactly the state stateAsOf gives', () => {
    fc.assert(
      fc.property(history, fc.array(day, { maxLength: 6 }), (drawn, extra) => {
        let folded: OrganizationHistory | null = null;
        for (const event of streamOf(drawn).events) {
          const history: OrganizationHistory = evolve(folded, event);
          folded = history;
          // Every date the timeline asks about (effective dates, lapse dates), the day before each, and random ones.
          const asked = new Set<string>(extra);
          for (const fact of history.events) {
            asked.add(fact.data.effectiveOn);
            asked.add(dayBefore(fact.data.effectiveOn));
            if (fact.type === 'OrganizationRated') asked.add(ratingLapsesOn(fact.data.year));
          }
          const dates = [...asked].sort();
          expect(statesAsOf(history, dates)).toEqual(dates.map((date) => stateAsOf(history, date)));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses dates out of order (one replay only goes forward)', () => {
    const folded = foldHistory(aCooperative({ effectiveOn: '2020-01-01' }).events)!;
    expect(() => statesAsOf(folded, ['2021-01-01', '2020-06-01'])).toThrow('dates must ascend');
  });

  it('extends each version to exactly the timeline computed whole', () => {
    fc.assert(
      fc.property(history, (drawn) => {
        const events = streamOf(drawn).events;
        let folded: OrganizationHistory | null = null;
        let segments: TimelineSegment[] = [];
        for (const event of events) {
          folded = evolve(folded, event);
          const whole = computeTimeline(folded);
          if (event.type === 'OrganizationRegistered' || event.type === 'RecordCorrected') segments = whole;
          else {
            const previous = segments;
            const asItWas = previous.map((segment) => ({ ...segment }));
            segments = extendTimeline(previous, folded, event.data.effectiveOn);
            expect(segments).toEqual(whole);
            expect(previous).toEqual(asItWas); // the version before is left as it was (the fold still holds its rows)
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('writes the rows the whole computation wrote, from any first new fact (a rebuild and live batches alike)', () => {
    fc.assert(
      fc.property(history, fc.nat(), (drawn, cut) => {
        const known = knownEvents(streamOf(drawn).events, drawn.gaps);
        const firstNew = cut % known.length;
        const change = emptyRowChanges();
        bitemporalChanges(known[0].event.data.organizationId, known, firstNew, change);
        const expected = referenceChanges(known[0].event.data.organizationId, known, firstNew);
        // In the same order too: a rebuild lays out the table's rows as before (the planner's statistics follow the layout).
        expect({ ...change, timelineInserts: change.timelineInserts.map(timelineLine) }).toEqual({
          timelineCloses: expected.timelineCloses,
          membershipCloses: expected.membershipCloses,
          timelineInserts: expected.timelineInserts.map((row) => `${TIMELINE_COLUMNS.map((column) => copyText(row[column])).join('\t')}\n`),
          membershipInserts: expected.membershipInserts.map((row) => `${MEMBERSHIP_COLUMNS.map((column) => copyText(row[column])).join('\t')}\n`),
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('folds a whole history into rows of which no two overlap in both times (what a rebuild checks before writing them)', () => {
    fc.assert(
      fc.property(history, (drawn) => {
        const known = knownEvents(streamOf(drawn).events, drawn.gaps);
        const change = emptyRowChanges();
        bitemporalChanges(known[0].event.data.organizationId, known, 0, change);
        expect(change.timelineInserts.length).toBeGreaterThan(0);
        expect(findTimelineOverlap(change.timelineInserts)).toBeNull();
      }),
      { numRuns: 1000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The reference: the projection as it was before the fold was made incremental (every version's
// timeline computed whole, each row compared as its JSON).

interface ReferenceChanges {
  timelineInserts: Record<string, unknown>[];
  timelineCloses: { organizationId: string; valid: string; at: string; version: number }[];
  membershipInserts: Record<string, unknown>[];
  membershipCloses: { unionId: string; cooperativeId: string; valid: string; at: string }[];
}

interface ReferenceOpenRow {
  key: string;
  row: Record<string, unknown>;
  openedAt: string | null;
}

function referenceChanges(id: string, history: KnownEvent[], firstNew: number): ReferenceChanges {
  const change: ReferenceChanges = { timelineInserts: [], timelineCloses: [], membershipInserts: [], membershipCloses: [] };
  const open = new Map<string, ReferenceOpenRow>();
  const openMemberships = new Map<string, ReferenceOpenRow>();
  let folded: OrganizationHistory | null = firstNew > 0 ? foldHistory(history.slice(0, firstNew).map((known) => known.event)) : null;
  if (firstNew > 0) {
    const before = referenceVersionRows(id, folded);
    for (const [valid, row] of before.timeline) open.set(valid, { ...row, openedAt: null });
    for (const [key, row] of before.memberships) openMemberships.set(key, { ...row, openedAt: null });
  }
  let knownFrom = firstNew > 0 ? history[firstNew - 1].recordedAt : '';
  let lastKnownRevision = firstNew - 1;
  for (let k = firstNew; k < history.length; k++) {
    folded = evolve(folded, history[k].event);
    const recordedAt = history[k].recordedAt > knownFrom ? history[k].recordedAt : knownFrom;
    knownFrom = recordedAt;
    if (k + 1 < history.length && history[k + 1].recordedAt <= recordedAt) continue;
    const now = referenceVersionRows(id, folded);
    const version = lastKnownRevision;
    referenceDiff(open, now.timeline, recordedAt, (valid, ended) =>
      ended.openedAt === null
        ? change.timelineCloses.push({ organizationId: id, valid, at: recordedAt, version })
        : ended.openedAt !== recordedAt && change.timelineInserts.push({ ...ended.row, version, known: `[${ended.openedAt},${recordedAt})` }),
    );
    lastKnownRevision = k;
    referenceDiff(openMemberships, now.memberships, recordedAt, (_key, ended) =>
      ended.openedAt === null
        ? change.membershipCloses.push({ unionId: id, cooperativeId: ended.row.cooperative_id as string, valid: ended.row.valid as string, at: recordedAt })
        : ended.openedAt !== recordedAt && change.membershipInserts.push({ ...ended.row, known: `[${ended.openedAt},${recordedAt})` }),
    );
  }
  const latest = history.length - 1;
  for (const row of open.values()) if (row.openedAt !== null) change.timelineInserts.push({ ...row.row, version: latest, known: `[${row.openedAt},)` });
  for (const row of openMemberships.values()) if (row.openedAt !== null) change.membershipInserts.push({ ...row.row, known: `[${row.openedAt},)` });
  return change;
}

function referenceDiff(open: Map<string, ReferenceOpenRow>, now: Map<string, { key: string; row: Record<string, unknown> }>, at: string, onEnd: (slot: string, row: ReferenceOpenRow) => void): void {
  for (const [slot, current] of open) {
    if (now.get(slot)?.key === current.key) continue;
    onEnd(slot, current);
    open.delete(slot);
  }
  for (const [slot, next] of now) if (!open.has(slot)) open.set(slot, { ...next, openedAt: at });
}

function referenceVersionRows(id: string, folded: OrganizationHistory | null) {
  const segments = folded ? computeTimeline(folded) : [];
  const timeline = new Map<string, { key: string; row: Record<string, unknown> }>();
  for (const { from, to, state } of segments) {
    const row: Record<string, unknown> = {
      organization_id: id,
      valid: `[${from},${to ?? ''})`,
      kind: state.kind,
      name: state.name,
      search_text: searchText(state.name, state.registrationNumber),
      registration_number: state.registrationNumber,
      province_code: state.formerProvinceCode,
      sector: state.sector,
      status: state.status,
      registered_on: state.registeredOn,
      dissolved_on: state.dissolvedOn,
      member_count: state.memberCount,
      rating: state.rating?.rating ?? null,
      rating_year: state.rating?.year ?? null,
      rated_on: state.rating?.ratedOn ?? null,
      managers_total: state.managers?.total ?? null,
      managers_with_degree: state.managers?.withDegree ?? null,
      director_trained: state.directorTrained,
      value_chain: state.valueChain,
      high_tech: state.highTech,
      enterprise_linked: state.enterpriseLinked,
      digital_adoption: state.digitalAdoption,
      member_cooperative_ids: `{${state.memberCooperativeIds.join(',')}}`,
      version: 0,
    };
    timeline.set(row.valid as string, { key: JSON.stringify(row), row });
  }
  const memberships = new Map<string, { key: string; row: Record<string, unknown> }>();
  if (folded?.kind === 'union') {
    for (const range of membershipRanges(id, segments)) {
      const row = { union_id: range.unionId, cooperative_id: range.cooperativeId, valid: `[${range.from},${range.to ?? ''})`, union_province_code: range.unionUnit };
      memberships.set(`${range.cooperativeId}|${row.valid}`, { key: JSON.stringify(row), row });
    }
  }
  return { timeline, memberships };
}
