import type { LocalDate, Sector } from '@ktt/domain';
import type { ProvinceVocabulary } from '../demo/demo-places';
import { Random } from '../random';
import { drawAttributes, initialProfile, withUnknownFlags } from './attributes';
import { dissolvedOn, emptyDraft, existsOn, type Draft } from './draft';
import { drawLifecycle } from './lifecycle';
import { AGRICULTURAL, EARLIEST_REGISTRATION_YEAR, LAW_2023_IN_FORCE, type DrawSettings, type ProvinceSizes, type Weights } from './settings';

// Cooperatives and groups of a province: each drawn from random streams of its own (seed and key).

const REGISTRATION_YEAR_WEIGHTS: Weights<number> = [
  [2018, 1.0], [2019, 1.1], [2020, 0.9], [2021, 1.0], [2022, 1.15], [2023, 1.25],
  [2024, 1.25], [2025, 1.15], [2026, 1.1], [2027, 1.1],
];
const EARLY_YEAR_WEIGHTS: Weights<number> = Array.from(
  { length: 2017 - EARLIEST_REGISTRATION_YEAR + 1 },
  (_, i) => [EARLIEST_REGISTRATION_YEAR + i, 1 + i * 0.25] as const,
);

function drawRegistrationDate(random: Random, before2018: number): LocalDate {
  const year = random.chance(before2018) ? random.weighted(EARLY_YEAR_WEIGHTS) : random.weighted(REGISTRATION_YEAR_WEIGHTS);
  return random.date(`${year}-01-03`, `${year}-12-28`);
}

function drawPlace(random: Random, vocabulary: ProvinceVocabulary) {
  const district = random.pick(vocabulary.districts);
  const commune = random.pick(district.communes);
  return { district: district.name, commune };
}

export function draftCooperative(settings: DrawSettings, sizes: ProvinceSizes, key: string, sectors: Weights<Sector>): Draft {
  const { vocabulary } = sizes;
  const { seed } = settings;
  const random = Random.derive(seed, key, 'base');
  const draft = emptyDraft(settings, key, 'cooperative', vocabulary);
  draft.sector = random.weighted(sectors);
  const place = drawPlace(random, vocabulary);
  draft.district = place.district;
  const where = random.chance(0.65) ? place.commune : place.district;
  draft.baseName =
    draft.sector === 'credit'
      ? `Quỹ tín dụng nhân dân ${where}`
      : `Hợp tác xã ${random.pick(vocabulary.cooperativeActivities[draft.sector] ?? ['Dịch vụ tổng hợp'])} ${where}`;
  draft.registeredOn = drawRegistrationDate(random, sizes.cooperatives.before2018);
  const median = sizes.cooperatives.memberMedian[draft.sector] ?? 18;
  const floor = draft.registeredOn < LAW_2023_IN_FORCE ? 7 : 5;
  draft.memberCount = Math.max(floor, Math.round(random.logNormal(median, draft.sector === 'credit' ? 0.5 : 0.75)));
  const agricultural = AGRICULTURAL.includes(draft.sector);
  draft.profile = withUnknownFlags(Random.derive(seed, key, 'unknown'), initialProfile(random, 'cooperative', draft.registeredOn, agricultural), draft.registeredOn);
  const quality = random.normal();
  draft.lifecycle = drawLifecycle(Random.derive(seed, key, 'life'), draft, {
    suspend: 0.07,
    dormant: quality < -0.7 ? 0.22 : 0.04,
    dissolve: 0.05,
  });
  draft.dissolvedOn = dissolvedOn(draft.lifecycle);
  draft.attributes = drawAttributes(Random.derive(seed, key, 'attributes'), draft, quality);
  return draft;
}

export function draftGroup(settings: DrawSettings, sizes: ProvinceSizes, key: string): Draft {
  const { vocabulary } = sizes;
  const { seed } = settings;
  const random = Random.derive(seed, key, 'base');
  const draft = emptyDraft(settings, key, 'cooperative_group', vocabulary);
  draft.sector = random.weighted(sizes.groups.sectors);
  const place = drawPlace(random, vocabulary);
  draft.district = place.district;
  const activity = random.pick(vocabulary.groupActivities[draft.sector] ?? ['sản xuất']);
  draft.baseName = random.chance(0.5)
    ? `Tổ hợp tác ${activity} ${place.commune}`
    : `Tổ hợp tác ${activity} ${vocabulary.hamlet(random.int(0, 1000))}, xã ${place.commune}`;
  draft.registeredOn = drawRegistrationDate(random, sizes.groups.before2018);
  draft.memberCount = sizes.groups.members0(random);
  draft.profile = withUnknownFlags(Random.derive(seed, key, 'unknown'), initialProfile(random, 'cooperative_group', draft.registeredOn, false), draft.registeredOn);
  draft.lifecycle = drawLifecycle(Random.derive(seed, key, 'life'), draft, { suspend: 0.015, dormant: 0.03, dissolve: 0.12 });
  draft.dissolvedOn = dissolvedOn(draft.lifecycle);
  draft.attributes = drawAttributes(Random.derive(seed, key, 'attributes'), draft, 0);
  return draft;
}

/** Draws organizations until `target` of them exist on `asOf` (an upper bound on draws guards against a bad distribution). */
export function drawUntil(target: number, asOf: LocalDate, draw: (index: number) => Draft): Draft[] {
  const drafts: Draft[] = [];
  let existing = 0;
  for (let index = 0; existing < target && index < target * 5 + 50; index++) {
    const draft = draw(index);
    drafts.push(draft);
    if (existsOn(draft, asOf)) existing++;
  }
  return drafts;
}
