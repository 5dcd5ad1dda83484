import type { AdministrativeMap, Managers, OrganizationCommand, OrganizationKind, OrganizationStatus, Rating, Sector } from '@ktt/domain';

/**
 * An independent model of one province's registry, written from domain.md
 * alone ("Lifecycle", "Two clocks", "Metrics") for the property test next to
 * it. It shares no code with production: no fold, no timeline, no SQL. Every
 * attribute keeps its whole list of changes, and a question "as of X" picks
 * the change with the greatest effective date ≤ X, ties going to the one
 * recorded later (the higher `seq`).
 *
 * The map of provinces (domain.md, "Administrative units") is reference
 * data, not code under test: given one, the model reads from it only which
 * first-map provinces (units) make up a code on a date (`unitsOf`) and which
 * province holds a unit on a date (`provinceOfUnit`). Everything else it
 * folds itself: an organization's seat is a unit, `formerProvinceCode ??
 * provinceCode` of its registration, then of each relocation from its
 * effective date; a territory's metrics count the organizations whose seat
 * at X is one of its units.
 */

export type LocalDate = string;

export const FLAGS = ['valueChain', 'highTech', 'enterpriseLinked', 'digitalAdoption', 'directorTrained'] as const;
export type Flag = (typeof FLAGS)[number];

const MINIMUM_MEMBERS: Record<string, number> = { cooperative: 5, cooperative_group: 2 };
/** The status each lifecycle command leaves the organization in (domain.md, "Lifecycle"). */
const STATUS_AFTER = {
  SuspendOrganization: 'suspended',
  FindOrganizationDormant: 'dormant',
  ResumeOrganization: 'active',
  DissolveOrganization: 'dissolved',
} as const satisfies Record<string, OrganizationStatus>;

interface Change<T> {
  effectiveOn: LocalDate;
  /** Recording order within the history: later recorded = higher. */
  seq: number;
  value: T;
  /** The caller's name for the record that made the change (`record`'s `key`), so a correction can retract it. */
  key?: number;
}

export interface ModelRating {
  rating: Rating;
  year: number;
  ratedOn: LocalDate;
}

export interface ModelOrganization {
  id: string;
  kind: OrganizationKind;
  sector: Sector;
  /** As the registration named it. */
  provinceCode: string;
  registeredOn: LocalDate;
  /** The seat's unit (a first-map province code): the registration's, then each relocation's. */
  seat: Change<string>[];
  memberCount: Change<number | null>[];
  rating: Change<ModelRating | null>[];
  managers: Change<Managers | null>[];
  /** null: unknown (domain.md, "profile flags": an omitted flag is unknown, not false). */
  flags: Record<Flag, Change<boolean | null>[]>;
  /** Lifecycle events after registration (suspended, dormant, active on resume, dissolved). */
  lifecycle: Change<OrganizationStatus>[];
  /** The dissolution's mode, once dissolved. */
  dissolutionMode: 'voluntary' | 'compulsory' | null;
  /** Unions: per cooperative, its joins (true) and leaves (false); founding is a join on the registration date. */
  pairs: Map<string, Change<boolean>[]>;
}

/** The state of domain.md / api.md that the test compares, as of one date. */
export interface ModelState {
  id: string;
  kind: OrganizationKind;
  sector: Sector;
  status: OrganizationStatus;
  registeredOn: LocalDate;
  dissolvedOn: LocalDate | null;
  memberCount: number | null;
  rating: ModelRating | null;
  managers: Managers | null;
  valueChain: boolean | null;
  highTech: boolean | null;
  enterpriseLinked: boolean | null;
  digitalAdoption: boolean | null;
  directorTrained: boolean | null;
  memberCooperativeIds: string[];
  unionIds: string[];
}

export type ModelMetrics = Record<string, number | null>;

export const FLOW_NAMES = [
  'registered',
  'dissolvedVoluntary',
  'dissolvedCompulsory',
  'suspended',
  'foundDormant',
  'resumed',
  'relocatedIn',
  'relocatedOut',
  'reorganizedIn',
  'reorganizedOut',
] as const;
export type ModelFlows = Record<OrganizationKind, Record<(typeof FLOW_NAMES)[number], number>>;

/** A reorganization as a territory sees it: the units that join it or leave it, and the day before it took effect. */
export interface TerritoryChange {
  dayBefore: LocalDate;
  joining: readonly string[];
  leaving: readonly string[];
}

const previousDay = (date: LocalDate): LocalDate => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** The change in force at X: greatest effective date ≤ X, ties → the later recorded. */
function inForce<T>(changes: Change<T>[], asOf: LocalDate): Change<T> | undefined {
  let best: Change<T> | undefined;
  for (const change of changes) {
    if (change.effectiveOn > asOf) continue;
    if (!best || change.effectiveOn > best.effectiveOn || (change.effectiveOn === best.effectiveOn && change.seq > best.seq)) {
      best = change;
    }
  }
  return best;
}

/** The latest of a list by (effective date, recording order), regardless of any date. */
function latest<T>(changes: Change<T>[]): Change<T> | undefined {
  return inForce(changes, '9999-12-31');
}

export class RegistryModel {
  readonly organizations = new Map<string, ModelOrganization>();
  private seq = 0;

  /**
   * `provinceCode`: the territory `metricsAt` answers for (one unit). With a
   * `map`, the seats of registrations and relocations are judged on the map
   * of their effective dates, as domain.md says; without one, any seat is
   * taken as given (its code is its unit).
   */
  constructor(
    readonly provinceCode: string,
    readonly today: LocalDate,
    readonly map?: AdministrativeMap,
  ) {}

  get(id: string): ModelOrganization | undefined {
    return this.organizations.get(id);
  }

  all(): ModelOrganization[] {
    return [...this.organizations.values()];
  }

  /** The dissolution date, if one is recorded (only one can be: dissolution is terminal). */
  dissolvedOn(org: ModelOrganization): LocalDate | null {
    return org.lifecycle.find((event) => event.value === 'dissolved')?.effectiveOn ?? null;
  }

  /** Registered on or before X and not dissolved on or before X. */
  exists(org: ModelOrganization, asOf: LocalDate): boolean {
    const dissolvedOn = this.dissolvedOn(org);
    return org.registeredOn <= asOf && (dissolvedOn === null || asOf < dissolvedOn);
  }

  /** The status after the latest lifecycle event recorded (lifecycle events come in non-decreasing effective order). */
  latestLifecycle(org: ModelOrganization): { status: OrganizationStatus; effectiveOn: LocalDate } {
    const last = latest(org.lifecycle);
    return last ? { status: last.value, effectiveOn: last.effectiveOn } : { status: 'active', effectiveOn: org.registeredOn };
  }

  statusAt(org: ModelOrganization, asOf: LocalDate): OrganizationStatus {
    return inForce(org.lifecycle, asOf)?.value ?? 'active';
  }

  /** A membership holds from its join date up to, not including, its leave date. */
  memberAt(union: ModelOrganization, cooperativeId: string, asOf: LocalDate): boolean {
    return inForce(union.pairs.get(cooperativeId) ?? [], asOf)?.value ?? false;
  }

  latestPair(union: ModelOrganization, cooperativeId: string): Change<boolean> | undefined {
    return latest(union.pairs.get(cooperativeId) ?? []);
  }

  /** The seat's unit at X (the registration's before any relocation in force). */
  seatAt(org: ModelOrganization, asOf: LocalDate): string {
    return (inForce(org.seat, asOf) ?? org.seat[0]).value;
  }

  /**
   * Why a seat named by a command is refused on the map of `date`, or null:
   * a code that never named a province; one not in force on that date; a
   * province of several units without a former province that is one of them;
   * a former province that is not the unit of a province of one unit.
   */
  seatRefusal(seat: { provinceCode: string; formerProvinceCode?: string | null }, date: LocalDate): string | null {
    if (!this.map) return null;
    if (!this.map.isKnownProvinceCode(seat.provinceCode)) return `${seat.provinceCode} never named a province`;
    const units = this.map.unitsOf(seat.provinceCode, date);
    if (units === null) return `${seat.provinceCode} is not in force on ${date}`;
    const former = seat.formerProvinceCode ?? null;
    if (former === null) return units.length === 1 ? null : `${seat.provinceCode} on ${date} needs a former province (one of ${units.join(', ')})`;
    return units.includes(former) ? null : `${former} is not a former province of ${seat.provinceCode} on ${date}`;
  }

  /** Every effective date recorded for the organization (registration included). */
  datesOf(org: ModelOrganization): LocalDate[] {
    const lists: Change<unknown>[][] = [org.seat, org.memberCount, org.rating, org.managers, org.lifecycle, ...FLAGS.map((f) => org.flags[f]), ...org.pairs.values()];
    return [...new Set([org.registeredOn, ...lists.flat().map((change) => change.effectiveOn)])].sort();
  }

  /**
   * Whether domain.md (and the documented rules of the domain layer) accept
   * the command against this history: null when accepted, else why not.
   * Judged by effective dates only.
   */
  refusal(command: OrganizationCommand): string | null {
    if (command.type === 'RegisterOrganization') {
      if (this.organizations.has(command.organizationId)) return 'id taken';
      if (command.registeredOn > this.today) return 'in the future';
      const seat = this.seatRefusal(command, command.registeredOn);
      if (seat) return seat;
      if (command.kind !== 'union') return (command.memberCount ?? 0) < MINIMUM_MEMBERS[command.kind] ? 'below minimum' : null;
      const founders = command.memberCooperativeIds ?? [];
      if (founders.length < 3 || new Set(founders).size !== founders.length) return 'fewer than 3 distinct founders';
      for (const id of founders) {
        const founder = this.organizations.get(id);
        if (!founder || founder.kind !== 'cooperative') return `founder ${id} is not a cooperative`;
        if (!this.exists(founder, command.registeredOn)) return `founder ${id} does not exist on ${command.registeredOn}`;
      }
      return null;
    }
    const org = this.organizations.get(command.organizationId);
    if (!org) return 'unknown organization';
    const date = command.type === 'RateOrganization' ? command.ratedOn : (command as { effectiveOn: string }).effectiveOn;
    if (date > this.today) return 'in the future';
    // "Nothing may be dated before registration"; "a change dated on or after the dissolution date is refused".
    if (!this.exists(org, date)) return `${org.kind} does not exist on ${date}`;
    const lifecycle = this.latestLifecycle(org);
    const transition = (allowed: OrganizationStatus[]) => {
      if (date < lifecycle.effectiveOn) return `lifecycle dated ${date} before the latest (${lifecycle.effectiveOn})`;
      return allowed.includes(lifecycle.status) ? null : `not allowed from ${lifecycle.status}`;
    };
    switch (command.type) {
      case 'RateOrganization':
        if (org.kind === 'cooperative_group') return 'groups are not rated';
        if (command.year > Number(command.ratedOn.slice(0, 4))) return 'year after ratedOn';
        return command.year < Number(org.registeredOn.slice(0, 4)) ? 'year before registration' : null;
      case 'ChangeMemberCount':
        if (org.kind === 'union') return 'a union has no member count';
        return command.memberCount < MINIMUM_MEMBERS[org.kind] ? 'below minimum' : null;
      case 'ChangeProfile':
        return null;
      // A move of the seat is judged by its date like any change, and its seat on the map of that date. Two
      // rules of the product's own (domain.md leaves them open): moves are recorded in date order (a seat
      // has one history; a tie with the latest is allowed), and a move goes somewhere else.
      case 'RelocateOrganization': {
        const seat = this.seatRefusal(command, date);
        if (seat) return seat;
        const latestMove = org.seat.slice(1).map((change) => change.effectiveOn).sort().at(-1);
        if (latestMove !== undefined && date < latestMove) return `moved before the latest move (${latestMove})`;
        return this.seatAt(org, date) === (command.formerProvinceCode ?? command.provinceCode) ? 'already seated there' : null;
      }
      case 'SuspendOrganization':
        return transition(['active']);
      case 'FindOrganizationDormant':
        return transition(['active', 'suspended']);
      case 'ResumeOrganization':
        return transition(['suspended', 'dormant']);
      case 'DissolveOrganization':
        return transition(['active', 'suspended', 'dormant']);
      case 'JoinUnion': {
        if (org.kind !== 'union') return 'not a union';
        const cooperative = this.organizations.get(command.cooperativeId);
        if (!cooperative || cooperative.kind !== 'cooperative') return 'not a cooperative';
        if (!this.exists(cooperative, date)) return `cooperative does not exist on ${date}`;
        const last = this.latestPair(org, command.cooperativeId);
        if (last?.value) return 'already a member';
        return last && date < last.effectiveOn ? 'before the latest leave' : null;
      }
      case 'LeaveUnion': {
        if (org.kind !== 'union') return 'not a union';
        const last = this.latestPair(org, command.cooperativeId);
        if (!last?.value) return 'not a member';
        return date <= last.effectiveOn ? 'not after the join' : null;
      }
      default:
        return 'unknown command';
    }
  }

  /** Folds an accepted command. */
  record(command: OrganizationCommand, key?: number): void {
    const seq = ++this.seq;
    if (command.type === 'RegisterOrganization') {
      const on = command.registeredOn;
      const initial = <T>(value: T): Change<T>[] => [{ effectiveOn: on, seq, value }];
      const org: ModelOrganization = {
        id: command.organizationId,
        kind: command.kind,
        sector: command.sector,
        provinceCode: command.provinceCode,
        registeredOn: on,
        seat: initial(command.formerProvinceCode ?? command.provinceCode),
        memberCount: initial(command.kind === 'union' ? null : (command.memberCount ?? null)),
        rating: initial<ModelRating | null>(null),
        // An omitted (or null) `managers` or flag is unknown.
        managers: initial(command.managers ? { ...command.managers } : null),
        flags: Object.fromEntries(FLAGS.map((flag) => [flag, initial(command[flag] ?? null)])) as Record<Flag, Change<boolean | null>[]>,
        lifecycle: [],
        dissolutionMode: null,
        pairs: new Map((command.memberCooperativeIds ?? []).map((id) => [id, initial(true)])),
      };
      this.organizations.set(org.id, org);
      return;
    }
    const org = this.organizations.get(command.organizationId)!;
    const at = (effectiveOn: LocalDate) => ({ effectiveOn, seq });
    switch (command.type) {
      case 'RateOrganization':
        org.rating.push({ ...at(command.ratedOn), value: { rating: command.rating, year: command.year, ratedOn: command.ratedOn } });
        return;
      case 'ChangeMemberCount':
        org.memberCount.push({ ...at(command.effectiveOn), value: command.memberCount });
        return;
      case 'ChangeProfile':
        // Given null: back to unknown.
        if (command.managers !== undefined) org.managers.push({ ...at(command.effectiveOn), value: command.managers === null ? null : { ...command.managers } });
        for (const flag of FLAGS) {
          const value = command[flag];
          if (value !== undefined) org.flags[flag].push({ ...at(command.effectiveOn), value });
        }
        return;
      case 'RelocateOrganization':
        org.seat.push({ ...at(command.effectiveOn), value: command.formerProvinceCode ?? command.provinceCode, key });
        return;
      case 'SuspendOrganization':
      case 'FindOrganizationDormant':
      case 'ResumeOrganization':
      case 'DissolveOrganization':
        org.lifecycle.push({ ...at(command.effectiveOn), value: STATUS_AFTER[command.type] });
        if (command.type === 'DissolveOrganization') org.dissolutionMode = command.mode;
        return;
      case 'JoinUnion':
      case 'LeaveUnion': {
        const pair = org.pairs.get(command.cooperativeId) ?? [];
        pair.push({ ...at(command.effectiveOn), value: command.type === 'JoinUnion' });
        org.pairs.set(command.cooperativeId, pair);
        return;
      }
    }
  }

  /**
   * A correction retracts a relocation from the moment it is recorded (domain.md, "Two clocks"):
   * folded from then on, the move recorded under `key` never happened.
   */
  retractRelocation(organizationId: string, key: number): void {
    const org = this.organizations.get(organizationId)!;
    org.seat = org.seat.filter((change, i) => i === 0 || change.key !== key);
  }

  /**
   * domain.md, "Ratings": among the ratings decided on or before X, the greatest year assessed;
   * of one year, the latest ratedOn; of one day, the later recorded. None once that one's year is
   * more than two years before X's (in force through 31 December of year + 2).
   */
  ratingAt(org: ModelOrganization, asOf: LocalDate): ModelRating | null {
    let best: Change<ModelRating | null> | undefined;
    for (const change of org.rating) {
      const r = change.value;
      if (r === null || r.ratedOn > asOf) continue;
      const b = best?.value;
      if (!b || r.year > b.year || (r.year === b.year && (r.ratedOn > b.ratedOn || (r.ratedOn === b.ratedOn && change.seq > best!.seq)))) best = change;
    }
    const rating = best?.value ?? null;
    return rating !== null && Number(asOf.slice(0, 4)) <= rating.year + 2 ? rating : null;
  }

  /** The organization as of X; null before its registration (a dissolved one is still answered, as dissolved). */
  stateAt(org: ModelOrganization, asOf: LocalDate): ModelState | null {
    if (org.registeredOn > asOf) return null;
    const status = this.statusAt(org, asOf);
    const flag = (name: Flag) => inForce(org.flags[name], asOf)!.value;
    const dissolved = status === 'dissolved';
    // The dissolution of either side ends a membership.
    const memberCooperativeIds =
      org.kind !== 'union' || dissolved
        ? []
        : [...org.pairs.keys()].filter((id) => this.memberAt(org, id, asOf) && this.exists(this.organizations.get(id)!, asOf)).sort();
    const unionIds =
      org.kind !== 'cooperative' || dissolved
        ? []
        : this.all()
            .filter((union) => union.kind === 'union' && this.exists(union, asOf) && this.memberAt(union, org.id, asOf))
            .map((union) => union.id)
            .sort();
    return {
      id: org.id,
      kind: org.kind,
      sector: org.sector,
      status,
      registeredOn: org.registeredOn,
      dissolvedOn: dissolved ? this.dissolvedOn(org) : null,
      memberCount: inForce(org.memberCount, asOf)!.value,
      rating: this.ratingAt(org, asOf),
      managers: inForce(org.managers, asOf)!.value,
      valueChain: flag('valueChain'),
      highTech: flag('highTech'),
      enterpriseLinked: flag('enterpriseLinked'),
      digitalAdoption: flag('digitalAdoption'),
      directorTrained: flag('directorTrained'),
      memberCooperativeIds,
      unionIds,
    };
  }

  /**
   * domain.md, "Flows", over [from, to] per kind: on each day d of the period where an
   * organization has a record, what changed between the day before and d (several records of one
   * day count as their net change: suspended and resumed the same day is neither), counted in the
   * territory `territoryOn(d)` (null: the code names no province that day, nothing counts) —
   * registered, suspended, found dormant, resumed, dissolved (by mode) where its seat on d is in
   * it; relocated in where its seat moved into it on d, out where it moved out. `changes`: the
   * reorganizations in the period that move units into or out of the territory (none for fixed
   * boundaries): the organizations existing the day before, seated in a unit that joins (leaves).
   */
  flowsOver(territoryOn: (date: LocalDate) => readonly string[] | null, from: LocalDate, to: LocalDate, changes: readonly TerritoryChange[]): ModelFlows {
    const zero = () => Object.fromEntries(FLOW_NAMES.map((name) => [name, 0])) as Record<(typeof FLOW_NAMES)[number], number>;
    const flows: ModelFlows = { cooperative_group: zero(), cooperative: zero(), union: zero() };
    for (const org of this.all()) {
      const add = (name: (typeof FLOW_NAMES)[number]) => flows[org.kind][name]++;
      for (const day of this.datesOf(org).filter((d) => d >= from && d <= to)) {
        const territory = territoryOn(day);
        if (territory === null) continue;
        const before = org.registeredOn < day ? { status: this.statusAt(org, previousDay(day)), seat: this.seatAt(org, previousDay(day)) } : null;
        const after = { status: this.statusAt(org, day), seat: this.seatAt(org, day) };
        const wasIn = before !== null && territory.includes(before.seat);
        if (!territory.includes(after.seat)) {
          if (wasIn) add('relocatedOut');
          continue;
        }
        if (before === null) add('registered');
        else if (!wasIn) add('relocatedIn');
        if (after.status === before?.status) continue;
        if (after.status === 'suspended') add('suspended');
        if (after.status === 'dormant') add('foundDormant');
        if (after.status === 'active' && before !== null) add('resumed');
        if (after.status === 'dissolved') add(org.dissolutionMode === 'compulsory' ? 'dissolvedCompulsory' : 'dissolvedVoluntary');
      }
    }
    for (const change of changes) {
      for (const org of this.all()) {
        if (!this.exists(org, change.dayBefore)) continue;
        const seat = this.seatAt(org, change.dayBefore);
        if (change.joining.includes(seat)) flows[org.kind].reorganizedIn++;
        if (change.leaving.includes(seat)) flows[org.kind].reorganizedOut++;
      }
    }
    return flows;
  }

  /** domain.md, "Metrics", read literally, for this province at X, with no population known. */
  metricsAt(asOf: LocalDate): ModelMetrics {
    return this.metricsOn([this.provinceCode], asOf, null);
  }

  /** The metrics and their coverage for this province at X, with no population known (what `metricsAt` of the read models answers). */
  measuredAt(asOf: LocalDate): { metrics: ModelMetrics; coverage: ModelMetrics } {
    return this.measuredOn([this.provinceCode], asOf, null);
  }

  /** The metrics and their coverage for the territory made of `units` at X. */
  measuredOn(units: readonly string[], asOf: LocalDate, population: number | null): { metrics: ModelMetrics; coverage: ModelMetrics } {
    return { metrics: this.metricsOn(units, asOf, population), coverage: this.coverageOn(units, asOf) };
  }

  /** The organizations that exist at X with their seat at X in one of `units`, as of X. */
  private existingIn(units: readonly string[], asOf: LocalDate): ModelState[] {
    return this.all()
      .filter((org) => this.exists(org, asOf) && units.includes(this.seatAt(org, asOf)))
      .map((org) => this.stateAt(org, asOf)!);
  }

  /**
   * domain.md, "Metrics", read literally, for the territory made of `units`
   * at X: the organizations that exist at X with their seat at X in one of
   * them. `population`: the territory's for the year of X, or null. A share
   * built on a flag or on `managers` counts only the organizations whose
   * value is known (true, false or a managers figure): unknown ones are in
   * neither side of it.
   */
  metricsOn(units: readonly string[], asOf: LocalDate, population: number | null): ModelMetrics {
    const inTerritory = (org: ModelOrganization) => this.exists(org, asOf) && units.includes(this.seatAt(org, asOf));
    const existing = this.existingIn(units, asOf);
    const { groups, cooperatives, unions, rated, cooperativesGoodFair, ratedGoodFair, agricultural } = scopes(existing);
    const sum = (xs: ModelState[], f: (s: ModelState) => number) => xs.reduce((total, s) => total + f(s), 0);
    const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);
    const count = (xs: ModelState[], f: (s: ModelState) => boolean) => xs.filter(f).length;
    // Of the organizations whose flag is known, the share that have it.
    const flagShare = (xs: ModelState[], flag: Flag) => share(count(xs, (s) => s[flag] === true), count(xs, (s) => s[flag] !== null));

    // Distinct cooperatives with a membership in force at X, both sides existing, of at least one union
    // seated in the territory at X ("20 HTX thành viên" counts cooperatives, not memberships).
    const unionMembers = new Set<string>();
    for (const union of this.all()) {
      if (union.kind !== 'union' || !inTerritory(union)) continue;
      for (const cooperativeId of union.pairs.keys()) {
        if (this.memberAt(union, cooperativeId, asOf) && this.exists(this.organizations.get(cooperativeId)!, asOf)) unionMembers.add(cooperativeId);
      }
    }
    const unionMemberCooperatives = unionMembers.size;

    const managersKnown = cooperatives.filter((s) => s.managers !== null);
    return {
      cooperative_groups: groups.length,
      cooperative_group_members: sum(groups, (s) => s.memberCount!),
      cooperatives: cooperatives.length,
      cooperative_members: sum(cooperatives, (s) => s.memberCount!),
      unions: unions.length,
      union_member_cooperatives: unionMemberCooperatives,
      cooperatives_good_or_fair_share: share(cooperativesGoodFair.length, cooperatives.length),
      rated_organizations_good_or_fair_share: share(ratedGoodFair.length, rated.length),
      cooperatives_good_or_fair_in_value_chain_share: flagShare(cooperativesGoodFair, 'valueChain'),
      rated_organizations_good_or_fair_in_value_chain_share: flagShare(ratedGoodFair, 'valueChain'),
      rated_organizations_value_chain_share: flagShare(rated, 'valueChain'),
      // Σ withDegree ÷ Σ total over the cooperatives whose managers are known.
      managers_with_degree_share: share(
        sum(managersKnown, (s) => s.managers!.withDegree),
        sum(managersKnown, (s) => s.managers!.total),
      ),
      directors_trained_share: flagShare(cooperatives, 'directorTrained'),
      // A count of the known-true.
      high_tech_agricultural_cooperatives: count(agricultural, (s) => s.highTech === true),
      agricultural_cooperatives_enterprise_linked_share: flagShare(agricultural, 'enterpriseLinked'),
      dormant_cooperatives: count(cooperatives, (s) => s.status === 'dormant'),
      suspended_cooperatives: count(cooperatives, (s) => s.status === 'suspended'),
      organizations_digital_adoption_share: flagShare(existing, 'digitalAdoption'),
      // An approximation (domain.md): member counts over the territory's population.
      population_share: population === null ? null : (sum(groups, (s) => s.memberCount!) + sum(cooperatives, (s) => s.memberCount!)) / population,
    };
  }

  /**
   * api.md, "coverage": for each metric built on a flag or on `managers`, the organizations of its scope
   * whose value is known ÷ the organizations of its scope; null when the scope is empty.
   */
  coverageOn(units: readonly string[], asOf: LocalDate): ModelMetrics {
    const existing = this.existingIn(units, asOf);
    const { cooperatives, rated, cooperativesGoodFair, ratedGoodFair, agricultural } = scopes(existing);
    const known = (xs: ModelState[], value: (s: ModelState) => unknown) => (xs.length === 0 ? null : xs.filter((s) => value(s) !== null).length / xs.length);
    return {
      cooperatives_good_or_fair_in_value_chain_share: known(cooperativesGoodFair, (s) => s.valueChain),
      rated_organizations_good_or_fair_in_value_chain_share: known(ratedGoodFair, (s) => s.valueChain),
      rated_organizations_value_chain_share: known(rated, (s) => s.valueChain),
      managers_with_degree_share: known(cooperatives, (s) => s.managers),
      directors_trained_share: known(cooperatives, (s) => s.directorTrained),
      high_tech_agricultural_cooperatives: known(agricultural, (s) => s.highTech),
      agricultural_cooperatives_enterprise_linked_share: known(agricultural, (s) => s.enterpriseLinked),
      organizations_digital_adoption_share: known(existing, (s) => s.digitalAdoption),
    };
  }
}

/** The scopes of the metrics (domain.md, "Metrics") among the organizations that exist. */
function scopes(existing: ModelState[]) {
  const goodOrFair = (s: ModelState) => s.rating?.rating === 'good' || s.rating?.rating === 'fair';
  const cooperatives = existing.filter((s) => s.kind === 'cooperative');
  const rated = existing.filter((s) => s.kind === 'cooperative' || s.kind === 'union');
  return {
    groups: existing.filter((s) => s.kind === 'cooperative_group'),
    cooperatives,
    unions: existing.filter((s) => s.kind === 'union'),
    rated,
    cooperativesGoodFair: cooperatives.filter(goodOrFair),
    ratedGoodFair: rated.filter(goodOrFair),
    // An agricultural cooperative: of sector agriculture or fisheries (domain.md, "Glossary").
    agricultural: cooperatives.filter((s) => s.sector === 'agriculture' || s.sector === 'fisheries'),
  };
}
