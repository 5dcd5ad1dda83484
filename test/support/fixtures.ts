import { randomUUID } from 'node:crypto';

let sequence = 0;
/** A registration number nobody has used in this run. */
export function freshRegistrationNumber(prefix = 'RN'): string {
  sequence += 1;
  return `${prefix}-${process.pid}${sequence}${randomUUID().slice(0, 4)}`.toUpperCase().slice(0, 20);
}

export function cooperative(overrides: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    kind: 'cooperative',
    name: 'Hợp tác xã Nông nghiệp Tân Hiệp',
    registrationNumber: freshRegistrationNumber('HTX'),
    provinceCode: '91',
    sector: 'agriculture',
    registeredOn: '2020-03-01',
    memberCount: 12,
    ...overrides,
  };
}

export function cooperativeGroup(overrides: Record<string, unknown> = {}) {
  return cooperative({ kind: 'cooperative_group', name: 'Tổ hợp tác rau sạch', registrationNumber: freshRegistrationNumber('THT'), memberCount: 4, ...overrides });
}

export function union(memberCooperativeIds: string[], overrides: Record<string, unknown> = {}) {
  const { memberCount: _none, ...base } = cooperative();
  return { ...base, kind: 'union', name: 'Liên hiệp HTX Kiên Giang', registrationNumber: freshRegistrationNumber('LH'), memberCooperativeIds, registeredOn: '2022-05-01', ...overrides };
}
