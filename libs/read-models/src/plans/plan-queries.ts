import type { Pool } from 'pg';
import { foldPlanHistory, planAsOf, type LocalDate, type PlanEvent, type PlanState } from '@ktt/domain';
import { activeSchema, schemaIdentifier } from '../generations';

/** Plans and the targets in force at a date, folded from the projected plan facts (a handful of plans). */
export class PlanQueries {
  constructor(private readonly pool: Pool) {}

  async inForce(asOf: LocalDate, provinceCode?: string): Promise<PlanState[]> {
    const rm = schemaIdentifier(await activeSchema(this.pool));
    const { rows } = await this.pool.query<{ plan_id: string; event_type: string; data: PlanEvent['data'] }>(
      `SELECT plan_id, event_type, data FROM ${rm}.plan_facts ORDER BY plan_id, revision`,
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
      if (plan && (!provinceCode || plan.provinceCode === provinceCode)) plans.push(plan);
    }
    return plans;
  }

  async get(id: string, asOf: LocalDate): Promise<PlanState | null> {
    return (await this.inForce(asOf)).find((plan) => plan.id === id) ?? null;
  }
}
