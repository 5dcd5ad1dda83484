import type { LocalDate, Sector } from '@ktt/domain';
import type { ProvinceVocabulary } from '../demo/demo-places';
import type { Random } from '../random';

// What every drawn data set shares: its window, its settings, the sizes of a province and the calibration lines.

export const EARLIEST_REGISTRATION_YEAR = 2005;
/** Registration dates and lifecycle events are drawn up to here, whatever today is (stable plans). */
export const WINDOW_END: LocalDate = '2027-12-31';
/** Law 17/2023/QH15 in force: before it, the 2012 law asked 7 members of a cooperative. */
export const LAW_2023_IN_FORCE: LocalDate = '2024-07-01';
/** Organizations registered since then start with a better profile (trained directors, degrees, linkages). */
export const RECENT_FROM: LocalDate = '2018-01-01';

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

export interface CalibrationLine {
  provinceCode: string;
  what: string;
  asOf: LocalDate;
  target: number;
  actual: number;
}

export const AGRICULTURAL: readonly Sector[] = ['agriculture', 'fisheries'];
