import { aCooperative } from '@ktt/testing/builders';
import { given, itRefusesInvalid, itRefusesOutsideTheOrganizationsLife } from '@ktt/testing/given-when-then';
import type { SuspendOrganization } from '../organization.commands';
import type { OrganizationSuspended } from '../organization.events';

const suspend = (organizationId: string, overrides: Partial<SuspendOrganization> = {}): SuspendOrganization => ({
  type: 'SuspendOrganization',
  organizationId,
  effectiveOn: '2025-03-01',
  reason: 'Thiếu vốn',
  ...overrides,
});

/** The suspension `suspend()`'s defaults decide, with the fields a test varies. */
const suspended = (organizationId: string, data: Partial<OrganizationSuspended['data']> = {}): OrganizationSuspended => ({
  type: 'OrganizationSuspended',
  data: { organizationId, effectiveOn: '2025-03-01', reason: 'Thiếu vốn', until: null, noticeRef: null, ...data },
});

describe('suspending an organization', () => {
  describe('when active', () => {
    it('records the suspension with its notice end date', () => {
      const coop = aCooperative();
      given(coop).when(suspend(coop.id, { until: '2026-03-01' })).then([suspended(coop.id, { until: '2026-03-01' })]);
    });

    it('records the notice reference (schema v2)', () => {
      const coop = aCooperative();
      given(coop).when(suspend(coop.id, { noticeRef: 'TB 12/2025/TB-HTX' })).then([suspended(coop.id, { noticeRef: 'TB 12/2025/TB-HTX' })]);
    });

    it('records a missing end date and a missing notice reference as null', () => {
      const coop = aCooperative();
      given(coop).when(suspend(coop.id)).then([suspended(coop.id, { until: null, noticeRef: null })]);
    });

    it('accepts an end date in the future: it is only recorded', () => {
      const coop = aCooperative();
      given(coop).when(suspend(coop.id, { until: '2027-01-01' })).then([suspended(coop.id, { until: '2027-01-01' })]);
    });

    it('accepts a suspension again after a resumption', () => {
      const coop = aCooperative().suspended('2024-01-01').resumed('2024-06-01');
      given(coop).when(suspend(coop.id)).then([suspended(coop.id)]);
    });

    itRefusesInvalid(suspend, [
      ['a blank notice reference', { noticeRef: ' ' }, 'noticeRef'],
      ['an overlong notice reference', { noticeRef: 'x'.repeat(201) }, 'noticeRef'],
      ['an end date before the suspension', { until: '2025-02-28' }, 'until'],
      ['a blank reason', { reason: ' ' }, 'reason'],
    ]);
  });

  it.each([
    ['already suspended', () => aCooperative().suspended('2025-01-01')],
    ['dormant', () => aCooperative().dormant('2025-01-01')],
  ])('refuses the suspension when %s', (_status, build) => {
    const coop = build();
    given(coop).when(suspend(coop.id)).thenThrows('INVALID_TRANSITION');
  });

  describe('when a later lifecycle event is recorded', () => {
    it('refuses a suspension dated before it', () => {
      const coop = aCooperative().suspended('2025-01-01').resumed('2025-04-01');
      given(coop).when(suspend(coop.id)).thenThrows('LIFECYCLE_OUT_OF_ORDER');
    });

    it('refuses a suspension dated before a later dissolution: lifecycle events are ordered', () => {
      const coop = aCooperative().dissolved('2025-06-01');
      given(coop).when(suspend(coop.id)).thenThrows('LIFECYCLE_OUT_OF_ORDER');
    });

    it('accepts a suspension dated on the same day', () => {
      const coop = aCooperative().suspended('2025-01-01').resumed('2025-03-01');
      given(coop).when(suspend(coop.id)).then([suspended(coop.id)]);
    });
  });

  itRefusesOutsideTheOrganizationsLife((organizationId, effectiveOn) => suspend(organizationId, { effectiveOn }));
});
