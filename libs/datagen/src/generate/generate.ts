import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as turn } from 'node:timers/promises';
import {
  decide,
  DomainError,
  evolve,
  normalizeRegistrationNumber,
  ORGANIZATION_EVENT_SCHEMA_VERSIONS,
  organizationStreamId,
  referencedOrganizationIds,
  registrationNumberStreamId,
  stateAsOf,
  todayInVietnam,
  type AdministrativeMap,
  type LocalDate,
  type OrganizationEvent,
  type OrganizationHistory,
  type OrganizationKind,
} from '@ktt/domain';
import { envelope, referenceAdministrativeMap, REGISTRATION_NUMBER_RESERVED, type CommandContext } from '@ktt/application';
import { systemPrincipal } from '@ktt/auth';
import { WrongExpectedRevisionError, type EventStore, type EventToAppend, type StreamAppend } from '@ktt/event-store';
import { Random, uuidV5 } from '../random';
import { commandsOf } from '../draft/commands';
import { recordingTimes } from '../draft/recording-times';
import type { Draft } from '../draft/draft';
import type { RegistrationNumbering } from '../draft/naming';
import { draftProvince } from '../draft/province';
import { Places } from '../draft/seats';
import { AGRICULTURAL, drawSettings, type CalibrationLine, type DrawSettings } from '../draft/settings';
import type { ProvinceRef } from './national-places';
import { GENERATE_SCALES, NATIONAL_FIGURES, nationalSizes, OWN_FIGURES, type GenerateScale } from './national-sizes';

export { GENERATE_SCALES, NATIONAL_FIGURES, type GenerateScale } from './national-sizes';
export type { ProvinceRef } from './national-places';

/**
 * The national data generator: a realistic, seeded history of the
 * collective economy of every province, from 2016 to today, written straight
 * into the event store.
 *
 * Each organization's history is drawn by the demo's machinery
 * (../draft), then decided command by command in the order the
 * registry would have recorded it, with the domain's own `decide` and `evolve`
 * (every rule checked, `today` being the day of recording), and each command's
 * events are stamped by the command path's own `envelope` (metadata, hash
 * chain), its registration number reserved first as OrganizationCommandHandler
 * does. No stream is read: the whole history of an
 * organization is appended at once (`no_stream`), several organizations per
 * append, several appends at a time. Unions are decided against their
 * cooperatives' histories and appended after every cooperative. Where an
 * append finds some of its streams stored already (a rerun), its
 * organizations are looked at one by one and those stored are skipped.
 *
 * `recordedAt` is the simulated recording time (office hours in Vietnam on
 * the day the registry learned the fact), never after `now`: "known at"
 * questions have answers. Records not yet made by today (late records due
 * later) are left out.
 */

export const GENERATOR_ACTOR = 'system:generator';
const GENERATOR_PRINCIPAL = systemPrincipal(GENERATOR_ACTOR);
/** The schema versions OrganizationCommandHandler stamps on an organization's stream and its reservation. */
export const GENERATOR_SCHEMA_VERSIONS: Record<string, number> = { ...ORGANIZATION_EVENT_SCHEMA_VERSIONS, [REGISTRATION_NUMBER_RESERVED]: 1 };
/** The generated history starts here: organizations registered earlier are recorded on this day, with their registration only. */
export const GENERATOR_HISTORY_FROM: LocalDate = '2016-01-01';
export const DEFAULT_GENERATE_SEED = 20_160_101;

/**
 * Yearly member-count reports are more frequent than the demo's (the national
 * data set aims at 1–2 million events), and scores a little lower: 78 % of the
 * cooperatives rated for 2025 good or fair (domain.md, "Background facts").
 */
const GENERATOR_RATES = { memberChanges: { cooperative: 0.8, cooperative_group: 0.6 }, ratingOffset: -1.5 } as const;

/** Ten digits like a registry code: province (2), kind (1), serial in registration order (7). */
export const GENERATOR_NUMBERING: RegistrationNumbering = (kind, provinceCode, index) =>
  `${provinceCode}${{ cooperative: 1, cooperative_group: 2, union: 3 }[kind]}${String(index + 1).padStart(7, '0')}`;

export interface GenerateOptions {
  scale: GenerateScale;
  /**
   * The map seats are named on (registrations and relocations on or after 1 July 2025 name the
   * province in force and the former one); defaults to the reference data's
   * (data/reference/administrative-units-2025.json), which a store holds once the merger is seeded.
   */
  map?: AdministrativeMap;
  /** The 63 provinces drawn from; defaults to the first map of `map` (the provinces before 1 July 2025). */
  provinces?: readonly ProvinceRef[];
  seed?: number;
  /** Calendar date in Vietnam up to which the history runs; defaults to the day of `now`. */
  today?: LocalDate;
  /** No event is recorded after this instant; defaults to the clock. */
  now?: Date;
  /** Appends in flight at once (default 16; the runtime's pool has 20 connections). */
  concurrency?: number;
  /** Organizations are batched into one append until it holds about this many events (default 2,000). */
  batchEvents?: number;
  /** Events written so far, and an estimate of the total (exact once done). */
  onProgress?(written: number, estimatedTotal: number): void;
}

export interface GenerateRefusal {
  key: string;
  type: string;
  organizationId: string;
  code: string;
  message: string;
}

/** A national figure of domain.md next to the generated one (target null where the scale holds part of the country). */
export interface NationalFigure {
  what: string;
  asOf: LocalDate;
  target: number | null;
  actual: number;
}

export interface GenerateSummary {
  scale: GenerateScale;
  seed: number;
  today: LocalDate;
  provinces: number;
  /** Registered up to today, and existing (not dissolved) today, by kind. */
  organizations: Record<OrganizationKind, { registered: number; existingToday: number }>;
  /** Organization events and reservations appended by this run. */
  eventsWritten: number;
  organizationEvents: number;
  reservations: number;
  /** Organizations whose stream was in the database already (an earlier run): left as they are. */
  skippedOrganizations: number;
  /** Commands the domain refused (none is expected: the drafts follow the rules); left out of the history. */
  refusals: number;
  refusalsByCode: Record<string, number>;
  refusalSamples: GenerateRefusal[];
  /** Kiên Giang's and Yên Bái's figures on their reference dates (when generated). */
  calibration: CalibrationLine[];
  national: NationalFigure[];
  seconds: number;
  eventsPerSecond: number;
}

/** Thrown when the database holds another data set whose registration numbers collide with this one's. */
export class GenerateConflictError extends Error {}

/** The provinces of the map before its first reorganization (the 63 before 1 July 2025). */
export function firstMapProvinces(map: AdministrativeMap): ProvinceRef[] {
  // Every reorganization is later than the first registration drawn (2005), so the map of 2000 is the first.
  return map.provincesInForce('2000-01-01').map((p) => ({ provinceCode: p.code, name: p.name }));
}

/** The provinces of data/reference/provinces.json under the project's data folder. */
export async function readProvinces(dataDir: string): Promise<ProvinceRef[]> {
  const file = JSON.parse(await readFile(path.join(dataDir, 'reference', 'provinces.json'), 'utf8')) as { provinces: ProvinceRef[] };
  return file.provinces;
}

export async function generate(store: EventStore, options: GenerateOptions): Promise<GenerateSummary> {
  const started = process.hrtime.bigint();
  const seed = options.seed ?? DEFAULT_GENERATE_SEED;
  const now = options.now ?? new Date();
  const today = options.today ?? todayInVietnam(now);
  const { provinces: codes, scale } = GENERATE_SCALES[options.scale];
  const map = options.map ?? referenceAdministrativeMap();
  const all = nationalSizes(options.provinces ?? firstMapProvinces(map));
  const selected = codes === null ? all : all.filter((sizes) => codes.includes(sizes.vocabulary.provinceCode));
  if (selected.length === 0) throw new Error(`no province of scale ${options.scale} is in the province list`);
  const settings = drawSettings(seed, GENERATOR_HISTORY_FROM, today, { idPrefix: 'generate:', ...GENERATOR_RATES });
  const places = new Places(map, selected.map((sizes) => sizes.vocabulary.provinceCode));
  const context: RecordingContext = { settings, keyPrefix: `gen-${seed}`, today, nowMs: now.getTime(), places };

  const tally = new Tally(today, codes === null);
  const writer = new AppendWriter(store, options.concurrency ?? 16, options.batchEvents ?? 2000);
  const unions: Organization[] = [];
  // The progress total is estimated from the events per organization drawn so far.
  const drawnTarget = (sizes: (typeof selected)[number]) =>
    Math.round((sizes.cooperatives.agricultural + sizes.cooperatives.other + sizes.groups.count) * scale);
  const allTargets = selected.reduce((sum, sizes) => sum + drawnTarget(sizes), 0);
  let doneTargets = 0;
  let preparedEvents = 0;
  const progress = () => {
    // Before the first province is drawn, about 10 events per organization.
    const perTarget = doneTargets === 0 ? 10 : preparedEvents / doneTargets;
    options.onProgress?.(writer.written.events, Math.max(preparedEvents, Math.round(perTarget * allTargets)));
  };
  writer.onWritten = progress;
  progress();

  for (const [order, sizes] of selected.entries()) {
    const { drafts, calibration } = draftProvince(settings, sizes, scale, GENERATOR_NUMBERING, places);
    if (OWN_FIGURES.includes(sizes)) tally.calibration.push(...calibration);
    // The province's cooperatives, for its unions' decisions (drafts come cooperatives first, unions last).
    const cooperatives = new Map<string, Organization>();
    for (const draft of drafts) {
      const organization = recordOrganization(draft, order, context, cooperatives, tally);
      if (organization === null) continue;
      tally.count(organization, cooperatives);
      preparedEvents += organization.events;
      if (draft.kind === 'cooperative') cooperatives.set(draft.id, organization);
      if (draft.kind === 'union') unions.push(organization);
      else await writer.add(organization);
      // Lets the appends in flight go on: each of their statements waits for the event loop to send the next.
      await turn();
    }
    doneTargets += drawnTarget(sizes);
  }
  // Unions name cooperatives: appended once every cooperative is stored.
  await writer.drain();
  for (const union of unions) await writer.add(union);
  await writer.drain();
  options.onProgress?.(writer.written.events, writer.written.events);

  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    scale: options.scale,
    seed,
    today,
    provinces: selected.length,
    organizations: tally.organizations,
    eventsWritten: writer.written.events,
    organizationEvents: writer.written.events - writer.written.reservations,
    reservations: writer.written.reservations,
    skippedOrganizations: writer.skipped,
    refusals: tally.refusals,
    refusalsByCode: tally.refusalsByCode,
    refusalSamples: tally.refusalSamples,
    calibration: tally.calibration,
    national: tally.nationalFigures(),
    seconds,
    eventsPerSecond: Math.round(writer.written.events / Math.max(seconds, 0.001)),
  };
}

// ---------------------------------------------------------------------------
// One organization: decided in memory, chained, ready to append.

interface RecordingContext {
  settings: DrawSettings;
  places: Places;
  keyPrefix: string;
  today: LocalDate;
  nowMs: number;
}

interface Organization {
  id: string;
  kind: OrganizationKind;
  history: OrganizationHistory;
  /** When its registration was recorded (unions are recorded after their cooperatives). */
  registeredAt: number;
  /** The reservation of its registration number, then its stream. */
  appends: StreamAppend[];
  events: number;
}

/**
 * Decides a draft's commands in recording order, as the registry would have
 * received them: each against the history recorded before it, on the day it
 * was recorded. Null when nothing of it is recorded by today.
 */
function recordOrganization(
  draft: Draft,
  order: number,
  context: RecordingContext,
  cooperatives: ReadonlyMap<string, Organization>,
  tally: Tally,
): Organization | null {
  const planned = commandsOf(draft, context.keyPrefix, order, context.places)
    .filter((p) => p.effectiveOn <= context.today && p.recordOn <= context.today)
    .sort((a, b) => (a.recordOn < b.recordOn ? -1 : a.recordOn > b.recordOn ? 1 : a.seq - b.seq));
  if (planned.length === 0) return null;
  // None after now (records of today's later hours are stamped now).
  const times = recordingTimes(planned, Random.derive(context.settings.seed, draft.key, 'recorded'), (p) => {
    const referenced = referencedOrganizationIds(p.command).map((id) => cooperatives.get(id)?.registeredAt ?? 0);
    return Math.max(0, ...referenced) + 60_000;
  }).map((time) => Math.min(time, context.nowMs));
  const streamId = organizationStreamId(draft.id);
  const { map } = context.places;
  let history: OrganizationHistory | null = null;
  const events: EventToAppend[] = [];
  /** The context of the first command recorded: its registration, whose number is reserved under it. */
  let first: CommandContext | null = null;
  for (const [index, p] of planned.entries()) {
    const others = new Map(referencedOrganizationIds(p.command).map((id) => [id, cooperatives.get(id)?.history ?? null]));
    let decided: OrganizationEvent[];
    try {
      decided = decide(p.command, history, { today: p.recordOn, others, map });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      tally.refuse({ key: p.key, type: p.command.type, organizationId: p.command.organizationId, code: error.code, message: error.message });
      continue;
    }
    if (decided.length === 0) continue;
    for (const event of decided) history = evolve(history, event);
    // Recorded as the command path records a command: one envelope, the command's key as correlation, ids derived from it.
    const context: CommandContext = { principal: GENERATOR_PRINCIPAL, correlationId: p.key, causationId: null, now: new Date(times[index]) };
    first ??= context;
    const tip = events.at(-1);
    const eventIds = decided.map((_, n) => uuidV5(`${p.key}/${n}`));
    events.push(...envelope(streamId, tip && { revision: events.length - 1, metadata: tip.metadata }, decided, context, GENERATOR_SCHEMA_VERSIONS, eventIds));
  }
  if (history === null || first === null) return null;
  const registrationNumber = normalizeRegistrationNumber(history.registration.registrationNumber);
  const reservationStream = registrationNumberStreamId(registrationNumber);
  const reserved = { type: REGISTRATION_NUMBER_RESERVED, data: { registrationNumber, organizationId: draft.id } };
  const reservation = envelope(reservationStream, undefined, [reserved], first, GENERATOR_SCHEMA_VERSIONS, [uuidV5(`${first.correlationId}/reservation`)]);
  return {
    id: draft.id,
    kind: draft.kind,
    history,
    registeredAt: Date.parse(reservation[0].metadata.recordedAt),
    // The reservation goes first, as OrganizationCommandHandler appends it.
    appends: [
      { streamId: reservationStream, expectedRevision: 'no_stream', events: reservation },
      { streamId, expectedRevision: 'no_stream', events },
    ],
    events: events.length + 1,
  };
}

// ---------------------------------------------------------------------------
// Appending: batches of organizations, several at a time; what exists is skipped.

class AppendWriter {
  readonly written = { events: 0, reservations: 0 };
  skipped = 0;
  onWritten: () => void = () => undefined;
  private batch: Organization[] = [];
  private batchSize = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly concurrency: number,
    private readonly batchEvents: number,
  ) {}

  async add(organization: Organization): Promise<void> {
    this.batch.push(organization);
    this.batchSize += organization.events;
    if (this.batchSize >= this.batchEvents) await this.submit();
  }

  /** Appends what is batched and waits for every append in flight. */
  async drain(): Promise<void> {
    await this.submit();
    await Promise.all(this.inFlight);
    this.throwIfFailed();
  }

  private async submit(): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    this.batchSize = 0;
    while (this.inFlight.size >= this.concurrency) await Promise.race(this.inFlight);
    this.throwIfFailed();
    if (batch.length === 0) return;
    const append: Promise<void> = this.write(batch)
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.inFlight.delete(append));
    this.inFlight.add(append);
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }

  private async write(batch: Organization[]): Promise<void> {
    try {
      await this.store.append(batch.flatMap((organization) => organization.appends));
      for (const organization of batch) this.count(organization);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      // Some of them exist (a rerun, or a run that stopped half way): one by one, skipping those.
      for (const organization of batch) await this.writeUnlessStored(organization);
    }
    this.onWritten();
  }

  private async writeUnlessStored(organization: Organization): Promise<void> {
    if ((await this.store.readStream(organizationStreamId(organization.id))).length > 0) {
      this.skipped++;
      return;
    }
    try {
      await this.store.append(organization.appends);
      this.count(organization);
    } catch (error) {
      const reservation = organization.appends[0].streamId;
      if (!(error instanceof WrongExpectedRevisionError && error.streamId === reservation)) throw error;
      const holder = (await this.store.readStream(reservation))[0]?.data.organizationId;
      if (holder === organization.id) {
        // Its own reservation, left by a run stopped between the ordered writes of EventStoreDB.
        await this.store.append(organization.appends.slice(1));
        this.written.events += organization.events - 1;
        return;
      }
      throw new GenerateConflictError(
        `${reservation} is held by organization ${String(holder)}, not by the generated ${organization.id}: this database holds ` +
          'another data set (another seed?); generate into an empty database',
      );
    }
  }

  private count(organization: Organization): void {
    this.written.events += organization.events;
    this.written.reservations += 1;
  }
}

// ---------------------------------------------------------------------------
// What the summary reports.

class Tally {
  readonly organizations: Record<OrganizationKind, { registered: number; existingToday: number }> = {
    cooperative: { registered: 0, existingToday: 0 },
    cooperative_group: { registered: 0, existingToday: 0 },
    union: { registered: 0, existingToday: 0 },
  };
  refusals = 0;
  readonly refusalsByCode: Record<string, number> = {};
  readonly refusalSamples: GenerateRefusal[] = [];
  readonly calibration: CalibrationLine[] = [];
  private readonly sums = { cooperatives: 0, agricultural: 0, members: 0, groups: 0, unions: 0, memberships: 0, rated: 0, goodOrFair: 0 };

  constructor(
    private readonly today: LocalDate,
    /** National targets apply only when every province is generated. */
    private readonly wholeCountry: boolean,
  ) {}

  refuse(refusal: GenerateRefusal): void {
    this.refusals++;
    this.refusalsByCode[refusal.code] = (this.refusalsByCode[refusal.code] ?? 0) + 1;
    if (this.refusalSamples.length < 20) this.refusalSamples.push(refusal);
  }

  /** Counts an organization as the domain sees it today and on the national reference dates. */
  count(organization: Organization, cooperatives: ReadonlyMap<string, Organization>): void {
    const { history, kind } = organization;
    const line = this.organizations[kind];
    line.registered++;
    if (history.dissolvedOn === null || history.dissolvedOn > this.today) line.existingToday++;
    const state = stateAsOf(history, NATIONAL_FIGURES.asOf);
    if (state !== null && state.status !== 'dissolved') {
      if (kind === 'cooperative') {
        this.sums.cooperatives++;
        if (AGRICULTURAL.includes(state.sector)) this.sums.agricultural++;
        this.sums.members += state.memberCount ?? 0;
      } else if (kind === 'cooperative_group') {
        this.sums.groups++;
      } else {
        this.sums.unions++;
        // A membership counts where both sides exist (domain.md, metric union_member_cooperatives).
        this.sums.memberships += state.memberCooperativeIds.filter((id) => {
          const member = cooperatives.get(id)?.history;
          return member !== undefined && member.registeredOn <= NATIONAL_FIGURES.asOf && (member.dissolvedOn ?? '9999') > NATIONAL_FIGURES.asOf;
        }).length;
      }
    }
    const { year } = NATIONAL_FIGURES.goodOrFairShare;
    const rating = kind === 'cooperative' ? stateAsOf(history, `${year}-12-31`)?.rating : undefined;
    if (rating?.year === year) {
      this.sums.rated++;
      if (rating.rating === 'good' || rating.rating === 'fair') this.sums.goodOrFair++;
    }
  }

  nationalFigures(): NationalFigure[] {
    const { asOf } = NATIONAL_FIGURES;
    const target = (value: number) => (this.wholeCountry ? value : null);
    const { sums } = this;
    const ratedOn = `${NATIONAL_FIGURES.goodOrFairShare.year}-12-31`;
    return [
      { what: 'cooperatives', asOf, target: target(NATIONAL_FIGURES.cooperatives), actual: sums.cooperatives },
      { what: 'agricultural cooperatives', asOf, target: target(NATIONAL_FIGURES.agriculturalCooperatives), actual: sums.agricultural },
      {
        what: 'members per cooperative',
        asOf,
        target: target(NATIONAL_FIGURES.membersPerCooperative),
        actual: Math.round(sums.members / Math.max(sums.cooperatives, 1)),
      },
      { what: 'cooperative groups', asOf, target: target(NATIONAL_FIGURES.groups), actual: sums.groups },
      { what: 'unions', asOf, target: target(NATIONAL_FIGURES.unions), actual: sums.unions },
      { what: 'union member cooperatives', asOf, target: target(NATIONAL_FIGURES.unionMemberCooperatives), actual: sums.memberships },
      {
        what: `cooperatives rated good or fair for ${NATIONAL_FIGURES.goodOrFairShare.year} (share of those rated)`,
        asOf: ratedOn,
        target: target(NATIONAL_FIGURES.goodOrFairShare.share),
        actual: sums.rated === 0 ? 0 : Math.round((sums.goodOrFair / sums.rated) * 1000) / 1000,
      },
    ];
  }
}
