import { AdministrativeMap } from '../administrative-units/administrative-map';
import { seatUnit } from './organization.events';
import { judgeSeatOn } from './seat';

/** A first map of three provinces; in 2030 01 and 02 merge into 02, and 03 is renamed 04 without a merger. */
const map = new AdministrativeMap(
  [
    { code: '01', name: 'Một' },
    { code: '02', name: 'Hai' },
    { code: '03', name: 'Ba' },
  ],
  [{ effectiveOn: '2030-01-01', provinces: [{ code: '02', name: 'Hai mới', predecessors: ['01', '02'] }, { code: '04', name: 'Bốn', predecessors: ['03'] }] }],
);

describe('a seat judged on the map of its date, as recorded', () => {
  it('records the unit where the province has several, and none where the code is the unit', () => {
    expect(judgeSeatOn(map, { provinceCode: '02', formerProvinceCode: '02' }, '2030-01-01')).toEqual({ provinceCode: '02', formerProvinceCode: '02', unit: '02' });
    expect(judgeSeatOn(map, { provinceCode: '02' }, '2029-12-31')).toEqual({ provinceCode: '02', formerProvinceCode: null, unit: '02' });
  });

  it('records the unit where a code names it without being it, so that formerProvinceCode ?? provinceCode is always the unit', () => {
    const seat = judgeSeatOn(map, { provinceCode: '04' }, '2030-01-01');
    expect(seat).toEqual({ provinceCode: '04', formerProvinceCode: '03', unit: '03' });
    expect(seatUnit(seat)).toBe('03');
  });
});
