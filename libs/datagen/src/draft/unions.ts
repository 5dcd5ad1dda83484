import type { LocalDate } from '@ktt/domain';
import { addDays, Random } from '../random';
import { drawAttributes } from './attributes';
import { emptyDraft, existsOn, statusOn, type AttributeStep, type Draft } from './draft';
import type { DrawSettings, ProvinceSizes } from './settings';

// Unions: founded by a province's own cooperatives, then joined and left over the years.

/**
 * 2–3 unions per province, each founded by 3–4 cooperatives existing and
 * active on the founding date (those of its district and sector first), then
 * joined and left by others over the years.
 */
export function draftUnions(settings: DrawSettings, sizes: ProvinceSizes, cooperatives: Draft[]): Draft[] {
  const { seed } = settings;
  const unions: Draft[] = [];
  sizes.vocabulary.unions.forEach((template, index) => {
    const key = `${sizes.vocabulary.provinceCode}-lhhtx-${index}`;
    const random = Random.derive(seed, key, 'base');
    if (!random.chance(template.probability)) return;
    const draft = emptyDraft(settings, key, 'union', sizes.vocabulary);
    draft.sector = template.sector;
    draft.district = template.district;
    draft.baseName = template.name;
    draft.registeredOn = random.date(`${template.foundedIn}-02`, `${template.foundedIn}-27`);
    const preference = (cooperative: Draft) =>
      (cooperative.sector === template.sector ? 2 : 0) + (cooperative.district === template.district ? 1 : 0) + random.float() * 0.5;
    const founders = cooperatives
      .filter(
        (c) =>
          c.registeredOn <= addDays(draft.registeredOn, -60) &&
          (c.dissolvedOn === null || c.dissolvedOn > addDays(draft.registeredOn, 365)) &&
          statusOn(c, draft.registeredOn) === 'active',
      )
      .map((c) => ({ c, score: preference(c) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, random.int(...(template.founders ?? [3, 4])))
      .map(({ c }) => c);
    if (founders.length < 3) return;
    draft.founders = founders;
    draft.profile = {
      managers: { total: random.int(5, 9), withDegree: random.int(2, 4) },
      directorTrained: true,
      valueChain: true,
      highTech: random.chance(0.3),
      enterpriseLinked: random.chance(0.6),
      digitalAdoption: random.chance(0.5),
    };
    const attributes = drawAttributes(Random.derive(seed, key, 'attributes'), draft, 0.8);
    // Membership: founders from the registration date; joins and leaves in date order.
    const membership = Random.derive(seed, key, 'membership');
    const since = new Map<Draft, LocalDate>(founders.map((c) => [c, draft.registeredOn]));
    const memberships: AttributeStep[] = [];
    for (let year = Number(draft.registeredOn.slice(0, 4)); year <= settings.lastYear; year++) {
      const moves: { type: 'join' | 'leave'; date: LocalDate }[] = [];
      if (membership.chance(0.45)) moves.push({ type: 'join', date: membership.date(`${year}-02-01`, `${year}-11-30`) });
      if (membership.chance(0.1)) moves.push({ type: 'join', date: membership.date(`${year}-02-01`, `${year}-11-30`) });
      if (membership.chance(0.25)) moves.push({ type: 'leave', date: membership.date(`${year}-02-01`, `${year}-11-30`) });
      moves.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
      for (const move of moves) {
        const draw = membership.float();
        if (move.date <= draft.registeredOn) continue;
        if (move.type === 'join') {
          const candidates = cooperatives
            .filter((c) => !since.has(c) && existsOn(c, move.date) && (c.dissolvedOn === null || c.dissolvedOn > addDays(move.date, 90)))
            .sort((a, b) => preference(b) - preference(a))
            .slice(0, 12);
          if (candidates.length === 0) continue;
          const cooperative = candidates[Math.floor(draw * candidates.length)];
          since.set(cooperative, move.date);
          memberships.push({ type: 'join', date: move.date, cooperative });
        } else {
          const members = [...since.entries()].filter(([c, from]) => from < move.date && existsOn(c, move.date)).map(([c]) => c);
          if (members.length < 3) continue; // the minimum binds at founding only; a union may shrink below it
          const cooperative = members[Math.floor(draw * members.length)];
          since.delete(cooperative);
          memberships.push({ type: 'leave', date: move.date, cooperative });
        }
      }
    }
    draft.attributes = [...attributes, ...memberships];
    unions.push(draft);
  });
  return unions;
}
