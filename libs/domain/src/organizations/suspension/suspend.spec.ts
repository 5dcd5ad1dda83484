import { aCooperative, freshId } from '@ktt/testing/builders';
import { given } from '@ktt/testing/given-when-then';
import type { SuspendOrganization } from '../organization.commands';

const suspend = (organizationId: string, overrides: Partial<SuspendOrganization> = {}): SuspendOrganization => ({
  type: 'SuspendOrganization',
  organizationId,
  effectiveOn: '2025-03-01',
  reason: 'Thiếu vốn',
  ...overrides,
});

describe('suspending an organization', () => {
  describe('when active', () => {
    it('records the suspension with its notice end date', () => {
      const coop = aCooperative();
      given(coop).when(suspend(coop.id, { until: '2026-03-01' })).then([
        {
          type: 'OrganizationSuspended',
          data: { organizationId: coop.id, effectiveOn: '2025-03-01', reason: 'Thiếu vốn', until: '2026-03-01', noticeRef: null },
        },
      ]);
    });

    it('records the notice reference (schema v2), null when none is given', () => {
      const coop = aCooperative();
      const [event] = given(coop).when(suspend(coop.id, { noticeRef: 'TB 12/2025/TB-HTX' })).events();
      expect(event.data).toMatchObject({ noticeRef: 'TB 12/2025/TB-HTX' });
      expect(given(coop).when(suspend(coop.id)).events()[0].data).toMatchObject({ noticeRef: null });
    });

    it('refuses a blank or overlong notice reference', () => {
      const coop = aCooperative();
      given(coop).when(suspend(coop.id, { noticeRef: ' ' })).thenThrows('VALIDATION_FAILED', 'noticeRef');
      given(coop).when(suspend(coop.id, { noticeRef: 'x'.repeat(201) })).thenThrows('VALIDATION_FAILED', 'noticeRef');
    });

    it('records a missing end date as null', () => {
      const coop = aCooperative();
      const [event] = given(coop).when(suspend(coop.id)).events();
      expect(event.data).toMatchObject({ until: null });
    });

    it('accepts an end date in the future: it is only recorded', () => {
      const coop = aCooperative();
      given(coop).when(suspend(coop.id, { until: '2027-01-01' })).then([
        { type: 'OrganizationSuspended', data: { organizationId: coop.id, effectiveOn: '2025-03-01', reason: 'Thiếu vốn', until: '2027-01-01', noticeRef: null } },
      ]);
    });

    it('accepts a suspension again after a resumption', () => {
      const coop = aCooperative().suspended('2024-01-01').resumed('2024-06-01');
      given(coop).when(suspend(coop.id)).then([
        { type: 'OrganizationSuspended', data: { organizationId: coop.id, effectiveOn: '2025-03-01', reason: 'Thiếu vốn', until: null, noticeRef: null } },
      ]);
    });

    it('refuses an end date before the suspension', () => {
      const coop = aCooperative();
      given(coop).when(suspend(coop.id, { until: '2025-02-28' })).thenThrows('VALIDATION_FAILED', 'until');
    });

    it('refuses a suspension dated in the future', () => {
      const coop = aCooperative();
      given(coop).when(suspend(coop.id, { effectiveOn: '2026-07-01' })).thenThrows('DATE_IN_FUTURE', 'effectiveOn');
    });

    it('refuses a blank reason', () => {
      const coop = aCooperative();
      given(coop).when(suspend(coop.id, { reason: ' ' })).thenThrows('VALIDATION_FAILED', 'reason');
    });
  });

  describe('when already suspended', () => {
    it('refuses a second suspension', () => {
      const coop = aCooperative().suspended('2025-01-01');
      given(coop).when(suspend(coop.id)).thenThrows('INVALID_TRANSITION');
    });
  });

  describe('when dormant', () => {
    it('refuses the suspension', () => {
      const coop = aCooperative().dormant('2025-01-01');
      given(coop).when(suspend(coop.id)).thenThrows('INVALID_TRANSITION');
    });
  });

  describe('when a later lifecycle event is recorded', () => {
    it('refuses a suspension dated before it', () => {
      const coop = aCooperative().suspended('2025-01-01').resumed('2025-04-01');
      given(coop).when(suspend(coop.id)).thenThrows('LIFECYCLE_OUT_OF_ORDER');
    });

    it('accepts a suspension dated on the same day', () => {
      const coop = aCooperative().suspended('2025-01-01').resumed('2025-03-01');
      given(coop).when(suspend(coop.id)).then([
        { type: 'OrganizationSuspended', data: { organizationId: coop.id, effectiveOn: '2025-03-01', reason: 'Thiếu vốn', until: null, noticeRef: null } },
      ]);
    });
  });

  describe('when the organization is unknown', () => {
    it('refuses with not found', () => {
      given().when(suspend(freshId())).thenThrows('ORGANIZATION_NOT_FOUND');
    });
  });

  describe('before registration', () => {
    it('refuses a suspension dated before the registration', () => {
      const coop = aCooperative({ effectiveOn: '2025-03-02' });
      given(coop).when(suspend(coop.id)).thenThrows('BEFORE_REGISTRATION');
    });
  });

  describe('when dissolved', () => {
    it('refuses a suspension dated after the dissolution', () => {
      const coop = aCooperative().dissolved('2025-02-01');
      given(coop).when(suspend(coop.id)).thenThrows('ORGANIZATION_DISSOLVED');
    });

    it('refuses a suspension dated before the dissolution: lifecycle events are ordered', () => {
      const coop = aCooperative().dissolved('2025-06-01');
      given(coop).when(suspend(coop.id)).thenThrows('LIFECYCLE_OUT_OF_ORDER');
    });
  });
});
