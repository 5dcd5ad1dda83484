import type { LocalDate, Sector } from '@ktt/domain';
import { KIEN_GIANG_SIZES, YEN_BAI_SIZES } from '../demo/demo-plan';
import type { ProvinceSizes, Weights } from '../draft/settings';
import { hashSeed, Random } from '../random';
import { genericVocabulary, isCoastal, regionOf, type ProvinceRef } from './national-places';

/**
 * How large each province is in the generated data: a pure function of the
 * province list. Kiên Giang (91) and Yên Bái (15) keep their own figures (the
 * demo's sizes); the national totals left over are shared among the other
 * provinces by a fixed weight each (largest-remainder apportionment, so the
 * sums are exact).
 */

/** domain.md, "Background facts": nationally, at the end of 2024 (ratings: those of 2025). */
export const NATIONAL_FIGURES = {
  asOf: '2024-12-31' as LocalDate,
  cooperatives: 33_500,
  /** "two thirds agricultural" */
  agriculturalCooperatives: Math.round((33_500 * 2) / 3),
  membersPerCooperative: 183,
  groups: 64_000,
  unions: 150,
  unionMemberCooperatives: 1_000,
  goodOrFairShare: { year: 2025, share: 0.78 },
} as const;

export const OWN_FIGURES: readonly ProvinceSizes[] = [KIEN_GIANG_SIZES, YEN_BAI_SIZES];

export type GenerateScale = 'national' | 'province' | 'small';

/** What each scale generates: which provinces (null = all of them), at which share of their size. */
export const GENERATE_SCALES: Record<GenerateScale, { provinces: readonly string[] | null; scale: number }> = {
  national: { provinces: null, scale: 1 },
  /** One province at full size: Kiên Giang. */
  province: { provinces: ['91'], scale: 1 },
  /**
   * A few thousand events, for tests: the two provinces with their own figures, An Giang (89, which
   * Kiên Giang joined on 1 July 2025: moves within the merged province) and Hà Nội, at 4 %.
   */
  small: { provinces: ['91', '15', '89', '01'], scale: 0.04 },
};

/**
 * Splits `total` into integers proportional to `weights` (largest remainder:
 * each gets the floor of its quota, the rest go to the largest fractions, ties
 * to the earlier one). The parts sum to `total` exactly.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  if (!Number.isInteger(total) || total < 0) throw new Error(`total must be a non-negative integer; got ${total}`);
  const sum = weights.reduce((s, w) => s + w, 0);
  if (weights.length === 0 || !(sum > 0) || weights.some((w) => !(w >= 0))) throw new Error('weights must be non-negative with a positive sum');
  const quotas = weights.map((w) => (total * w) / sum);
  const parts = quotas.map(Math.floor);
  let left = total - parts.reduce((s, p) => s + p, 0);
  const byRemainder = quotas.map((q, i) => ({ i, r: q - Math.floor(q) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left === 0) break;
    parts[i]++;
    left--;
  }
  return parts;
}

/**
 * A province's share of the collective economy: no per-province figure is
 * sourced beyond Kiên Giang's and Yên Bái's, so it is a fixed log-normal draw
 * (median 1, a spread of about ×1.6), the same for every seed.
 */
export function provinceWeight(provinceCode: string): number {
  return new Random(hashSeed('province-weight', provinceCode)).logNormal(1, 0.45);
}

/** The sizes of a province without figures of its own, given its share of the national remainder. */
function genericSizes(
  province: ProvinceRef,
  counts: { agricultural: number; other: number; groups: number; unions: number },
): ProvinceSizes {
  const coastal = isCoastal(province.provinceCode);
  const fisheries = coastal ? 22 : regionOf(province.provinceCode) === 'mekong' ? 15 : 6;
  const agriculturalSectors: Weights<Sector> = [['agriculture', 100 - fisheries], ['fisheries', fisheries]];
  return {
    vocabulary: genericVocabulary(province, counts.unions),
    cooperatives: {
      asOf: NATIONAL_FIGURES.asOf,
      agricultural: counts.agricultural,
      other: counts.other,
      agriculturalSectors,
      // People's credit funds are about 1 in 30 cooperatives and have by far the most members.
      otherSectors: [['trade_services', 25], ['industry', 20], ['transport', 14], ['credit', 11], ['construction', 10], ['other', 20]],
      before2018: 0.5,
      memberMedian: { agriculture: 112, fisheries: 55, credit: 1300 },
    },
    groups: {
      asOf: NATIONAL_FIGURES.asOf,
      count: counts.groups,
      sectors: [['agriculture', 80], ['fisheries', coastal ? 12 : 6], ['industry', 6], ['trade_services', 6]],
      before2018: 0.55,
      members0: (random) => Math.max(2, Math.round(random.logNormal(9, 0.6))),
    },
  };
}

/**
 * The sizes of every province in `provinces` (the 63 of data/reference/provinces.json):
 * own figures where domain.md gives them, the apportioned remainder of the
 * national totals elsewhere. Unions: the two provinces' own templates, and
 * the rest of about 150 shared like the rest (at least one each).
 */
export function nationalSizes(provinces: readonly ProvinceRef[]): ProvinceSizes[] {
  const own = new Map(OWN_FIGURES.map((sizes) => [sizes.vocabulary.provinceCode, sizes]));
  const others = provinces.filter((p) => !own.has(p.provinceCode));
  const ownIncluded = OWN_FIGURES.filter((sizes) => provinces.some((p) => p.provinceCode === sizes.vocabulary.provinceCode));
  const remainder = (national: number, ofOwn: (sizes: ProvinceSizes) => number) =>
    Math.max(0, national - ownIncluded.reduce((sum, sizes) => sum + ofOwn(sizes), 0));
  const weights = others.map((p) => provinceWeight(p.provinceCode));
  const agricultural = apportion(remainder(NATIONAL_FIGURES.agriculturalCooperatives, (s) => s.cooperatives.agricultural), weights);
  const other = apportion(
    remainder(NATIONAL_FIGURES.cooperatives - NATIONAL_FIGURES.agriculturalCooperatives, (s) => s.cooperatives.other),
    weights,
  );
  const groups = apportion(remainder(NATIONAL_FIGURES.groups, (s) => s.groups.count), weights);
  const ownUnions = Math.round(ownIncluded.reduce((sum, s) => sum + s.vocabulary.unions.reduce((n, u) => n + u.probability, 0), 0));
  const unionsLeft = Math.max(0, NATIONAL_FIGURES.unions - ownUnions - others.length);
  const unions = apportion(unionsLeft, weights).map((n) => n + 1);
  const generic = new Map(
    others.map((p, i) => [
      p.provinceCode,
      genericSizes(p, { agricultural: agricultural[i], other: other[i], groups: groups[i], unions: unions[i] }),
    ]),
  );
  return provinces.map((p) => own.get(p.provinceCode) ?? (generic.get(p.provinceCode) as ProvinceSizes));
}
