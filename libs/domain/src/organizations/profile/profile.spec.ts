import { aCooperative, aCooperativeGroup, aUnion, freshId } from '@ktt/testing/builders';
import { given, itRefusesOutsideTheOrganizationsLife } from '@ktt/testing/given-when-then';
import type { ChangeProfile } from '../organization.commands';
import type { ProfileChanged } from '../organization.events';

const change = (organizationId: string, fields: Partial<ChangeProfile> = {}): ChangeProfile => ({
  type: 'ChangeProfile',
  organizationId,
  effectiveOn: '2025-02-01',
  ...fields,
});

const changed = (organizationId: string, fields: Omit<Partial<ProfileChanged['data']>, 'organizationId'>): ProfileChanged => ({
  type: 'ProfileChanged',
  data: { organizationId, effectiveOn: '2025-02-01', ...fields },
});

describe('changing the profile', () => {
  it('records only the fields given', () => {
    const coop = aCooperative();
    const fields = { valueChain: true, managers: { total: 5, withDegree: 2 } };
    given(coop).when(change(coop.id, fields)).then([changed(coop.id, fields)]);
  });

  it.each([
    ['a flag set back to false', () => aCooperative({ highTech: true }), { highTech: false }],
    ['a flag of a cooperative group', () => aCooperativeGroup(), { digitalAdoption: true }],
    ['a flag of a union', () => aUnion([freshId(), freshId(), freshId()]), { valueChain: true }],
    ['a late change dated before the dissolution', () => aCooperative().dissolved('2025-06-01'), { valueChain: true }],
    ['a flag set back to unknown (null)', () => aCooperative({ valueChain: true }), { valueChain: null }],
    ['managers set back to unknown (null)', () => aCooperative({ managers: { total: 3, withDegree: 1 } }), { managers: null }],
    ['only null fields', () => aCooperative(), { highTech: null, directorTrained: null }],
  ])('records %s', (_what, build, fields) => {
    const organization = build();
    given(organization).when(change(organization.id, fields)).then([changed(organization.id, fields)]);
  });

  it('refuses a change that gives no field', () => {
    const coop = aCooperative();
    given(coop).when(change(coop.id)).thenThrows('VALIDATION_FAILED', '');
  });

  it.each([['yes'], [0], [1], ['null'], [{}]])('refuses a flag of %j: true, false or null only', (value) => {
    const coop = aCooperative();
    given(coop).when(change(coop.id, { highTech: value as never })).thenThrows('VALIDATION_FAILED', 'highTech');
  });

  it('refuses more managers with a degree than managers', () => {
    const coop = aCooperative();
    given(coop)
      .when(change(coop.id, { managers: { total: 1, withDegree: 2 } }))
      .thenThrows('VALIDATION_FAILED', 'managers.withDegree');
  });

  itRefusesOutsideTheOrganizationsLife((organizationId, effectiveOn) => change(organizationId, { valueChain: true, effectiveOn }));
});
