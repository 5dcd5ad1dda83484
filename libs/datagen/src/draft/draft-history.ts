import type {
  ChangeProfile,
  DissolutionMode,
  LocalDate,
  Managers,
  OrganizationCommand,
  OrganizationKind,
  ProfileFields,
  Rating,
  Sector,
} from '@ktt/domain';
import { COMMON_SUSPENSION_REASONS, COVID_SUSPENSION_REASON, type ProvinceVocabulary } from '../demo/demo-places';
import { addDays, maxDate, Random, uuidV5 } from '../random';

/**
 * An organization's drawn history ("draft"), shared by the demo (two provinces,
 * through the command path) and the national generator (every province, decided
 * in memory): sizes of a province, the draws of its organizations, their names
 * and numbers, and the commands that record them. Each organization draws from
 * random streams of its own (derived from the seed and its key), and its
 * history is drawn over a fixed window and then cut at today, so a rerun on
 * a later day yields the same commands for the same days plus the new ones.
 */

const EARLIEST_REGISTRATION_YEAR = 2005;
/** Registration dates and lifecycle events are drawn up to here, whatever today is (stable plans). */
const WINDOW_END: LocalDate = '2027-12-31';
/** Law 17/2023/QH15 in force: before it, the 2012 law asked 7 members of a cooperative. */
const LAW_2023_IN_FORCE: LocalDate = '2024-07-01';
/** Organizations registered since then start with a better profile (trained directors, degrees, linkages). */
const RECENT_FROM: LocalDate = '2018-01-01';

export type Weights<T> = readonly (readonly [T, number])[];

/** What every draw of one data set shares: the seed, the window of its history, and a few rates. */
export interface DrawSettings {
  seed: number;
  /** The history starts here: organizations registered earlier are recorded on this day, with their registration only. */
  historyFrom: LocalDate;
  /** Yearly attributes (member counts, profiles, ratings) are drawn up to this year (a later one only adds draws). */
  lastYear: number;
  /** Put before `<seed>:<key>` in the name of each organization's id, so two data sets of one seed differ. */
  idPrefix: string;
  /** Yearly chance that a cooperative's or group's member count changes. */
  memberChanges: { cooperative: number; cooperative_group: number };
  /** Added to every rating score (out of 100): calibrates the share rated good or fair. */
  ratingOffset: number;
}

/** The settings of a data set whose history runs from `historyFrom` to `today` (attributes drawn a year beyond); the rates default to the demo's. */
export function drawSettings(
  seed: number,
  historyFrom: LocalDate,
  today: LocalDate,
  options: Partial<Pick<DrawSettings, 'idPrefix' | 'memberChanges' | 'ratingOffset'>> = {},
): DrawSettings {
  const lastYear = Math.max(Number(WINDOW_END.slice(0, 4)), Number(today.slice(0, 4)) + 1);
  return {
    seed,
    historyFrom,
    lastYear,
    idPrefix: options.idPrefix ?? '',
    memberChanges: options.memberChanges ?? { cooperative: 0.45, cooperative_group: 0.2 },
    ratingOffset: options.ratingOffset ?? 0,
  };
}

export interface ProvinceSizes {
  vocabulary: ProvinceVocabulary;
  cooperatives: {
    asOf: LocalDate;
    agricultural: number;
    other: number;
    agriculturalSectors: Weights<Sector>;
    otherSectors: Weights<Sector>;
    /** Share of cooperatives already registered before 2018. */
    before2018: number;
    memberMedian: Partial<Record<Sector, number>>;
  };
  groups: {
    asOf: LocalDate;
    count: number;
    /** What domain.md gives for the member sum at `asOf` (reported next to the drawn sum), where it gives one. */
    members?: number;
    sectors: Weights<Sector>;
    before2018: number;
    members0: (random: Random) => number;
  };
}

export interface PlannedCommand {
  /** Idempotency key: stable across reruns (seed, organization key, index in its history). */
  key: string;
  command: OrganizationCommand;
  effectiveOn: LocalDate;
  /** When the registry "learns" it: the effective date, or later for a late record. Orders the sending. */
  recordOn: LocalDate;
  /** Union commands read other organizations' histories: sent after the others of their month. */
  union: boolean;
  organizationOrder: number;
  seq: number;
}

export interface PlannedOrganization {
  key: string;
  id: string;
  kind: OrganizationKind;
  provinceCode: string;
  sector: Sector;
  name: string;
  registrationNumber: string;
  registeredOn: LocalDate;
  dissolvedOn: LocalDate | null;
}

export interface CalibrationLine {
  provinceCode: string;
  what: string;
  asOf: LocalDate;
  target: number;
  actual: number;
}

// ---------------------------------------------------------------------------
// Drafts: an organization's drawn history, before names, numbers and commands.

type LifecycleStep =
  | { type: 'suspend'; date: LocalDate; reason: string; until: LocalDate }
  | { type: 'dormant'; date: LocalDate; finding: string }
  | { type: 'resume'; date: LocalDate }
  | { type: 'dissolve'; date: LocalDate; mode: DissolutionMode; decisionRef: string };

type AttributeStep =
  | { type: 'members'; date: LocalDate; recordOn: LocalDate; memberCount: number }
  | { type: 'profile'; date: LocalDate; recordOn: LocalDate; changes: ProfileChanges }
  | { type: 'rating'; date: LocalDate; recordOn: LocalDate; rating: Rating; year: number }
  | { type: 'join'; date: LocalDate; cooperative: Draft }
  | { type: 'leave'; date: LocalDate; cooperative: Draft };

/** The fields of a profile change: those of the domain's command. */
type ProfileChanges = Omit<ChangeProfile, 'type' | 'organizationId' | 'effectiveOn'>;

/** The domain's profile fields, every one known (`managers` null where unknown). */
type Profile = Required<Omit<ProfileFields, 'managers'>> & { managers: Managers | null };

export interface Draft {
  settings: DrawSettings;
  key: string;
  id: string;
  kind: OrganizationKind;
  vocabulary: ProvinceVocabulary;
  sector: Sector;
  district: string;
  baseName: string;
  name: string;
  registrationNumber: string;
  registeredOn: LocalDate;
  memberCount: number | null;
  profile: Profile;
  founders: Draft[];
  lifecycle: LifecycleStep[];
  attributes: AttributeStep[];
  dissolvedOn: LocalDate | null;
}

function dissolvedOn(lifecycle: LifecycleStep[]): LocalDate | null {
  return lifecycle.find((step) => step.type === 'dissolve')?.date ?? null;
}

function statusOn(draft: Draft, date: LocalDate): 'active' | 'suspended' | 'dormant' | 'dissolved' {
  let status: 'active' | 'suspended' | 'dormant' | 'dissolved' = 'active';
  for (const step of draft.lifecycle) {
    if (step.date > date) break;
    status = step.type === 'suspend' ? 'suspended' : step.type === 'dormant' ? 'dormant' : step.type === 'resume' ? 'active' : 'dissolved';
  }
  return status;
}

export function existsOn(draft: Draft, date: LocalDate): boolean {
  return draft.registeredOn <= date && (draft.dissolvedOn === null || draft.dissolvedOn > date);
}

/** An attribute change may be dated from the later of registration and the history's start, and before the dissolution. */
function attributeDateOk(draft: Draft, date: LocalDate): boolean {
  return date > draft.registeredOn && date >= draft.settings.historyFrom && (draft.dissolvedOn === null || date < draft.dissolvedOn);
}

const REGISTRATION_YEAR_WEIGHTS: Weights<number> = [
  [2018, 1.0], [2019, 1.1], [2020, 0.9], [2021, 1.0], [2022, 1.15], [2023, 1.25],
  [2024, 1.25], [2025, 1.15], [2026, 1.1], [2027, 1.1],
];
const EARLY_YEAR_WEIGHTS: Weights<number> = Array.from(
  { length: 2017 - EARLIEST_REGISTRATION_YEAR + 1 },
  (_, i) => [EARLIEST_REGISTRATION_YEAR + i, 1 + i * 0.25] as const,
);

function drawRegistrationDate(random: Random, before2018: number): LocalDate {
  const year = random.chance(before2018) ? random.weighted(EARLY_YEAR_WEIGHTS) : random.weighted(REGISTRATION_YEAR_WEIGHTS);
  return random.date(`${year}-01-03`, `${year}-12-28`);
}

function drawPlace(random: Random, vocabulary: ProvinceVocabulary) {
  const district = random.pick(vocabulary.districts);
  const commune = random.pick(district.communes);
  return { district: district.name, commune };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const FINDINGS = [
  'không còn hoạt động tại trụ sở đăng ký',
  'không tổ chức đại hội thành viên thường niên ba năm liền',
  'không phát sinh doanh thu, không nộp báo cáo tài chính',
  'thành viên đã rút hết vốn góp, bộ máy quản lý không còn',
];

function decisionRef(random: Random, mode: DissolutionMode, kind: OrganizationKind): string {
  if (mode === 'compulsory') return `QĐ ${random.int(15, 1890)}/QĐ-UBND`;
  return kind === 'cooperative_group' ? `TB ${random.int(1, 240)}/TB-UBND` : `NQ ${random.int(1, 12)}/NQ-ĐHTV`;
}

function suspensionReason(random: Random, vocabulary: ProvinceVocabulary, date: LocalDate): string {
  if (date >= '2020-03-01' && date <= '2021-12-31' && random.chance(0.6)) return COVID_SUSPENSION_REASON;
  const local = vocabulary.localSuspensionReasons.filter((r) => (r.from ?? date) <= date && date <= (r.to ?? date));
  return random.chance(0.35) && local.length > 0 ? random.pick(local).reason : random.pick(COMMON_SUSPENSION_REASONS);
}

interface LifecycleRates {
  suspend: number;
  dormant: number;
  dissolve: number;
}

/** Suspension (with a notice of up to 12 months), dormancy found by inspection, dissolution; in lifecycle order. */
function drawLifecycle(random: Random, draft: Draft, rates: LifecycleRates): LifecycleStep[] {
  const steps: LifecycleStep[] = [];
  const start = addDays(maxDate(draft.registeredOn, draft.settings.historyFrom), 60);
  const push = (step: LifecycleStep) => {
    if (step.date <= WINDOW_END && (steps.length === 0 || step.date >= steps[steps.length - 1].date)) steps.push(step);
  };
  const dissolve = (date: LocalDate, mode: DissolutionMode) =>
    push({ type: 'dissolve', date, mode, decisionRef: decisionRef(random, mode, draft.kind) });
  const dormant = (date: LocalDate) =>
    push({
      type: 'dormant',
      date,
      finding: `Kiểm tra tháng ${date.slice(5, 7)}/${date.slice(0, 4)} của UBND ${draft.district}: ${random.pick(FINDINGS)}`,
    });
  if (start > WINDOW_END) return steps;
  const u = random.float();
  if (u < rates.suspend) {
    const date = random.date(start, WINDOW_END);
    push({ type: 'suspend', date, reason: suspensionReason(random, draft.vocabulary, date), until: addDays(date, random.int(90, 365)) });
    const v = random.float();
    if (v < 0.6) {
      const resumed = addDays(date, random.int(60, 420));
      push({ type: 'resume', date: resumed });
      if (random.chance(0.15)) dissolve(addDays(resumed, random.int(200, 900)), 'voluntary');
    } else if (v < 0.8) {
      dissolve(addDays(date, random.int(120, 540)), 'voluntary');
    } else if (v < 0.9) {
      const found = addDays(date, random.int(365, 700));
      dormant(found);
      if (random.chance(0.6)) dissolve(addDays(found, random.int(120, 500)), 'compulsory');
    }
  } else if (u < rates.suspend + rates.dormant) {
    const found = random.date(start, WINDOW_END);
    dormant(found);
    const v = random.float();
    if (v < 0.55) dissolve(addDays(found, random.int(90, 600)), 'compulsory');
    else if (v < 0.75) push({ type: 'resume', date: addDays(found, random.int(60, 365)) });
  } else if (u < rates.suspend + rates.dormant + rates.dissolve) {
    dissolve(random.date(addDays(start, 120), addDays(WINDOW_END, 0)), 'voluntary');
  }
  return steps;
}

/** A record entered late: most are on time; some a few weeks or months late, some after the next year's. */
function recordDate(random: Random, date: LocalDate, lateShare: number, longDelay: [number, number]): LocalDate {
  if (!random.chance(lateShare)) return date;
  return random.chance(0.5) ? addDays(date, random.int(20, 100)) : addDays(date, random.int(longDelay[0], longDelay[1]));
}

function ratingFromScore(score: number): Rating {
  // Circular 01/2020/TT-BKHĐT: good 80–100, fair 65–<80, average 50–<65, weak <50.
  if (score >= 80) return 'good';
  if (score >= 65) return 'fair';
  if (score >= 50) return 'average';
  return 'weak';
}

export const AGRICULTURAL: readonly Sector[] = ['agriculture', 'fisheries'];

/** Yearly: member count, profile (trending up), the December rating; each dated within the organization's life. */
function drawAttributes(random: Random, draft: Draft, quality: number): AttributeStep[] {
  const steps: AttributeStep[] = [];
  const { settings } = draft;
  const rated = draft.kind !== 'cooperative_group';
  const agricultural = AGRICULTURAL.includes(draft.sector);
  const minimum = draft.kind === 'cooperative' ? 5 : 2;
  let members = draft.memberCount;
  const profile: Profile = { ...draft.profile, managers: draft.profile.managers && { ...draft.profile.managers } };
  const firstYear = Math.max(Number(draft.registeredOn.slice(0, 4)), Number(settings.historyFrom.slice(0, 4)));
  for (let year = firstYear; year <= settings.lastYear; year++) {
    const t = year - 2018;
    // Member count.
    const memberChange = random.chance(draft.kind === 'cooperative' ? settings.memberChanges.cooperative : settings.memberChanges.cooperative_group);
    const memberDate = random.date(`${year}-02-01`, `${year}-11-20`);
    const factor = Math.exp(0.03 + 0.12 * random.normal());
    const memberRecord = recordDate(random, memberDate, 0.03, [120, 500]);
    if (memberChange && members !== null && draft.kind !== 'union' && attributeDateOk(draft, memberDate)) {
      const next = Math.max(minimum, Math.round(members * factor));
      if (next !== members) {
        members = next;
        steps.push({ type: 'members', date: memberDate, recordOn: memberRecord, memberCount: next });
      }
    }
    // Profile: flags adopted with yearly hazards that grow over time (the plans push them up).
    const changes: ProfileChanges = {};
    const adopt = (flag: keyof Omit<Profile, 'managers'>, hazard: number, dropHazard = 0) => {
      const draw = random.float();
      if (!profile[flag] && draw < hazard) changes[flag] = profile[flag] = true;
      else if (profile[flag] && draw < dropHazard) changes[flag] = profile[flag] = false;
    };
    if (draft.kind === 'cooperative_group') {
      adopt('digitalAdoption', 0.004 + 0.012 * Math.max(0, year - 2019));
      adopt('valueChain', 0.012 + 0.002 * t);
    } else {
      adopt('directorTrained', 0.07 + 0.012 * t + 0.02 * quality);
      adopt('valueChain', 0.05 + 0.01 * t + 0.025 * quality, 0.03);
      adopt('enterpriseLinked', 0.05 + 0.01 * t + 0.02 * quality, 0.04);
      adopt('highTech', agricultural ? 0.005 + 0.002 * t : 0.002);
      adopt('digitalAdoption', 0.01 + 0.03 * Math.max(0, year - 2019));
      const managersDraw = random.float();
      if (profile.managers) {
        const { total, withDegree } = profile.managers;
        if (managersDraw < 0.14 && withDegree < total) profile.managers = { total, withDegree: withDegree + 1 };
        else if (managersDraw > 0.94) profile.managers = { total: total + 1, withDegree };
        else if (managersDraw > 0.9 && total > 2) profile.managers = { total: total - 1, withDegree: Math.min(withDegree, total - 1) };
        if (profile.managers.total !== total || profile.managers.withDegree !== withDegree) changes.managers = { ...profile.managers };
      } else if (managersDraw < 0.3) {
        const total = random.int(3, 6);
        changes.managers = profile.managers = { total, withDegree: Math.min(total, random.int(0, 2)) };
      }
    }
    const profileDate = random.date(`${year}-03-01`, `${year}-10-31`);
    const profileRecord = recordDate(random, profileDate, 0.03, [90, 420]);
    if (Object.keys(changes).length > 0 && attributeDateOk(draft, profileDate)) {
      steps.push({ type: 'profile', date: profileDate, recordOn: profileRecord, changes });
    }
    // Rating, yearly in December, of those operating since the start of the year and active then.
    if (rated) {
      const ratedOn = `${year}-12-${String(random.int(5, 28)).padStart(2, '0')}`;
      const score = 67 + settings.ratingOffset + 1.15 * t + 11 * quality + 8 * random.normal() + (profile.valueChain ? 3 : 0);
      const ratingRecord = recordDate(random, ratedOn, 0.05, [370, 430]);
      const takesPart = random.chance(draft.kind === 'union' ? 0.95 : 0.9);
      if (
        takesPart &&
        draft.registeredOn <= `${year}-01-15` &&
        attributeDateOk(draft, ratedOn) &&
        statusOn(draft, ratedOn) === 'active'
      ) {
        steps.push({ type: 'rating', date: ratedOn, recordOn: ratingRecord, rating: ratingFromScore(score), year });
      }
    }
  }
  return steps;
}

function initialProfile(random: Random, kind: OrganizationKind, registeredOn: LocalDate, agricultural: boolean): Profile {
  const recent = registeredOn >= RECENT_FROM;
  if (kind === 'cooperative_group') {
    return { managers: null, directorTrained: false, valueChain: random.chance(0.04), highTech: false, enterpriseLinked: random.chance(0.03), digitalAdoption: false };
  }
  const total = random.int(3, 7);
  let withDegree = 0;
  for (let i = 0; i < total; i++) if (random.chance(recent ? 0.22 : 0.1)) withDegree++;
  return {
    managers: random.chance(recent ? 0.95 : 0.7) ? { total, withDegree } : null,
    directorTrained: random.chance(recent ? 0.35 : 0.15),
    valueChain: random.chance(recent ? 0.15 : 0.07),
    highTech: agricultural && random.chance(recent ? 0.04 : 0.01),
    enterpriseLinked: random.chance(recent ? 0.15 : 0.08),
    digitalAdoption: random.chance(registeredOn >= '2021-01-01' ? 0.25 : 0),
  };
}

function emptyDraft(settings: DrawSettings, key: string, kind: OrganizationKind, vocabulary: ProvinceVocabulary): Draft {
  return {
    settings,
    key,
    id: uuidV5(`${settings.idPrefix}${settings.seed}:${key}`),
    kind,
    vocabulary,
    sector: 'other',
    district: '',
    baseName: '',
    name: '',
    registrationNumber: '',
    registeredOn: settings.historyFrom,
    memberCount: null,
    profile: { managers: null, directorTrained: false, valueChain: false, highTech: false, enterpriseLinked: false, digitalAdoption: false },
    founders: [],
    lifecycle: [],
    attributes: [],
    dissolvedOn: null,
  };
}

function draftCooperative(settings: DrawSettings, sizes: ProvinceSizes, key: string, sectors: Weights<Sector>): Draft {
  const { vocabulary } = sizes;
  const { seed } = settings;
  const random = Random.derive(seed, key, 'base');
  const draft = emptyDraft(settings, key, 'cooperative', vocabulary);
  draft.sector = random.weighted(sectors);
  const place = drawPlace(random, vocabulary);
  draft.district = place.district;
  const where = random.chance(0.65) ? place.commune : place.district;
  draft.baseName =
    draft.sector === 'credit'
      ? `Quỹ tín dụng nhân dân ${where}`
      : `Hợp tác xã ${random.pick(vocabulary.cooperativeActivities[draft.sector] ?? ['Dịch vụ tổng hợp'])} ${where}`;
  draft.registeredOn = drawRegistrationDate(random, sizes.cooperatives.before2018);
  const median = sizes.cooperatives.memberMedian[draft.sector] ?? 18;
  const floor = draft.registeredOn < LAW_2023_IN_FORCE ? 7 : 5;
  draft.memberCount = Math.max(floor, Math.round(random.logNormal(median, draft.sector === 'credit' ? 0.5 : 0.75)));
  const agricultural = AGRICULTURAL.includes(draft.sector);
  draft.profile = initialProfile(random, 'cooperative', draft.registeredOn, agricultural);
  const quality = random.normal();
  draft.lifecycle = drawLifecycle(Random.derive(seed, key, 'life'), draft, {
    suspend: 0.07,
    dormant: quality < -0.7 ? 0.22 : 0.04,
    dissolve: 0.05,
  });
  draft.dissolvedOn = dissolvedOn(draft.lifecycle);
  draft.attributes = drawAttributes(Random.derive(seed, key, 'attributes'), draft, quality);
  return draft;
}

function draftGroup(settings: DrawSettings, sizes: ProvinceSizes, key: string): Draft {
  const { vocabulary } = sizes;
  const { seed } = settings;
  const random = Random.derive(seed, key, 'base');
  const draft = emptyDraft(settings, key, 'cooperative_group', vocabulary);
  draft.sector = random.weighted(sizes.groups.sectors);
  const place = drawPlace(random, vocabulary);
  draft.district = place.district;
  const activity = random.pick(vocabulary.groupActivities[draft.sector] ?? ['sản xuất']);
  draft.baseName = random.chance(0.5)
    ? `Tổ hợp tác ${activity} ${place.commune}`
    : `Tổ hợp tác ${activity} ${vocabulary.hamlet(random.int(0, 1000))}, xã ${place.commune}`;
  draft.registeredOn = drawRegistrationDate(random, sizes.groups.before2018);
  draft.memberCount = sizes.groups.members0(random);
  draft.profile = initialProfile(random, 'cooperative_group', draft.registeredOn, false);
  draft.lifecycle = drawLifecycle(Random.derive(seed, key, 'life'), draft, { suspend: 0.015, dormant: 0.03, dissolve: 0.12 });
  draft.dissolvedOn = dissolvedOn(draft.lifecycle);
  draft.attributes = drawAttributes(Random.derive(seed, key, 'attributes'), draft, 0);
  return draft;
}

/** Draws organizations until `target` of them exist on `asOf` (an upper bound on draws guards against a bad distribution). */
function drawUntil(target: number, asOf: LocalDate, draw: (index: number) => Draft): Draft[] {
  const drafts: Draft[] = [];
  let existing = 0;
  for (let index = 0; existing < target && index < target * 5 + 50; index++) {
    const draft = draw(index);
    drafts.push(draft);
    if (existsOn(draft, asOf)) existing++;
  }
  return drafts;
}

/**
 * 2–3 unions per province, each founded by 3–4 cooperatives existing and
 * active on the founding date (those of its district and sector first), then
 * joined and left by others over the years.
 */
function draftUnions(settings: DrawSettings, sizes: ProvinceSizes, cooperatives: Draft[]): Draft[] {
  const { seed } = settings;
  const unions: Draft[] = [];
  sizes.vocabulary.unions.forEach((template, index) => {
    const key = `${sizes.vocabulary.provinceCode}-lhhtx-${index}`;
    const random = Random.derive(seed, key, 'base');
    if (!random.chance(template.probability)) return;
    const draft = emptyDraft(settings, key, 'union', sizes.vocabulary);
    draft.sector = template.sector;
    draft.district = template.district;
    draft.baseName = template.name;
    draft.registeredOn = random.date(`${template.foundedIn}-02`, `${template.foundedIn}-27`);
    const preference = (cooperative: Draft) =>
      (cooperative.sector === template.sector ? 2 : 0) + (cooperative.district === template.district ? 1 : 0) + random.float() * 0.5;
    const founders = cooperatives
      .filter(
        (c) =>
          c.registeredOn <= addDays(draft.registeredOn, -60) &&
          (c.dissolvedOn === null || c.dissolvedOn > addDays(draft.registeredOn, 365)) &&
          statusOn(c, draft.registeredOn) === 'active',
      )
      .map((c) => ({ c, score: preference(c) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, random.int(...(template.founders ?? [3, 4])))
      .map(({ c }) => c);
    if (founders.length < 3) return;
    draft.founders = founders;
    draft.profile = {
      managers: { total: random.int(5, 9), withDegree: random.int(2, 4) },
      directorTrained: true,
      valueChain: true,
      highTech: random.chance(0.3),
      enterpriseLinked: random.chance(0.6),
      digitalAdoption: random.chance(0.5),
    };
    const attributes = drawAttributes(Random.derive(seed, key, 'attributes'), draft, 0.8);
    // Membership: founders from the registration date; joins and leaves in date order.
    const membership = Random.derive(seed, key, 'membership');
    const since = new Map<Draft, LocalDate>(founders.map((c) => [c, draft.registeredOn]));
    const memberships: AttributeStep[] = [];
    for (let year = Number(draft.registeredOn.slice(0, 4)); year <= settings.lastYear; year++) {
      const moves: { type: 'join' | 'leave'; date: LocalDate }[] = [];
      if (membership.chance(0.45)) moves.push({ type: 'join', date: membership.date(`${year}-02-01`, `${year}-11-30`) });
      if (membership.chance(0.1)) moves.push({ type: 'join', date: membership.date(`${year}-02-01`, `${year}-11-30`) });
      if (membership.chance(0.25)) moves.push({ type: 'leave', date: membership.date(`${year}-02-01`, `${year}-11-30`) });
      moves.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
      for (const move of moves) {
        const draw = membership.float();
        if (move.date <= draft.registeredOn) continue;
        if (move.type === 'join') {
          const candidates = cooperatives
            .filter((c) => !since.has(c) && existsOn(c, move.date) && (c.dissolvedOn === null || c.dissolvedOn > addDays(move.date, 90)))
            .sort((a, b) => preference(b) - preference(a))
            .slice(0, 12);
          if (candidates.length === 0) continue;
          const cooperative = candidates[Math.floor(draw * candidates.length)];
          since.set(cooperative, move.date);
          memberships.push({ type: 'join', date: move.date, cooperative });
        } else {
          const members = [...since.entries()].filter(([c, from]) => from < move.date && existsOn(c, move.date)).map(([c]) => c);
          if (members.length < 3) continue; // the minimum binds at founding only; a union may shrink below it
          const cooperative = members[Math.floor(draw * members.length)];
          since.delete(cooperative);
          memberships.push({ type: 'leave', date: move.date, cooperative });
        }
      }
    }
    draft.attributes = [...attributes, ...memberships];
    unions.push(draft);
  });
  return unions;
}

// ---------------------------------------------------------------------------
// From drafts to commands.

/** The registration number of the `index`-th organization (from 0, in registration order) of a kind in a province. */
export type RegistrationNumbering = (kind: OrganizationKind, provinceCode: string, index: number) => string;

const DEMO_PREFIXES: Record<OrganizationKind, [string, number]> = { cooperative: ['HTX', 4], cooperative_group: ['THT', 5], union: ['LHHTX', 2] };

/** `HTX-91-0001`, `THT-91-00001`, `LHHTX-91-01`. */
export const DEMO_NUMBERING: RegistrationNumbering = (kind, provinceCode, index) => {
  const [prefix, width] = DEMO_PREFIXES[kind];
  return `${prefix}-${provinceCode}-${String(index + 1).padStart(width, '0')}`;
};

function assignNamesAndNumbers(drafts: Draft[], provinceCode: string, numbering: RegistrationNumbering): void {
  const taken = new Map<string, number>();
  for (const draft of drafts) {
    const count = (taken.get(draft.baseName) ?? 0) + 1;
    taken.set(draft.baseName, count);
    draft.name = count === 1 ? draft.baseName : `${draft.baseName} ${count}`;
  }
  for (const kind of ['cooperative', 'cooperative_group', 'union'] as const) {
    drafts
      .filter((d) => d.kind === kind)
      .sort((a, b) => (a.registeredOn < b.registeredOn ? -1 : a.registeredOn > b.registeredOn ? 1 : a.key < b.key ? -1 : 1))
      .forEach((draft, index) => {
        draft.registrationNumber = numbering(kind, provinceCode, index);
      });
  }
}

function attributeCommand(step: AttributeStep, organizationId: string): OrganizationCommand {
  switch (step.type) {
    case 'members':
      return { type: 'ChangeMemberCount', organizationId, memberCount: step.memberCount, effectiveOn: step.date };
    case 'profile':
      return { type: 'ChangeProfile', organizationId, effectiveOn: step.date, ...step.changes };
    case 'rating':
      return { type: 'RateOrganization', organizationId, rating: step.rating, year: step.year, ratedOn: step.date };
    case 'join':
      return { type: 'JoinUnion', organizationId, cooperativeId: step.cooperative.id, effectiveOn: step.date };
    case 'leave':
      return { type: 'LeaveUnion', organizationId, cooperativeId: step.cooperative.id, effectiveOn: step.date };
  }
}

/** The commands that record a draft, registration first, the others in effective order; keys `<keyPrefix>-<draft key>-<n>`. */
export function commandsOf(draft: Draft, keyPrefix: string, organizationOrder: number): PlannedCommand[] {
  const organizationId = draft.id;
  const union = draft.kind === 'union';
  const planned: Omit<PlannedCommand, 'key' | 'seq' | 'organizationOrder' | 'union'>[] = [];
  planned.push({
    command: {
      type: 'RegisterOrganization',
      organizationId,
      kind: draft.kind,
      name: draft.name,
      registrationNumber: draft.registrationNumber,
      provinceCode: draft.vocabulary.provinceCode,
      sector: draft.sector,
      registeredOn: draft.registeredOn,
      ...(draft.kind === 'union'
        ? { memberCooperativeIds: draft.founders.map((c) => c.id) }
        : { memberCount: draft.memberCount as number }),
      ...(draft.profile.managers ? { managers: draft.profile.managers } : {}),
      directorTrained: draft.profile.directorTrained,
      valueChain: draft.profile.valueChain,
      highTech: draft.profile.highTech,
      enterpriseLinked: draft.profile.enterpriseLinked,
      digitalAdoption: draft.profile.digitalAdoption,
    },
    effectiveOn: draft.registeredOn,
    // Organizations registered before the history are loaded on its first day.
    recordOn: maxDate(draft.registeredOn, draft.settings.historyFrom),
  });
  const rest: (typeof planned)[number][] = [];
  for (const step of draft.lifecycle) {
    const command: OrganizationCommand =
      step.type === 'suspend'
        ? { type: 'SuspendOrganization', organizationId, effectiveOn: step.date, reason: step.reason, until: step.until }
        : step.type === 'dormant'
          ? { type: 'FindOrganizationDormant', organizationId, effectiveOn: step.date, finding: step.finding }
          : step.type === 'resume'
            ? { type: 'ResumeOrganization', organizationId, effectiveOn: step.date }
            : { type: 'DissolveOrganization', organizationId, effectiveOn: step.date, mode: step.mode, decisionRef: step.decisionRef };
    // Lifecycle events are never late: the rules order them by the latest one recorded.
    rest.push({ command, effectiveOn: step.date, recordOn: step.date });
  }
  for (const step of draft.attributes) {
    // Joins and leaves are recorded on their day; the others may be late.
    rest.push({ command: attributeCommand(step, organizationId), effectiveOn: step.date, recordOn: 'recordOn' in step ? step.recordOn : step.date });
  }
  // Effective order (stable: lifecycle before attributes of the same day), the key of each fixed by it.
  rest.sort((a, b) => (a.effectiveOn < b.effectiveOn ? -1 : a.effectiveOn > b.effectiveOn ? 1 : 0));
  // Spelled out rather than spread: a national data set makes a million of these.
  return [...planned, ...rest].map(({ command, effectiveOn, recordOn }, seq) => ({
    command,
    effectiveOn,
    recordOn,
    key: `${keyPrefix}-${draft.key}-${seq}`,
    union,
    organizationOrder,
    seq,
  }));
}

function memberCountOn(draft: Draft, date: LocalDate): number {
  let members = draft.memberCount ?? 0;
  let latest = draft.registeredOn;
  for (const step of draft.attributes) {
    if (step.type === 'members' && step.date <= date && step.date >= latest) {
      members = step.memberCount;
      latest = step.date;
    }
  }
  return members;
}

/** A province's drafts (cooperatives, then groups, then unions), named and numbered, and their sizes on the reference dates. */
export interface ProvinceDraft {
  drafts: Draft[];
  calibration: CalibrationLine[];
}

/**
 * Draws a province at `scale` (1 = its sizes): cooperatives and groups until
 * the scaled counts exist on their reference dates, then its unions (founded
 * by its own cooperatives).
 */
export function draftProvince(settings: DrawSettings, sizes: ProvinceSizes, scale: number, numbering: RegistrationNumbering): ProvinceDraft {
  const size = (n: number) => Math.max(1, Math.round(n * scale));
  const code = sizes.vocabulary.provinceCode;
  const { cooperatives: c, groups: g } = sizes;
  const agricultural = drawUntil(size(c.agricultural), c.asOf, (i) => draftCooperative(settings, sizes, `${code}-htx-a-${i}`, c.agriculturalSectors));
  const other = drawUntil(size(c.other), c.asOf, (i) => draftCooperative(settings, sizes, `${code}-htx-n-${i}`, c.otherSectors));
  const groups = drawUntil(size(g.count), g.asOf, (i) => draftGroup(settings, sizes, `${code}-tht-${i}`));
  const cooperatives = [...agricultural, ...other];
  const unions = draftUnions(settings, sizes, cooperatives);
  const drafts = [...cooperatives, ...groups, ...unions];
  assignNamesAndNumbers(drafts, code, numbering);

  const existingCooperatives = cooperatives.filter((d) => existsOn(d, c.asOf));
  const existingGroups = groups.filter((d) => existsOn(d, g.asOf));
  const calibration: CalibrationLine[] = [
    { provinceCode: code, what: 'cooperatives', asOf: c.asOf, target: size(c.agricultural + c.other), actual: existingCooperatives.length },
    {
      provinceCode: code,
      what: 'agricultural cooperatives',
      asOf: c.asOf,
      target: size(c.agricultural),
      actual: existingCooperatives.filter((d) => AGRICULTURAL.includes(d.sector)).length,
    },
    { provinceCode: code, what: 'cooperative groups', asOf: g.asOf, target: size(g.count), actual: existingGroups.length },
  ];
  if (g.members !== undefined) {
    calibration.push({
      provinceCode: code,
      what: 'cooperative group members',
      asOf: g.asOf,
      target: size(g.members),
      actual: existingGroups.reduce((sum, d) => sum + memberCountOn(d, g.asOf), 0),
    });
  }
  return { drafts, calibration };
}
