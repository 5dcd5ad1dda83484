import { aCooperative, aCooperativeGroup, aUnion, NO_PROFILE } from '@ktt/testing/builders';
import fc from 'fast-check';
import { foldHistory } from './organization.history';
import { stateAsOf } from './organization.state';
import type { OrganizationEvent } from './organization.events';

describe('the state as of a date', () => {
  describe('before registration', () => {
    it('is null', () => {
      const coop = aCooperative({ effectiveOn: '2024-05-01' });
      expect(stateAsOf(coop.history(), '2024-04-30')).toBeNull();
    });

    it('is the registration on the registration date', () => {
      const coop = aCooperative({ effectiveOn: '2024-05-01', memberCount: 9, valueChain: true });
      expect(stateAsOf(coop.history(), '2024-05-01')).toEqual({
        id: coop.id,
        kind: 'cooperative',
        name: expect.any(String),
        registrationNumber: expect.any(String),
        provinceCode: '91',
        formerProvinceCode: '91',
        sector: 'agriculture',
        status: 'active',
        registeredOn: '2024-05-01',
        dissolvedOn: null,
        memberCount: 9,
        rating: null,
        managers: null,
        directorTrained: null,
        valueChain: true,
        highTech: null,
        enterpriseLinked: null,
        digitalAdoption: null,
        memberCooperativeIds: [],
      });
    });
  });

  describe('attributes', () => {
    it('take the change with the greatest effective date up to the date', () => {
      const coop = aCooperative({ effectiveOn: '2020-01-01', memberCount: 10 }).memberCount(20, '2022-01-01');
      const history = coop.history();
      expect(stateAsOf(history, '2021-12-31')?.memberCount).toBe(10);
      expect(stateAsOf(history, '2022-01-01')?.memberCount).toBe(20);
    });

    it('hold a back-dated change between two later ones only until the next', () => {
      const coop = aCooperative({ effectiveOn: '2020-01-01', memberCount: 10 })
        .memberCount(20, '2022-01-01')
        .memberCount(40, '2024-01-01')
        .memberCount(30, '2023-01-01');
      const history = coop.history();
      expect(stateAsOf(history, '2022-06-01')?.memberCount).toBe(20);
      expect(stateAsOf(history, '2023-06-01')?.memberCount).toBe(30);
      expect(stateAsOf(history, '2024-06-01')?.memberCount).toBe(40);
    });

    it('on the same effective date, let the later recorded win', () => {
      const coop = aCooperative().rated('good', 2024, '2024-12-20').rated('weak', 2024, '2024-12-20');
      expect(stateAsOf(coop.history(), '2025-01-01')?.rating).toEqual({ rating: 'weak', year: 2024, ratedOn: '2024-12-20' });
    });

    it('let a later recorded change on the registration date override the registration', () => {
      const group = aCooperativeGroup({ effectiveOn: '2024-01-01', memberCount: 3 }).memberCount(4, '2024-01-01');
      expect(stateAsOf(group.history(), '2024-01-01')?.memberCount).toBe(4);
    });

    it('judge each profile field on its own', () => {
      const coop = aCooperative({ effectiveOn: '2020-01-01' })
        .profile({ valueChain: true, managers: { total: 4, withDegree: 1 } }, '2022-01-01')
        .profile({ highTech: true }, '2023-01-01')
        .profile({ valueChain: false }, '2021-01-01');
      const state = stateAsOf(coop.history(), '2023-06-01');
      expect(state).toMatchObject({ valueChain: true, highTech: true, managers: { total: 4, withDegree: 1 } });
      expect(stateAsOf(coop.history(), '2021-06-01')).toMatchObject({ valueChain: false, highTech: null, managers: null });
    });
  });

  describe('profile flags: true, false or unknown (domain.md)', () => {
    it('are unknown (null) where the registration omits them, not false', () => {
      const state = stateAsOf(aCooperative({ effectiveOn: '2020-01-01', ...NO_PROFILE, highTech: false }).history(), '2020-01-01');
      expect(state).toMatchObject({ managers: null, directorTrained: null, valueChain: null, highTech: false, enterpriseLinked: null, digitalAdoption: null });
    });

    it('go back to unknown by a null in a profile change, from its date on; an omitted field keeps its value', () => {
      const coop = aCooperative({ effectiveOn: '2020-01-01', valueChain: true, highTech: true, managers: { total: 3, withDegree: 1 } })
        .profile({ valueChain: null, managers: null }, '2022-01-01');
      const history = coop.history();
      expect(stateAsOf(history, '2021-12-31')).toMatchObject({ valueChain: true, highTech: true, managers: { total: 3, withDegree: 1 } });
      expect(stateAsOf(history, '2022-01-01')).toMatchObject({ valueChain: null, highTech: true, managers: null });
    });
  });

  describe('the rating in force (domain.md, "Ratings")', () => {
    it('is the one of the greatest year assessed: a late decision about an older year does not override it', () => {
      const coop = aCooperative({ effectiveOn: '2018-01-01' }).rated('good', 2024, '2025-01-10').rated('weak', 2019, '2025-03-01');
      const history = coop.history();
      expect(stateAsOf(history, '2025-01-09')?.rating).toBeNull();
      expect(stateAsOf(history, '2025-01-10')?.rating).toEqual({ rating: 'good', year: 2024, ratedOn: '2025-01-10' });
      expect(stateAsOf(history, '2025-03-01')?.rating).toEqual({ rating: 'good', year: 2024, ratedOn: '2025-01-10' });
    });

    it('holds an older year only until a newer year is decided', () => {
      const coop = aCooperative({ effectiveOn: '2018-01-01' }).rated('good', 2024, '2025-01-10').rated('fair', 2023, '2024-12-01');
      const history = coop.history();
      expect(stateAsOf(history, '2024-12-31')?.rating?.rating).toBe('fair');
      expect(stateAsOf(history, '2025-01-10')?.rating?.rating).toBe('good');
    });

    it('of two for one year, is the one with the latest ratedOn, whatever the order of recording', () => {
      const coop = aCooperative({ effectiveOn: '2018-01-01' }).rated('fair', 2023, '2024-03-01').rated('weak', 2023, '2024-01-15');
      expect(stateAsOf(coop.history(), '2024-02-01')?.rating?.rating).toBe('weak');
      expect(stateAsOf(coop.history(), '2024-03-01')?.rating?.rating).toBe('fair');
    });

    it('lapses after two missed rounds: good for 2019 and nothing since is rated on 2021-12-31, unrated from 2022-01-01', () => {
      const coop = aCooperative({ effectiveOn: '2018-01-01' }).rated('good', 2019, '2019-12-20');
      const history = coop.history();
      expect(stateAsOf(history, '2021-12-31')?.rating).toEqual({ rating: 'good', year: 2019, ratedOn: '2019-12-20' });
      expect(stateAsOf(history, '2022-01-01')?.rating).toBeNull();
      expect(stateAsOf(history, '2030-01-01')?.rating).toBeNull();
    });

    it('lapses from its own year even when decided late, and an older year never returns after a newer one lapsed', () => {
      const coop = aCooperative({ effectiveOn: '2018-01-01' }).rated('fair', 2019, '2021-06-01').rated('good', 2018, '2019-01-10');
      const history = coop.history();
      expect(stateAsOf(history, '2020-12-31')?.rating).toEqual({ rating: 'good', year: 2018, ratedOn: '2019-01-10' });
      expect(stateAsOf(history, '2021-01-01')?.rating).toBeNull();
      expect(stateAsOf(history, '2021-06-01')?.rating).toEqual({ rating: 'fair', year: 2019, ratedOn: '2021-06-01' });
      expect(stateAsOf(history, '2022-01-01')?.rating).toBeNull();
      // A decision about 2019 made after its lapse date is never in force.
      const tooLate = aCooperative({ effectiveOn: '2018-01-01' }).rated('good', 2019, '2022-02-01');
      expect(stateAsOf(tooLate.history(), '2022-02-01')?.rating).toBeNull();
    });

    it('is rated again by a newer year after a lapse', () => {
      const coop = aCooperative({ effectiveOn: '2018-01-01' }).rated('good', 2019, '2019-12-20').rated('average', 2023, '2024-01-05');
      const history = coop.history();
      expect(stateAsOf(history, '2023-06-01')?.rating).toBeNull();
      expect(stateAsOf(history, '2024-01-05')?.rating?.rating).toBe('average');
      expect(stateAsOf(history, '2025-12-31')?.rating?.rating).toBe('average');
      expect(stateAsOf(history, '2026-01-01')?.rating).toBeNull();
    });
  });

  describe('status over time', () => {
    const coop = aCooperative({ effectiveOn: '2020-01-01' })
      .suspended('2021-01-01', '2021-12-31')
      .resumed('2021-06-01')
      .dormant('2022-01-01')
      .resumed('2022-03-01')
      .suspended('2023-01-01')
      .dormant('2023-02-01')
      .dissolved('2024-01-01');
    const history = coop.history();

    it.each([
      ['2020-12-31', 'active', null],
      ['2021-01-01', 'suspended', null],
      ['2021-06-01', 'active', null],
      ['2022-01-15', 'dormant', null],
      ['2022-03-01', 'active', null],
      ['2023-01-20', 'suspended', null],
      ['2023-02-01', 'dormant', null],
      ['2024-01-01', 'dissolved', '2024-01-01'],
      ['2030-01-01', 'dissolved', '2024-01-01'],
    ])('on %s is %s', (asOf, status, dissolvedOn) => {
      expect(stateAsOf(history, asOf)).toMatchObject({ status, dissolvedOn });
    });

    it('does not end a suspension at its notice end date', () => {
      const suspended = aCooperative().suspended('2024-01-01', '2024-06-30');
      expect(stateAsOf(suspended.history(), '2025-01-01')?.status).toBe('suspended');
    });

    it('applies same-day lifecycle events in recorded order', () => {
      const sameDay = aCooperative().suspended('2024-01-01').resumed('2024-01-01');
      expect(stateAsOf(sameDay.history(), '2024-01-01')?.status).toBe('active');
    });

    it('keeps attributes recorded after a dissolution but dated before it', () => {
      const late = aCooperative({ effectiveOn: '2020-01-01' }).dissolved('2024-01-01').rated('good', 2023, '2023-12-15');
      expect(stateAsOf(late.history(), '2023-12-31')).toMatchObject({ status: 'active', rating: { rating: 'good' } });
      expect(stateAsOf(late.history(), '2024-01-01')).toMatchObject({ status: 'dissolved', rating: { rating: 'good' } });
    });
  });

  describe('union membership', () => {
    const ids = ['c1', 'c2', 'c3', 'c4'];
    const union = aUnion(['c3', 'c1', 'c2'], { effectiveOn: '2022-01-01' })
      .joined('c4', '2023-01-01')
      .left('c1', '2023-06-01')
      .left('c4', '2024-01-01')
      .joined('c1', '2024-01-01');
    const history = union.history();

    it.each([
      ['2022-01-01', ['c1', 'c2', 'c3']],
      ['2022-12-31', ['c1', 'c2', 'c3']],
      ['2023-01-01', ['c1', 'c2', 'c3', 'c4']],
      ['2023-06-01', ['c2', 'c3', 'c4']],
      ['2023-12-31', ['c2', 'c3', 'c4']],
      ['2024-01-01', ['c1', 'c2', 'c3']],
    ])('on %s lists %j, sorted', (asOf, members) => {
      expect(stateAsOf(history, asOf)?.memberCooperativeIds).toEqual(members);
      expect(ids).toEqual(expect.arrayContaining(members));
    });

    it('has no member count', () => {
      expect(stateAsOf(history, '2024-01-01')?.memberCount).toBeNull();
    });

    it('ends every membership with the union’s dissolution', () => {
      const dissolved = aUnion(['a', 'b', 'c'], { effectiveOn: '2022-01-01' }).dissolved('2024-01-01');
      expect(stateAsOf(dissolved.history(), '2023-12-31')?.memberCooperativeIds).toEqual(['a', 'b', 'c']);
      expect(stateAsOf(dissolved.history(), '2024-01-01')?.memberCooperativeIds).toEqual([]);
    });
  });

  describe('property: the order of recording does not matter for distinct effective dates', () => {
    it('gives the same member count whatever order the changes were recorded in', () => {
      const day = fc.integer({ min: 1, max: 28 }).map((d) => `2023-03-${String(d).padStart(2, '0')}`);
      const changes = fc.uniqueArray(fc.record({ on: day, count: fc.integer({ min: 5, max: 500 }) }), {
        selector: (c) => c.on,
        maxLength: 10,
      });
      fc.assert(
        fc.property(changes, fc.func(fc.integer()), (list, key) => {
          const coop = aCooperative({ effectiveOn: '2023-01-01', memberCount: 7 });
          const registration = coop.events[0];
          const asEvents = (order: typeof list): OrganizationEvent[] => [
            registration,
            ...order.map((c): OrganizationEvent => ({
              type: 'MemberCountChanged',
              data: { organizationId: coop.id, effectiveOn: c.on, memberCount: c.count },
            })),
          ];
          const shuffled = [...list].sort((a, b) => key(a.on) - key(b.on));
          for (const asOf of ['2023-02-01', '2023-03-10', '2023-03-20', '2023-04-01']) {
            const inOrder = stateAsOf(foldHistory(asEvents(list))!, asOf)?.memberCount;
            const reordered = stateAsOf(foldHistory(asEvents(shuffled))!, asOf)?.memberCount;
            const expected = [...list].filter((c) => c.on <= asOf).sort((a, b) => (a.on < b.on ? -1 : 1)).pop()?.count ?? 7;
            expect(inOrder).toBe(expected);
            expect(reordered).toBe(expected);
          }
        }),
      );
    });
  });
});
