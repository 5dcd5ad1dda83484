import {
  AdministrativeMap,
  decide,
  DomainError,
  evolve,
  PROFILE_FLAG_NAMES,
  referencedOrganizationIds,
  type OrganizationCommand,
  type OrganizationHistory,
} from '@ktt/domain';
import { referenceAdministrativeMap } from '@ktt/application';
import { generateDemoPlan, type DemoPlan } from './demo-plan';

const TODAY = '2026-11-24';
const MERGER = '2025-07-01';
const map = referenceAdministrativeMap();

/**
 * Sends the plan through the pure `decide` in the order load-demo uses (month
 * by month of recording, unions after the others of the month): what the
 * real command path would refuse, without a database.
 */
function simulate(plan: DemoPlan): { refusals: { key: string; code: string; message: string }[]; histories: Map<string, OrganizationHistory> } {
  const histories = new Map<string, OrganizationHistory>();
  const refusals: { key: string; code: string; message: string }[] = [];
  const months = [...new Set(plan.commands.map((c) => c.recordOn.slice(0, 7)))];
  for (const month of months) {
    const batch = plan.commands.filter((c) => c.recordOn.slice(0, 7) === month);
    for (const planned of [...batch.filter((c) => !c.union), ...batch.filter((c) => c.union)]) {
      const { command } = planned;
      const others = new Map(referencedOrganizationIds(command).map((id) => [id, histories.get(id) ?? null]));
      try {
        const events = decide(command, histories.get(command.organizationId) ?? null, { today: plan.today, others, map });
        let history = histories.get(command.organizationId) ?? null;
        for (const event of events) history = evolve(history, event);
        histories.set(command.organizationId, history as OrganizationHistory);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        refusals.push({ key: planned.key, code: error.code, message: error.message });
      }
    }
  }
  return { refusals, histories };
}

describe('the demo plan', () => {
  let full: DemoPlan;
  beforeAll(() => {
    full = generateDemoPlan({ today: TODAY });
  });

  it('is valid under every rule at full size: decide refuses none of its commands', () => {
    const plan = full;
    const { refusals } = simulate(plan);
    expect(refusals.slice(0, 5)).toEqual([]);
    expect(plan.commands.length).toBeGreaterThan(30_000);
  });

  it('meets the sizes of domain.md exactly on their reference dates (counts), approximately for group members', () => {
    const plan = full;
    for (const line of plan.calibration) {
      if (line.what === 'cooperative group members') {
        expect(line.actual).toBeGreaterThan(line.target * 0.85);
        expect(line.actual).toBeLessThan(line.target * 1.15);
      } else {
        expect(line.actual).toBe(line.target);
      }
    }
  });

  it('is a function of the seed (and a different seed gives another history)', () => {
    const a = generateDemoPlan({ seed: 7, scale: 0.05, today: TODAY });
    const b = generateDemoPlan({ seed: 7, scale: 0.05, today: TODAY });
    const c = generateDemoPlan({ seed: 8, scale: 0.05, today: TODAY });
    expect(b.commands).toEqual(a.commands);
    expect(c.commands).not.toEqual(a.commands);
  });

  it('on a later day keeps every earlier command (same key, same command) and adds the new ones', () => {
    const earlier = generateDemoPlan({ seed: 3, scale: 0.05, today: '2025-06-30' });
    const later = generateDemoPlan({ seed: 3, scale: 0.05, today: TODAY });
    const byKey = new Map(later.commands.map((c) => [c.key, c.command]));
    for (const planned of earlier.commands) expect(byKey.get(planned.key)).toEqual(planned.command);
    expect(later.commands.length).toBeGreaterThan(earlier.commands.length);
  });

  it('holds what the demo promises: every kind in both provinces, lifecycle events, late records, unions with joins and leaves', () => {
    const plan = full;
    const types = new Map<string, number>();
    for (const { command } of plan.commands) types.set(command.type, (types.get(command.type) ?? 0) + 1);
    for (const type of [
      'RegisterOrganization', 'RateOrganization', 'ChangeMemberCount', 'ChangeProfile', 'SuspendOrganization',
      'FindOrganizationDormant', 'ResumeOrganization', 'DissolveOrganization', 'JoinUnion', 'LeaveUnion', 'RelocateOrganization',
    ]) {
      expect(types.get(type) ?? 0).toBeGreaterThan(0);
    }
    for (const provinceCode of ['91', '15']) {
      const unions = plan.organizations.filter((o) => o.unit === provinceCode && o.kind === 'union');
      expect(unions.length).toBeGreaterThanOrEqual(2);
      expect(unions.length).toBeLessThanOrEqual(3);
    }
    const dissolutions = plan.commands.flatMap(({ command }) => (command.type === 'DissolveOrganization' ? [command.mode] : []));
    expect(new Set(dissolutions)).toEqual(new Set(['voluntary', 'compulsory']));
    expect(plan.organizations.some((o) => o.registeredOn < '2018-01-01')).toBe(true);
    expect(new Set(plan.organizations.map((o) => o.registrationNumber)).size).toBe(plan.organizations.length);
    expect(new Set(plan.organizations.map((o) => o.id)).size).toBe(plan.organizations.length);
    // A rating of one year recorded after a rating of the next year, for the same organization.
    const recordedRatings = new Map<string, number[]>();
    let lateRatings = 0;
    for (const { command } of plan.commands) {
      if (command.type !== 'RateOrganization') continue;
      const years = recordedRatings.get(command.organizationId) ?? [];
      if (years.some((year) => year > command.year)) lateRatings++;
      recordedRatings.set(command.organizationId, [...years, command.year]);
    }
    expect(lateRatings).toBeGreaterThan(10);
  });

  it('rates 60–80 % of the rated cooperatives good or fair, trending up', () => {
    const plan = full;
    const shares = [2018, 2021, 2025].map((year) => {
      const ratings = plan.commands.flatMap(({ command }) => (command.type === 'RateOrganization' && command.year === year ? [command.rating] : []));
      return ratings.filter((r) => r === 'good' || r === 'fair').length / ratings.length;
    });
    expect(shares[0]).toBeGreaterThanOrEqual(0.55);
    expect(shares[2]).toBeLessThanOrEqual(0.85);
    expect(shares[1]).toBeGreaterThan(shares[0]);
    expect(shares[2]).toBeGreaterThan(shares[1]);
  });

  it('leaves some profile flags out at registration (unknown, not "no"), about 10–25 % of each, so coverage shows', () => {
    const registrations = full.commands.flatMap(({ command }) => (command.type === 'RegisterOrganization' && command.kind !== 'union' ? [command] : []));
    for (const flag of PROFILE_FLAG_NAMES) {
      const unknown = registrations.filter((command) => command[flag] === undefined).length / registrations.length;
      expect(unknown).toBeGreaterThanOrEqual(0.08);
      expect(unknown).toBeLessThanOrEqual(0.3);
    }
  });

  describe('on the map of each date (domain.md, "Administrative units")', () => {
    type Seated = Extract<OrganizationCommand, { type: 'RegisterOrganization' | 'RelocateOrganization' }>;
    const seated = () =>
      full.commands.flatMap(({ command, effectiveOn }) =>
        command.type === 'RegisterOrganization' || command.type === 'RelocateOrganization' ? [{ command: command as Seated, effectiveOn }] : [],
      );

    it('names, on and after 1 July 2025, only provinces then in force, with the former province where the province is a merged one', () => {
      const after = seated().filter(({ effectiveOn }) => effectiveOn >= MERGER);
      expect(after.length).toBeGreaterThan(100);
      for (const { command, effectiveOn } of after) {
        const units = map.unitsOf(command.provinceCode, effectiveOn);
        expect({ code: command.provinceCode, effectiveOn, inForce: units !== null }).toEqual({ code: command.provinceCode, effectiveOn, inForce: true });
        if (units!.length > 1) expect(units).toContain(command.formerProvinceCode);
        else expect(command.formerProvinceCode).toBeUndefined();
      }
      // None of the 63's codes that ended (89 among them) is named after the merger; 91 and 15 are, with their former provinces.
      expect(new Set(after.map(({ command }) => command.provinceCode))).toEqual(new Set(['91', '15']));
      const formers = new Set(after.map(({ command }) => `${command.provinceCode}/${command.formerProvinceCode}`));
      for (const pair of ['91/91', '91/89', '15/15']) expect(formers).toContain(pair);
      // Before it, the codes of the first map and no former province.
      const before = seated().filter(({ effectiveOn }) => effectiveOn < MERGER);
      expect(new Set(before.map(({ command }) => command.provinceCode))).toEqual(new Set(['91', '89', '15']));
      expect(before.every(({ command }) => command.formerProvinceCode === undefined)).toBe(true);
    });

    it('holds organizations of An Giang (89) and of Kiên Giang (91) before the merger, and registers former An Giang’s in 91 after it', () => {
      const registered = (unit: string, code: string, from: string, to: string) =>
        full.organizations.filter((o) => o.unit === unit && o.provinceCode === code && o.registeredOn >= from && o.registeredOn < to);
      for (const kind of ['cooperative', 'cooperative_group', 'union'] as const) {
        expect(full.organizations.filter((o) => o.unit === '89' && o.kind === kind && o.registeredOn < MERGER).length).toBeGreaterThan(0);
      }
      expect(registered('89', '89', '2020-01-01', '2021-01-01').length).toBeGreaterThan(10);
      expect(registered('91', '91', '2020-01-01', '2021-01-01').length).toBeGreaterThan(10);
      const agAfter = registered('89', '91', MERGER, '9999-12-31');
      expect(agAfter.length).toBeGreaterThan(5);
      expect(agAfter.every((o) => o.formerProvinceCode === '89')).toBe(true);
      expect(registered('89', '89', MERGER, '9999-12-31')).toEqual([]);
    });

    it('relocates a few percent, between provinces and within merged An Giang, and decide records every move', () => {
      const { histories, refusals } = simulate(full);
      expect(refusals).toEqual([]);
      const moves = full.commands.flatMap(({ command }) => (command.type === 'RelocateOrganization' ? [command] : []));
      const registeredIn = new Map(full.organizations.map((o) => [o.id, o.unit]));
      // Moves go to a neighbour: Kiên Giang's and An Giang's a few percent, far-away Yên Bái's seldom.
      const mekong = full.organizations.filter((o) => o.kind !== 'union' && o.unit !== '15').length;
      const mekongMoves = moves.filter((m) => registeredIn.get(m.organizationId) !== '15').length;
      expect(mekongMoves / mekong).toBeGreaterThan(0.02);
      expect(mekongMoves / mekong).toBeLessThan(0.05);
      const unitBefore = (id: string, date: string) => {
        const earlier = moves.filter((m) => m.organizationId === id && m.effectiveOn < date).at(-1);
        return earlier ? (earlier.formerProvinceCode ?? earlier.provinceCode) : registeredIn.get(id)!;
      };
      const kinds = moves.map((m) => {
        const from = unitBefore(m.organizationId, m.effectiveOn);
        const to = m.formerProvinceCode ?? m.provinceCode;
        expect(to).not.toBe(from);
        return map.provinceOfUnit(from, m.effectiveOn).code === m.provinceCode ? 'within' : 'between';
      });
      expect(kinds.filter((k) => k === 'within').length).toBeGreaterThan(0);
      expect(kinds.filter((k) => k === 'between').length).toBeGreaterThan(0);
      // Accepted: each is in its organization's recorded history.
      const recorded = [...histories.values()].reduce(
        (n, h) => n + h.events.filter((e) => e.type === 'OrganizationRelocated').length,
        0,
      );
      expect(recorded).toBe(moves.length);
    });

    it('would be refused if drawn on a map without the merger: decide judges every seat on the map of its date', () => {
      const first = map.provincesInForce('2000-01-01').map(({ code, name }) => ({ code, name }));
      const unmerged = generateDemoPlan({ seed: 5, scale: 0.1, today: TODAY, map: new AdministrativeMap(first) });
      const codes = Object.keys(simulate(unmerged).refusals.reduce<Record<string, number>>((by, r) => ({ ...by, [r.code]: 1 }), {}));
      expect(codes).toContain('PROVINCE_NOT_IN_FORCE');
      expect(simulate(generateDemoPlan({ seed: 5, scale: 0.1, today: TODAY })).refusals).toEqual([]);
    });
  });
});
