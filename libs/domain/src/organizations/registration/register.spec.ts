import { aCooperative, aCooperativeGroup, aRegisterCommand, aUnion, freshId, NO_PROFILE } from '@ktt/testing/builders';
import { given, TODAY } from '@ktt/testing/given-when-then';
import type { RegisterOrganization } from '../organization.commands';
import type { OrganizationRegistered } from '../organization.events';
import { referencedOrganizationIds } from '../decide';

/** A cooperative's registration: HTX Nông nghiệp Tân Hiệp, KG-0001, province 91, agriculture, 12 members, on 2024-03-01. */
const register = aRegisterCommand;

function registerUnion(founders: string[], overrides: Partial<RegisterOrganization> = {}): RegisterOrganization {
  return register({ kind: 'union', memberCount: undefined, memberCooperativeIds: founders, ...overrides });
}

/** The registration `register()`'s defaults decide, for an id, with the fields a test varies. */
function registered(organizationId: string, data: Partial<OrganizationRegistered['data']> = {}): OrganizationRegistered {
  return {
    type: 'OrganizationRegistered',
    data: {
      organizationId,
      effectiveOn: '2024-03-01',
      kind: 'cooperative',
      name: 'HTX Nông nghiệp Tân Hiệp',
      registrationNumber: 'KG-0001',
      provinceCode: '91',
      formerProvinceCode: null,
      sector: 'agriculture',
      memberCount: 12,
      memberCooperativeIds: [],
      ...NO_PROFILE,
      ...data,
    },
  };
}

describe('registering an organization', () => {
  describe('a cooperative', () => {
    it('records the registration with omitted flags and managers unknown (null), not false', () => {
      const command = register();
      given().when(command).then([registered(command.organizationId)]);
    });

    it('normalises the registration number (trimmed, upper-case) and the name (NFC, trimmed)', () => {
      const command = register({ registrationNumber: '  kg-12/ab ', name: '  HTX Tân Hiệp '.normalize('NFD') });
      given().when(command).then([
        registered(command.organizationId, { registrationNumber: 'KG-12/AB', name: 'HTX Tân Hiệp'.normalize('NFC') }),
      ]);
    });

    it('records a flag given as null as unknown, like one omitted, and false as false', () => {
      const command = register({ valueChain: null, highTech: false, managers: null });
      given().when(command).then([registered(command.organizationId, { valueChain: null, highTech: false, managers: null })]);
    });

    it('refuses a flag that is not true, false or null', () => {
      given().when(register({ digitalAdoption: 'no' as never })).thenThrows('VALIDATION_FAILED', 'digitalAdoption');
    });

    it('copies the profile given', () => {
      const profile = { managers: { total: 4, withDegree: 1 }, valueChain: true, directorTrained: true };
      const command = register(profile);
      given().when(command).then([registered(command.organizationId, profile)]);
    });

    it('accepts a registration dated today', () => {
      // Today (2026) 91 is the merged An Giang: the seat names its former province.
      const command = register({ registeredOn: TODAY, formerProvinceCode: '91' });
      given().when(command).then([registered(command.organizationId, { effectiveOn: TODAY, formerProvinceCode: '91' })]);
    });

    it('accepts exactly 5 members', () => {
      const command = register({ memberCount: 5 });
      given().when(command).then([registered(command.organizationId, { memberCount: 5 })]);
    });

    it('refuses fewer than 5 members', () => {
      given().when(register({ memberCount: 4 })).thenThrows('BELOW_MINIMUM_MEMBERS', 'memberCount');
    });

    it('refuses a missing member count', () => {
      given().when(register({ memberCount: undefined })).thenThrows('VALIDATION_FAILED', 'memberCount');
    });

    it('refuses a member count that is not a positive integer', () => {
      given().when(register({ memberCount: 7.5 })).thenThrows('VALIDATION_FAILED', 'memberCount');
    });

    it('refuses member cooperatives', () => {
      given().when(register({ memberCooperativeIds: [freshId()] })).thenThrows('VALIDATION_FAILED', 'memberCooperativeIds');
    });
  });

  describe('a cooperative group', () => {
    it('accepts 2 members', () => {
      const command = register({ kind: 'cooperative_group', memberCount: 2 });
      given().when(command).then([registered(command.organizationId, { kind: 'cooperative_group', memberCount: 2 })]);
    });

    it('refuses 1 member', () => {
      given().when(register({ kind: 'cooperative_group', memberCount: 1 })).thenThrows('BELOW_MINIMUM_MEMBERS', 'memberCount');
    });
  });

  describe('the request alone', () => {
    it('refuses a registration dated in the future', () => {
      given().when(register({ registeredOn: '2026-07-01' })).thenThrows('DATE_IN_FUTURE', 'registeredOn');
    });

    it('refuses a date that is not in the calendar', () => {
      given().when(register({ registeredOn: '2024-02-30' })).thenThrows('VALIDATION_FAILED', 'registeredOn');
    });

    it('refuses more managers with a degree than managers', () => {
      given()
        .when(register({ managers: { total: 2, withDegree: 3 } }))
        .thenThrows('VALIDATION_FAILED', 'managers.withDegree');
    });

    it('refuses a registration number with other characters', () => {
      given().when(register({ registrationNumber: 'KG 01' })).thenThrows('VALIDATION_FAILED', 'registrationNumber');
    });

    it('refuses a registration number longer than 20 characters', () => {
      given().when(register({ registrationNumber: 'A'.repeat(21) })).thenThrows('VALIDATION_FAILED', 'registrationNumber');
    });

    it('refuses a blank name', () => {
      given().when(register({ name: '   ' })).thenThrows('VALIDATION_FAILED', 'name');
    });

    it('refuses a province code that is not two digits', () => {
      given().when(register({ provinceCode: '9' })).thenThrows('VALIDATION_FAILED', 'provinceCode');
    });
  });

  describe('when the id is taken', () => {
    it('refuses a second registration', () => {
      const existing = aCooperative();
      given(existing).when(register({ organizationId: existing.id })).thenThrows('ID_TAKEN');
    });
  });

  describe('a union', () => {
    const founders = () => [
      aCooperative({ effectiveOn: '2020-01-01' }),
      aCooperative({ effectiveOn: '2021-05-05' }),
      aCooperative({ effectiveOn: '2022-02-02' }),
    ];

    it('records its founding cooperatives and no member count', () => {
      const coops = founders();
      const ids = coops.map((c) => c.id);
      const command = registerUnion(ids);
      given().withOthers(...coops).when(command).then([
        registered(command.organizationId, { kind: 'union', memberCount: null, memberCooperativeIds: ids }),
      ]);
    });

    it('accepts founders registered on the union’s registration date', () => {
      const coops = [...founders().slice(0, 2), aCooperative({ effectiveOn: '2024-03-01' })];
      const command = registerUnion(coops.map((c) => c.id));
      given().withOthers(...coops).when(command).then([
        registered(command.organizationId, { kind: 'union', memberCount: null, memberCooperativeIds: coops.map((c) => c.id) }),
      ]);
    });

    it('accepts suspended and dormant founders, and one dissolved after the founding', () => {
      const [a, b, c] = founders();
      a.suspended('2023-01-01');
      b.dormant('2023-01-01');
      c.dissolved('2024-03-02');
      const command = registerUnion([a.id, b.id, c.id]);
      given().withOthers(a, b, c).when(command).then([
        registered(command.organizationId, { kind: 'union', memberCount: null, memberCooperativeIds: [a.id, b.id, c.id] }),
      ]);
    });

    it('refuses fewer than 3 founding cooperatives', () => {
      const coops = founders().slice(0, 2);
      given()
        .withOthers(...coops)
        .when(registerUnion(coops.map((c) => c.id)))
        .thenThrows('VALIDATION_FAILED', 'memberCooperativeIds');
    });

    it('refuses duplicate founding cooperatives', () => {
      const [a, b] = founders();
      given().withOthers(a, b).when(registerUnion([a.id, b.id, a.id])).thenThrows('VALIDATION_FAILED', 'memberCooperativeIds');
    });

    it('refuses a member count', () => {
      const coops = founders();
      given()
        .withOthers(...coops)
        .when(registerUnion(coops.map((c) => c.id), { memberCount: 30 }))
        .thenThrows('VALIDATION_FAILED', 'memberCount');
    });

    it('refuses an unknown founder, naming it', () => {
      const [a, b] = founders();
      const unknown = freshId();
      const error = given().withOthers(a, b).when(registerUnion([a.id, b.id, unknown])).thenThrows('NOT_A_COOPERATIVE');
      expect(error.message).toContain(unknown);
    });

    it('refuses a cooperative group as founder', () => {
      const [a, b] = founders();
      const group = aCooperativeGroup();
      given().withOthers(a, b, group).when(registerUnion([a.id, b.id, group.id])).thenThrows('NOT_A_COOPERATIVE');
    });

    it('refuses a union as founder', () => {
      const [a, b, c] = founders();
      const union = aUnion([a, b, c]);
      given().withOthers(a, b, union).when(registerUnion([a.id, b.id, union.id])).thenThrows('NOT_A_COOPERATIVE');
    });

    it('refuses a founder registered after the union', () => {
      const [a, b] = founders();
      const late = aCooperative({ effectiveOn: '2024-03-02' });
      const error = given().withOthers(a, b, late).when(registerUnion([a.id, b.id, late.id])).thenThrows('BEFORE_REGISTRATION');
      expect(error.message).toContain(late.id);
    });

    it('refuses a founder dissolved on or before the union’s registration', () => {
      const [a, b, c] = founders();
      c.dissolved('2024-03-01');
      const error = given().withOthers(a, b, c).when(registerUnion([a.id, b.id, c.id])).thenThrows('ORGANIZATION_DISSOLVED');
      expect(error.message).toContain(c.id);
    });

    it('names the founders for the handler to load', () => {
      const ids = [freshId(), freshId(), freshId()];
      expect(referencedOrganizationIds(registerUnion(ids))).toEqual(ids);
      expect(referencedOrganizationIds(register())).toEqual([]);
    });
  });
});

describe('registering on the map of the registration date (domain.md, "Administrative units")', () => {
  it('refuses 89 after the merger with PROVINCE_NOT_IN_FORCE naming its successor 91', () => {
    const error = given().when(register({ provinceCode: '89', registeredOn: '2026-01-05' })).thenThrows('PROVINCE_NOT_IN_FORCE', 'provinceCode');
    expect(error.extensions).toEqual({ successor: '91' });
    expect(error.kind).toBe('conflict');
  });

  it('asks a merged province for the former province, which must be one of its predecessors', () => {
    given().when(register({ registeredOn: '2026-01-05' })).thenThrows('FORMER_PROVINCE_REQUIRED', 'formerProvinceCode');
    given().when(register({ registeredOn: '2026-01-05', formerProvinceCode: '10' })).thenThrows('NOT_A_PREDECESSOR', 'formerProvinceCode');
  });

  it('records the former province of a seat in a merged province', () => {
    const command = register({ registeredOn: '2026-01-05', formerProvinceCode: '89' });
    given().when(command).then([registered(command.organizationId, { effectiveOn: '2026-01-05', formerProvinceCode: '89' })]);
  });

  it('records no former province before the merger or in a province that was not merged', () => {
    const before = register({ provinceCode: '89', registeredOn: '2025-06-30', formerProvinceCode: '89' });
    given().when(before).then([registered(before.organizationId, { effectiveOn: '2025-06-30', provinceCode: '89' })]);
    const unchanged = register({ provinceCode: '01', registeredOn: '2026-01-05' });
    given().when(unchanged).then([registered(unchanged.organizationId, { effectiveOn: '2026-01-05', provinceCode: '01' })]);
  });

  it('refuses a code that never named a province with 400 UNKNOWN_PROVINCE', () => {
    given().when(register({ provinceCode: '99' })).thenThrows('UNKNOWN_PROVINCE', 'provinceCode');
    given().when(register({ registeredOn: '2026-01-05', formerProvinceCode: '00' })).thenThrows('UNKNOWN_PROVINCE', 'formerProvinceCode');
  });
});
