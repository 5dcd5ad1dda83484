import { aCooperative, freshId } from '@ktt/testing/builders';
import { given } from '@ktt/testing/given-when-then';
import type { CorrectRecord, RelocateOrganization } from '../organization.commands';
import { seatOn, seatUnitOn } from '../organization.history';
import { stateAsOf } from '../organization.state';

const relocate = (organizationId: string, fields: Partial<RelocateOrganization> = {}): RelocateOrganization => ({
  type: 'RelocateOrganization',
  organizationId,
  provinceCode: '91',
  formerProvinceCode: '89',
  effectiveOn: '2026-01-05',
  ...fields,
});

describe('relocating an organization (domain.md, "Relocation")', () => {
  it('moves the seat from its effective date, with the former province in a merged province', () => {
    const coop = aCooperative({ provinceCode: '01', effectiveOn: '2020-01-15' });
    given(coop)
      .when(relocate(coop.id))
      .then([{ type: 'OrganizationRelocated', data: { organizationId: coop.id, effectiveOn: '2026-01-05', provinceCode: '91', formerProvinceCode: '89' } }]);
  });

  it('records no former province in a province of one unit, and judges old codes on the map of their date', () => {
    const coop = aCooperative({ provinceCode: '91', effectiveOn: '2020-01-15' });
    given(coop)
      .when(relocate(coop.id, { provinceCode: '89', formerProvinceCode: undefined, effectiveOn: '2024-06-01' }))
      .then([{ type: 'OrganizationRelocated', data: { organizationId: coop.id, effectiveOn: '2024-06-01', provinceCode: '89', formerProvinceCode: null } }]);
    given(coop).when(relocate(coop.id, { provinceCode: '89', formerProvinceCode: undefined })).thenThrows('PROVINCE_NOT_IN_FORCE', 'provinceCode');
  });

  it('moves within a merged province from one former territory to another', () => {
    // Registered in Kiên Giang (91) in 2020: in 2026 it is in An Giang (91), former 91; it moves to former 89.
    const coop = aCooperative({ provinceCode: '91', effectiveOn: '2020-01-15' });
    given(coop)
      .when(relocate(coop.id))
      .then([{ type: 'OrganizationRelocated', data: { organizationId: coop.id, effectiveOn: '2026-01-05', provinceCode: '91', formerProvinceCode: '89' } }]);
    given(coop).when(relocate(coop.id, { formerProvinceCode: '91' })).thenThrows('ALREADY_SEATED_THERE');
  });

  it('refuses a move to where the seat already is (ALREADY_SEATED_THERE), also under the merged code', () => {
    const coop = aCooperative({ provinceCode: '89', effectiveOn: '2020-01-15' });
    // 89 in 2020 is former An Giang: on 2026-01-05 it is in 91, former 89.
    given(coop).when(relocate(coop.id)).thenThrows('ALREADY_SEATED_THERE', 'provinceCode');
    given(coop).when(relocate(coop.id, { provinceCode: '89', formerProvinceCode: undefined, effectiveOn: '2024-01-01' })).thenThrows('ALREADY_SEATED_THERE');
  });

  it('refuses a relocation before registration, on or after dissolution, and before the latest relocation', () => {
    const coop = aCooperative({ provinceCode: '01', effectiveOn: '2020-01-15' });
    given(coop).when(relocate(coop.id, { effectiveOn: '2019-12-31', provinceCode: '89', formerProvinceCode: undefined })).thenThrows('BEFORE_REGISTRATION');
    const gone = aCooperative({ provinceCode: '01' }).dissolved('2024-01-01');
    given(gone)
      .when(relocate(gone.id, { effectiveOn: '2024-01-01', provinceCode: '89', formerProvinceCode: undefined }))
      .thenThrows('ORGANIZATION_DISSOLVED');
    const moved = aCooperative({ provinceCode: '01', effectiveOn: '2020-01-15' }).relocated('89', '2023-01-01');
    given(moved).when(relocate(moved.id, { effectiveOn: '2022-12-31', provinceCode: '10', formerProvinceCode: undefined })).thenThrows('LIFECYCLE_OUT_OF_ORDER');
  });

  it('refuses an unknown organization (404) and an unknown code (400) before the map of the date (409)', () => {
    given().when(relocate('6f1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5')).thenThrows('ORGANIZATION_NOT_FOUND');
    given().when(relocate('6f1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5', { provinceCode: '99' })).thenThrows('UNKNOWN_PROVINCE', 'provinceCode');
  });

  it('refuses a date in the future', () => {
    const coop = aCooperative({ provinceCode: '01' });
    given(coop).when(relocate(coop.id, { effectiveOn: '2099-01-01' })).thenThrows('DATE_IN_FUTURE', 'effectiveOn');
  });
});

describe('correcting a relocation', () => {
  const moved = aCooperative({ provinceCode: '01', effectiveOn: '2020-01-15' }).relocated('91', '2026-01-05', '89');
  const correct = (replacement: Record<string, unknown>): CorrectRecord => ({
    type: 'CorrectRecord',
    organizationId: moved.id,
    retractedEventId: freshId(),
    retractedRevision: 1,
    reason: 'sai tỉnh',
    replacement,
  });

  it('holds the replacement to the map of its date, as a new relocation', () => {
    const error = given(moved).when(correct({ provinceCode: '89', effectiveOn: '2026-01-05' })).thenThrows('PROVINCE_NOT_IN_FORCE');
    expect(error.extensions).toEqual({ successor: '91' });
    given(moved).when(correct({ provinceCode: '91', effectiveOn: '2026-01-05' })).thenThrows('FORMER_PROVINCE_REQUIRED');
  });

  it('records a replacement the map accepts, with its former province', () => {
    const [event] = given(moved).when(correct({ provinceCode: '91', formerProvinceCode: '91', effectiveOn: '2026-01-05' })).events();
    expect(event).toMatchObject({ type: 'RecordCorrected', data: { replacement: { type: 'OrganizationRelocated', data: { provinceCode: '91', formerProvinceCode: '91' } } } });
  });
});

describe('the seat through time', () => {
  const coop = aCooperative({ provinceCode: '91', effectiveOn: '2020-01-15' }).relocated('01', '2023-03-01').relocated('91', '2026-01-05', '89');
  const history = coop.history();

  it('is the registration until the day before a relocation and the relocation from its date', () => {
    expect(seatUnitOn(history, '2020-01-14')).toBeNull();
    expect(seatUnitOn(history, '2023-02-28')).toBe('91');
    expect(seatUnitOn(history, '2023-03-01')).toBe('01');
    expect(seatOn(history, '2026-01-05')).toEqual({ provinceCode: '91', formerProvinceCode: '89', unit: '89', effectiveOn: '2026-01-05' });
  });

  it('is the state’s province and unit', () => {
    expect(stateAsOf(history, '2023-03-01')).toMatchObject({ provinceCode: '01', formerProvinceCode: '01' });
    expect(stateAsOf(history, '2026-06-30')).toMatchObject({ provinceCode: '91', formerProvinceCode: '89' });
  });
});
