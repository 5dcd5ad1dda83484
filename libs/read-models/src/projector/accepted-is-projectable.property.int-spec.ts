import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { systemPrincipal } from '@ktt/auth';
import { CORRECTION_REPLACEMENT_FIELDS, DomainError, LIMITS, METRIC_NAMES, type OrganizationCommand, type PlanCommand } from '@ktt/domain';
import type { PostgresEventStore } from '@ktt/event-store';
import { activeSchema, rebuildReadModels, schemaIdentifier } from '@ktt/read-models';
import { digestSchema } from '@ktt/testing/postgres/digest';
import type { MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { createEventStoreDatabase } from '@ktt/testing/postgres/event-store-database';
import { assertParameters, projectToHead } from '../progress/progress-property.test-harness';
import { OrganizationCommandHandler, PlanCommandHandler } from '@ktt/application';

/**
 * "Accepted ⇒ projectable" (architecture.md, "Reads"): random and
 * hostile commands — edge values, every field at its limit and one past it,
 * odd Unicode (NUL, control characters, lone surrogates, NFD, astral
 * characters), mixed-case ids, corrections of every kind of event with
 * replacements at and beyond the limits, plans — go through the real
 * application into a real PostgreSQL. Whatever the domain accepts must
 * project: the live projector never fails and quarantines nothing, and a
 * blue-green rebuild from position 0 gives the same read models row for row.
 * A command is either accepted or refused with a DomainError; anything else
 * (a database error on append) fails the property too.
 *
 * HOSTILE_PROPERTY_RUNS sets the number of runs (default 100: about 20 s alone, 40 s beside other suites), HOSTILE_PROPERTY_SEED
 * replays one, HOSTILE_PROPERTY_SHRINK=1 shrinks a failure.
 */

jest.setTimeout(300_000);

const NOW = new Date('2026-06-30T03:00:00Z'); // 10:00 in Vietnam: "today" is 2026-06-30
const TODAY = '2026-06-30';
const NUM_RUNS = Number(process.env.HOSTILE_PROPERTY_RUNS ?? 100);
/** A fresh database every so many runs keeps each run's rebuild (the whole log from position 0) short. */
const RUNS_PER_DATABASE = 15;

// ---------------------------------------------------------------------------------------------
// Values. Each field has an `ok` arbitrary (valid, and often exactly at a limit: the longest text,
// astral and NFD characters, the largest count) and a `bad` one (past a limit, NUL, control
// characters, lone surrogates, wrong types, malformed dates). An intent takes its fields from `ok`
// and, most of the time, one of them from `bad`: so much is accepted and reaches the projector, and
// each hostile value is tried on its own, where nothing else would refuse the command first.

const weighted = <T>(...entries: [fc.Arbitrary<T>, number][]) => fc.oneof(...entries.map(([arbitrary, weight]) => ({ arbitrary, weight })));
interface Field {
  ok: fc.Arbitrary<unknown>;
  bad: fc.Arbitrary<unknown>;
}

// Registrations early, later records after them, so that most dates fall in an organization's life;
// two dates in both lists give records on the registration's own day (a dissolution the day it was registered).
const EARLY_DATES = ['1900-01-01', '2018-12-31', '2019-01-01', '2020-02-29', '2020-06-15', '2021-01-01'];
const LATER_DATES = ['2020-06-15', '2021-01-01', '2021-06-15', '2022-01-01', '2023-07-01', '2024-02-29', '2024-12-31', '2025-06-30', '2025-07-01', '2026-01-15', TODAY];
const BAD_DATES = ['2026-07-01', '9999-12-31', '2023-02-29', '2025-W01-1', '2025', '2025-001', '2024-1-01', '', '2024-01-01T00:00:00Z', '0000-01-01', '1899-12-31', '2024-02-30', '２０２４-01-01'];
const dateField = (dates: string[]): Field => ({ ok: fc.constantFrom(...dates), bad: fc.constantFrom<unknown>(...BAD_DATES, null, 20240101) });

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => `a${String.fromCharCode(code)}b`);
const controlCharacter = fc.integer({ min: 0, max: 0x9f }).filter((c) => c < 0x20 || c >= 0x7f).map((code) => `x${String.fromCharCode(code)}y`);

/** A text field of at most `max` characters; `multiline` fields take tabs and line breaks. */
function textField(max: number, multiline = false): Field {
  return {
    ok: weighted<unknown>(
      [fc.constantFrom('Hợp tác xã Tân Hiệp', 'QĐ 12/2024', 'a', 'Ω', 'Thiếu vốn lưu động', '\u00a0trimmed\u2003', 'zero\u200bwidth', 'line\u2028sep', '\ufeffBOM', '\u{10ffff}'), 5],
      [fc.constantFrom('x'.repeat(max), 'đ'.repeat(max), '😀'.repeat(max), 'ệ'.normalize('NFD').repeat(max), ` ${'y'.repeat(max)} `), 3],
      [fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((text) => text.trim().length > 0 && !/[\u0000-\u001f\u007f-\u009f]/.test(text)), 2],
      ...(multiline ? [[fc.constantFrom('dòng 1\ndòng 2', 'a\r\nb', 'a\rb'), 1] as [fc.Arbitrary<unknown>, number]] : []),
    ),
    bad: weighted<unknown>(
      [fc.constantFrom('x'.repeat(max + 1), '😀'.repeat(max + 1), 'e\u0301'.repeat(max + 1)), 2],
      [fc.oneof(loneSurrogate, controlCharacter, fc.constantFrom('a\u0000b', '\u0000', '   ', '', '\u00a0', 'tab\there')), 4],
      [fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), 2],
      ...(multiline ? [] : [[fc.constantFrom('dòng 1\ndòng 2', 'a\rb'), 1] as [fc.Arbitrary<unknown>, number]]),
      [fc.constantFrom<unknown>(42, null, ['a'], { a: 1 }), 1],
    ),
  };
}

/** An integer field within [min, max]: both bounds are `ok`, one past them and the read model's integer column `bad`. */
function intField(min: number, max: number): Field {
  return {
    ok: weighted<unknown>([fc.integer({ min, max: Math.min(max, min + 60) }), 3], [fc.constantFrom(min, max), 2]),
    bad: fc.constantFrom<unknown>(max + 1, min - 1, LIMITS.int4Max, LIMITS.int4Max + 1, 3_000_000_000, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER, '12', null),
  };
}

const oneOf = (ok: unknown[], bad: unknown[]): Field => ({ ok: fc.constantFrom(...ok), bad: fc.constantFrom(...bad) });
const FLAGS = ['directorTrained', 'valueChain', 'highTech', 'enterpriseLinked', 'digitalAdoption'] as const;
const managerCount = intField(0, LIMITS.managers.max);

/** How a command spells an id it names: as it is, in another case, a new one, or not an id at all. */
type IdForm = 'canonical' | 'upper' | 'mixed' | 'fresh' | 'junk';
function spell(id: string | undefined, form: IdForm): unknown {
  if (id === undefined || form === 'fresh') return randomUUID();
  if (form === 'upper') return id.toUpperCase();
  if (form === 'mixed') return [...id].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join('');
  if (form === 'junk') return [`${id}\u0000`, id.slice(1), `{${id}}`, '', 'organization'][id.charCodeAt(0) % 5];
  return id;
}
const idForm: Field = { ok: fc.constant<IdForm>('canonical'), bad: fc.constantFrom<IdForm>('upper', 'mixed', 'fresh', 'junk') };

const FIELDS = {
  idForm,
  otherIdForm: idForm,
  kind: oneOf(['cooperative', 'cooperative_group', 'union'], ['Cooperative', 'club', null]),
  sector: oneOf(['agriculture', 'fisheries', 'industry', 'credit', 'other'], ['AGRICULTURE', '', 7]),
  provinceCode: oneOf(['91', '15', '01'], ['9', '911', 'ab', 91, '9\u0000']),
  name: textField(LIMITS.text.name),
  number: oneOf(['fresh'], ['x'.repeat(21), 'KG 01', 'kg-01\u0000', '', 42]),
  memberCount: intField(LIMITS.memberCount.min + 4, LIMITS.memberCount.max),
  managers: {
    ok: weighted<unknown>([fc.constant(undefined), 2], [fc.integer({ min: 0, max: LIMITS.managers.max }).chain((total) => fc.record({ total: fc.constant(total), withDegree: fc.constantFrom(0, total) })), 3]),
    bad: weighted<unknown>([fc.record({ total: managerCount.bad, withDegree: fc.constant(0) }), 3], [fc.constantFrom<unknown>(null, { total: 3 }, { total: 3, withDegree: 4 }, [1, 2], 'many'), 2]),
  },
  flag: { ok: fc.constantFrom<unknown>(undefined, true, false), bad: fc.constantFrom<unknown>(null, 'true', 1) },
  rating: oneOf(['good', 'fair', 'average', 'weak'], ['GOOD', 'excellent', null]),
  year: { ok: fc.integer({ min: 2021, max: 2026 }), bad: fc.constantFrom<unknown>(1899, 2027, 9999, LIMITS.int4Max + 1, 2024.5, '2024') },
  registeredOn: dateField(EARLY_DATES),
  date: dateField(LATER_DATES),
  until: { ok: fc.constantFrom<unknown>(undefined, TODAY, '2026-12-31', '9999-12-31'), bad: fc.constantFrom<unknown>('2026-02-30', '2026', null, '2020-01-01') },
  reason: textField(LIMITS.text.reason, true),
  finding: textField(LIMITS.text.finding, true),
  decisionRef: textField(LIMITS.text.decisionRef),
  noticeRef: { ok: weighted<unknown>([fc.constant(undefined), 1], [textField(LIMITS.text.noticeRef).ok, 1]), bad: textField(LIMITS.text.noticeRef).bad },
  mode: oneOf(['voluntary', 'compulsory'], ['VOLUNTARY', '']),
  correctionReason: textField(LIMITS.text.correctionReason, true),
  replacement: oneOf(['from-fields', 'from-fields', 'from-fields', undefined], ['not an object', ['a'], null, 'foreign-field']),
  metric: oneOf([...METRIC_NAMES], ['cooperatives ', 'members']),
  op: oneOf(['at_least', 'more_than', 'approximately', 'at_most'], ['between', 'about']),
  value: {
    ok: weighted<unknown>([fc.double({ min: 0, max: 1000, noNaN: true }), 3], [fc.constantFrom(LIMITS.targetValue.maxAbs, -LIMITS.targetValue.maxAbs, -0, Number.MIN_VALUE), 1]),
    bad: fc.constantFrom<unknown>(1e308, Number.NaN, Number.POSITIVE_INFINITY, LIMITS.targetValue.maxAbs * 10, '5'),
  },
  quote: textField(LIMITS.text.targetQuote, true),
  title: textField(LIMITS.text.planTitle),
} satisfies Record<string, Field>;
type FieldName = keyof typeof FIELDS;
const FIELD_NAMES = Object.keys(FIELDS) as FieldName[];

const arbitraries = <K extends 'ok' | 'bad'>(which: K) =>
  fc.record(Object.fromEntries(FIELD_NAMES.map((name) => [name, FIELDS[name][which]])) as Record<FieldName, fc.Arbitrary<unknown>>);

const makeIntentArb = (hostile: fc.Arbitrary<number>) => fc
  .record({
    type: weighted<string>(
      [fc.constant('register'), 5],
      [fc.constantFrom('rate', 'members', 'profile'), 6],
      [fc.constantFrom('suspend', 'dormant', 'resume', 'dissolve'), 4],
      [fc.constantFrom('join', 'leave'), 3],
      [fc.constant('correct'), 6],
      [fc.constantFrom('adopt', 'amend', 'end'), 1],
    ),
    org: fc.nat(),
    other: fc.nat(),
    event: fc.nat(),
    founders: fc.array(fc.nat(), { minLength: 3, maxLength: 5 }),
    flags: fc.record(Object.fromEntries(FLAGS.map((flag) => [flag, FIELDS.flag.ok])) as Record<(typeof FLAGS)[number], fc.Arbitrary<unknown>>),
    ok: arbitraries('ok'),
    bad: arbitraries('bad'),
    hostile,
  })
  .map(({ ok, ...rest }) => ({ ...rest, ...ok }));
// Which of the fields a command uses takes its hostile value: one of them half the time (see toCommand).
const intentArb = makeIntentArb(fc.nat());
// Valid registrations open each run; the union on the last early date, when its founders exist.
const cleanRegistration = (kind: string) =>
  makeIntentArb(fc.constant(-1)).map((intent) => ({ ...intent, type: 'register', kind, ...(kind === 'union' ? { registeredOn: EARLY_DATES.at(-1) } : {}) }));
/** Each run opens with three cooperatives and a union (so joins, leaves and their corrections have something to act on). */
const openingArb = fc.tuple(cleanRegistration('cooperative'), cleanRegistration('cooperative'), cleanRegistration('cooperative'), cleanRegistration('union'), fc.array(intentArb.map((intent) => ({ ...intent, type: 'register' })), { maxLength: 3 }));
type Intent = typeof intentArb extends fc.Arbitrary<infer T> ? T : never;

interface Recorded {
  id: string;
  kind: string;
  /** Events in its stream (what a correction can retract). */
  events: number;
  /** Suspended or found dormant by the run's last lifecycle command on it (what a resumption needs). */
  paused: boolean;
}

/** What one run has recorded: organizations (any kind) and plans, to aim later commands at. */
class RunState {
  readonly organizations: Recorded[] = [];
  readonly plans: string[] = [];
  /** The kind of event the last correction drawn retracts. */
  corrects: string | null = null;
  /** The field the last command drawn has spoiled, if any. */
  spoiled: string | null = null;
  private serial = 0;

  nextNumber(): string {
    this.serial += 1;
    return `HP${randomUUID().slice(0, 8)}-${this.serial}`.toUpperCase();
  }

  pick(n: number, kind?: string, withHistory = false, paused = false): Recorded | undefined {
    const pool = this.organizations.filter((o) => (!kind || o.kind === kind) && (!withHistory || o.events > 1) && (!paused || o.paused));
    return pool.length === 0 ? undefined : pool[n % pool.length];
  }
}

const lifecycleType = { suspend: 'SuspendOrganization', dormant: 'FindOrganizationDormant', resume: 'ResumeOrganization', dissolve: 'DissolveOrganization' } as const;

/** The command an intent asks for, against what is recorded; `unknown` fields on purpose (the domain judges them). */
/** The fields (of FIELDS) each kind of intent uses; a correction adds those of the command its event came from. */
const USES: Record<string, FieldName[]> = {
  register: ['idForm', 'otherIdForm', 'kind', 'sector', 'provinceCode', 'name', 'number', 'memberCount', 'managers', 'flag', 'registeredOn'],
  rate: ['idForm', 'rating', 'year', 'date'],
  members: ['idForm', 'memberCount', 'date'],
  profile: ['idForm', 'date', 'managers', 'flag'],
  suspend: ['idForm', 'date', 'reason', 'until', 'noticeRef'],
  dormant: ['idForm', 'date', 'finding'],
  resume: ['idForm', 'date'],
  dissolve: ['idForm', 'date', 'mode', 'decisionRef'],
  join: ['idForm', 'otherIdForm', 'date'],
  leave: ['idForm', 'otherIdForm', 'date'],
  correct: ['idForm', 'otherIdForm', 'correctionReason', 'replacement'],
  adopt: ['provinceCode', 'title', 'date', 'decisionRef', 'metric', 'op', 'value', 'quote'],
  amend: ['date', 'correctionReason', 'metric', 'op', 'value', 'quote'],
  end: ['date', 'correctionReason'],
};
const FIELD_OF: Record<string, FieldName> = {
  rating: 'rating', year: 'year', ratedOn: 'date', memberCount: 'memberCount', effectiveOn: 'date', managers: 'managers', reason: 'reason',
  until: 'until', noticeRef: 'noticeRef', finding: 'finding', mode: 'mode', decisionRef: 'decisionRef', cooperativeId: 'otherIdForm',
  ...Object.fromEntries(FLAGS.map((flag) => [flag, 'flag' as const])),
};

/** The command an intent asks for, against what is recorded; `unknown` fields on purpose (the domain judges them). */
async function toCommand(drawn: Intent, state: RunState, store: PostgresEventStore): Promise<OrganizationCommand | PlanCommand | null> {
  // A correction first finds the event it retracts: the fields it may spoil are those of that event's command.
  const corrected = drawn.type === 'correct' ? (state.pick(drawn.org, undefined, drawn.event % 8 !== 0) ?? state.pick(drawn.org)) : undefined;
  const history = corrected ? await store.readStream(`organization-${corrected.id}`) : [];
  // Mostly an event after the registration (which cannot be retracted).
  const retractable = history.length > 1 && drawn.event % 8 !== 0 ? history.slice(1) : history;
  const event = retractable.length > 0 ? retractable[drawn.event % retractable.length] : undefined;
  const used = [...USES[drawn.type], ...(event ? (FIELDS_OF[event.type] ?? []).map((field) => FIELD_OF[field]) : [])];
  const spoiled = drawn.hostile < 0 ? undefined : used[drawn.hostile % (used.length * 2)];
  state.spoiled = spoiled ?? null;
  const intent = {
    ...drawn,
    ...(spoiled && spoiled !== 'flag' ? { [spoiled]: drawn.bad[spoiled] } : {}),
    flags: spoiled === 'flag' ? { ...drawn.flags, [FLAGS[drawn.hostile % FLAGS.length]]: drawn.bad.flag } : drawn.flags,
  };
  const target = (intent.type === 'resume' ? state.pick(intent.org, undefined, false, true) : undefined) ?? state.pick(intent.org);
  const id = (form = intent.idForm as IdForm) => spell(target?.id, form) as string;
  const flags = Object.fromEntries(Object.entries(intent.flags).filter(([, value]) => value !== undefined));
  const managers = intent.managers === undefined ? {} : { managers: intent.managers };
  const fields: Record<string, unknown> = {
    rating: intent.rating, year: intent.year, ratedOn: intent.date, memberCount: intent.memberCount, effectiveOn: intent.date,
    ...managers, ...flags, reason: intent.reason, until: intent.until, noticeRef: intent.noticeRef, finding: intent.finding,
    mode: intent.mode, decisionRef: intent.decisionRef, cooperativeId: spell(state.pick(intent.other, 'cooperative')?.id, intent.otherIdForm as IdForm),
  };
  const cast = (command: Record<string, unknown>) => command as unknown as OrganizationCommand;
  switch (intent.type) {
    case 'register': {
      const cooperatives = state.organizations.filter((o) => o.kind === 'cooperative');
      // A union needs three cooperatives to found it: until the run has them, a cooperative instead.
      const kind = intent.kind === 'union' && cooperatives.length < 3 ? 'cooperative' : intent.kind;
      const size = Math.min(cooperatives.length, intent.founders.length);
      const founders = Array.from({ length: size }, (_, i) => spell(cooperatives[(intent.other + i) % cooperatives.length].id, i === 0 ? (intent.otherIdForm as IdForm) : 'canonical'));
      return cast({
        type: 'RegisterOrganization',
        organizationId: spell(target?.id, intent.idForm === 'canonical' ? 'fresh' : (intent.idForm as IdForm)),
        kind, name: intent.name, registrationNumber: intent.number === 'fresh' ? state.nextNumber() : intent.number,
        provinceCode: intent.provinceCode, sector: intent.sector, registeredOn: intent.registeredOn,
        ...(kind === 'union' ? { memberCooperativeIds: founders } : { memberCount: intent.memberCount }),
        ...managers, ...flags,
      });
    }
    case 'rate':
      return cast({ type: 'RateOrganization', organizationId: id(), rating: intent.rating, year: intent.year, ratedOn: intent.date });
    case 'members':
      return cast({ type: 'ChangeMemberCount', organizationId: id(), memberCount: intent.memberCount, effectiveOn: intent.date });
    case 'profile':
      return cast({ type: 'ChangeProfile', organizationId: id(), effectiveOn: intent.date, ...managers, ...flags });
    case 'suspend':
      return cast({ type: lifecycleType.suspend, organizationId: id(), effectiveOn: intent.date, reason: intent.reason, ...(intent.until === undefined ? {} : { until: intent.until }), ...(intent.noticeRef === undefined ? {} : { noticeRef: intent.noticeRef }) });
    case 'dormant':
      return cast({ type: lifecycleType.dormant, organizationId: id(), effectiveOn: intent.date, finding: intent.finding });
    case 'resume':
      return cast({ type: lifecycleType.resume, organizationId: id(), effectiveOn: intent.date });
    case 'dissolve':
      return cast({ type: lifecycleType.dissolve, organizationId: id(), effectiveOn: intent.date, mode: intent.mode, decisionRef: intent.decisionRef });
    case 'join':
    case 'leave': {
      const union = state.pick(intent.org, 'union');
      return cast({ type: intent.type === 'join' ? 'JoinUnion' : 'LeaveUnion', organizationId: spell(union?.id, intent.idForm as IdForm), cooperativeId: fields.cooperativeId, effectiveOn: intent.date });
    }
    case 'correct': {
      if (!corrected || !event) return null;
      state.corrects = event.type;
      let replacement: unknown = intent.replacement;
      if (replacement === 'from-fields' || replacement === 'foreign-field') {
        // The fields of the corrected kind's command, drawn as a command's are; or with one that is not its own.
        const own = FIELDS_OF[event.type] ?? ['effectiveOn'];
        const keys = replacement === 'foreign-field' ? [...own, own.includes('memberCount') ? 'rating' : 'memberCount'] : own;
        replacement = Object.fromEntries(keys.filter((key) => fields[key] !== undefined).map((key) => [key, fields[key]]));
      }
      return cast({
        type: 'CorrectRecord', organizationId: spell(corrected.id, intent.idForm as IdForm), retractedEventId: spell(event.metadata.eventId, intent.otherIdForm === 'fresh' ? 'canonical' : (intent.otherIdForm as IdForm)),
        reason: intent.correctionReason, ...(replacement === undefined ? {} : { replacement }),
      });
    }
    case 'adopt':
      return {
        type: 'AdoptPlan', planId: `hp-${randomUUID().slice(0, 8)}`, provinceCode: intent.provinceCode as string, title: intent.title as string, issuer: 'UBND tỉnh',
        adoptedOn: intent.date as string, document: intent.decisionRef as string, targets: [{ metric: intent.metric, op: intent.op, value: intent.value, deadline: '2030-12-31', quote: intent.quote }] as never,
      };
    case 'amend': {
      const planId = state.plans[intent.org % Math.max(1, state.plans.length)] ?? 'hp-none';
      return { type: 'AmendPlan', planId, effectiveOn: intent.date as string, reason: intent.correctionReason as string, targets: [{ metric: intent.metric, op: intent.op, value: intent.value, deadline: '2031-12-31', quote: intent.quote }] as never };
    }
    case 'end': {
      // Repeal, or supersede by another plan of the run (or by one that does not exist): a second end is refused.
      const planId = state.plans[intent.org % Math.max(1, state.plans.length)] ?? 'hp-none';
      const supersededBy = intent.org % 3 === 0 ? null : intent.org % 3 === 1 ? (state.plans[(intent.org + 1) % Math.max(1, state.plans.length)] ?? 'hp-none') : 'hp-none';
      return { type: 'EndPlan', planId, effectiveOn: intent.date as string, reason: intent.correctionReason as string, supersededBy };
    }
    default:
      return null;
  }
}

/** The fields of the command that records each kind of event (what a correction's replacement holds). */
const FIELDS_OF: Partial<Record<string, readonly string[]>> = CORRECTION_REPLACEMENT_FIELDS;

// ---------------------------------------------------------------------------------------------

describe('accepted ⇒ projectable: hostile commands through the real application', () => {
  let database: MigratedDatabase | null = null;
  let runsOnDatabase = 0;
  let store: PostgresEventStore;
  let organizations: OrganizationCommandHandler;
  let plans: PlanCommandHandler;
  const tally = {
    runs: 0,
    accepted: 0,
    refused: 0,
    byType: {} as Record<string, { accepted: number; refused: number }>,
    correctionsAcceptedOf: {} as Record<string, number>,
    /** Commands with one field drawn from its hostile values, by field: how many of them were refused. */
    spoiled: {} as Record<string, { accepted: number; refused: number }>,
    codes: {} as Record<string, number>,
  };

  async function freshDatabaseEvery(runs: number): Promise<void> {
    if (database && runsOnDatabase < runs) return;
    await database?.dispose();
    ({ store } = database = await createEventStoreDatabase('hostile'));
    organizations = new OrganizationCommandHandler(store);
    plans = new PlanCommandHandler(store);
    runsOnDatabase = 0;
  }

  afterAll(async () => {
    await database?.dispose();
    // The figures the report quotes: how much was accepted, of which kinds, and why the rest was refused.
    process.stdout.write(`accepted ⇒ projectable: ${JSON.stringify(tally)}\n`);
  });

  const quarantined = async (schema: string) =>
    (await database!.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schemaIdentifier(schema)}.quarantined_events`)).rows[0].n;

  it('projects everything the application accepts, live and by rebuild, to the same read models', async () => {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(openingArb, fc.array(intentArb, { minLength: 4, maxLength: 30 }), async ([a, b, c, union, more], others) => {
        const intents = [a, b, c, union, ...more, ...others];
        await freshDatabaseEvery(RUNS_PER_DATABASE);
        runsOnDatabase += 1;
        tally.runs += 1;
        const state = new RunState();
        const log: string[] = [];
        for (const intent of intents) {
          const command = await toCommand(intent, state, store);
          if (command === null) continue;
          const context = { principal: systemPrincipal('hostile-property'), correlationId: randomUUID(), now: NOW };
          const counts = (tally.byType[command.type] ??= { accepted: 0, refused: 0 });
          const spoiled = state.spoiled ? (tally.spoiled[state.spoiled] ??= { accepted: 0, refused: 0 }) : { accepted: 0, refused: 0 };
          try {
            const result = command.type === 'AdoptPlan' || command.type === 'AmendPlan' || command.type === 'EndPlan' ? await plans.execute({ command, context }) : await organizations.execute({ command, context });
            counts.accepted += 1;
            spoiled.accepted += 1;
            tally.accepted += 1;
            if (command.type === 'RegisterOrganization') state.organizations.push({ id: result.id, kind: command.kind, events: 1, paused: false });
            for (const organization of state.organizations.filter((o) => o.id === result.id)) {
              organization.events = result.version + 1;
              if (command.type === 'SuspendOrganization' || command.type === 'FindOrganizationDormant') organization.paused = true;
              if (command.type === 'ResumeOrganization' || command.type === 'DissolveOrganization') organization.paused = false;
            }
            if (command.type === 'AdoptPlan') state.plans.push(result.id);
            if (command.type === 'CorrectRecord') tally.correctionsAcceptedOf[state.corrects!] = (tally.correctionsAcceptedOf[state.corrects!] ?? 0) + 1;
            log.push(`✓ ${JSON.stringify(command)}`);
          } catch (error) {
            // Refusing is fine; failing otherwise (a database error while appending) is the bug class itself.
            if (!(error instanceof DomainError)) throw new Error(`${command.type} failed with ${String(error)}\n${log.join('\n')}\n✗ ${JSON.stringify(command)}`);
            counts.refused += 1;
            spoiled.refused += 1;
            tally.refused += 1;
            tally.codes[error.code] = (tally.codes[error.code] ?? 0) + 1;
            log.push(`✗ ${JSON.stringify(command)} → ${error.code} ${error.errors.map((e) => e.path).join(',')}`);
          }
        }
        const pool = database!.pool;
        const fail = (what: string) => {
          // What this run left in the database would fail every later run: the next one starts on a fresh database.
          runsOnDatabase = RUNS_PER_DATABASE;
          return new Error(`${what}\nCommands of this run (✓ accepted, ✗ refused):\n${log.join('\n')}`);
        };

        // Live: the real projector, from where the last run left it to the head; it must not fail or quarantine.
        try {
          await projectToHead(pool, store);
        } catch (error) {
          throw fail(`the live projector failed: ${String(error)}`);
        }
        const live = await activeSchema(pool);
        const held = await quarantined(live);
        if (held > 0) {
          const { rows } = await pool.query(`SELECT stream_id, event_type, error FROM ${schemaIdentifier(live)}.quarantined_events LIMIT 3`);
          throw fail(`the live projector quarantined ${held} event(s): ${JSON.stringify(rows)}`);
        }

        // Rebuild: the whole log again from position 0, into a new generation; the same rows.
        const rebuilt = await rebuildReadModels(pool, store, { batchSize: 97 });
        if ((await quarantined(rebuilt.schema)) > 0) throw fail('the rebuild quarantined events');
        const [fromRebuild, fromLive] = [await digestSchema(pool, rebuilt.schema), await digestSchema(pool, live)];
        if (JSON.stringify(fromRebuild) !== JSON.stringify(fromLive)) {
          throw fail(`the rebuild differs from the live read models:\nlive    ${JSON.stringify(fromLive)}\nrebuilt ${JSON.stringify(fromRebuild)}`);
        }
      }),
      {
        ...assertParameters({ numRuns: NUM_RUNS, interruptAfterTimeLimit: 240_000, seedVariable: 'HOSTILE_PROPERTY_SEED' }),
        // A failing run poisons its database, so each shrinking step needs a fresh one and shrinking is slow:
        // the failing run's own commands (in the message) are the report; HOSTILE_PROPERTY_SHRINK=1 shrinks anyway.
        endOnFailure: !process.env.HOSTILE_PROPERTY_SHRINK,
      },
    );
    process.stdout.write(`accepted ⇒ projectable: ${NUM_RUNS} runs in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    // A property that accepts nothing proves nothing: most kinds of command must have been accepted somewhere.
    const acceptedTypes = Object.entries(tally.byType).filter(([, counts]) => counts.accepted > 0).map(([type]) => type);
    expect(acceptedTypes).toEqual(expect.arrayContaining(['RegisterOrganization', 'RateOrganization', 'ChangeMemberCount', 'ChangeProfile', 'CorrectRecord']));
  });
});
