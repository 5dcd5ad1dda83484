import {
  isCanonicalStreamId,
  ORGANIZATION_EVENT_TYPES,
  organizationIdOfStream,
  organizationStreamId,
  PLAN_EVENT_TYPES,
  planIdOfStream,
  planStreamId,
  registrationNumberStreamId,
  type OrganizationEventType,
  type PlanEventType,
} from '..';

/** Stream names and event types are spelled in the domain only; the read models, the bench and the UI read them from here. */
describe('stream names', () => {
  const id = '3f1c2a9e-8d4b-4b7a-9c1e-2f6d8a0b5c7d';

  it('an organization stream gives back the id it is named by, any other stream none', () => {
    expect(organizationIdOfStream(organizationStreamId(id))).toBe(id);
    expect(organizationIdOfStream(`organization-${id.toUpperCase()}`)).toBe(id.toUpperCase());
    expect(organizationIdOfStream(planStreamId('kien-giang-2025'))).toBeNull();
    expect(organizationIdOfStream(registrationNumberStreamId('91-001'))).toBeNull();
  });

  it('a plan stream gives back its plan id, any other stream none', () => {
    expect(planIdOfStream(planStreamId('kien-giang-2025'))).toBe('kien-giang-2025');
    expect(planIdOfStream(organizationStreamId(id))).toBeNull();
  });

  it('judges only organization streams for their canonical (lower-case) id', () => {
    expect(isCanonicalStreamId(organizationStreamId(id))).toBe(true);
    expect(isCanonicalStreamId(`organization-${id.toUpperCase()}`)).toBe(false);
    expect(isCanonicalStreamId(planStreamId('kien-giang-2025'))).toBe(true);
  });
});

describe('event types', () => {
  it('lists every organization event type once, in the order a history runs', () => {
    const expected: OrganizationEventType[] = [
      'OrganizationRegistered',
      'OrganizationRated',
      'MemberCountChanged',
      'ProfileChanged',
      'OrganizationSuspended',
      'OrganizationFoundDormant',
      'OrganizationResumed',
      'OrganizationDissolved',
      'CooperativeJoinedUnion',
      'CooperativeLeftUnion',
      'OrganizationRelocated',
      'RecordCorrected',
    ];
    expect(ORGANIZATION_EVENT_TYPES).toEqual(expected);
  });

  it('lists every plan event type', () => {
    const expected: PlanEventType[] = ['PlanAdopted', 'PlanAmended', 'PlanEnded'];
    expect(PLAN_EVENT_TYPES).toEqual(expected);
  });
});
