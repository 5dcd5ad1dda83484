import type { AdministrativeMap, LocalDate } from '@ktt/domain';
import { referenceAdministrativeMap } from '@ktt/application';
import { AN_GIANG, KIEN_GIANG, YEN_BAI } from './demo-places';
import { minDate } from '../random';
import { commandsOf, type PlannedCommand, type PlannedOrganization } from '../draft/commands';
import type { Draft } from '../draft/draft';
import { DEMO_NUMBERING } from '../draft/naming';
import { draftProvince } from '../draft/province';
import { Places } from '../draft/seats';
import { drawSettings, type CalibrationLine, type ProvinceSizes } from '../draft/settings';

export type { PlannedCommand, PlannedOrganization } from '../draft/commands';
export type { CalibrationLine } from '../draft/settings';

/**
 * The demo history as a plan of commands, computed before anything is sent:
 * a pure function of (seed, scale, today), drawn by the modules of ../draft. A rerun
 * on a later day yields the same commands for the same days plus the new ones
 * (the idempotency keys of load-demo.ts then make the rerun write only those).
 *
 * Sizes follow domain.md, "Background facts": the number of cooperatives
 * (and of agricultural ones) and of cooperative groups that exist on the
 * reference date of each province is met exactly at scale 1 (organizations
 * are drawn until it is); member sums are approximate.
 */

export const DEMO_ACTOR = 'system:demo';
/** The demo's history starts here; organizations registered earlier are loaded with their registration only. */
export const HISTORY_FROM: LocalDate = '2018-01-01';

/** domain.md, "Background facts": Kiên Giang, 523 cooperatives end of 2024 (457 agricultural); 2,160 groups, 44,119 members in 2021. */
export const KIEN_GIANG_SIZES: ProvinceSizes = {
  vocabulary: KIEN_GIANG,
  cooperatives: {
    asOf: '2024-12-31',
    agricultural: 457,
    other: 523 - 457,
    agriculturalSectors: [['agriculture', 68], ['fisheries', 32]],
    otherSectors: [['trade_services', 28], ['industry', 16], ['transport', 16], ['credit', 14], ['construction', 8], ['other', 18]],
    before2018: 0.55,
    memberMedian: { agriculture: 75, fisheries: 45, credit: 1500 },
  },
  groups: {
    asOf: '2021-12-31',
    count: 2160,
    members: 44_119,
    sectors: [['agriculture', 55], ['fisheries', 38], ['industry', 3], ['trade_services', 4]],
    before2018: 0.6,
    members0: (random) => Math.max(2, Math.round(random.logNormal(16, 0.6))),
  },
};

/** domain.md, "Background facts": Yên Bái, 834 cooperatives in Feb 2025 (466 agricultural); over 5,300 groups, over 27,000 members in 2023. */
export const YEN_BAI_SIZES: ProvinceSizes = {
  vocabulary: YEN_BAI,
  cooperatives: {
    asOf: '2025-02-28',
    agricultural: 466,
    other: 834 - 466,
    agriculturalSectors: [['agriculture', 95], ['fisheries', 5]],
    otherSectors: [['trade_services', 27], ['industry', 25], ['construction', 14], ['transport', 10], ['credit', 6], ['other', 18]],
    before2018: 0.45,
    memberMedian: { agriculture: 25, fisheries: 15, credit: 800 },
  },
  groups: {
    asOf: '2023-12-31',
    count: 5300,
    members: 27_000,
    sectors: [['agriculture', 88], ['fisheries', 4], ['industry', 4], ['trade_services', 4]],
    before2018: 0.5,
    members0: (random) => 2 + Math.max(0, Math.round(random.logNormal(2.6, 0.6))),
  },
};

/**
 * An Giang (89 until 30 June 2025; part of the new An Giang 91 since), so that the merger shows:
 * domain.md gives no figures of it, so these are its Department of Agriculture's for the end of
 * 2020 (sonongnghiep.angiang.gov.vn, "Năm 2021, An Giang phát triển 290 Hợp tác xã", 21 May 2021):
 * 246 cooperatives, 180 of them agricultural (24 people's credit funds, 25 transport, 11 trade and
 * services, 5 small industry, 1 sand mining), and over 800 cooperative groups at work; 13,225
 * members in its 221 agricultural cooperatives of 2023 (the same site) give the median.
 */
export const AN_GIANG_SIZES: ProvinceSizes = {
  vocabulary: AN_GIANG,
  cooperatives: {
    asOf: '2020-12-31',
    agricultural: 180,
    other: 246 - 180,
    agriculturalSectors: [['agriculture', 88], ['fisheries', 12]],
    otherSectors: [['credit', 24], ['transport', 25], ['trade_services', 11], ['industry', 5], ['other', 1]],
    before2018: 0.55,
    memberMedian: { agriculture: 50, fisheries: 30, credit: 1500 },
  },
  groups: {
    asOf: '2020-12-31',
    count: 800,
    sectors: [['agriculture', 80], ['fisheries', 12], ['industry', 3], ['trade_services', 5]],
    before2018: 0.6,
    members0: (random) => Math.max(2, Math.round(random.logNormal(12, 0.6))),
  },
};

/** Kiên Giang and Yên Bái (the plans' provinces), then An Giang (in this order, so adding it changed none of the others' ids). */
export const DEMO_PROVINCES = [KIEN_GIANG_SIZES, YEN_BAI_SIZES, AN_GIANG_SIZES] as const;

export interface DemoPlan {
  seed: number;
  scale: number;
  today: LocalDate;
  /** Registered on or before today. */
  organizations: PlannedOrganization[];
  /** Dated on or before today, in sending order. */
  commands: PlannedCommand[];
  calibration: CalibrationLine[];
}

export interface DemoPlanOptions {
  seed?: number;
  /** 1 = the sizes of domain.md; tests use 0.02. */
  scale?: number;
  /** Calendar date in Vietnam up to which the history runs. */
  today: LocalDate;
  /** The map the seats are named on; defaults to the reference data's (data/reference/administrative-units-2025.json). */
  map?: AdministrativeMap;
}

export const DEFAULT_DEMO_SEED = 20_180_101;

export function generateDemoPlan(options: DemoPlanOptions): DemoPlan {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const scale = options.scale ?? 1;
  if (!(scale > 0 && scale <= 10)) throw new Error(`scale must be in (0, 10]; got ${scale}`);
  const { today } = options;
  const settings = drawSettings(seed, HISTORY_FROM, today);
  const places = new Places(options.map ?? referenceAdministrativeMap(), DEMO_PROVINCES.map((sizes) => sizes.vocabulary.provinceCode));
  const drafts: Draft[] = [];
  const calibration: CalibrationLine[] = [];
  for (const sizes of DEMO_PROVINCES) {
    const province = draftProvince(settings, sizes, scale, DEMO_NUMBERING, places);
    drafts.push(...province.drafts);
    calibration.push(...province.calibration);
  }

  const commands = drafts
    .flatMap((draft, order) => commandsOf(draft, `demo-${seed}`, order, places))
    .filter((planned) => planned.effectiveOn <= today)
    .map((planned) => ({ ...planned, recordOn: minDate(planned.recordOn, today) }))
    .sort(sendingOrder);
  const organizations = drafts
    .filter((d) => d.registeredOn <= today)
    .map((d) => ({
      key: d.key,
      id: d.id,
      kind: d.kind,
      unit: d.vocabulary.provinceCode,
      ...places.seatOn(d.vocabulary.provinceCode, d.registeredOn),
      sector: d.sector,
      name: d.name,
      registrationNumber: d.registrationNumber,
      registeredOn: d.registeredOn,
      dissolvedOn: d.dissolvedOn !== null && d.dissolvedOn <= today ? d.dissolvedOn : null,
    }));
  return { seed, scale, today, organizations, commands, calibration };
}

/** By recorded day; unions after the others of the day; then organization and its own order. */
export function sendingOrder(a: PlannedCommand, b: PlannedCommand): number {
  if (a.recordOn !== b.recordOn) return a.recordOn < b.recordOn ? -1 : 1;
  if (a.union !== b.union) return a.union ? 1 : -1;
  if (a.organizationOrder !== b.organizationOrder) return a.organizationOrder - b.organizationOrder;
  return a.seq - b.seq;
}

