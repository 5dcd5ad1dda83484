import { readFileSync } from 'node:fs';
import path from 'node:path';
import { apportion, GENERATE_SCALES, NATIONAL_FIGURES, nationalSizes, OWN_FIGURES, provinceWeight } from './national-sizes';
import { genericVocabulary, regionOf, type ProvinceRef } from './national-places';

const PROVINCES = (
  JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'data', 'reference', 'provinces.json'), 'utf8')) as {
    provinces: ProvinceRef[];
  }
).provinces;

const sum = (values: readonly number[]) => values.reduce((s, v) => s + v, 0);

describe('apportion', () => {
  it('splits a total exactly, in proportion to the weights', () => {
    const parts = apportion(100, [1, 1, 1]);
    expect(sum(parts)).toBe(100);
    expect(parts).toEqual([34, 33, 33]); // the remainder goes to the largest fraction, ties to the earlier one
    expect(apportion(10, [3, 1])).toEqual([8, 2]); // quotas 7.5 and 2.5
    expect(apportion(0, [2, 5])).toEqual([0, 0]);
  });

  it('keeps every part within one of its quota', () => {
    const weights = [0.3, 2.7, 1.1, 5, 0.01, 0.9];
    for (const total of [1, 7, 64_000, 33_500]) {
      const parts = apportion(total, weights);
      expect(sum(parts)).toBe(total);
      parts.forEach((part, i) => expect(Math.abs(part - (total * weights[i]) / sum(weights))).toBeLessThan(1));
    }
  });

  it('refuses what cannot be split', () => {
    expect(() => apportion(-1, [1])).toThrow();
    expect(() => apportion(1.5, [1])).toThrow();
    expect(() => apportion(3, [])).toThrow();
    expect(() => apportion(3, [0, 0])).toThrow();
    expect(() => apportion(3, [1, -1])).toThrow();
  });
});

describe('the sizes of the 63 provinces', () => {
  const sizes = nationalSizes(PROVINCES);
  const byCode = new Map(sizes.map((s) => [s.vocabulary.provinceCode, s]));

  it('covers every province of data/reference/provinces.json, in its order', () => {
    expect(PROVINCES).toHaveLength(63);
    expect(sizes.map((s) => s.vocabulary.provinceCode)).toEqual(PROVINCES.map((p) => p.provinceCode));
    expect(sizes.map((s) => s.vocabulary.name)).toEqual(PROVINCES.map((p) => p.name));
  });

  it('keeps the own figures of Kiên Giang (91) and Yên Bái (15)', () => {
    expect(byCode.get('91')).toBe(OWN_FIGURES[0]);
    expect(byCode.get('15')).toBe(OWN_FIGURES[1]);
    expect(byCode.get('91')?.cooperatives).toMatchObject({ agricultural: 457, other: 66 });
    expect(byCode.get('15')?.groups.count).toBe(5300);
  });

  it('adds up to the national figures of domain.md exactly', () => {
    expect(sum(sizes.map((s) => s.cooperatives.agricultural + s.cooperatives.other))).toBe(NATIONAL_FIGURES.cooperatives);
    expect(sum(sizes.map((s) => s.cooperatives.agricultural))).toBe(NATIONAL_FIGURES.agriculturalCooperatives);
    expect(NATIONAL_FIGURES.agriculturalCooperatives / NATIONAL_FIGURES.cooperatives).toBeCloseTo(2 / 3, 3);
    expect(sum(sizes.map((s) => s.groups.count))).toBe(NATIONAL_FIGURES.groups);
  });

  it('gives every province at least one union, about 150 in all', () => {
    const unions = sizes.map((s) => s.vocabulary.unions.reduce((n, u) => n + u.probability, 0));
    expect(Math.min(...unions)).toBeGreaterThanOrEqual(1);
    expect(Math.abs(sum(unions) - NATIONAL_FIGURES.unions)).toBeLessThan(1);
  });

  it('varies the provinces without extremes: the largest generic one is at most a few times the median', () => {
    const generic = sizes.filter((s) => !OWN_FIGURES.includes(s)).map((s) => s.cooperatives.agricultural + s.cooperatives.other);
    const sorted = [...generic].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    expect(sorted[0]).toBeGreaterThan(median / 5);
    expect(sorted[sorted.length - 1]).toBeLessThan(median * 5);
  });

  it('is the same on every call and for every seed (weights and places depend on the province only)', () => {
    expect(provinceWeight('01')).toBe(provinceWeight('01'));
    expect(provinceWeight('01')).not.toBe(provinceWeight('02'));
    const again = nationalSizes(PROVINCES);
    expect(again.map((s) => [s.cooperatives.agricultural, s.cooperatives.other, s.groups.count])).toEqual(
      sizes.map((s) => [s.cooperatives.agricultural, s.cooperatives.other, s.groups.count]),
    );
  });

  it('names the scales’ provinces from the list', () => {
    for (const { provinces } of Object.values(GENERATE_SCALES)) {
      for (const code of provinces ?? []) expect(byCode.has(code)).toBe(true);
    }
  });
});

describe('the generic vocabulary of a province', () => {
  const hanoi = genericVocabulary({ provinceCode: '01', name: 'Hà Nội' }, 4);

  it('seats the province in a district of its own name, with distinct communes in each district', () => {
    expect(hanoi.districts[0].name).toBe('Hà Nội');
    expect(hanoi.districts.length).toBeGreaterThanOrEqual(8);
    expect(new Set(hanoi.districts.map((d) => d.name)).size).toBe(hanoi.districts.length);
    for (const district of hanoi.districts) {
      expect(district.communes.length).toBeGreaterThanOrEqual(5);
      expect(new Set(district.communes).size).toBe(district.communes.length);
    }
  });

  it('has union templates founded 2016–2024 by 4–8 cooperatives in one of its districts', () => {
    expect(hanoi.unions).toHaveLength(4);
    expect(new Set(hanoi.unions.map((u) => u.name)).size).toBe(4);
    for (const union of hanoi.unions) {
      expect(union.foundedIn >= '2016-01' && union.foundedIn <= '2024-11').toBe(true);
      expect(union.founders).toEqual([4, 8]);
      expect(hanoi.districts.map((d) => d.name)).toContain(union.district);
    }
  });

  it('follows the region: hamlets are "ấp" in the Mekong delta, activities differ', () => {
    const canTho = genericVocabulary({ provinceCode: '92', name: 'Cần Thơ' }, 1);
    expect(regionOf('92')).toBe('mekong');
    expect(regionOf('01')).toBe('red_river_delta');
    expect(regionOf('66')).toBe('highlands');
    expect(canTho.hamlet(3)).toMatch(/^ấp /);
    expect(canTho.cooperativeActivities.agriculture).not.toEqual(hanoi.cooperativeActivities.agriculture);
  });
});
