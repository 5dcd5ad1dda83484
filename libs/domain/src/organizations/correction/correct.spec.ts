import { aCooperative } from '@ktt/testing/builders';
import { given } from '@ktt/testing/given-when-then';
import type { CorrectRecord } from '../organization.commands';
import type { RecordCorrected } from '../organization.events';
import { stateAsOf } from '../organization.state';
import { evolve } from '../organization.history';

// Event ids are lower-case UUIDs, as every stored one is; the revision is what the domain judges by.
const eventId = (revision: number) => `00000000-0000-4000-8000-${String(revision).padStart(12, '0')}`;

const correct = (organizationId: string, retractedRevision: number, overrides: Partial<CorrectRecord> = {}): CorrectRecord => ({
  type: 'CorrectRecord',
  organizationId,
  retractedEventId: eventId(retractedRevision),
  retractedRevision,
  reason: 'Nhập nhầm kết quả phân loại',
  ...overrides,
});

/** The correction `correct()`'s defaults decide for the fact at that revision. */
const corrected = (
  organizationId: string,
  retractedRevision: number,
  data: Pick<RecordCorrected['data'], 'effectiveOn' | 'retractedType' | 'replacement'>,
): RecordCorrected => ({
  type: 'RecordCorrected',
  data: { organizationId, retractedRevision, retractedEventId: eventId(retractedRevision), reason: 'Nhập nhầm kết quả phân loại', ...data },
});

describe('correcting a record', () => {
  describe('when a profile change was entered wrongly', () => {
    it('may put "unknown" (null) in its place, judged by the profile rules', () => {
      const coop = aCooperative({ effectiveOn: '2022-01-10', valueChain: false }).profile({ valueChain: true }, '2023-03-01');
      const [correction] = given(coop).when(correct(coop.id, 1, { replacement: { effectiveOn: '2023-03-01', valueChain: null } })).events();
      expect(correction).toEqual(
        corrected(coop.id, 1, {
          effectiveOn: '2023-03-01',
          retractedType: 'ProfileChanged',
          replacement: { type: 'ProfileChanged', data: { organizationId: coop.id, effectiveOn: '2023-03-01', valueChain: null } },
        }),
      );
      const after = evolve(coop.history(), correction);
      expect(stateAsOf(after, '2023-02-28')!.valueChain).toBe(false);
      expect(stateAsOf(after, '2023-03-01')!.valueChain).toBeNull();
    });

    it('refuses a replacement flag that is not true, false or null, naming it under replacement', () => {
      const coop = aCooperative({ effectiveOn: '2022-01-10' }).profile({ valueChain: true }, '2023-03-01');
      given(coop).when(correct(coop.id, 1, { replacement: { effectiveOn: '2023-03-01', valueChain: 'unknown' } })).thenThrows('VALIDATION_FAILED', 'replacement.valueChain');
    });
  });

  describe('when a rating was entered wrongly', () => {
    it('retracts it: the organization is as if it had never been rated', () => {
      const coop = aCooperative({ effectiveOn: '2022-01-10' }).rated('weak', 2023, '2023-12-15');
      const [correction] = given(coop).when(correct(coop.id, 1)).events();
      expect(correction).toEqual(corrected(coop.id, 1, { effectiveOn: '2023-12-15', retractedType: 'OrganizationRated', replacement: null }));
      const after = evolve(coop.history(), correction);
      expect(stateAsOf(after, '2024-06-30')!.rating).toBeNull();
      expect(after.recorded).toHaveLength(3); // history keeps both: the rating and its correction
    });

    it('puts the right rating in its place, judged by the rating rules', () => {
      const coop = aCooperative({ effectiveOn: '2022-01-10' }).rated('weak', 2023, '2023-12-15');
      const [correction] = given(coop).when(correct(coop.id, 1, { replacement: { rating: 'good', year: 2023, ratedOn: '2023-12-15' } })).events();
      expect(correction).toEqual(
        corrected(coop.id, 1, {
          effectiveOn: '2023-12-15',
          retractedType: 'OrganizationRated',
          replacement: { type: 'OrganizationRated', data: { organizationId: coop.id, effectiveOn: '2023-12-15', rating: 'good', year: 2023 } },
        }),
      );
      expect(stateAsOf(evolve(coop.history(), correction), '2024-06-30')!.rating).toEqual({ rating: 'good', year: 2023, ratedOn: '2023-12-15' });
    });

    it('refuses a replacement that breaks a rule, naming its field under replacement', () => {
      const coop = aCooperative({ effectiveOn: '2022-01-10' }).rated('weak', 2023, '2023-12-15');
      given(coop).when(correct(coop.id, 1, { replacement: { rating: 'good', year: 2024, ratedOn: '2023-12-15' } })).thenThrows('VALIDATION_FAILED', 'replacement.year');
      given(coop).when(correct(coop.id, 1, { replacement: { rating: 'good', year: 2023, ratedOn: '2023-12-15', colour: 'red' } })).thenThrows('VALIDATION_FAILED', 'replacement.colour');
    });
  });

  describe('when a dissolution was recorded for the wrong organization', () => {
    it('retracts it, and the organization exists again, open to new records', () => {
      const coop = aCooperative({ effectiveOn: '2020-01-01' }).dissolved('2023-01-01');
      const [correction] = given(coop).when(correct(coop.id, 1)).events();
      expect(correction).toEqual(corrected(coop.id, 1, { effectiveOn: '2023-01-01', retractedType: 'OrganizationDissolved', replacement: null }));
      const after = evolve(coop.history(), correction);
      expect(after.dissolvedOn).toBeNull();
      expect(stateAsOf(after, '2024-01-01')!.status).toBe('active');
    });
  });

  it('refuses to retract the registration, a correction, or the same event twice', () => {
    const coop = aCooperative().rated('weak', 2023, '2023-12-15');
    given(coop).when(correct(coop.id, 0)).thenThrows('NOT_RETRACTABLE');
    const [correction] = given(coop).when(correct(coop.id, 1)).events();
    const corrected = { id: coop.id, events: [...coop.events, correction] };
    given(corrected as never).when(correct(coop.id, 1)).thenThrows('ALREADY_RETRACTED');
    given(corrected as never).when(correct(coop.id, 2)).thenThrows('NOT_RETRACTABLE');
  });

  it('refuses an event that is not in the history and an empty reason', () => {
    const coop = aCooperative();
    given(coop).when(correct(coop.id, 5)).thenThrows('EVENT_NOT_FOUND');
    const rated = aCooperative().rated('weak', 2023, '2023-12-15');
    given(rated).when(correct(rated.id, 1, { reason: '' })).thenThrows('VALIDATION_FAILED', 'reason');
  });
});
