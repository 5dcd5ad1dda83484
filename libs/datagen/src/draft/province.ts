import type { LocalDate } from '@ktt/domain';
import { existsOn, type Draft } from './draft';
import { assignNamesAndNumbers, type RegistrationNumbering } from './naming';
import { draftCooperative, draftGroup, drawUntil } from './organizations';
import { Random } from '../random';
import { drawRelocations, type Places } from './seats';
import { AGRICULTURAL, type CalibrationLine, type DrawSettings, type ProvinceSizes } from './settings';
import { draftUnions } from './unions';

// An organization's drawn history ("draft"), shared by the demo (two provinces,
// through the command path) and the national generator (every province, decided
// in memory): sizes of a province, the draws of its organizations, their names
// and numbers, and the commands that record them. Each organization draws from
// random streams of its own (derived from the seed and its key), and its
// history is drawn over a fixed window and then cut at today, so a rerun on
// a later day yields the same commands for the same days plus the new ones.

function memberCountOn(draft: Draft, date: LocalDate): number {
  let members = draft.memberCount ?? 0;
  let latest = draft.registeredOn;
  for (const step of draft.attributes) {
    if (step.type === 'members' && step.date <= date && step.date >= latest) {
      members = step.memberCount;
      latest = step.date;
    }
  }
  return members;
}

/** A province's drafts (cooperatives, then groups, then unions), named and numbered, and their sizes on the reference dates. */
export interface ProvinceDraft {
  drafts: Draft[];
  calibration: CalibrationLine[];
}

/**
 * Draws a province at `scale` (1 = its sizes): cooperatives and groups until
 * the scaled counts exist on their reference dates, then its unions (founded
 * by its own cooperatives). A few cooperatives and groups relocate (`places`).
 */
export function draftProvince(
  settings: DrawSettings,
  sizes: ProvinceSizes,
  scale: number,
  numbering: RegistrationNumbering,
  places: Places,
): ProvinceDraft {
  const size = (n: number) => Math.max(1, Math.round(n * scale));
  const code = sizes.vocabulary.provinceCode;
  const { cooperatives: c, groups: g } = sizes;
  const agricultural = drawUntil(size(c.agricultural), c.asOf, (i) => draftCooperative(settings, sizes, `${code}-htx-a-${i}`, c.agriculturalSectors));
  const other = drawUntil(size(c.other), c.asOf, (i) => draftCooperative(settings, sizes, `${code}-htx-n-${i}`, c.otherSectors));
  const groups = drawUntil(size(g.count), g.asOf, (i) => draftGroup(settings, sizes, `${code}-tht-${i}`));
  const cooperatives = [...agricultural, ...other];
  // A few move their seat (from a stream of their own, so the other draws stay as they were).
  for (const draft of [...cooperatives, ...groups]) draft.relocations = drawRelocations(Random.derive(settings.seed, draft.key, 'relocation'), draft, places);
  const unions = draftUnions(settings, sizes, cooperatives);
  const drafts = [...cooperatives, ...groups, ...unions];
  assignNamesAndNumbers(drafts, code, numbering);

  const existingCooperatives = cooperatives.filter((d) => existsOn(d, c.asOf));
  const existingGroups = groups.filter((d) => existsOn(d, g.asOf));
  const calibration: CalibrationLine[] = [
    { provinceCode: code, what: 'cooperatives', asOf: c.asOf, target: size(c.agricultural + c.other), actual: existingCooperatives.length },
    {
      provinceCode: code,
      what: 'agricultural cooperatives',
      asOf: c.asOf,
      target: size(c.agricultural),
      actual: existingCooperatives.filter((d) => AGRICULTURAL.includes(d.sector)).length,
    },
    { provinceCode: code, what: 'cooperative groups', asOf: g.asOf, target: size(g.count), actual: existingGroups.length },
  ];
  if (g.members !== undefined) {
    calibration.push({
      provinceCode: code,
      what: 'cooperative group members',
      asOf: g.asOf,
      target: size(g.members),
      actual: existingGroups.reduce((sum, d) => sum + memberCountOn(d, g.asOf), 0),
    });
  }
  return { drafts, calibration };
}
