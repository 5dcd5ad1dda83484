import { readDataJson } from '@ktt/testing/data-files';

// Internal consistency of data/reference/administrative-units-2025.json: the file is seeded as the
// 2025 reorganization event, so a typo here would silently move organizations between provinces.
// The sources and the cross-checks against them are recorded in the file itself.

type Kind = 'province' | 'municipality';
interface Before {
  code: string;
  name: string;
  officialName: string;
  kind: Kind;
  successor: string;
  formerly?: { name: string; officialName: string; until: string }[];
}
interface After {
  code: string;
  name: string;
  officialName: string;
  kind: Kind;
  predecessors: string[];
  merged: boolean;
  nameFrom?: string;
  codeFrom?: string;
  label?: string;
}
interface ReferenceFile {
  effectiveDate: string;
  lastDayBefore: string;
  compiledOn: string;
  legalBasis: { id: string; urls: string[] }[];
  sources: { id: string; repository: string }[];
  disagreements: { about: string; detail: string }[];
  before: Before[];
  after: After[];
}

const file = readDataJson('reference/administrative-units-2025.json') as ReferenceFile;
const oldList = (
  readDataJson('reference/provinces.json') as {
    provinces: { provinceCode: string; name: string }[];
  }
).provinces;

const { before, after } = file;
const beforeByCode = new Map(before.map((b) => [b.code, b]));
const afterByCode = new Map(after.map((a) => [a.code, a]));
const TWO_DIGITS = /^\d{2}$/;
const sorted = (codes: readonly string[]) => [...codes].sort();

describe('administrative-units-2025.json', () => {
  it('takes effect on 1 July 2025, with its legal basis and sources named', () => {
    expect(file.effectiveDate).toBe('2025-07-01');
    expect(file.lastDayBefore).toBe('2025-06-30');
    expect(file.compiledOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(file.legalBasis.map((l) => l.id)).toEqual(expect.arrayContaining(['res-202-2025', 'dec-19-2025']));
    for (const l of file.legalBasis) expect(l.urls.length).toBeGreaterThan(0);
    expect(file.sources.length).toBeGreaterThanOrEqual(2);
  });

  it('lists 63 units before and 34 after (28 provinces and 6 centrally-run cities)', () => {
    expect(before).toHaveLength(63);
    expect(after).toHaveLength(34);
    expect(after.filter((a) => a.kind === 'municipality').map((a) => a.name)).toEqual([
      'Hà Nội',
      'Hải Phòng',
      'Huế',
      'Đà Nẵng',
      'Hồ Chí Minh',
      'Cần Thơ',
    ]);
    expect(after.filter((a) => a.kind === 'province')).toHaveLength(28);
  });

  it('uses unique two-digit codes on each side, in ascending order', () => {
    for (const side of [before, after]) {
      const codes = side.map((u) => u.code);
      codes.forEach((c) => expect(c).toMatch(TWO_DIGITS));
      expect(new Set(codes).size).toBe(codes.length);
      expect(codes).toEqual(sorted(codes));
    }
  });

  it('writes every name in NFC, without stray spaces, with the official prefix of its kind', () => {
    const names = [
      ...before.flatMap((b) => [b.name, b.officialName, ...(b.formerly ?? []).flatMap((f) => [f.name, f.officialName])]),
      ...after.flatMap((a) => [a.name, a.officialName, a.label ?? a.name]),
    ];
    for (const name of names) {
      expect(name.normalize('NFC')).toBe(name);
      expect(name.trim()).toBe(name);
      expect(name).not.toMatch(/\s{2}/);
    }
    for (const u of [...before, ...after]) {
      const prefix = u.kind === 'municipality' ? 'Thành phố ' : 'Tỉnh ';
      expect(u.officialName).toBe(prefix + u.name);
    }
  });

  it('has the same 63 codes as data/reference/provinces.json', () => {
    expect(before.map((b) => b.code)).toEqual(oldList.map((p) => p.provinceCode));
  });

  it('gives every old unit exactly one successor, and lists it among that successor’s predecessors', () => {
    const claimedBy = new Map<string, string[]>();
    for (const a of after) {
      expect(a.predecessors.length).toBeGreaterThan(0);
      expect(a.predecessors).toEqual(sorted(a.predecessors));
      for (const p of a.predecessors) claimedBy.set(p, [...(claimedBy.get(p) ?? []), a.code]);
    }
    for (const b of before) {
      expect({ code: b.code, successors: claimedBy.get(b.code) }).toEqual({ code: b.code, successors: [b.successor] });
      expect(afterByCode.has(b.successor)).toBe(true);
    }
    // No predecessor that is not an old unit.
    expect(sorted([...claimedBy.keys()])).toEqual(before.map((b) => b.code));
  });

  it('keeps 11 units unchanged: a single predecessor with the same code and name', () => {
    const unchanged = after.filter((a) => a.predecessors.length === 1);
    expect(unchanged.map((a) => a.code)).toEqual(['01', '04', '11', '12', '14', '20', '22', '38', '40', '42', '46']);
    for (const a of unchanged) {
      expect(a.predecessors).toEqual([a.code]);
      expect(a.name).toBe(beforeByCode.get(a.code)?.name);
      expect(a.merged).toBe(false);
      expect(a.nameFrom).toBeUndefined();
    }
  });

  it('forms 23 units from the other 52, each named after one predecessor and coded after one predecessor', () => {
    const merged = after.filter((a) => a.predecessors.length > 1);
    expect(merged).toHaveLength(23);
    expect(merged.reduce((n, a) => n + a.predecessors.length, 0)).toBe(52);
    for (const a of merged) {
      expect(a.merged).toBe(true);
      expect(a.predecessors).toContain(a.codeFrom);
      expect(a.codeFrom).toBe(a.code);
      expect(a.predecessors).toContain(a.nameFrom);
      expect(beforeByCode.get(a.nameFrom!)?.name).toBe(a.name);
      const formers = a.predecessors.map((p) => `former ${beforeByCode.get(p)!.name}`);
      expect(a.label).toMatch(new RegExp(`^${a.name} \\(from 01/07/2025: `));
      for (const f of formers) expect(a.label).toContain(f);
    }
  });

  it('makes An Giang 91 from former An Giang 89 and former Kiên Giang 91', () => {
    expect(afterByCode.get('91')).toMatchObject({ name: 'An Giang', predecessors: ['89', '91'], nameFrom: '89', codeFrom: '91' });
    expect(afterByCode.get('91')?.label).toBe('An Giang (from 01/07/2025: former An Giang + former Kiên Giang)');
    expect(beforeByCode.get('91')).toMatchObject({ name: 'Kiên Giang', successor: '91' });
    expect(beforeByCode.get('89')).toMatchObject({ name: 'An Giang', successor: '91' });
    expect(afterByCode.has('89')).toBe(false);
  });

  it('makes Lào Cai 15 from former Lào Cai 10 and former Yên Bái 15', () => {
    expect(afterByCode.get('15')).toMatchObject({ name: 'Lào Cai', predecessors: ['10', '15'], nameFrom: '10', codeFrom: '15' });
    expect(beforeByCode.get('15')).toMatchObject({ name: 'Yên Bái', successor: '15' });
    expect(beforeByCode.get('10')).toMatchObject({ name: 'Lào Cai', successor: '15' });
    expect(afterByCode.has('10')).toBe(false);
  });

  it('records every known disagreement with a detail', () => {
    expect(file.disagreements.length).toBeGreaterThan(0);
    for (const d of file.disagreements) expect(d.detail.length).toBeGreaterThan(20);
  });
});

describe('province-population-figures.json', () => {
  const figures = (
    readDataJson('reference/province-population-figures.json') as {
      figures: { provinceCode: string; year: number; kind: string; population: number; sources: { url: string }[] }[];
    }
  ).figures;

  it('gives every figure a pre-merger province, a year, a positive whole number and at least one source address', () => {
    expect(figures.length).toBeGreaterThan(0);
    for (const f of figures) {
      expect(beforeByCode.has(f.provinceCode)).toBe(true);
      expect(Number.isInteger(f.year) && f.year >= 2016 && f.year <= 2025).toBe(true);
      expect(Number.isInteger(f.population) && f.population > 0).toBe(true);
      expect(f.sources.length).toBeGreaterThan(0);
      for (const s of f.sources) expect(s.url).toMatch(/^https?:\/\//);
    }
  });

  it('holds at most one figure per province, year and kind', () => {
    const keys = figures.map((f) => `${f.provinceCode}/${f.year}/${f.kind}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
