import { DomainError, referencedOrganizationIds, todayInVietnam, type LocalDate, type OrganizationKind } from '@ktt/domain';
import {
  IdempotencyKeyReusedError,
  PROJECT_DATA_DIR,
  requestHash,
  seedAdministrativeUnits,
  TooMuchContentionError,
  type CommandContext,
  type OrganizationCommandHandler,
} from '@ktt/application';
import type { EventStore } from '@ktt/event-store';
import { DEMO_ACTOR, generateDemoPlan, type CalibrationLine, type PlannedCommand } from './demo-plan';
import { systemPrincipal } from '@ktt/auth';
import { recordingTimes } from '../draft/recording-times';
import { Random } from '../random';

export { DEFAULT_DEMO_SEED, DEMO_ACTOR, generateDemoPlan } from './demo-plan';

export interface LoadDemoOptions {
  seed?: number;
  /** 1 = the sizes of domain.md ("Background facts"); tests use 0.02. */
  scale?: number;
  /** Calendar date in Vietnam up to which the history runs; defaults to today. */
  today?: LocalDate;
  /**
   * The store `commands` writes to, when the demo should record the 2025 reorganization in it first
   * where it is not yet (as the api does on its first start; `cli demo` does). Either way the plan
   * names seats on the map `commands` judges them on (the map as recorded in its store): without the
   * merger recorded, that is the first map, and the demo names 89 after 1 July 2025 too.
   */
  store?: EventStore;
  /**
   * No record is stamped after this instant; defaults to the clock. A record due later than now (its
   * day is today, or a late record the plan moved to today) is stamped at the moment it is sent.
   */
  now?: Date;
  /** Organizations whose commands are sent at the same time (each organization's own commands stay in order). */
  concurrency?: number;
  onProgress?(done: number, total: number): void;
}

export interface DemoRefusal {
  key: string;
  type: string;
  organizationId: string;
  code: string;
  message: string;
}

export interface DemoSummary {
  seed: number;
  scale: number;
  today: LocalDate;
  /**
   * Per province as it was before 1 July 2025 (the unit the organization registered in: An Giang 89's
   * registrations of 2026 name 91 with formerProvinceCode 89) and kind: registered up to today, and
   * still existing (not dissolved) today.
   */
  organizations: { provinceCode: string; kind: OrganizationKind; registered: number; existingToday: number }[];
  commandsSent: number;
  /** Answered from an earlier run by their idempotency key: nothing written. */
  replayed: number;
  /** Every event appended: organization events, registration-number reservations, idempotency records. */
  eventsWritten: number;
  organizationEvents: number;
  reservations: number;
  idempotencyRecords: number;
  refusals: number;
  refusalsByCode: Record<string, number>;
  /** The first refusals, for the report. */
  refusalSamples: DemoRefusal[];
  /** Drawn sizes on the reference dates of domain.md next to the targets (scaled). */
  calibration: CalibrationLine[];
  seconds: number;
}

/**
 * Loads the synthetic history of Kiên Giang, Yên Bái and An Giang through the real
 * command path (OrganizationCommandHandler, so every rule is checked), as
 * actor `system:demo`.
 *
 * Commands are sent month by month of their recording date: within a month,
 * each organization's commands in order, several organizations at a time;
 * union commands (which read the cooperatives' histories) after the others of
 * the month. Each command carries the idempotency key `demo-<seed>-<org>-<n>`,
 * so a rerun writes nothing it wrote before (and, on a later day, only what
 * has happened since). A refused command is counted and reported, not thrown.
 *
 * Seats follow the map: on and after 1 July 2025 a registration or relocation names the province
 * then in force and, in a merged one, the former province (An Giang's of 2026: 91 / 89).
 */
export async function loadDemo(commands: OrganizationCommandHandler, options: LoadDemoOptions = {}): Promise<DemoSummary> {
  const started = process.hrtime.bigint();
  if (options.store) await seedAdministrativeUnits(options.store, PROJECT_DATA_DIR);
  const map = await commands.administrativeMap();
  const plan = generateDemoPlan({ seed: options.seed, scale: options.scale, today: options.today ?? todayInVietnam(), map });
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const total = plan.commands.length;
  const summary: DemoSummary = {
    seed: plan.seed,
    scale: plan.scale,
    today: plan.today,
    organizations: [],
    commandsSent: 0,
    replayed: 0,
    eventsWritten: 0,
    organizationEvents: 0,
    reservations: 0,
    idempotencyRecords: 0,
    refusals: 0,
    refusalsByCode: {},
    refusalSamples: [],
    calibration: plan.calibration,
    seconds: 0,
  };
  const recordedAt = simulatedRecordingTimes(plan.seed, plan.commands, (options.now ?? new Date()).getTime());
  options.onProgress?.(0, total);

  const send = async (planned: PlannedCommand): Promise<void> => {
    const context: CommandContext = {
      principal: systemPrincipal(DEMO_ACTOR),
      correlationId: planned.key,
      idempotency: { key: planned.key, requestHash: requestHash('POST', 'demo', planned.command) },
      ...recordedAt.get(planned.key),
    };
    try {
      const result = await commands.execute({ command: planned.command, context });
      if (result.replayed) {
        summary.replayed++;
      } else {
        summary.organizationEvents++;
        summary.idempotencyRecords++;
        if (planned.command.type === 'RegisterOrganization') summary.reservations++;
      }
    } catch (error) {
      if (!(error instanceof DomainError || error instanceof IdempotencyKeyReusedError || error instanceof TooMuchContentionError)) {
        throw error; // infrastructure failures stop the run; rerunning resumes it (idempotency keys)
      }
      summary.refusals++;
      summary.refusalsByCode[error.code] = (summary.refusalsByCode[error.code] ?? 0) + 1;
      if (summary.refusalSamples.length < 20) {
        summary.refusalSamples.push({
          key: planned.key,
          type: planned.command.type,
          organizationId: planned.command.organizationId,
          code: error.code,
          message: error.message,
        });
      }
    }
    summary.commandsSent++;
    options.onProgress?.(summary.commandsSent, total);
  };

  for (const batch of monthBatches(plan.commands)) {
    await inLanes(batch.filter((c) => !c.union), concurrency, send);
    await inLanes(batch.filter((c) => c.union), concurrency, send);
  }

  summary.eventsWritten = summary.organizationEvents + summary.reservations + summary.idempotencyRecords;
  const kinds: OrganizationKind[] = ['cooperative', 'cooperative_group', 'union'];
  for (const provinceCode of [...new Set(plan.organizations.map((o) => o.unit))]) {
    for (const kind of kinds) {
      const of = plan.organizations.filter((o) => o.unit === provinceCode && o.kind === kind);
      summary.organizations.push({ provinceCode, kind, registered: of.length, existingToday: of.filter((o) => o.dissolvedOn === null).length });
    }
  }
  summary.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return summary;
}

/**
 * When the registry would have entered each command, as `generate` stamps its records
 * (recording-times.ts): on its recording day (a late rating or member count after its effective
 * date), in office hours, a union's after its cooperatives' registrations. The command path takes it
 * as its clock (`CommandContext.now`): the day of recording is the "today" its rules judge, and
 * `recordedAt` is the instant, so "known at" questions on the demo have answers. Drawn from the seed
 * and the organization, like the rest of the demo; a time after `nowMs` is left to the clock.
 */
function simulatedRecordingTimes(seed: number, commands: readonly PlannedCommand[], nowMs: number): Map<string, { now: Date }> {
  const byOrganization = new Map<string, PlannedCommand[]>();
  for (const command of commands) {
    const id = command.command.organizationId;
    const list = byOrganization.get(id);
    if (list) list.push(command);
    else byOrganization.set(id, [command]);
  }
  const registeredAt = new Map<string, number>();
  const times = new Map<string, { now: Date }>();
  // Cooperatives and groups first: a union's records come after the registrations of the cooperatives they name.
  const organizations = [...byOrganization.values()].sort((a, b) => Number(a[0].union) - Number(b[0].union));
  for (const planned of organizations) {
    // Recording order, as inLanes sends them.
    const ordered = [...planned].sort((a, b) => (a.recordOn < b.recordOn ? -1 : a.recordOn > b.recordOn ? 1 : a.seq - b.seq));
    const drawn = recordingTimes(ordered, Random.derive(seed, ordered[0].command.organizationId, 'recorded'), (p) => {
      const referenced = referencedOrganizationIds(p.command).map((id) => registeredAt.get(id) ?? 0);
      return Math.max(0, ...referenced) + 60_000;
    });
    registeredAt.set(ordered[0].command.organizationId, drawn[0]);
    ordered.forEach((p, i) => {
      if (drawn[i] <= nowMs) times.set(p.key, { now: new Date(drawn[i]) });
    });
  }
  return times;
}

/** Consecutive runs of commands recorded in the same month (the plan is in sending order). */
function monthBatches(commands: PlannedCommand[]): PlannedCommand[][] {
  const batches: PlannedCommand[][] = [];
  let month = '';
  for (const command of commands) {
    const current = command.recordOn.slice(0, 7);
    if (current !== month) {
      batches.push([]);
      month = current;
    }
    batches[batches.length - 1].push(command);
  }
  return batches;
}

/** One lane per organization, its commands in order; up to `concurrency` lanes at a time. */
async function inLanes(commands: PlannedCommand[], concurrency: number, send: (c: PlannedCommand) => Promise<void>): Promise<void> {
  const lanes = new Map<number, PlannedCommand[]>();
  for (const command of [...commands].sort((a, b) => (a.recordOn < b.recordOn ? -1 : a.recordOn > b.recordOn ? 1 : a.seq - b.seq))) {
    const lane = lanes.get(command.organizationOrder);
    if (lane) lane.push(command);
    else lanes.set(command.organizationOrder, [command]);
  }
  const queue = [...lanes.values()];
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < queue.length) {
      const lane = queue[next++];
      for (const command of lane) {
        if (failed) return;
        try {
          await send(command);
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
}
