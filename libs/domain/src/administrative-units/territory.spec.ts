import { readDataJson } from '@ktt/testing/data-files';
import { DomainError } from '../common/domain-error';
import { AdministrativeMap } from './administrative-map';
import { administrativeMapFromReference, type AdministrativeUnitsReference } from './reference-data';

const map = administrativeMapFromReference(readDataJson<AdministrativeUnitsReference>('reference/administrative-units-2025.json'));

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('territories as units of the first map', () => {
  it('makes 91 of 91 alone before the merger and of 89 and 91 after it; 89 is not in force after', () => {
    expect(map.unitsOf('91', '2023-10-20')).toEqual(['91']);
    expect(map.unitsOf('91', '2026-01-01')).toEqual(['89', '91']);
    expect(map.unitsOf('15', '2026-01-01')).toEqual(['10', '15']);
    expect(map.unitsOf('89', '2026-01-01')).toBeNull();
    expect(map.territory('91', '2026-01-01')).toEqual({ code: '91', boundariesOn: '2026-01-01', name: 'An Giang', predecessors: ['89', '91'], units: ['89', '91'] });
  });

  it('partitions the country: every unit lies in exactly one province in force on each date', () => {
    for (const date of ['2020-01-01', '2025-06-30', '2025-07-01', '2030-01-01']) {
      const units = map.provincesInForce(date).flatMap((p) => map.unitsOf(p.code, date)!);
      expect(units).toHaveLength(63);
      expect(new Set(units).size).toBe(63);
      for (const p of map.provincesInForce(date)) for (const unit of map.unitsOf(p.code, date)!) expect(map.provinceOfUnit(unit, date).code).toBe(p.code);
    }
  });

  it('names the successor of a code that ended', () => {
    expect(map.successorOn('89', '2026-01-05')).toBe('91');
    expect(map.successorOn('10', '2026-01-05')).toBe('15');
    expect(map.successorOn('89', '2025-06-30')).toBe('89');
  });
});

describe('a seat judged on the map of its date', () => {
  it('accepts a code in force without a former province where it is one unit', () => {
    expect(map.judgeSeat({ provinceCode: '89' }, '2020-05-01')).toBe('89');
    expect(map.judgeSeat({ provinceCode: '01' }, '2026-01-05')).toBe('01');
    expect(map.judgeSeat({ provinceCode: '01', formerProvinceCode: '01' }, '2026-01-05')).toBe('01');
  });

  it('refuses 89 after the merger, naming 91', () => {
    const e = refusal(() => map.judgeSeat({ provinceCode: '89' }, '2026-01-05'));
    expect([e.kind, e.code, e.extensions]).toEqual(['conflict', 'PROVINCE_NOT_IN_FORCE', { successor: '91' }]);
    expect(e.message).toContain('91');
  });

  it('asks a seat in the merged 91 which former province holds it', () => {
    expect(map.judgeSeat({ provinceCode: '91', formerProvinceCode: '89' }, '2026-01-05')).toBe('89');
    expect(refusal(() => map.judgeSeat({ provinceCode: '91' }, '2026-01-05')).code).toBe('FORMER_PROVINCE_REQUIRED');
    const other = refusal(() => map.judgeSeat({ provinceCode: '91', formerProvinceCode: '10' }, '2026-01-05'));
    expect([other.code, other.errors[0].path]).toEqual(['NOT_A_PREDECESSOR', 'formerProvinceCode']);
  });

  it('refuses a code that never named a province with 400 UNKNOWN_PROVINCE', () => {
    const e = refusal(() => map.judgeSeat({ provinceCode: '99' }, '2026-01-05'));
    expect([e.kind, e.code]).toEqual(['invalid', 'UNKNOWN_PROVINCE']);
  });

  it('follows a second merger down to the units of the first map', () => {
    const twice = new AdministrativeMap(
      [{ code: '01', name: 'A' }, { code: '02', name: 'B' }, { code: '03', name: 'C' }],
      [
        { effectiveOn: '2025-07-01', provinces: [{ code: '02', name: 'AB', predecessors: ['01', '02'] }] },
        { effectiveOn: '2030-01-01', provinces: [{ code: '03', name: 'ABC', predecessors: ['02', '03'] }] },
      ],
    );
    expect(twice.unitsOf('03', '2030-01-01')).toEqual(['01', '02', '03']);
    expect(twice.provinceOfUnit('01', '2030-01-01').code).toBe('03');
    expect(twice.successorOn('01', '2031-01-01')).toBe('03');
  });
});
