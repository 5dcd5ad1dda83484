import { aCooperative, aUnion } from '@ktt/testing/builders';
import { evolve, foldHistory } from './organization.history';
import { organizationStreamId, registrationNumberStreamId } from './organization.streams';
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
    expect(before.events).toHaveLength(1);
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
    expect(organizationStreamId('abc')).toBe('organization-abc');
    expect(registrationNumberStreamId('KG-01')).toBe('registration-number-KG-01');
  });

  it('normalises a registration number: trimmed, upper-case, NFC', () => {
    expect(normalizeRegistrationNumber('  kg-01/đ ')).toBe('KG-01/Đ');
    expect(normalizeRegistrationNumber('hệ-1'.normalize('NFD'))).toBe('HỆ-1'.normalize('NFC'));
  });
});
