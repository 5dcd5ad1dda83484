import { readDataJson } from '@ktt/testing/data-files';
import type { DomainError } from '../common/domain-error';
import { AdministrativeMap } from './administrative-map';
import { administrativeMapFromReference, type AdministrativeUnitsReference } from './reference-data';

const map = administrativeMapFromReference(readDataJson<AdministrativeUnitsReference>('reference/administrative-units-2025.json'));

describe('the 2025 map (data/reference/administrative-units-2025.json)', () => {
  it('has the 63 provinces in force up to 30 June 2025 and the 34 from 1 July 2025', () => {
    expect(map.provincesInForce('2016-01-01')).toHaveLength(63);
    expect(map.provincesInForce('2025-06-30')).toHaveLength(63);
    expect(map.provincesInForce('2025-07-01')).toHaveLength(34);
    expect(map.provincesInForce('2030-12-31')).toHaveLength(34);
  });

  it('reads 91 as Kiên Giang before the merger, ended into 91, and as An Giang from 89 and 91 after it', () => {
    const before = map.provincesInForce('2025-06-30');
    expect(before.find((p) => p.code === '91')).toEqual({ code: '91', name: 'Kiên Giang', predecessors: ['91'], successor: '91' });
    expect(before.find((p) => p.code === '89')).toEqual({ code: '89', name: 'An Giang', predecessors: ['89'], successor: '91' });
    expect(map.provincesInForce('2025-07-01').find((p) => p.code === '91')).toEqual({ code: '91', name: 'An Giang', predecessors: ['89', '91'] });
    expect(map.provinceOn('89', '2025-07-01')).toBeNull();
  });

  it('reads 15 as Yên Bái before the merger and as Lào Cai from 10 and 15 after it', () => {
    expect(map.provinceOn('15', '2025-06-30')).toEqual({ code: '15', name: 'Yên Bái', predecessors: ['15'], successor: '15' });
    expect(map.provinceOn('10', '2025-06-30')).toEqual({ code: '10', name: 'Lào Cai', predecessors: ['10'], successor: '15' });
    expect(map.provinceOn('15', '2025-07-01')).toEqual({ code: '15', name: 'Lào Cai', predecessors: ['10', '15'] });
  });

  it('gives a province the merger left unchanged its own code as predecessor and no successor', () => {
    expect(map.provinceOn('01', '2025-06-30')).toEqual({ code: '01', name: 'Hà Nội', predecessors: ['01'] });
    expect(map.provinceOn('01', '2025-07-01')).toEqual({ code: '01', name: 'Hà Nội', predecessors: ['01'] });
  });

  it('lists each map in code order', () => {
    for (const date of ['2025-06-30', '2025-07-01']) {
      const codes = map.provincesInForce(date).map((p) => p.code);
      expect(codes).toEqual([...codes].sort());
    }
  });

  it('knows the 63 codes that ever named a province, and no other', () => {
    const known = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).filter((c) => map.isKnownProvinceCode(c));
    expect(known).toEqual(map.provincesInForce('2025-06-30').map((p) => p.code));
    for (const code of ['00', '99', '03', '9', '091', '']) expect(map.isKnownProvinceCode(code)).toBe(false);
  });

  it('refuses an unknown code with UNKNOWN_PROVINCE naming the field: 400 in a body or query, 404 in a URL path', () => {
    expect(() => map.requireKnownProvinceCode('91', 'provinceCode')).not.toThrow();
    expect(() => map.requireKnownProvinceCode('89', 'provinceCode')).not.toThrow();
    const caught = (run: () => void) => {
      try {
        run();
      } catch (error) {
        return error as DomainError;
      }
      throw new Error('nothing thrown');
    };
    const inBody = caught(() => map.requireKnownProvinceCode('00', 'provinceCode'));
    expect({ ...inBody, message: inBody.message }).toEqual({
      name: 'DomainError',
      kind: 'invalid',
      code: 'UNKNOWN_PROVINCE',
      message: 'provinceCode 00 names no province on any date',
      errors: [{ path: 'provinceCode', message: 'provinceCode 00 names no province on any date' }],
      extensions: {},
    });
    const inPath = caught(() => map.requireKnownProvinceCode('99', 'path:code', 'url-path'));
    expect({ kind: inPath.kind, code: inPath.code, errors: inPath.errors }).toEqual({
      kind: 'not_found',
      code: 'UNKNOWN_PROVINCE',
      errors: [{ path: 'path:code', message: 'path:code 99 names no province on any date' }],
    });
  });

  it('hands out copies: a caller cannot change the map', () => {
    map.provincesInForce('2025-07-01').find((p) => p.code === '91')!.predecessors.push('01');
    expect(map.provinceOn('91', '2025-07-01')?.predecessors).toEqual(['89', '91']);
  });
});

describe('AdministrativeMap', () => {
  const first = [
    { code: '01', name: 'A' },
    { code: '02', name: 'B' },
    { code: '03', name: 'C' },
  ];

  it('keeps a province a reorganization neither lists nor merges, and knows a code first used by a reorganization', () => {
    const m = new AdministrativeMap(first, [{ effectiveOn: '2030-01-01', provinces: [{ code: '04', name: 'BC', predecessors: ['03', '02'] }] }]);
    expect(m.provincesInForce('2030-01-01')).toEqual([
      { code: '01', name: 'A', predecessors: ['01'] },
      { code: '04', name: 'BC', predecessors: ['02', '03'] },
    ]);
    expect(m.provincesInForce('2029-12-31').map((p) => p.successor)).toEqual([undefined, '04', '04']);
    expect(m.isKnownProvinceCode('04')).toBe(true);
  });

  it.each([
    ['a predecessor not in force the day before', [{ code: '04', name: 'X', predecessors: ['09'] }]],
    ['a province going to two successors', [{ code: '04', name: 'X', predecessors: ['02'] }, { code: '05', name: 'Y', predecessors: ['02'] }]],
    ['a province without predecessors', [{ code: '04', name: 'X', predecessors: [] }]],
    ['a code reused while its province goes on', [{ code: '01', name: 'X', predecessors: ['02'] }]],
    ['a code that is not two digits', [{ code: '4', name: 'X', predecessors: ['02'] }]],
  ])('refuses a reorganization with %s', (_why, provinces) => {
    expect(() => new AdministrativeMap(first, [{ effectiveOn: '2030-01-01', provinces }])).toThrow();
  });

  it('refuses a date that is not a calendar date', () => {
    expect(() => new AdministrativeMap(first).provincesInForce('2025-02-30')).toThrow();
  });
});
