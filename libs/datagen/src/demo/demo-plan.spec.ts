import {
  decide,
  DomainError,
  evolve,
  referencedOrganizationIds,
  type OrganizationHistory,
} from '@ktt/domain';
import { generateDemoPlan, type DemoPlan } from './demo-plan';

const TODAY = '2026-11-24';

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
        const events = decide(command, histories.get(command.organizationId) ?? null, { today: plan.today, others });
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
      'FindOrganizationDormant', 'ResumeOrganization', 'DissolveOrganization', 'JoinUnion', 'LeaveUnion',
    ]) {
      expect(types.get(type) ?? 0).toBeGreaterThan(0);
    }
    for (const provinceCode of ['91', '15']) {
      const unions = plan.organizations.filter((o) => o.provinceCode === provinceCode && o.kind === 'union');
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
});
