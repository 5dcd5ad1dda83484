import { assertNever } from '../common/assert-never';
import type { LocalDate } from '../common/local-date';
import type { PlanAdopted, PlanAmended, PlanEnded, PlanEvent } from './plan.events';
import type { Target } from './plan.types';

/** A plan's stream, folded: the adoption and its amendments in recorded order. */
export interface PlanHistory {
  readonly id: string;
  readonly adoption: PlanAdopted['data'];
  readonly amendments: readonly PlanAmended['data'][];
  /** The event that ended it (repeal or supersede), if any. */
  readonly end: PlanEnded['data'] | null;
}

/** How a plan has ended: by an event, or because its last deadline has passed. */
export type PlanEndReason = 'repealed' | 'superseded' | 'deadlines';

/** A plan as of one date: the targets in force then. */
/** The plan as in force at a date: its adoption's facts, as amended by then. */
export type PlanState = Omit<PlanAdopted['data'], 'planId' | 'effectiveOn'> & {
  id: string;
  /** How many amendments are in force at the date. */
  amendments: number;
  /** The date it ended, as of the date asked: an end event in effect by then, or its last deadline once passed. */
  endedOn: LocalDate | null;
  endReason: PlanEndReason | null;
  /** The plan that superseded it (endReason `superseded`). */
  supersededBy: string | null;
};

export function evolvePlan(history: PlanHistory | null, event: PlanEvent): PlanHistory {
  switch (event.type) {
    case 'PlanAdopted':
      if (history !== null) throw new Error(`Corrupt stream: plan ${history.id} adopted twice`);
      return { id: event.data.planId, adoption: event.data, amendments: [], end: null };
    case 'PlanAmended':
      if (history === null) throw new Error(`Corrupt stream: plan ${event.data.planId} amended before adoption`);
      return { ...history, amendments: [...history.amendments, event.data] };
    case 'PlanEnded':
      if (history === null) throw new Error(`Corrupt stream: plan ${event.data.planId} ended before adoption`);
      if (history.end !== null) throw new Error(`Corrupt stream: plan ${history.id} ended twice`);
      return { ...history, end: event.data };
    default:
      return assertNever(event);
  }
}

export function foldPlanHistory(events: readonly PlanEvent[]): PlanHistory | null {
  return events.reduce<PlanHistory | null>(evolvePlan, null);
}

/**
 * A plan is in force from the earliest effective date in its stream: its
 * adoption, or an amendment dated before it (how a placeholder adoption date,
 * like Yên Bái's, is corrected back in time). Amendments in force are applied
 * in effective-date order; of two on the same date the later recorded wins.
 */
export function planAsOf(history: PlanHistory, asOf: LocalDate): PlanState | null {
  if (planInForceFrom(history) > asOf) return null;
  const state = amendmentsInForce(history, asOf).reduce(applyAmendment, adoptedState(history));
  return withEnd(state, history.end, asOf);
}

/** A target's identity within its plan (domain.md, "Targets"): its metric and deadline. */
export function targetKey(target: Pick<Target, 'metric' | 'deadline'>): string {
  return `${target.metric}@${target.deadline}`;
}

/**
 * The date each target in force at `asOf` takes its baseline on, by
 * targetKey (domain.md, "Targets"): one an amendment added (a pair the plan
 * did not have just before it) on that amendment's effectiveOn; the others
 * are absent, and take theirs on the plan's adoptedOn (as amended).
 */
export function targetsAddedOn(history: PlanHistory, asOf: LocalDate): Map<string, LocalDate> {
  let addedOn = new Map<string, LocalDate | null>(history.adoption.targets.map((target) => [targetKey(target), null]));
  for (const amendment of amendmentsInForce(history, asOf)) {
    if (!amendment.targets) continue;
    const before = addedOn;
    addedOn = new Map(amendment.targets.map((target) => [targetKey(target), before.has(targetKey(target)) ? before.get(targetKey(target))! : amendment.effectiveOn]));
  }
  return new Map([...addedOn].filter((entry): entry is [string, LocalDate] => entry[1] !== null));
}

/** The amendments in effect at a date, in effective-date order; of two on the same date the later recorded comes last (and wins). */
function amendmentsInForce(history: PlanHistory, asOf: LocalDate): PlanAmended['data'][] {
  return history.amendments
    .filter((amendment) => amendment.effectiveOn <= asOf)
    .sort((a, b) => (a.effectiveOn < b.effectiveOn ? -1 : a.effectiveOn > b.effectiveOn ? 1 : 0));
}

/** The end in effect at a date: an ended plan keeps its facts but has no targets in force. */
export function planEndedBy(history: PlanHistory, asOf: LocalDate): PlanEnded['data'] | null {
  return history.end !== null && history.end.effectiveOn <= asOf ? history.end : null;
}

/**
 * An end event in effect withdraws every target (the plan is no longer in
 * force); a plan whose last deadline lies before the date keeps its targets
 * (they are judged as missed or met) and is reported as ended by its deadlines.
 */
function withEnd(state: PlanState, end: PlanEnded['data'] | null, asOf: LocalDate): PlanState {
  if (end !== null && end.effectiveOn <= asOf) {
    return {
      ...state,
      targets: [],
      endedOn: end.effectiveOn,
      endReason: end.supersededBy !== null ? 'superseded' : 'repealed',
      supersededBy: end.supersededBy,
    };
  }
  const lastDeadline = state.targets.reduce<LocalDate | null>((last, target) => (last === null || target.deadline > last ? target.deadline : last), null);
  if (lastDeadline !== null && lastDeadline < asOf) return { ...state, endedOn: lastDeadline, endReason: 'deadlines' };
  return state;
}

export function planInForceFrom(history: PlanHistory): LocalDate {
  return history.amendments.reduce(
    (earliest, amendment) => (amendment.effectiveOn < earliest ? amendment.effectiveOn : earliest),
    history.adoption.effectiveOn,
  );
}

function adoptedState({ adoption }: PlanHistory): PlanState {
  return {
    id: adoption.planId,
    provinceCode: adoption.provinceCode,
    document: adoption.document,
    title: adoption.title,
    issuer: adoption.issuer,
    adoptedOn: adoption.adoptedOn,
    source: adoption.source,
    note: adoption.note,
    targets: adoption.targets.map((target) => ({ ...target })),
    amendments: 0,
    endedOn: null,
    endReason: null,
    supersededBy: null,
  };
}

function applyAmendment(state: PlanState, amendment: PlanAmended['data']): PlanState {
  return {
    ...state,
    targets: amendment.targets ? amendment.targets.map((target) => ({ ...target })) : state.targets,
    adoptedOn: amendment.adoptedOn ?? state.adoptedOn,
    document: amendment.document !== undefined ? amendment.document : state.document,
    amendments: state.amendments + 1,
  };
}
