import type { AdministrativeMap, PlanState, Territory } from '@ktt/domain';

/**
 * The territory a plan covers (domain.md, "Administrative units": plans bind
 * to a territory): its province on the boundaries of its adoption date. Plan
 * 251, adopted by 91 on 2023-10-20, covers former Kiên Giang (units ['91'])
 * also after the merger; a plan adopted by 91 in 2026 covers the merged An
 * Giang (['89', '91']).
 *
 * A plan recorded for a code not in force on its adoption date (a record made
 * before the map had a history, under a code that ended) covers that code's
 * own former territory, as old codes in old events are read.
 */
export function planTerritory(map: AdministrativeMap, plan: Pick<PlanState, 'provinceCode' | 'adoptedOn'>): Territory {
  const territory = map.territory(plan.provinceCode, plan.adoptedOn);
  if (territory) return territory;
  return { code: plan.provinceCode, boundariesOn: plan.adoptedOn, name: plan.provinceCode, predecessors: [plan.provinceCode], units: [plan.provinceCode] };
}

/** Whether every unit of `inner` is one of `outer`'s: the plan's territory lies within the asked one. */
export function liesWithin(inner: Pick<Territory, 'units'>, outer: Pick<Territory, 'units'>): boolean {
  const units = new Set(outer.units);
  return inner.units.every((unit) => units.has(unit));
}

/** A territory as answered (api.md: `{ code, boundariesOn, name }`). */
export function territoryAnswer(territory: Territory): { code: string; boundariesOn: string; name: string } {
  return { code: territory.code, boundariesOn: territory.boundariesOn, name: territory.name };
}
