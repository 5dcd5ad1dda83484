import type { LocalDate, OrganizationKind, Rating } from '@ktt/domain';
import { addDays, type Random } from '../random';
import { attributeDateOk, statusOn, type AttributeStep, type Draft, type Profile, type ProfileChanges } from './draft';
import { AGRICULTURAL, RECENT_FROM } from './settings';

// The yearly attributes of a draft (member count, profile, December rating), each recorded on time or late.

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

/** Yearly: member count, profile (trending up), the December rating; each dated within the organization's life. */
export function drawAttributes(random: Random, draft: Draft, quality: number): AttributeStep[] {
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
    // An unknown flag (null) may be found true later; it is never recorded as dropped.
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

/**
 * A registrar records what the authority knows: some flags are not known at registration and are
 * left out, which the domain records as unknown (domain.md, profile flags), more often for older
 * registrations. About 10–25 % of each flag, so the shares' coverage is visible. Drawn from a stream
 * of its own, so the other draws of an organization stay as they were.
 */
export function withUnknownFlags(random: Random, profile: Profile, registeredOn: LocalDate): Profile {
  const unknownShare = registeredOn >= RECENT_FROM ? 0.1 : 0.22;
  const flags = (['directorTrained', 'valueChain', 'highTech', 'enterpriseLinked', 'digitalAdoption'] as const).filter(() => random.chance(unknownShare));
  return { ...profile, ...Object.fromEntries(flags.map((flag) => [flag, null])) };
}

export function initialProfile(random: Random, kind: OrganizationKind, registeredOn: LocalDate, agricultural: boolean): Profile {
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
