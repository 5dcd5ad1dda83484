import { aCooperative, aUnion } from '@ktt/testing/builders';
import { DomainError } from '../common/domain-error';
import { evolve, foldHistory } from './organization.history';
import { isCanonicalStreamId, organizationStreamId, registrationNumberStreamId } from './organization.streams';
import { normalizeRegistrationNumber } from './registration/registration-number';

describe('folding a stream', () => {
  it('is null for an empty stream', () => {
    expect(foldHistory([])).toBeNull();
  });

  it('keeps every event in recorded order with the latest lifecycle state and the dissolution date', () => {
    const coop = aCooperative({ effectiveOn: '2020-01-01' }).rated('good', 2021, '2021-12-01').suspended('2022-01-01').dissolved('2023-01-01');
    const history = coop.history();
    expect(history).toMatchObject({
      id: coop.id,
      kind: 'cooperative',
      registeredOn: '2020-01-01',
      dissolvedOn: '2023-01-01',
      lifecycle: { status: 'dissolved', effectiveOn: '2023-01-01' },
    });
    expect(history.events).toEqual(coop.events);
  });

  it('does not change the history it evolves', () => {
    const coop = aCooperative();
    const before = coop.history();
    evolve(before, { type: 'OrganizationSuspended', data: { organizationId: coop.id, effectiveOn: '2024-01-01', reason: 'r', until: null } });
    expect(before.lifecycle.status).toBe('active');
    expect(before.events).toEqual(coop.events);
  });

  it('rejects a stream that does not start with a registration', () => {
    const union = aUnion(['a', 'b', 'c']).dissolved('2024-01-01');
    expect(() => foldHistory(union.events.slice(1))).toThrow(/Corrupt stream/);
  });

  it('rejects a second registration', () => {
    const coop = aCooperative();
    expect(() => foldHistory([...coop.events, ...coop.events])).toThrow(/registered twice/);
  });
});

describe('stream ids and registration numbers', () => {
  it('names the streams', () => {
    expect(organizationStreamId('5f0c1e2a-3b4c-4d5e-8f60-718293a4b5c6')).toBe('organization-5f0c1e2a-3b4c-4d5e-8f60-718293a4b5c6');
    expect(registrationNumberStreamId('KG-01')).toBe('registration-number-KG-01');
  });

  it('refuses to name a stream by a non-canonical id: one UUID, one stream', () => {
    const refusal = (id: string) => {
      try {
        organizationStreamId(id);
        return null;
      } catch (error) {
        return { code: (error as DomainError).code, errors: (error as DomainError).errors };
      }
    };
    expect(refusal('5F0C1E2A-3B4C-4D5E-8F60-718293A4B5C6')).toEqual({
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'id', message: expect.stringContaining('lower case') }],
    });
    expect(refusal('abc')).toEqual({ code: 'VALIDATION_FAILED', errors: [{ path: 'id', message: 'id must be a UUID' }] });
    expect(isCanonicalStreamId('organization-5F0C1E2A-3B4C-4D5E-8F60-718293A4B5C6')).toBe(false);
    expect(isCanonicalStreamId('organization-5f0c1e2a-3b4c-4d5e-8f60-718293a4b5c6')).toBe(true);
    expect(isCanonicalStreamId('registration-number-KG-01')).toBe(true);
  });

  it('normalises a registration number: trimmed, upper-case, NFC', () => {
    expect(normalizeRegistrationNumber('  kg-01/đ ')).toBe('KG-01/Đ');
    expect(normalizeRegistrationNumber('hệ-1'.normalize('NFD'))).toBe('HỆ-1'.normalize('NFC'));
  });
});
