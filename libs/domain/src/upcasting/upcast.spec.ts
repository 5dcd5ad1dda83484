import { ORGANIZATION_EVENT_SCHEMA_VERSIONS } from '../organizations/organization.events';
import { createUpcast, UnknownSchemaVersionError } from './create-upcast';
import { upcast } from './upcast';

const suspendedV1 = {
  type: 'OrganizationSuspended',
  data: { organizationId: 'o-1', effectiveOn: '2021-03-01', reason: 'Thiếu vốn', until: null },
  schemaVersion: 1,
};

describe('upcast', () => {
  it('is at version 2 for OrganizationSuspended', () => {
    expect(ORGANIZATION_EVENT_SCHEMA_VERSIONS.OrganizationSuspended).toBe(2);
  });

  it('lifts a v1 suspension to v2 with noticeRef null, leaving the stored data untouched', () => {
    const before = structuredClone(suspendedV1);
    expect(upcast(suspendedV1)).toEqual({ type: 'OrganizationSuspended', data: { ...suspendedV1.data, noticeRef: null } });
    expect(suspendedV1).toEqual(before);
  });

  it('passes a v2 suspension through unchanged', () => {
    const data = { ...suspendedV1.data, noticeRef: 'TB 7/2025' };
    expect(upcast({ type: 'OrganizationSuspended', data, schemaVersion: 2 })).toEqual({ type: 'OrganizationSuspended', data });
  });

  describe('profile flags that may be unknown (v2 of registrations, profile changes and corrections)', () => {
    const registeredV1 = {
      type: 'OrganizationRegistered',
      data: {
        organizationId: 'o-1', effectiveOn: '2021-03-01', kind: 'cooperative', name: 'HTX A', registrationNumber: 'A-1', provinceCode: '91',
        sector: 'agriculture', memberCount: 7, memberCooperativeIds: [], managers: null,
        directorTrained: false, valueChain: true, highTech: false, enterpriseLinked: false, digitalAdoption: false,
      },
      schemaVersion: 1,
    };

    it('is at version 2 for OrganizationRegistered, ProfileChanged and RecordCorrected', () => {
      expect(ORGANIZATION_EVENT_SCHEMA_VERSIONS).toMatchObject({ OrganizationRegistered: 2, ProfileChanged: 2, RecordCorrected: 2 });
    });

    it('keeps a v1 registration\'s stored false as false (an omission stored as "no" cannot be told from a real "no")', () => {
      expect(upcast(registeredV1)).toEqual({ type: 'OrganizationRegistered', data: registeredV1.data });
    });

    it('reads a flag a v1 registration lacks as false, the v1 meaning of an omitted flag, never as unknown', () => {
      const { highTech: _h, digitalAdoption: _d, ...lacking } = registeredV1.data;
      const before = structuredClone(lacking);
      expect(upcast({ ...registeredV1, data: lacking }).data).toEqual({ ...lacking, highTech: false, digitalAdoption: false });
      expect(lacking).toEqual(before);
    });

    it('passes a v2 registration\'s unknown (null) flags through', () => {
      const data = { ...registeredV1.data, valueChain: null, highTech: null };
      expect(upcast({ type: 'OrganizationRegistered', data, schemaVersion: 2 }).data).toEqual(data);
    });

    it('lifts a v1 profile change and a v1 correction unchanged: a field they omit stays "unchanged"', () => {
      const profile = { organizationId: 'o-1', effectiveOn: '2022-01-01', valueChain: true };
      expect(upcast({ type: 'ProfileChanged', data: profile, schemaVersion: 1 }).data).toEqual(profile);
      const correction = { organizationId: 'o-1', effectiveOn: '2022-01-01', retractedRevision: 1, replacement: { type: 'ProfileChanged', data: profile } };
      expect(upcast({ type: 'RecordCorrected', data: correction, schemaVersion: 1 }).data).toEqual(correction);
    });
  });

  it('passes events of types that never evolved through', () => {
    const rated = { type: 'OrganizationRated', data: { rating: 'good', year: 2020 }, schemaVersion: 1 };
    expect(upcast(rated)).toEqual({ type: rated.type, data: rated.data });
    const reservation = { type: 'RegistrationNumberReserved', data: { registrationNumber: 'A-1' }, schemaVersion: 1 };
    expect(upcast(reservation).data).toBe(reservation.data);
  });

  it.each([3, 0, -1, 1.5, Number.NaN])('rejects an unknown version %p', (schemaVersion) => {
    expect(() => upcast({ ...suspendedV1, schemaVersion })).toThrow(UnknownSchemaVersionError);
  });

  it('rejects a version above 1 of a type still at version 1', () => {
    expect(() => upcast({ type: 'OrganizationRated', data: {}, schemaVersion: 2 })).toThrow(/OrganizationRated of schema version 2/);
  });

  it('applies the steps in order, and refuses a chain with a missing step', () => {
    const chained = createUpcast(
      { Thing: { 1: (data) => ({ ...data, steps: ['1→2'] }), 2: (data) => ({ ...data, steps: [...(data.steps as string[]), '2→3'] }) } },
      { Thing: 3 },
    );
    expect(chained({ type: 'Thing', data: {}, schemaVersion: 1 }).data).toEqual({ steps: ['1→2', '2→3'] });
    expect(chained({ type: 'Thing', data: { steps: ['1→2'] }, schemaVersion: 2 }).data).toEqual({ steps: ['1→2', '2→3'] });
    const gap = createUpcast({ Thing: { 2: (data) => data } }, { Thing: 3 });
    expect(() => gap({ type: 'Thing', data: {}, schemaVersion: 1 })).toThrow(UnknownSchemaVersionError);
  });
});
