import { decide, evolve, referencedOrganizationIds, stateAsOf, type OrganizationHistory } from '@ktt/domain';
import { generateDemoPlan } from './demo-plan';
it('stats', () => {
  const plan = generateDemoPlan({ today: '2026-11-24' });
  const types: Record<string, number> = {};
  for (const { command } of plan.commands) types[command.type] = (types[command.type] ?? 0) + 1;
  const orgs: Record<string, number> = {};
  for (const o of plan.organizations) orgs[o.provinceCode + ' ' + o.kind] = (orgs[o.provinceCode + ' ' + o.kind] ?? 0) + 1;
  const late = plan.commands.filter((c) => c.recordOn !== c.effectiveOn && c.effectiveOn >= '2018-01-01').length;
  const out: any = { total: plan.commands.length, types, orgs, late, calibration: plan.calibration };
  const byYear: Record<number, string> = {};
  for (let y = 2018; y <= 2025; y++) {
    const r = plan.commands.flatMap(({ command }) => (command.type === 'RateOrganization' && command.year === y ? [command.rating] : []));
    byYear[y] = `${r.length} ${(r.filter((x) => x === 'good' || x === 'fair').length / r.length).toFixed(2)}`;
  }
  out.ratings = byYear;
  const histories = new Map<string, OrganizationHistory>();
  for (const p of plan.commands) {
    const others = new Map(referencedOrganizationIds(p.command).map((id) => [id, histories.get(id) ?? null]));
    const ev = decide(p.command, histories.get(p.command.organizationId) ?? null, { today: plan.today, others });
    let h = histories.get(p.command.organizationId) ?? null;
    for (const e of ev) h = evolve(h, e);
    histories.set(p.command.organizationId, h!);
  }
  for (const asOf of ['2018-01-01', '2021-12-31', '2024-12-31', '2026-11-24']) {
    for (const prov of ['91', '15']) {
      const s = [...histories.values()].filter((h) => h.registration.provinceCode === prov).map((h) => (stateAsOf as any)(h, asOf)).filter((x: any) => x && x.status !== 'dissolved');
      const coops = s.filter((x: any) => x.kind === 'cooperative');
      const groups = s.filter((x: any) => x.kind === 'cooperative_group');
      const unions = s.filter((x: any) => x.kind === 'union');
      const share = (f: (x: any) => boolean, arr: any[]) => (arr.filter(f).length / arr.length).toFixed(2);
      out[`${prov} ${asOf}`] = {
        coops: coops.length, coopMembers: coops.reduce((a: number, x: any) => a + x.memberCount, 0),
        groups: groups.length, groupMembers: groups.reduce((a: number, x: any) => a + x.memberCount, 0),
        unions: unions.length, unionMembers: unions.reduce((a: number, x: any) => a + x.memberCooperativeIds.length, 0),
        gf: share((x) => x.rating && ['good', 'fair'].includes(x.rating.rating), coops),
        vc: share((x) => x.valueChain, coops), dt: share((x) => x.directorTrained, coops),
        ht: coops.filter((x: any) => x.highTech && ['agriculture', 'fisheries'].includes(x.sector)).length,
        el: share((x) => x.enterpriseLinked, coops.filter((x: any) => ['agriculture', 'fisheries'].includes(x.sector))),
        dig: share((x) => x.digitalAdoption, s),
        deg: (coops.reduce((a: number, x: any) => a + (x.managers?.withDegree ?? 0), 0) / coops.reduce((a: number, x: any) => a + (x.managers?.total ?? 0), 0)).toFixed(2),
        dormant: coops.filter((x: any) => x.status === 'dormant').length, suspended: coops.filter((x: any) => x.status === 'suspended').length,
      };
    }
  }
  console.log(JSON.stringify(out, null, 1));
  console.log(plan.organizations.slice(0, 8).map((o) => `${o.registrationNumber} ${o.name} ${o.registeredOn}`).join('\n'));
  console.log(plan.organizations.filter((o) => o.kind !== 'cooperative').slice(0, 8).map((o) => `${o.registrationNumber} ${o.name} ${o.registeredOn}`).join('\n'));
  console.log(plan.organizations.filter((o) => o.kind === 'union').map((o) => `${o.registrationNumber} ${o.name} ${o.registeredOn}`).join('\n'));
  console.log(JSON.stringify(plan.commands.filter((c) => ['SuspendOrganization', 'FindOrganizationDormant', 'DissolveOrganization'].includes(c.command.type)).slice(0, 4).map((c) => c.command)));
});
