import { foldPlanHistory, planAsOf, targetKey, targetsAddedOn, type LocalDate, type PlanEvent, type PlanState, type Target } from '@ktt/domain';
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

  private async asOf(generation: Generation, asOf: LocalDate, provinceCode?: string, knownAt = 'infinity'): Promise<PlanState[]> {
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
    const plans: PlanState[] = [];
    for (const events of streams.values()) {
      const history = foldPlanHistory(events);
      const plan = history ? planAsOf(history, asOf) : null;
      if (plan && (!provinceCode || plan.provinceCode === provinceCode)) {
        this.addedOn.set(plan, targetsAddedOn(history!, asOf));
        plans.push(plan);
      }
    }
    return plans;
  }
}
