import { readDataJson } from '@ktt/testing/data-files';
import { Given } from '@ktt/testing/given-when-then';
import { isCanonicalStreamId, organizationIdOfStream } from '../organizations';
import { planIdOfStream } from '../plans';
import type { AdministrativeUnitsReference } from './reference-data';
import {
  ADMINISTRATIVE_UNITS_EVENT_TYPES,
  administrativeUnitsStreamId,
  decideReorganization,
  foldAdministrativeMap,
  type AdministrativeUnitsEvent,
  type ProvincesReorganized,
  type ReorganizeProvinces,
} from './reorganization';

/** A small first map: three provinces. */
const FIRST = [
  { code: '01', name: 'A' },
  { code: '02', name: 'B' },
  { code: '03', name: 'C' },
];

type First = { first: readonly { code: string; name: string }[] };
const givenMap = (events: readonly AdministrativeUnitsEvent[] = [], first: First['first'] = FIRST) =>
  new Given<ReorganizeProvinces, ProvincesReorganized, readonly AdministrativeUnitsEvent[], First>(
    {
      decide: (command, history, context) => decideReorganization(command, context.first, history ?? []),
      fold: (events) => events,
      initialContext: () => ({ first }),
    },
    events,
  );

const MERGE: ReorganizeProvinces = {
  type: 'ReorganizeProvinces',
  effectiveOn: '2030-01-01',
  document: 'Nghị quyết 1/2029',
  provinces: [{ code: '03', name: 'BC', predecessors: ['03', '02'] }],
};
const merged = (overrides: Partial<ProvincesReorganized['data']> = {}): ProvincesReorganized => ({
  type: 'ProvincesReorganized',
  data: { effectiveOn: '2030-01-01', document: 'Nghị quyết 1/2029', provinces: [{ code: '03', name: 'BC', predecessors: ['02', '03'] }], ...overrides },
});

describe('the administrative-units stream', () => {
  it('is one stream, named administrative-units, holding ProvincesReorganized events', () => {
    expect(administrativeUnitsStreamId()).toBe('administrative-units');
    expect(ADMINISTRATIVE_UNITS_EVENT_TYPES).toEqual(['ProvincesReorganized']);
  });

  it('is neither an organization nor a plan stream, and canonical: the store takes it, the projector passes it by', () => {
    expect(organizationIdOfStream(administrativeUnitsStreamId())).toBeNull();
    expect(planIdOfStream(administrativeUnitsStreamId())).toBeNull();
    expect(isCanonicalStreamId(administrativeUnitsStreamId())).toBe(true);
  });
});

describe('recording a reorganization', () => {
  it('records the provinces formed, with their predecessors in code order and texts in NFC', () => {
    givenMap().when({ ...MERGE, document: ' Nghi\u0323 quyê\u0301t 1/2029 ' }).then([merged()]);
  });

  it('adopts the 2025 merger of the reference data on the 63 (the seeded event)', () => {
    const reference = readDataJson<AdministrativeUnitsReference>('reference/administrative-units-2025.json');
    const command: ReorganizeProvinces = { type: 'ReorganizeProvinces', effectiveOn: reference.effectiveDate, document: '202/2025/QH15', provinces: reference.after.map(({ code, name, predecessors }) => ({ code, name, predecessors })) };
    const [event] = givenMap([], reference.before).when(command).events();
    expect(event.data.provinces).toHaveLength(34);
    const map = foldAdministrativeMap(reference.before, [event]);
    expect(map.provincesInForce('2025-06-30')).toHaveLength(63);
    expect(map.provinceOn('91', '2025-07-01')).toEqual({ code: '91', name: 'An Giang', predecessors: ['89', '91'] });
  });

  it('takes a later reorganization on the map the previous one left', () => {
    givenMap([merged()])
      .when({ type: 'ReorganizeProvinces', effectiveOn: '2031-01-01', document: 'NQ 2', provinces: [{ code: '01', name: 'ABC', predecessors: ['01', '03'] }] })
      .then([{ type: 'ProvincesReorganized', data: { effectiveOn: '2031-01-01', document: 'NQ 2', provinces: [{ code: '01', name: 'ABC', predecessors: ['01', '03'] }] } }]);
  });

  it('takes a correction (same effective date) on the map of the day before, and the fold keeps the later one', () => {
    const correction = givenMap([merged()]).when({ ...MERGE, provinces: [{ code: '02', name: 'AB', predecessors: ['01', '02'] }] }).events();
    expect(correction).toEqual([merged({ provinces: [{ code: '02', name: 'AB', predecessors: ['01', '02'] }] })]);
    const map = foldAdministrativeMap(FIRST, [merged(), ...correction]);
    expect(map.provincesInForce('2030-01-01')).toEqual([
      { code: '02', name: 'AB', predecessors: ['01', '02'] },
      { code: '03', name: 'C', predecessors: ['03'] },
    ]);
    expect(map.provincesInForce('2029-12-31').map((p) => p.successor)).toEqual(['02', '02', undefined]);
  });

  it.each([
    ['effectiveOn', { effectiveOn: '2030-02-30' }],
    ['document', { document: 'a\u0007b' }],
    ['provinces', { provinces: [] }],
    ['provinces[0].code', { provinces: [{ code: '3', name: 'X', predecessors: ['02'] }] }],
    ['provinces[0].name', { provinces: [{ code: '04', name: 'X\u0000', predecessors: ['02'] }] }],
    ['provinces[0].name', { provinces: [{ code: '04', name: '  ', predecessors: ['02'] }] }],
    ['provinces[0].predecessors', { provinces: [{ code: '04', name: 'X', predecessors: [] }] }],
    ['provinces[0].predecessors[0]', { provinces: [{ code: '04', name: 'X', predecessors: ['2'] }] }],
    ['provinces[1].code', { provinces: [{ code: '04', name: 'X', predecessors: ['01'] }, { code: '04', name: 'Y', predecessors: ['02'] }] }],
  ])('refuses an invalid %s with VALIDATION_FAILED naming it', (path, change) => {
    givenMap().when({ ...MERGE, ...(change as Partial<ReorganizeProvinces>) }).thenThrows('VALIDATION_FAILED', path);
  });

  it.each([
    ['a predecessor not in force the day before', 'PREDECESSOR_NOT_IN_FORCE', 'provinces[0].predecessors', [{ code: '04', name: 'X', predecessors: ['09'] }]],
    ['a predecessor ended by an earlier reorganization', 'PREDECESSOR_NOT_IN_FORCE', 'provinces[0].predecessors', [{ code: '04', name: 'X', predecessors: ['02'] }]],
    ['a province going to two', 'PREDECESSOR_LISTED_TWICE', 'provinces[1].predecessors', [{ code: '04', name: 'X', predecessors: ['01'] }, { code: '05', name: 'Y', predecessors: ['01'] }]],
    ['a code whose province goes on', 'PROVINCE_CODE_IN_USE', 'provinces[0].code', [{ code: '01', name: 'X', predecessors: ['03'] }]],
  ] as const)('refuses %s (409 %s)', (_why, code, path, provinces) => {
    givenMap([merged()])
      .when({ ...MERGE, effectiveOn: '2031-01-01', provinces: provinces.map((p) => ({ ...p, predecessors: [...p.predecessors] })) })
      .thenThrows(code, path);
  });

  it('takes a reorganization dated between two recorded ones when the later one still holds', () => {
    const between = { ...MERGE, effectiveOn: '2029-06-01', provinces: [{ code: '05', name: 'A2', predecessors: ['01'] }] };
    givenMap([merged()]).when(between).then([{ type: 'ProvincesReorganized', data: { effectiveOn: '2029-06-01', document: MERGE.document, provinces: between.provinces } }]);
  });

  it('refuses a reorganization that would break one recorded for a later date (409 BREAKS_LATER_REORGANIZATION)', () => {
    // 02 merged into 03 on 2029-06-01 would leave the 2030 merger naming 02, no longer in force.
    givenMap([merged()])
      .when({ ...MERGE, effectiveOn: '2029-06-01', provinces: [{ code: '03', name: 'BC', predecessors: ['02', '03'] }] })
      .thenThrows('BREAKS_LATER_REORGANIZATION', 'effectiveOn');
  });

  it('corrects an earlier reorganization while a later one still holds on the corrected map', () => {
    const later: ProvincesReorganized = { type: 'ProvincesReorganized', data: { effectiveOn: '2031-01-01', document: 'NQ 2', provinces: [{ code: '01', name: 'ABC', predecessors: ['01', '03'] }] } };
    givenMap([merged(), later]).when({ ...MERGE, provinces: [{ code: '03', name: 'B và C', predecessors: ['02', '03'] }] }).then([merged({ provinces: [{ code: '03', name: 'B và C', predecessors: ['02', '03'] }] })]);
    givenMap([merged(), later]).when({ ...MERGE, provinces: [{ code: '02', name: 'AB', predecessors: ['01', '02'] }] }).thenThrows('BREAKS_LATER_REORGANIZATION', 'effectiveOn');
  });
});
