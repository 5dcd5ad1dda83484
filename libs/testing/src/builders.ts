import { randomUUID } from 'node:crypto';
import {
  foldHistory,
  foldPlanHistory,
  type DissolutionMode,
  type LocalDate,
  type OrganizationEvent,
  type OrganizationHistory,
  type OrganizationKind,
  type OrganizationRegistered,
  type PlanAdopted,
  type PlanAmended,
  type PlanEvent,
  type PlanHistory,
  type Profile,
  type ProfileChanged,
  type Rating,
  type RegisterOrganization,
  type Target,
} from '@ktt/domain';

/**
 * Test data builders that emit events (style.md §11), each with fresh ids:
 *
 *   const coop = aCooperative({ effectiveOn: '2024-01-10' }).rated('good', 2024, '2024-12-20');
 *   given(coop).when(...)
 */
let sequence = 0;
function nextNumber(): number {
  sequence += 1;
  return sequence;
}

export const freshId = (): string => randomUUID();

type RegistrationData = OrganizationRegistered['data'];

export class OrganizationStream {
  readonly events: OrganizationEvent[];

  constructor(registration: RegistrationData) {
    this.events = [{ type: 'OrganizationRegistered', data: registration }];
  }

  get id(): string {
    return this.events[0].data.organizationId;
  }

  get registeredOn(): LocalDate {
    return this.events[0].data.effectiveOn;
  }

  history(): OrganizationHistory {
    return foldHistory(this.events) as OrganizationHistory;
  }

  rated(rating: Rating, year: number, ratedOn: LocalDate): this {
    return this.push({ type: 'OrganizationRated', data: { ...this.base(ratedOn), rating, year } });
  }

  memberCount(memberCount: number, effectiveOn: LocalDate): this {
    return this.push({ type: 'MemberCountChanged', data: { ...this.base(effectiveOn), memberCount } });
  }

  profile(change: Omit<ProfileChanged['data'], 'organizationId' | 'effectiveOn'>, effectiveOn: LocalDate): this {
    return this.push({ type: 'ProfileChanged', data: { ...this.base(effectiveOn), ...change } });
  }

  suspended(effectiveOn: LocalDate, until: LocalDate | null = null): this {
    return this.push({ type: 'OrganizationSuspended', data: { ...this.base(effectiveOn), reason: 'Notified', until } });
  }

  dormant(effectiveOn: LocalDate): this {
    return this.push({ type: 'OrganizationFoundDormant', data: { ...this.base(effectiveOn), finding: 'Inspection' } });
  }

  resumed(effectiveOn: LocalDate): this {
    return this.push({ type: 'OrganizationResumed', data: this.base(effectiveOn) });
  }

  dissolved(effectiveOn: LocalDate, mode: DissolutionMode = 'voluntary'): this {
    return this.push({
      type: 'OrganizationDissolved',
      data: { ...this.base(effectiveOn), mode, decisionRef: `QĐ-${nextNumber()}` },
    });
  }

  joined(cooperative: string | OrganizationStream, effectiveOn: LocalDate): this {
    return this.push({ type: 'CooperativeJoinedUnion', data: { ...this.base(effectiveOn), cooperativeId: idOf(cooperative) } });
  }

  left(cooperative: string | OrganizationStream, effectiveOn: LocalDate): this {
    return this.push({ type: 'CooperativeLeftUnion', data: { ...this.base(effectiveOn), cooperativeId: idOf(cooperative) } });
  }

  /** The seat moves: `formerProvinceCode` as the decision records it (the unit in a merged province, else null). */
  relocated(provinceCode: string, effectiveOn: LocalDate, formerProvinceCode: string | null = null): this {
    return this.push({ type: 'OrganizationRelocated', data: { ...this.base(effectiveOn), provinceCode, formerProvinceCode } });
  }

  private base(effectiveOn: LocalDate) {
    return { organizationId: this.id, effectiveOn };
  }

  private push(event: OrganizationEvent): this {
    this.events.push(event);
    return this;
  }
}

function idOf(organization: string | OrganizationStream): string {
  return typeof organization === 'string' ? organization : organization.id;
}

function registration(kind: OrganizationKind, overrides: Partial<RegistrationData>): RegistrationData {
  const n = nextNumber();
  return {
    organizationId: freshId(),
    effectiveOn: '2020-01-15',
    kind,
    name: `${kind} ${n}`,
    registrationNumber: `T-${n}`,
    provinceCode: '91',
    sector: 'agriculture',
    memberCount: kind === 'union' ? null : kind === 'cooperative' ? 7 : 3,
    memberCooperativeIds: [],
    ...NO_PROFILE,
    ...overrides,
  };
}

/** The profile of a registration that gives none: managers and every flag unknown. */
export const NO_PROFILE: Profile = {
  managers: null,
  directorTrained: null,
  valueChain: null,
  highTech: null,
  enterpriseLinked: null,
  digitalAdoption: null,
};

/** A registrar's request to register a cooperative, with a fresh id; `overrides` vary it. */
export function aRegisterCommand(overrides: Partial<RegisterOrganization> = {}): RegisterOrganization {
  return {
    type: 'RegisterOrganization',
    organizationId: freshId(),
    kind: 'cooperative',
    name: 'HTX Nông nghiệp Tân Hiệp',
    registrationNumber: 'KG-0001',
    provinceCode: '91',
    sector: 'agriculture',
    registeredOn: '2024-03-01',
    memberCount: 12,
    ...overrides,
  };
}

export function aCooperative(overrides: Partial<RegistrationData> = {}): OrganizationStream {
  return new OrganizationStream(registration('cooperative', overrides));
}

export function aCooperativeGroup(overrides: Partial<RegistrationData> = {}): OrganizationStream {
  return new OrganizationStream(registration('cooperative_group', overrides));
}

export function aUnion(
  founders: ReadonlyArray<string | OrganizationStream>,
  overrides: Partial<RegistrationData> = {},
): OrganizationStream {
  return new OrganizationStream(
    registration('union', { memberCooperativeIds: founders.map(idOf), ...overrides }),
  );
}

export function aTarget(overrides: Partial<Target> = {}): Target {
  return {
    metric: 'cooperatives',
    op: 'approximately',
    value: 700,
    deadline: '2030-12-31',
    quote: '700 hợp tác xã với 100.000 thành viên',
    ...overrides,
  };
}

export class PlanStream {
  readonly events: PlanEvent[];

  constructor(adoption: PlanAdopted['data']) {
    this.events = [{ type: 'PlanAdopted', data: adoption }];
  }

  get id(): string {
    return this.events[0].data.planId;
  }

  history(): PlanHistory {
    return foldPlanHistory(this.events) as PlanHistory;
  }

  amended(change: Omit<PlanAmended['data'], 'planId' | 'reason'> & { reason?: string }): this {
    this.events.push({ type: 'PlanAmended', data: { planId: this.id, reason: 'Amended', ...change } });
    return this;
  }

  ended(end: { effectiveOn: string; supersededBy?: string | null; reason?: string; document?: string | null }): this {
    this.events.push({
      type: 'PlanEnded',
      data: { planId: this.id, reason: 'Ended', supersededBy: null, document: null, ...end },
    });
    return this;
  }
}

export function aPlan(overrides: Partial<PlanAdopted['data']> = {}): PlanStream {
  const adoptedOn = overrides.adoptedOn ?? '2023-10-20';
  return new PlanStream({
    planId: `plan-${nextNumber()}-${freshId().slice(0, 8)}`,
    provinceCode: '91',
    document: '251/KH-UBND',
    title: 'Kế hoạch phát triển kinh tế tập thể',
    issuer: 'Ủy ban nhân dân tỉnh',
    adoptedOn,
    source: null,
    note: null,
    targets: [aTarget()],
    effectiveOn: adoptedOn,
    ...overrides,
  });
}
