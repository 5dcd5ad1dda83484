import { foldPlanHistory, planAsOf, targetKey, targetsAddedOn, type LocalDate, type PlanEvent, type PlanHistory, type PlanState, type Target } from '@ktt/domain';
import type { Generation } from '../generations';

/** Plans and the targets in force at a date, folded from the projected plan facts (a handful of plans) of one generation. */
export class PlanQueries {
  /**
   * The targets an amendment added, by plan as answered, with the date each takes its baseline on. Kept beside
   * the answer, not in it: a plan's answer is its facts, and its shape is the API's (api.md).
   */
  private readonly addedOn = new WeakMap<PlanState, Map<string, LocalDate>>();

  /**
   * `knownAt`: only what was recorded by then (adoptions and amendments recorded later do not count).
   * A plan ended by an event (repeal, supersede) on or before `asOf` is not in force; one ended by its deadlines is.
   */
  async inForce(generation: Generation, asOf: LocalDate, provinceCode?: string, knownAt = 'infinity'): Promise<PlanState[]> {
    return (await this.asOf(generation, asOf, provinceCode, knownAt)).filter((plan) => plan.endReason !== 'repealed' && plan.endReason !== 'superseded');
  }

  /** A plan stays readable after its end: its facts, no targets, and how and when it ended. */
  async get(generation: Generation, id: string, asOf: LocalDate, knownAt?: string): Promise<PlanState | null> {
    return (await this.asOf(generation, asOf, undefined, knownAt)).find((plan) => plan.id === id) ?? null;
  }

  /** The date a target of a plan this class answered takes its baseline on: the plan's adoption, or the amendment that added it. */
  baselineOn(plan: PlanState, target: Pick<Target, 'metric' | 'deadline'>): LocalDate {
    return this.addedOn.get(plan)?.get(targetKey(target)) ?? plan.adoptedOn;
  }

  /**
   * The plans in force at each of `dates` (a series), as `inForce` answers each: the plan facts are read and
   * folded once, each history then read at every date.
   */
  async inForceOnEach(generation: Generation, dates: readonly LocalDate[], knownAt = 'infinity'): Promise<Map<LocalDate, PlanState[]>> {
    const histories = await this.histories(generation, knownAt);
    return new Map(
      dates.map((date) => [date, this.statesAt(histories, date).filter((plan) => plan.endReason !== 'repealed' && plan.endReason !== 'superseded')]),
    );
  }

  private async asOf(generation: Generation, asOf: LocalDate, provinceCode?: string, knownAt = 'infinity'): Promise<PlanState[]> {
    return this.statesAt(await this.histories(generation, knownAt), asOf).filter((plan) => !provinceCode || plan.provinceCode === provinceCode);
  }

  /** Every plan's history, folded from its facts recorded by `knownAt`. */
  private async histories(generation: Generation, knownAt: string): Promise<PlanHistory[]> {
    const { rows } = await generation.pool.query<{ plan_id: string; event_type: string; data: PlanEvent['data'] }>(
      `SELECT plan_id, event_type, data FROM ${generation.identifier}.plan_facts WHERE recorded_at <= $1::timestamptz ORDER BY plan_id, revision`,
      [knownAt],
    );
    const streams = new Map<string, PlanEvent[]>();
    for (const row of rows) {
      const list = streams.get(row.plan_id) ?? [];
      list.push({ type: row.event_type, data: row.data } as PlanEvent);
      streams.set(row.plan_id, list);
    }
    return [...streams.values()].map(foldPlanHistory).filter((history): history is PlanHistory => history !== null);
  }

  /** The plans as of a date, each with the baseline dates of its targets kept beside it (`baselineOn`). */
  private statesAt(histories: PlanHistory[], asOf: LocalDate): PlanState[] {
    const plans: PlanState[] = [];
    for (const history of histories) {
      const plan = planAsOf(history, asOf);
      if (plan) {
        this.addedOn.set(plan, targetsAddedOn(history, asOf));
        plans.push(plan);
      }
    }
    return plans;
  }
}
