import path from 'node:path';
import {
  decide,
  DomainError,
  foldHistory,
  ORGANIZATION_EVENT_SCHEMA_VERSIONS,
  todayInVietnam,
  type OrganizationCommand,
  type OrganizationEvent,
  type OrganizationHistory,
} from '@ktt/domain';
import { canonicalJson, PostgresEventStore, sha256, type EventStore, type StreamAppend } from '@ktt/event-store';
import { createMigratedDatabase, type MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { envelope, OrganizationCommandHandler, referenceAdministrativeMap, REGISTRATION_NUMBER_RESERVED, verifyAll, type ChainTip } from '@ktt/application';
import { systemPrincipal } from '@ktt/auth';
import { generate, GENERATOR_ACTOR, readProvinces, type GenerateSummary, type ProvinceRef } from './generate';

const SEED = 7;
const TODAY = '2026-11-24';
/** 19:00 in Vietnam on TODAY: every generated record is made before it. */
const NOW = new Date('2026-11-24T12:00:00.000Z');
const MERGER = '2025-07-01';
const map = referenceAdministrativeMap();

interface Row {
  stream_id: string;
  stream_revision: string;
  event_id: string;
  event_type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown> & { recordedAt: string; recordedBy: string; correlationId: string };
}

function storeOf(database: MigratedDatabase): PostgresEventStore {
  return new PostgresEventStore({ pool: database.pool, connectionString: database.url });
}

async function rows(database: MigratedDatabase, prefix = ''): Promise<Row[]> {
  const result = await database.pool.query<Row>(
    `SELECT stream_id, stream_revision, event_id, event_type, data, metadata FROM events
      WHERE starts_with(stream_id, $1) ORDER BY stream_id, stream_revision`,
    [prefix],
  );
  return result.rows;
}

async function countEvents(database: MigratedDatabase): Promise<number> {
  const { rows: [{ n }] } = await database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
  return n;
}

/** Digest of what a data set says: types and data by stream and revision (ids and recording times left out). */
function contentDigest(events: { streamId: string; revision: number; type: string; data: unknown }[]): string {
  return sha256(canonicalJson(events.map(({ streamId, revision, type, data }) => [streamId, revision, type, data])));
}

/** Keeps what is appended, in memory: enough for the generator, which reads a stream only when an append conflicts. */
function memoryStore(): { store: EventStore; appended: StreamAppend[] } {
  const appended: StreamAppend[] = [];
  const store = {
    engine: 'postgres',
    append: async (appends: StreamAppend[]) => {
      appended.push(...appends);
      return { revisions: {}, position: '0' };
    },
    readStream: async () => [],
  } as unknown as EventStore;
  return { store, appended };
}

/** The command that records a stored fact, as a registrar would have sent it. */
function commandOf(event: OrganizationEvent): OrganizationCommand {
  const { effectiveOn, ...data } = event.data as Record<string, unknown> & { effectiveOn: string };
  const present = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== null));
  switch (event.type) {
    case 'OrganizationRegistered': {
      const { memberCount, memberCooperativeIds, ...rest } = present;
      const members = rest.kind === 'union' ? { memberCooperativeIds } : { memberCount };
      return { ...rest, ...members, type: 'RegisterOrganization', registeredOn: effectiveOn } as OrganizationCommand;
    }
    case 'OrganizationRated':
      return { ...present, type: 'RateOrganization', ratedOn: effectiveOn } as OrganizationCommand;
    default: {
      // The domain's own table (COMMAND_FOR of correct-record.ts) is not exported; these names follow api.md.
      const types = new Map<string, OrganizationCommand['type']>([
        ['MemberCountChanged', 'ChangeMemberCount'], ['ProfileChanged', 'ChangeProfile'], ['OrganizationSuspended', 'SuspendOrganization'],
        ['OrganizationFoundDormant', 'FindOrganizationDormant'], ['OrganizationResumed', 'ResumeOrganization'],
        ['OrganizationDissolved', 'DissolveOrganization'], ['CooperativeJoinedUnion', 'JoinUnion'], ['CooperativeLeftUnion', 'LeaveUnion'],
        ['OrganizationRelocated', 'RelocateOrganization'],
      ]);
      return { ...present, type: types.get(event.type), effectiveOn } as OrganizationCommand;
    }
  }
}

describe('generate --scale small, through the domain into PostgreSQL', () => {
  let provinces: ProvinceRef[];
  let first: MigratedDatabase;
  let second: MigratedDatabase;
  let summary: GenerateSummary;
  let stored: Row[];

  beforeAll(async () => {
    provinces = await readProvinces(path.resolve(__dirname, '..', '..', '..', '..', 'data'));
    [first, second] = await Promise.all([createMigratedDatabase('generate_a'), createMigratedDatabase('generate_b')]);
    summary = await generate(storeOf(first), { scale: 'small', provinces, seed: SEED, today: TODAY, now: NOW });
    stored = await rows(first);
  });
  afterAll(async () => {
    await Promise.all([first?.dispose(), second?.dispose()]);
  });

  it('writes a few thousand events, refuses nothing, and stores what it reports, every event by system:generator', async () => {
    expect(summary.refusalSamples).toEqual([]);
    expect(summary.refusals).toBe(0);
    expect(summary.eventsWritten).toBeGreaterThan(2_000);
    expect(summary.eventsWritten).toBeLessThan(10_000);
    expect(summary.skippedOrganizations).toBe(0);
    expect(await countEvents(first)).toBe(summary.eventsWritten);
    expect(stored).toHaveLength(summary.eventsWritten);
    expect(new Set(stored.map((r) => r.metadata.recordedBy))).toEqual(new Set([GENERATOR_ACTOR]));
    const registered = stored.filter((r) => r.event_type === 'OrganizationRegistered').length;
    expect(summary.reservations).toBe(registered);
    expect(stored.filter((r) => r.stream_id.startsWith('registration-number-'))).toHaveLength(registered);
  });

  it('registers every kind in each province of the scale, in plausible proportions', async () => {
    // By the province as it was before 1 July 2025: the former province where the registration names one, else its code.
    const { rows: counts } = await first.pool.query<{ province: string; kind: string; n: number }>(
      `SELECT coalesce(data->>'formerProvinceCode', data->>'provinceCode') AS province, data->>'kind' AS kind, count(*)::int AS n
         FROM events WHERE event_type = 'OrganizationRegistered' GROUP BY 1, 2`,
    );
    const count = (province: string, kind: string) => counts.find((c) => c.province === province && c.kind === kind)?.n ?? 0;
    expect(new Set(counts.map((c) => c.province))).toEqual(new Set(['91', '15', '89', '01']));
    for (const province of ['91', '15', '89', '01']) {
      expect(count(province, 'cooperative')).toBeGreaterThanOrEqual(10);
      expect(count(province, 'cooperative_group')).toBeGreaterThan(count(province, 'cooperative'));
      expect(count(province, 'union')).toBeGreaterThanOrEqual(1);
      expect(count(province, 'union')).toBeLessThan(count(province, 'cooperative') / 3);
    }
    const byKind = summary.organizations;
    expect(byKind.cooperative.registered).toBe(counts.filter((c) => c.kind === 'cooperative').reduce((s, c) => s + c.n, 0));
    expect(byKind.cooperative_group.registered).toBeGreaterThan(2 * byKind.cooperative.registered);
    // Two thirds of the cooperatives nationally are agricultural; Kiên Giang's are nearly all (domain.md).
    const agricultural = stored.filter(
      (r) => r.event_type === 'OrganizationRegistered' && r.data.kind === 'cooperative' && ['agriculture', 'fisheries'].includes(r.data.sector as string),
    ).length;
    expect(agricultural / byKind.cooperative.registered).toBeGreaterThan(0.5);
    expect(agricultural / byKind.cooperative.registered).toBeLessThan(0.9);
    const types = new Set(stored.map((r) => r.event_type));
    for (const type of [
      'OrganizationRegistered', 'OrganizationRated', 'MemberCountChanged', 'ProfileChanged', 'OrganizationSuspended',
      'OrganizationFoundDormant', 'OrganizationResumed', 'OrganizationDissolved', 'CooperativeJoinedUnion', 'RegistrationNumberReserved',
      'OrganizationRelocated',
    ]) {
      expect(types).toContain(type);
    }
  });

  it('is deterministic: the same seed and clock write the same events in another database, ids and hashes included', async () => {
    const again = await generate(storeOf(second), { scale: 'small', provinces, seed: SEED, today: TODAY, now: NOW });
    expect(again.eventsWritten).toBe(summary.eventsWritten);
    expect(await rows(second)).toEqual(stored);
  });

  it('is a function of the seed: another seed draws another history', async () => {
    const sameSeed = memoryStore();
    const otherSeed = memoryStore();
    await generate(sameSeed.store, { scale: 'small', provinces, seed: SEED, today: TODAY, now: NOW });
    await generate(otherSeed.store, { scale: 'small', provinces, seed: SEED + 1, today: TODAY, now: NOW });
    const digestOf = (appends: StreamAppend[]) =>
      contentDigest(
        appends
          .flatMap((a) => a.events.map((e, revision) => ({ streamId: a.streamId, revision, type: e.type, data: e.data })))
          .sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : a.revision - b.revision)),
      );
    const fromDatabase = contentDigest(
      stored.map((r) => ({ streamId: r.stream_id, revision: Number(r.stream_revision), type: r.event_type, data: r.data })),
    );
    expect(digestOf(sameSeed.appended)).toBe(fromDatabase);
    expect(digestOf(otherSeed.appended)).not.toBe(fromDatabase);
  });

  it('leaves every hash chain intact and no reservation without its registration', async () => {
    const result = await verifyAll(storeOf(first));
    expect(result.firstBrokenAt).toBeUndefined();
    expect(result.orphanReservations).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.checkedEvents).toBe(summary.eventsWritten);
  });

  it('stamps every event as the command path does: its metadata and hash are what `envelope` makes of its fact, recording time, correlation and id', () => {
    const schemaVersions = { ...ORGANIZATION_EVENT_SCHEMA_VERSIONS, [REGISTRATION_NUMBER_RESERVED]: 1 };
    let previous: ChainTip | undefined;
    for (const [i, row] of stored.entries()) {
      if (i > 0 && stored[i - 1].stream_id !== row.stream_id) previous = undefined;
      const { recordedAt, correlationId } = row.metadata;
      const context = { principal: systemPrincipal(GENERATOR_ACTOR), correlationId, now: new Date(recordedAt) };
      const [expected] = envelope(row.stream_id, previous, [{ type: row.event_type, data: row.data }], context, schemaVersions, [row.event_id]);
      expect({ type: row.event_type, data: row.data, metadata: row.metadata }).toEqual(expected);
      previous = { revision: Number(row.stream_revision), metadata: expected.metadata };
    }
  });

  it('breaks no rule: each stored fact is what the domain decides for its command, on the day it was recorded, against the history recorded before it', () => {
    const streams = new Map<string, OrganizationEvent[]>();
    for (const row of stored) {
      if (!row.stream_id.startsWith('organization-')) continue;
      const events = streams.get(row.stream_id) ?? [];
      events.push({ type: row.event_type, data: row.data } as OrganizationEvent);
      streams.set(row.stream_id, events);
    }
    const finals = new Map<string, OrganizationHistory | null>(
      [...streams.values()].map((events) => [events[0].data.organizationId, foldHistory(events)]),
    );
    const refusals: string[] = [];
    let decided = 0;
    for (const row of stored) {
      if (!row.stream_id.startsWith('organization-')) continue;
      const revision = Number(row.stream_revision);
      const events = streams.get(row.stream_id) as OrganizationEvent[];
      const event = events[revision];
      try {
        const facts = decide(commandOf(event), foldHistory(events.slice(0, revision)), {
          today: todayInVietnam(new Date(row.metadata.recordedAt)),
          others: finals,
          map,
        });
        expect(facts).toEqual([event]);
        decided++;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        refusals.push(`${row.stream_id}@${revision} ${event.type}: ${error.code} ${error.message}`);
      }
    }
    expect(refusals.slice(0, 5)).toEqual([]);
    expect(decided).toBe(summary.organizationEvents);
  });

  it('leaves organizations the real command path accepts new facts for, and whose registration numbers it keeps', async () => {
    const commands = new OrganizationCommandHandler(storeOf(first));
    // An admin: the generated organizations lie in every province.
    const context = { principal: { subject: 'e2e-admin', role: 'admin' as const, provinces: [] }, correlationId: 'after-generate', now: NOW };
    const living = stored.filter(
      (r) =>
        r.event_type === 'OrganizationRegistered' &&
        r.data.kind === 'cooperative' &&
        !stored.some((d) => d.stream_id === r.stream_id && d.event_type === 'OrganizationDissolved'),
    );
    expect(living.length).toBeGreaterThan(10);
    const cooperative = living[0].data;
    const result = await commands.execute({
      command: { type: 'ChangeMemberCount', organizationId: cooperative.organizationId as string, memberCount: 42, effectiveOn: TODAY },
      context,
    });
    expect(result.version).toBe(stored.filter((r) => r.stream_id === living[0].stream_id).length);
    await expect(
      commands.execute({
        command: {
          type: 'RegisterOrganization',
          organizationId: '00000000-0000-4000-8000-000000000001',
          kind: 'cooperative',
          name: 'Hợp tác xã Thử nghiệm',
          registrationNumber: cooperative.registrationNumber as string,
          provinceCode: '91',
          formerProvinceCode: '91',
          sector: 'agriculture',
          registeredOn: TODAY,
          memberCount: 7,
        },
        context,
      }),
    ).rejects.toMatchObject({ code: 'REGISTRATION_NUMBER_TAKEN' });
  });

  it('names seats on the map of their date: on and after 1 July 2025 only provinces then in force, a merged one with its former province; relocations between provinces and within one', () => {
    const seated = stored.filter((r) => r.event_type === 'OrganizationRegistered' || r.event_type === 'OrganizationRelocated');
    const after = seated.filter((r) => (r.data.effectiveOn as string) >= MERGER);
    expect(after.length).toBeGreaterThan(20);
    for (const row of after) {
      const units = map.unitsOf(row.data.provinceCode as string, row.data.effectiveOn as string);
      expect({ seat: `${row.data.provinceCode}@${row.data.effectiveOn}`, inForce: units !== null }).toEqual({ seat: `${row.data.provinceCode}@${row.data.effectiveOn}`, inForce: true });
      if (units!.length > 1) expect(units).toContain(row.data.formerProvinceCode);
      else expect(row.data.formerProvinceCode ?? null).toBeNull();
    }
    // 89 ended on 1 July 2025: An Giang's registrations name it before, 91 with formerProvinceCode 89 after.
    const registrations = (code: string, former: string | null, afterMerger: boolean) =>
      seated.filter(
        (r) =>
          r.event_type === 'OrganizationRegistered' &&
          r.data.provinceCode === code &&
          (r.data.formerProvinceCode ?? null) === former &&
          (r.data.effectiveOn as string) >= MERGER === afterMerger,
      ).length;
    expect(registrations('89', null, false)).toBeGreaterThan(10);
    expect(registrations('89', null, true)).toBe(0);
    expect(registrations('91', '89', true)).toBeGreaterThan(0);
    expect(registrations('91', '91', true)).toBeGreaterThan(0);
    expect(registrations('15', '15', true)).toBeGreaterThan(0);
    expect(registrations('01', null, true)).toBeGreaterThan(0);
    // Relocations: accepted (the test above re-decides each), out of the seat held the day before.
    const seatBefore = new Map<string, string>();
    const moves: { from: string; to: string; code: string; on: string }[] = [];
    for (const row of seated) {
      const unit = (row.data.formerProvinceCode as string | null) ?? (row.data.provinceCode as string);
      if (row.event_type === 'OrganizationRelocated') moves.push({ from: seatBefore.get(row.stream_id)!, to: unit, code: row.data.provinceCode as string, on: row.data.effectiveOn as string });
      seatBefore.set(row.stream_id, unit);
    }
    expect(moves.length).toBeGreaterThan(3);
    expect(moves.every((m) => m.from !== undefined && m.from !== m.to)).toBe(true);
    expect(moves.some((m) => map.provinceOfUnit(m.from, m.on).code !== m.code)).toBe(true);
    expect(moves.some((m) => map.provinceOfUnit(m.from, m.on).code === m.code)).toBe(true);
  });

  it('records late: some facts on a later day than their effective date, some ratings after the next year’s; recorded times never go back in a stream, nor past now', () => {
    const organizationRows = stored.filter((r) => r.stream_id.startsWith('organization-'));
    const late = organizationRows.filter((r) => todayInVietnam(new Date(r.metadata.recordedAt)) > (r.data.effectiveOn as string));
    const lateNonRegistrations = late.filter((r) => r.event_type !== 'OrganizationRegistered');
    expect(lateNonRegistrations.length).toBeGreaterThan(20);
    let ratingAfterNextYear = 0;
    const yearsRated = new Map<string, number[]>();
    for (const row of organizationRows) {
      if (row.event_type !== 'OrganizationRated') continue;
      const years = yearsRated.get(row.stream_id) ?? [];
      if (years.some((year) => year > (row.data.year as number))) ratingAfterNextYear++;
      yearsRated.set(row.stream_id, [...years, row.data.year as number]);
    }
    expect(ratingAfterNextYear).toBeGreaterThan(0);
    for (let i = 1; i < stored.length; i++) {
      if (stored[i].stream_id === stored[i - 1].stream_id) {
        expect(stored[i].metadata.recordedAt >= stored[i - 1].metadata.recordedAt).toBe(true);
      }
    }
    expect(stored.every((r) => r.metadata.recordedAt <= NOW.toISOString())).toBe(true);
    expect(stored.some((r) => r.metadata.recordedAt < '2017-01-01')).toBe(true); // the history starts in 2016
  });

  it('skips what exists when run again: nothing written, nothing refused, every organization reported as stored already', async () => {
    const before = await countEvents(first);
    const rerun = await generate(storeOf(first), { scale: 'small', provinces, seed: SEED, today: TODAY, now: NOW });
    expect(rerun.eventsWritten).toBe(0);
    expect(rerun.refusals).toBe(0);
    const organizations = Object.values(summary.organizations).reduce((n, o) => n + o.registered, 0);
    expect(rerun.skippedOrganizations).toBe(organizations);
    expect(await countEvents(first)).toBe(before);
  });
});
