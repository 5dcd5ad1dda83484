import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { planStreamId, type AdoptPlan } from '@ktt/domain';
import type { EventStore } from '@ktt/event-store';
import { PlanCommandHandler } from './plan-command.handler';
import { systemPrincipal } from '@ktt/auth';

/**
 * Adopts the plans the project carries (data/plans/*.json) on first start,
 * once: a plan whose stream exists already (seeded before, or adopted by an
 * admin) is left alone, so restarts and amendments are never undone.
 */
export async function seedPlans(store: EventStore, plansDir: string): Promise<string[]> {
  const adopted: string[] = [];
  const files = (await readdir(plansDir)).filter((file) => file.endsWith('.json')).sort();
  for (const file of files) {
    const plan = JSON.parse(await readFile(path.join(plansDir, file), 'utf8')) as Omit<AdoptPlan, 'type' | 'planId'> & { id: string };
    if ((await store.readStream(planStreamId(plan.id))).length > 0) continue;
    const { id, ...rest } = plan;
    await new PlanCommandHandler(store).execute({
      command: { ...rest, type: 'AdoptPlan', planId: id },
      // Keyed by plan, so two replicas starting at once adopt it once.
      context: {
        principal: systemPrincipal('system:seed'),
        correlationId: `seed-${id}`,
        idempotency: { key: `seed-plan-${id}`, requestHash: `seed-plan-${id}` },
      },
    });
    adopted.push(id);
  }
  return adopted;
}
