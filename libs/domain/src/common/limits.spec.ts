import { aCooperative, aRegisterCommand, aUnion, freshId } from '@ktt/testing/builders';
import { given } from '@ktt/testing/given-when-then';
import type { CorrectRecord } from '../organizations/organization.commands';
import { canonicalUuid, isCanonicalUuid } from './identity';
import { LIMITS } from './limits';
import { parseKnownAt, parseTimestamp } from './timestamp';
import { textProblem } from './validation';

/** One set of limits in the domain, passed by every path that appends. */
describe('the domain limits', () => {
  const register = aRegisterCommand;

  describe('text', () => {
    it.each([
      ['a\u0000b', 'NUL'],
      ['a\u0007b', 'control'],
      ['a\u009bb', 'control'],
      ['a\u007fb', 'control'],
      ['a\ud800b', 'lone surrogate'],
      ['a\udc00', 'lone surrogate'],
      ['a\nb', 'line breaks'],
      ['a\tb', 'tabs'],
      ['   ', 'empty'],
    ])('refuses %j (%s)', (value, why) => {
      expect(textProblem(value, { max: 10 })).toContain(why);
    });

    it('counts characters, not UTF-16 units, and allows line breaks only where the field says so, tabs nowhere', () => {
      expect(textProblem('😀'.repeat(10), { max: 10 })).toBeNull();
      expect(textProblem('😀'.repeat(11), { max: 10 })).toContain('at most 10');
      expect(textProblem('dòng 1\ndòng 2\r\ndòng 3', { max: 100, multiline: true })).toBeNull();
      expect(textProblem('cột 1\tcột 2', { max: 100, multiline: true })).toContain('tabs');
    });

    it('refuses a NUL in a name, naming the field', () => {
      given().when(register({ name: 'HTX\u0000' })).thenThrows('VALIDATION_FAILED', 'name');
    });

    it('refuses a lone surrogate in a dissolution reference and a control character in a finding', () => {
      const coop = aCooperative({ effectiveOn: '2022-01-10' });
      given(coop)
        .when({ type: 'DissolveOrganization', organizationId: coop.id, effectiveOn: '2024-01-01', mode: 'voluntary', decisionRef: 'QĐ \ud800' })
        .thenThrows('VALIDATION_FAILED', 'decisionRef');
      given(coop)
        .when({ type: 'FindOrganizationDormant', organizationId: coop.id, effectiveOn: '2024-01-01', finding: 'x\u001b[31m' })
        .thenThrows('VALIDATION_FAILED', 'finding');
    });

    it('records texts normalised (NFC, trimmed)', () => {
      const coop = aCooperative({ effectiveOn: '2022-01-10' });
      given(coop)
        .when({ type: 'SuspendOrganization', organizationId: coop.id, effectiveOn: '2024-01-01', reason: '  Thiếu vốn\n(thông báo)  '.normalize('NFD') })
        .then([
          {
            type: 'OrganizationSuspended',
            data: { organizationId: coop.id, effectiveOn: '2024-01-01', reason: 'Thiếu vốn\n(thông báo)'.normalize('NFC'), until: null, noticeRef: null },
          },
        ]);
    });
  });

  describe('integers fit the read model', () => {
    it('refuses a member count above the limit at registration and on a change', () => {
      given().when(register({ memberCount: 3_000_000_000 })).thenThrows('VALIDATION_FAILED', 'memberCount');
      const coop = aCooperative({ effectiveOn: '2022-01-10' });
      given(coop).when({ type: 'ChangeMemberCount', organizationId: coop.id, memberCount: LIMITS.memberCount.max + 1, effectiveOn: '2024-01-01' }).thenThrows('VALIDATION_FAILED', 'memberCount');
      given(coop).when({ type: 'ChangeMemberCount', organizationId: coop.id, memberCount: LIMITS.memberCount.max, effectiveOn: '2024-01-01' }).then([
        { type: 'MemberCountChanged', data: { organizationId: coop.id, effectiveOn: '2024-01-01', memberCount: LIMITS.memberCount.max } },
      ]);
    });

    it('refuses managers above the limit', () => {
      const coop = aCooperative({ effectiveOn: '2022-01-10' });
      given(coop)
        .when({ type: 'ChangeProfile', organizationId: coop.id, effectiveOn: '2024-01-01', managers: { total: LIMITS.managers.max + 1, withDegree: 0 } })
        .thenThrows('VALIDATION_FAILED', 'managers.total');
    });
  });

  describe("a correction's replacement is judged by the rules of the command it replaces", () => {
    const correct = (organizationId: string, retractedRevision: number, replacement: Record<string, unknown>): CorrectRecord => ({
      type: 'CorrectRecord',
      organizationId,
      retractedEventId: freshId(),
      retractedRevision,
      reason: 'Nhập nhầm',
      replacement,
    });

    it('refuses a member count of 3,000,000,000 in place of a member count change (finding 2)', () => {
      const coop = aCooperative({ effectiveOn: '2022-01-10' }).memberCount(20, '2023-01-01');
      given(coop).when(correct(coop.id, 1, { memberCount: 3_000_000_000, effectiveOn: '2023-01-01' })).thenThrows('VALIDATION_FAILED', 'replacement.memberCount');
    });

    it('refuses a NUL in a replacement text and an upper-case cooperative id', () => {
      const coop = aCooperative({ effectiveOn: '2022-01-10' }).dormant('2023-01-01');
      given(coop).when(correct(coop.id, 1, { effectiveOn: '2023-01-01', finding: 'a\u0000' })).thenThrows('VALIDATION_FAILED', 'replacement.finding');
      const members = [aCooperative({ effectiveOn: '2020-01-01' }), aCooperative({ effectiveOn: '2020-01-01' }), aCooperative({ effectiveOn: '2020-01-01' })];
      const joining = aCooperative({ effectiveOn: '2020-01-01' });
      const union = aUnion(members.map((m) => m.id), { effectiveOn: '2021-01-01' });
      given(union, [{ type: 'CooperativeJoinedUnion', data: { organizationId: union.id, effectiveOn: '2022-01-01', cooperativeId: joining.id } }])
        .withOthers(joining)
        .when(correct(union.id, 1, { cooperativeId: joining.id.toUpperCase(), effectiveOn: '2022-02-01' }))
        .thenThrows('VALIDATION_FAILED', 'replacement.cooperativeId');
    });
  });

  describe('ids', () => {
    it('refuses a non-canonical founding cooperative id, naming it', () => {
      const ids = [freshId(), freshId().toUpperCase(), freshId()];
      given().when(register({ kind: 'union', memberCount: undefined, memberCooperativeIds: ids })).thenThrows('VALIDATION_FAILED', 'memberCooperativeIds[1]');
    });

    it('canonicalises a UUID in any case to lower case and leaves anything else alone', () => {
      expect(canonicalUuid('5F0C1E2A-3B4C-4D5E-8F60-718293A4B5C6')).toBe('5f0c1e2a-3b4c-4d5e-8f60-718293a4b5c6');
      expect(canonicalUuid('NOT-A-UUID')).toBe('NOT-A-UUID');
      expect(isCanonicalUuid('5f0c1e2a-3b4c-4d5e-8f60-718293a4b5c6')).toBe(true);
    });
  });

  describe('timestamps (RFC 3339) and knownAt', () => {
    it.each(['2025-W01-1', '2025', '2025-001', '2025-01-01T00:00:00', '2025-02-30T00:00:00Z', '2025-01-01T24:00:00Z', '2025-01-01T00:00Z', '0000-01-01T00:00:00Z', 'yesterday'])(
      'refuses %s',
      (value) => {
        expect(parseTimestamp(value)).toBeNull();
        expect(parseKnownAt(value)).toBeNull();
      },
    );

    it('answers a timestamp in UTC with milliseconds', () => {
      expect(parseTimestamp('2026-01-15T08:00:00+07:00')).toBe('2026-01-15T01:00:00.000Z');
      expect(parseTimestamp('2026-01-15T08:00:00.123456Z')).toBe('2026-01-15T08:00:00.123Z');
    });

    it('reads a bare date as the end of that day in Vietnam', () => {
      expect(parseKnownAt('2026-01-15')).toBe('2026-01-15T16:59:59.999Z');
      expect(parseKnownAt('2026-02-30')).toBeNull();
    });
  });
});
