import path from 'node:path';
import { readDataJson } from '@ktt/testing/data-files';
import { loadPopulationFigures, Populations, type PopulationFigure } from './population';

// The population reference file is read by the product (population_share): a figure without a source,
// a figure of a province that never existed, or two figures for one unit, year and kind would change
// answers silently. These checks hold the file to its own rules.

interface FileShape {
  figures: (PopulationFigure & { name: string; date?: string })[];
  country: { year: number; kind: string; population: number; sources: { url: string }[] }[];
  missing: string;
}

const file = readDataJson('reference/province-population-figures.json') as FileShape;
const provinces = new Map(
  (readDataJson('reference/provinces.json') as { provinces: { provinceCode: string; name: string }[] }).provinces.map((p) => [p.provinceCode, p.name]),
);

describe('province-population-figures.json', () => {
  it('names each figure by a province of the first map, with that province\'s name', () => {
    for (const f of file.figures) expect([f.provinceCode, provinces.get(f.provinceCode)]).toEqual([f.provinceCode, f.name]);
  });

  it('dates every census figure 1 April 2019 and gives every figure a source with an address and a publisher', () => {
    for (const f of [...file.figures, ...file.country]) {
      if (f.kind === 'census') expect((f as { date?: string }).date).toBe('2019-04-01');
      expect(['census', 'yearly-average']).toContain(f.kind);
      expect(f.sources.length).toBeGreaterThan(0);
      for (const s of f.sources as { url: string; publisher: string }[]) {
        expect(s.url).toMatch(/^https?:\/\//);
        expect(s.publisher.length).toBeGreaterThan(5);
      }
    }
  });

  it('keeps the provincial census figures within the national census total, and names every province still without a figure', () => {
    const census = file.figures.filter((f) => f.kind === 'census' && f.year === 2019);
    const national = file.country.find((c) => c.kind === 'census' && c.year === 2019)!;
    expect(national.population).toBe(96208984);
    expect(census.reduce((sum, f) => sum + f.population, 0)).toBeLessThanOrEqual(national.population);
    const withFigure = new Set(file.figures.map((f) => f.provinceCode));
    for (const [code, name] of provinces) if (!withFigure.has(code)) expect(file.missing).toContain(`${code} ${name}`);
  });

  it('adds the 63 census figures up to the national total once all are known, and until then says what the missing ones must add up to', () => {
    // The census published provincial figures that sum to the national total: a figure copied wrong shows here.
    const census = file.figures.filter((f) => f.kind === 'census' && f.year === 2019);
    const national = file.country.find((c) => c.kind === 'census' && c.year === 2019)!.population;
    const sum = census.reduce((total, f) => total + f.population, 0);
    if (census.length === provinces.size) expect(sum).toBe(national);
    else expect(file.missing).toContain(`must add up to ${(national - sum).toLocaleString('en-US')}`);
  });

  it('has the figures the plans of this product need: 89 and 91 (An Giang 2019 census) and 15 (Yên Bái 2022)', () => {
    const populations = loadPopulationFigures(path.resolve(__dirname, '..', '..', '..', '..', 'data', 'reference', 'province-population-figures.json'));
    expect(populations.populationOf(['91'], '2024-06-30').value).toBe(1723067);
    expect(populations.populationOf(['89', '91'], '2026-01-01').value).toBe(1908352 + 1723067);
    expect(populations.populationOf(['15'], '2023-12-31').value).toBe(847245);
  });
});

describe('populationOf', () => {
  const source = [{ publisher: 'test publisher', url: 'https://example.org' }];
  const populations = new Populations(
    [
      { provinceCode: '10', year: 2018, kind: 'yearly-average', population: 700, sources: source },
      { provinceCode: '10', year: 2019, kind: 'census', population: 730, sources: source },
      { provinceCode: '10', year: 2019, kind: 'yearly-average', population: 735, sources: source },
      { provinceCode: '15', year: 2022, kind: 'yearly-average', population: 847, sources: source },
    ],
    [{ year: 2019, kind: 'census', population: 96_000, sources: source }],
  );

  it('takes the latest year ≤ the date\'s year, the yearly average before the census of that year', () => {
    expect(populationValue(['10'], '2018-12-31')).toBe(700);
    expect(populationValue(['10'], '2019-01-01')).toBe(735);
    expect(populationValue(['10'], '2030-06-30')).toBe(735);
  });

  it('sums the units of a merged territory, each at its own latest year', () => {
    expect(populations.populationOf(['10', '15'], '2026-01-01')).toEqual({
      value: 735 + 847,
      figures: [
        { unit: '10', year: 2019, kind: 'yearly-average', population: 735 },
        { unit: '15', year: 2022, kind: 'yearly-average', population: 847 },
      ],
    });
  });

  it('is null, naming the units without a figure, before any figure of one of them', () => {
    const answer = populations.populationOf(['10', '15'], '2021-12-31');
    expect(answer.value).toBeNull();
    expect(answer.reason).toMatch(/former province 15\b/);
    expect(populations.populationOf(['10'], '2017-12-31').reason).toMatch(/2017 or earlier/);
    expect(populations.populationOf(['01'], '2026-01-01').value).toBeNull();
  });

  it('answers the country from its own figure', () => {
    expect(populationValue('all', '2020-01-01')).toBe(96_000);
    expect(populations.populationOf('all', '2018-01-01')).toMatchObject({ value: null, reason: expect.stringMatching(/country/) });
  });

  function populationValue(units: string[] | 'all', date: string) {
    return populations.on(units)(date);
  }
});
