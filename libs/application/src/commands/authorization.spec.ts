import { ForbiddenError, type Principal } from '@ktt/auth';
import { referenceAdministrativeMap } from '../administrative-units/load-administrative-map';
import { requireSeatInTerritory, tokenProvincesProblem, tokenUnits } from './authorization';

const map = referenceAdministrativeMap();
const registrar = (...provinces: string[]): Principal => ({ subject: 'nguyen-van-a', role: 'registrar', provinces });
const TODAY = '2026-01-05';

describe("a token's provinces, read on today's map (api.md, Authentication)", () => {
  it('covers the merged territory of a code in force today: 91 is former An Giang (89) and former Kiên Giang (91)', () => {
    expect([...tokenUnits(registrar('91'), map, TODAY)].sort()).toEqual(['89', '91']);
    expect([...tokenUnits(registrar('01'), map, TODAY)]).toEqual(['01']);
  });

  it('covers only the first-map province before the merger took effect', () => {
    expect([...tokenUnits(registrar('91'), map, '2025-06-30')]).toEqual(['91']);
  });

  it('covers nothing for a code not in force today', () => {
    expect([...tokenUnits(registrar('89'), map, TODAY)]).toEqual([]);
  });
});

describe('a seat within the territory', () => {
  it('lets a registrar of 91 write for a seat in former An Giang (89), and not one of 01', () => {
    expect(() => requireSeatInTerritory(registrar('91'), map, TODAY, ['89'], 'province 89 on 2024-03-01')).not.toThrow();
    expect(() => requireSeatInTerritory(registrar('01'), map, TODAY, ['89'], 'province 89 on 2024-03-01')).toThrow(ForbiddenError);
  });

  it('refuses a seat that lies only partly in the territory', () => {
    expect(() => requireSeatInTerritory(registrar('91'), map, TODAY, ['89', '10'], 'somewhere')).toThrow(ForbiddenError);
  });

  it('names the successor of a token code no longer in force', () => {
    expect(() => requireSeatInTerritory(registrar('89'), map, TODAY, ['89'], 'province 89')).toThrow(/89 \(not in force on 2026-01-05: now part of 91\)/);
  });

  it('lets admins write anywhere and refuses other roles', () => {
    expect(() => requireSeatInTerritory({ subject: 'admin', role: 'admin', provinces: [] }, map, TODAY, ['10'], 'x')).not.toThrow();
    expect(() => requireSeatInTerritory({ subject: 'kiem-toan', role: 'auditor', provinces: [] }, map, TODAY, ['10'], 'x')).toThrow(ForbiddenError);
  });
});

describe('minting a token (cli token --province)', () => {
  it('accepts codes in force today', () => {
    expect(tokenProvincesProblem(map, ['91', '15', '01'], TODAY)).toBeNull();
  });

  it('refuses a code not in force today, naming the successor', () => {
    expect(tokenProvincesProblem(map, ['89'], TODAY)).toMatch(/89 is not in force on 2026-01-05: its territory is part of 91 \(An Giang\); mint the token for 91/);
    expect(tokenProvincesProblem(map, ['10'], TODAY)).toMatch(/part of 15/);
  });

  it('refuses a code that never named a province', () => {
    expect(tokenProvincesProblem(map, ['99'], TODAY)).toMatch(/99 names no province on any date/);
  });

  it('accepts 89 on a day before the merger', () => {
    expect(tokenProvincesProblem(map, ['89'], '2025-06-30')).toBeNull();
  });
});
