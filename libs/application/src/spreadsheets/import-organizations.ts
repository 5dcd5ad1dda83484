import { randomUUID } from 'node:crypto';
import { ForbiddenError } from '@ktt/auth';
import {
  DomainError,
  isValidLocalDate,
  normalizeRegistrationNumber,
  organizationStreamId,
  registrationNumberStreamId,
  seatOn,
  stateAsOf,
  todayInVietnam,
  type AdministrativeMap,
  type LocalDate,
  type OrganizationHistory,
} from '@ktt/domain';
import type { EventStore, Position } from '@ktt/event-store';
import { requirePermission, requireSeatInTerritory } from '../commands/authorization';
import type { CommandContext } from '../commands/command-context';
import { foldRecorded, type OrganizationCommandHandler, type OrganizationCommandSent } from '../organizations/organization-command.handler';
import type { ImportReport } from '../answers';
import { ImportFileRefused } from './import-errors';
import { DEFAULT_READ_LIMITS, readRows, type FileRow, type ReadLimits, type ReadNotes, type SpreadsheetFormat } from './import-reader';
import { FLAG_FIELDS, parseRow, refusal, type HeaderNames, type RowRefusal, type RowValues } from './import-rows';
import { COLUMN_OF, matchHeaders, type TemplateField } from './template';

/*
 * The import (issue 17): every row becomes commands sent through the organization command handler,
 * judged by the same rules as the API. A row is written whole or not at all (its commands are
 * decided in order and appended in one write: `executeAll`); rows are independent, so a refused row
 * is reported and the others go in. The registration number is the key: a row whose number is
 * recorded creates nothing; where it differs from the record, the differences are reported, and
 * recorded as dated changes only when asked (`applyChanges` with `effectiveOn`).
 */

type Command = Exclude<OrganizationCommandSent, { type: 'CorrectRecord' }>;
/** A value compared: the API's word, an ISO date, a text, a number, a flag, or null. */
type Value = string | number | boolean | null;

export interface ImportFile {
  /** Where the file was spooled (see spoolFile). */
  path: string;
  format: SpreadsheetFormat;
  /** As the client named it; recorded in every event's metadata with the SHA-256. */
  name: string;
  sha256: string;
}

export interface ImportOptions {
  dryRun?: boolean;
  applyChanges?: boolean;
  /** The date the differences take effect on (required with applyChanges). */
  effectiveOn?: string;
  /** Rows in flight at once (independent organizations). */
  concurrency?: number;
  limits?: ReadLimits;
  /** Called after each row, with the count of data rows done. */
  onProgress?: (rowsDone: number) => void;
}

/** Columns a row's commands may be refused on, by the field path of the domain's error. */
const FIELD_OF_PATH: Record<string, TemplateField> = {
  kind: 'kind',
  name: 'name',
  registrationNumber: 'registrationNumber',
  provinceCode: 'provinceCode',
  formerProvinceCode: 'formerProvinceCode',
  sector: 'sector',
  registeredOn: 'registeredOn',
  memberCount: 'memberCount',
  managers: 'managersTotal',
  'managers.total': 'managersTotal',
  'managers.withDegree': 'managersWithDegree',
  rating: 'rating',
  year: 'ratingYear',
  ratedOn: 'ratedOn',
  mode: 'dissolutionMode',
  decisionRef: 'dissolutionDecisionRef',
  valueChain: 'valueChain',
  highTech: 'highTech',
  enterpriseLinked: 'enterpriseLinked',
  digitalAdoption: 'digitalAdoption',
  directorTrained: 'directorTrained',
};

/** Conflicts the domain names without a field path, by the column they are about. */
const FIELD_OF_CODE: Record<string, TemplateField> = {
  REGISTRATION_NUMBER_TAKEN: 'registrationNumber',
  UNKNOWN_PROVINCE: 'provinceCode',
  PROVINCE_NOT_IN_FORCE: 'provinceCode',
  FORMER_PROVINCE_REQUIRED: 'formerProvinceCode',
  NOT_A_PREDECESSOR: 'formerProvinceCode',
  BELOW_MINIMUM_MEMBERS: 'memberCount',
  NOT_RATED_KIND: 'rating',
  INVALID_TRANSITION: 'status',
  LIFECYCLE_OUT_OF_ORDER: 'statusOn',
  FORBIDDEN: 'provinceCode',
};

export class SpreadsheetImport {
  constructor(
    private readonly store: EventStore,
    private readonly handler: OrganizationCommandHandler,
  ) {}

  async run(file: ImportFile, context: CommandContext, options: ImportOptions = {}): Promise<ImportReport> {
    // Who may import at all is judged before the file is read; provinces are judged by row.
    requirePermission(context.principal, 'organizations:write');
    const today = todayInVietnam(context.now);
    const effectiveOn = checkedEffectiveOn(options, today);
    const notes: ReadNotes = {};
    const rows = readRows(file.path, file.format, notes, options.limits ?? DEFAULT_READ_LIMITS)[Symbol.asyncIterator]();
    try {
      return await this.readAndSend(rows, file, context, options, today, effectiveOn, notes);
    } finally {
      // Closes the file's reader where it stopped early (a refused header, an error), before the spooled copy goes.
      // exceljs may fail while being stopped mid-stream (depending on how far its inflate had run); that
      // failure says nothing about the file, and must not replace the refusal that stopped the reading.
      await rows.return(undefined).catch(() => undefined);
    }
  }

  private async readAndSend(rows: AsyncGenerator<FileRow>, file: ImportFile, context: CommandContext, options: ImportOptions, today: LocalDate, effectiveOn: LocalDate | null, notes: ReadNotes): Promise<ImportReport> {
    const dryRun = options.dryRun === true;
    const first = await rows.next();
    if (first.done) throw new ImportFileRefused('NO_HEADER', 'the file has no header row');
    const header = matchHeaders(first.value.cells);
    if (header.missing.length > 0) {
      const names = header.missing.map((column) => `"${column.header}" (${column.aliases[0]})`).join(', ');
      throw new ImportFileRefused(
        'MISSING_COLUMN',
        `the header row lacks the required column${header.missing.length > 1 ? 's' : ''} ${names}`,
        header.missing.map((column) => ({ path: column.header, message: `the required column "${column.header}" (${column.aliases[0]}) is missing` })),
      );
    }
    if (header.duplicated.length > 0) {
      throw new ImportFileRefused(
        'DUPLICATE_COLUMN',
        `columns named twice: ${header.duplicated.map((column) => `"${column.header}"`).join(', ')}`,
        header.duplicated.map((column) => ({ path: column.header, message: `two headers name the column "${column.header}"` })),
      );
    }
    const headers: HeaderNames = new Map([...header.fields].map(([index, field]) => [field, String(first.value.cells[index]).trim()]));
    const columnOf = (field: TemplateField) => headers.get(field) ?? COLUMN_OF[field].header;

    // Who, under which correlation, when: an If-Match or Idempotency-Key of the request names no row's
    // stream (applied to every row, one key would answer every row with the first row's answer).
    const importContext: CommandContext = {
      principal: context.principal,
      correlationId: context.correlationId,
      causationId: context.causationId ?? null,
      ...(context.now ? { now: context.now } : {}),
      source: { kind: 'import', fileName: file.name, sha256: file.sha256 },
    };
    const map = await this.handler.administrativeMap();
    const report: ImportReport = { rows: 0, created: 0, unchanged: 0, changed: 0, differences: [], refused: [], dryRun, file: { name: file.name, sha256: file.sha256 }, position: null };
    const job: RowJob = { context: importContext, map, today, effectiveOn, dryRun, fileName: file.name, columnOf, report };
    const firstRowOf = new Map<string, number>();
    const inFlight = new Set<Promise<void>>();
    const concurrency = Math.max(1, options.concurrency ?? 8);
    let done = 0;
    let lastRow = first.value.row;
    try {
      for (let next = await rows.next(); !next.done; next = await rows.next()) {
        const { row, cells } = next.value;
        lastRow = row;
        report.rows += 1;
        const parsed = parseRow(row, cells, header.fields, headers);
        let values: RowValues | null = parsed.values;
        if (values === null) report.refused.push(...parsed.refusals);
        else {
          // The key: a number seen earlier in this file is that row's organization, not a second one.
          const number = normalizeRegistrationNumber(values.registrationNumber);
          const earlier = firstRowOf.get(number);
          if (earlier !== undefined) {
            report.refused.push(refusal(row, columnOf('registrationNumber'), 'DUPLICATE_ROW', `row ${earlier}`));
            values = null;
          } else firstRowOf.set(number, row);
        }
        if (values === null) {
          options.onProgress?.(++done);
          continue;
        }
        const task = this.importRow(row, values, job).then(() => {
          inFlight.delete(task);
          options.onProgress?.(++done);
        });
        inFlight.add(task);
        if (inFlight.size >= concurrency) await Promise.race(inFlight);
      }
    } catch (error) {
      // Damage found after the header (rows already whole in the register stay): reported, not thrown away.
      if (!(error instanceof ImportFileRefused)) throw error;
      report.refused.push(refusal(lastRow + 1, null, error.code, error.message));
    } finally {
      await Promise.all(inFlight);
    }
    if (notes.stoppedAfterEmptyRows !== undefined) {
      report.refused.push(refusal(notes.stoppedAfterEmptyRows, null, 'EMPTY_ROWS_LIMIT', `${(options.limits ?? DEFAULT_READ_LIMITS).maxConsecutiveEmptyRows} empty rows in a row; nothing after row ${notes.stoppedAfterEmptyRows} was read`));
    }
    report.refused.sort((a, b) => a.row - b.row);
    report.differences.sort((a, b) => a.row - b.row);
    return report;
  }

  /** One row: registered when its number is new; else compared with the record (and changed when asked). */
  private async importRow(row: number, values: RowValues, job: RowJob): Promise<void> {
    const problems = rowProblems(row, values, job.columnOf);
    if (problems.length > 0) {
      job.report.refused.push(...problems);
      return;
    }
    const existing = await this.recorded(values.registrationNumber);
    if (existing === null) {
      const commands = registrationCommands(values, randomUUID(), job.fileName);
      if (await this.send(row, commands, job)) job.report.created += 1;
      return;
    }
    // A registrar learns nothing of another province's record, not even that it differs.
    const seat = seatOn(existing, job.today < existing.registeredOn ? existing.registeredOn : job.today)!;
    try {
      requireSeatInTerritory(job.context.principal, job.map, job.today, [seat.unit], `organization ${existing.id}`);
    } catch (error) {
      if (!(error instanceof ForbiddenError)) throw error;
      job.report.refused.push(refusal(row, job.columnOf('provinceCode'), 'FORBIDDEN_PROVINCE', error.message));
      return;
    }
    const differences = compare(values, existing, job.today);
    if (differences.length === 0) {
      job.report.unchanged += 1;
      return;
    }
    job.report.differences.push(...differences.map(({ field, recorded, file }) => ({ row, column: job.columnOf(field), recorded, file })));
    if (job.effectiveOn === null) return;
    const fixed = differences.filter((difference) => !CHANGEABLE.has(difference.field));
    if (fixed.length > 0) {
      // All or none: a row whose record cannot take every difference is left as it is.
      job.report.refused.push(...fixed.map((difference) => refusal(row, job.columnOf(difference.field), 'NOT_CHANGEABLE_BY_IMPORT')));
      return;
    }
    const commands = changeCommands(existing.id, values, new Set(differences.map((difference) => difference.field)), job.effectiveOn);
    if (commands.length > 0 && (await this.send(row, commands, job))) job.report.changed += 1;
  }

  /** Sends one row's commands, all or none; a refusal is reported on the column it is about. */
  private async send(row: number, commands: Command[], job: RowJob): Promise<boolean> {
    try {
      const result = await this.handler.executeAll(commands, job.context, { dryRun: job.dryRun, map: job.map });
      const position = result?.position as Position | undefined;
      if (position && (job.report.position === null || this.store.comparePositions(position, job.report.position as Position) > 0)) job.report.position = position;
      return true;
    } catch (error) {
      const refused = refusalOf(row, error, commands, job.columnOf);
      if (refused === null) throw error;
      job.report.refused.push(refused);
      return false;
    }
  }

  /** The organization recorded under this registration number, or null. */
  private async recorded(registrationNumber: string): Promise<OrganizationHistory | null> {
    const reservation = await this.store.readStream(registrationNumberStreamId(normalizeRegistrationNumber(registrationNumber)));
    const id = reservation[0]?.data.organizationId;
    if (typeof id !== 'string') return null;
    return foldRecorded(await this.store.readStream(organizationStreamId(id)));
  }
}

interface RowJob {
  context: CommandContext;
  map: AdministrativeMap;
  today: LocalDate;
  /** Set when differences are to be recorded (applyChanges). */
  effectiveOn: LocalDate | null;
  dryRun: boolean;
  fileName: string;
  columnOf: (field: TemplateField) => string;
  report: ImportReport;
}

function checkedEffectiveOn(options: ImportOptions, today: LocalDate): LocalDate | null {
  if (!options.applyChanges) {
    if (options.effectiveOn !== undefined) throw DomainError.invalid('VALIDATION_FAILED', 'effectiveOn', 'effectiveOn is given only with applyChanges');
    return null;
  }
  if (!isValidLocalDate(options.effectiveOn)) throw DomainError.invalid('VALIDATION_FAILED', 'effectiveOn', 'applyChanges needs effectiveOn, a date YYYY-MM-DD: the date the changes take effect on');
  if (options.effectiveOn > today) throw DomainError.invalid('DATE_IN_FUTURE', 'effectiveOn', `effectiveOn ${options.effectiveOn} is after today (${today})`);
  return options.effectiveOn;
}

/** What the row says that cannot be sent as commands: values that need each other. */
function rowProblems(row: number, values: RowValues, columnOf: (field: TemplateField) => string): RowRefusal[] {
  const problems: RowRefusal[] = [];
  const need = (field: TemplateField, because: string) => problems.push(refusal(row, columnOf(field), 'REQUIRED_VALUE', because));
  if (values.kind === 'union') return [refusal(row, columnOf('kind'), 'UNION_NOT_IN_TEMPLATE')];
  if (values.memberCount === null) need('memberCount', 'every cooperative group and cooperative has a member count');
  const rated = values.rating !== null || values.ratingYear !== null || values.ratedOn !== null;
  if (rated) {
    if (values.rating === null) need('rating', 'a rating year or date is given');
    if (values.ratingYear === null) need('ratingYear', 'a rating is given');
    if (values.ratedOn === null) need('ratedOn', 'a rating is given');
  }
  if (values.managersTotal === null && values.managersWithDegree !== null) need('managersTotal', 'managers with a degree are given');
  if (values.managersTotal !== null && values.managersWithDegree === null) need('managersWithDegree', 'the number of managers is given');
  const status = values.status ?? 'active';
  if (status !== 'active' && values.statusOn === null) need('statusOn', 'the status is not active');
  if (status === 'dissolved') {
    if (values.dissolutionMode === null) need('dissolutionMode', 'the status is Giải thể');
    if (values.dissolutionDecisionRef === null) need('dissolutionDecisionRef', 'the status is Giải thể');
  } else {
    for (const field of ['dissolutionMode', 'dissolutionDecisionRef'] as const) {
      if (values[field] !== null) problems.push(refusal(row, columnOf(field), 'INCONSISTENT_ROW', 'given for a status other than Giải thể'));
    }
  }
  return problems;
}

/** The text a lifecycle event needs (reason, finding), naming the file it came from. */
function fromFile(fileName: string): string {
  return `Theo tệp nhập ${fileName} (from the imported file)`.slice(0, 1000);
}

/** Register, then rate, then the lifecycle: the row's history in one write. */
function registrationCommands(values: RowValues, organizationId: string, fileName: string): Command[] {
  const flags = Object.fromEntries(FLAG_FIELDS.filter((flag) => values[flag] !== null).map((flag) => [flag, values[flag]]));
  const commands: Command[] = [
    {
      type: 'RegisterOrganization',
      organizationId,
      kind: values.kind,
      name: values.name,
      registrationNumber: values.registrationNumber,
      provinceCode: values.provinceCode,
      ...(values.formerProvinceCode !== null ? { formerProvinceCode: values.formerProvinceCode } : {}),
      sector: values.sector,
      registeredOn: values.registeredOn,
      memberCount: values.memberCount!,
      ...(values.managersTotal !== null ? { managers: { total: values.managersTotal, withDegree: values.managersWithDegree! } } : {}),
      // Omitted = unknown (contract of issue 16); an empty cell says nothing.
      ...flags,
    },
  ];
  if (values.rating !== null) commands.push({ type: 'RateOrganization', organizationId, rating: values.rating, year: values.ratingYear!, ratedOn: values.ratedOn! });
  const lifecycle = lifecycleCommand(organizationId, values, values.statusOn!, fileName);
  if (lifecycle !== null && values.status !== 'active') commands.push(lifecycle);
  return commands;
}

function lifecycleCommand(organizationId: string, values: RowValues, effectiveOn: LocalDate, fileName: string): Command | null {
  switch (values.status) {
    case 'suspended':
      return { type: 'SuspendOrganization', organizationId, effectiveOn, reason: fromFile(fileName) };
    case 'dormant':
      return { type: 'FindOrganizationDormant', organizationId, effectiveOn, finding: fromFile(fileName) };
    case 'dissolved':
      return { type: 'DissolveOrganization', organizationId, effectiveOn, mode: values.dissolutionMode!, decisionRef: values.dissolutionDecisionRef! };
    case 'active':
      return { type: 'ResumeOrganization', organizationId, effectiveOn };
    case null:
      return null;
  }
}

/** Fields a dated change can record (the others are facts of the registration). */
const CHANGEABLE = new Set<TemplateField>(['memberCount', 'rating', 'ratingYear', 'ratedOn', 'status', ...FLAG_FIELDS, 'managersTotal', 'managersWithDegree']);

interface FieldDifference {
  field: TemplateField;
  recorded: Value;
  file: Value;
}

/**
 * The row against the record as of today. An empty optional cell says nothing (it is not compared):
 * a file that leaves a flag empty does not ask to forget what is recorded.
 */
function compare(values: RowValues, history: OrganizationHistory, today: LocalDate): FieldDifference[] {
  const state = stateAsOf(history, today < history.registeredOn ? history.registeredOn : today)!;
  const registration = history.registration;
  const found: FieldDifference[] = [];
  const differ = (field: TemplateField, recorded: Value, file: Value) => {
    if (file !== null && recorded !== file) found.push({ field, recorded, file });
  };
  differ('kind', state.kind, values.kind);
  differ('name', state.name, values.name.normalize('NFC'));
  differ('sector', state.sector, values.sector);
  differ('registeredOn', history.registeredOn, values.registeredOn);
  differ('provinceCode', registration.provinceCode, values.provinceCode);
  differ('formerProvinceCode', registration.formerProvinceCode ?? null, values.formerProvinceCode);
  differ('memberCount', state.memberCount, values.memberCount);
  if (values.rating !== null && values.ratedOn !== null) {
    const rating = stateAsOf(history, values.ratedOn < history.registeredOn ? history.registeredOn : values.ratedOn)?.rating ?? null;
    differ('rating', rating?.rating ?? null, values.rating);
    differ('ratingYear', rating?.year ?? null, values.ratingYear);
    differ('ratedOn', rating?.ratedOn ?? null, values.ratedOn);
  }
  if (values.status !== null) {
    differ('status', state.status, values.status);
    if (state.status === values.status && values.status !== 'active') differ('statusOn', history.lifecycle.effectiveOn, values.statusOn);
  }
  for (const flag of FLAG_FIELDS) differ(flag, (state as unknown as Record<string, boolean | null>)[flag] ?? null, values[flag]);
  differ('managersTotal', state.managers?.total ?? null, values.managersTotal);
  differ('managersWithDegree', state.managers?.withDegree ?? null, values.managersWithDegree);
  if (state.status === 'dissolved') {
    const dissolution = history.events.find((event) => event.type === 'OrganizationDissolved');
    const data = dissolution?.data as { mode?: string; decisionRef?: string } | undefined;
    differ('dissolutionMode', data?.mode ?? null, values.dissolutionMode);
    differ('dissolutionDecisionRef', data?.decisionRef ?? null, values.dissolutionDecisionRef);
  }
  return found;
}

/** The dated changes that record a row's differences: profile and members on `effectiveOn`; a rating and a status on their own dates. */
function changeCommands(organizationId: string, values: RowValues, fields: ReadonlySet<TemplateField>, effectiveOn: LocalDate): Command[] {
  const commands: Command[] = [];
  if (fields.has('memberCount')) commands.push({ type: 'ChangeMemberCount', organizationId, memberCount: values.memberCount!, effectiveOn });
  const profile: Record<string, unknown> = {};
  for (const flag of FLAG_FIELDS) if (fields.has(flag)) profile[flag] = values[flag];
  if (fields.has('managersTotal') || fields.has('managersWithDegree')) profile.managers = { total: values.managersTotal!, withDegree: values.managersWithDegree! };
  if (Object.keys(profile).length > 0) commands.push({ type: 'ChangeProfile', organizationId, effectiveOn, ...profile } as Command);
  if (fields.has('rating') || fields.has('ratingYear') || fields.has('ratedOn')) commands.push({ type: 'RateOrganization', organizationId, rating: values.rating!, year: values.ratingYear!, ratedOn: values.ratedOn! });
  if (fields.has('status')) {
    const lifecycle = lifecycleCommand(organizationId, values, values.statusOn ?? effectiveOn, 'import');
    if (lifecycle !== null) commands.push(lifecycle);
  }
  return commands;
}

/** A refusal of the domain (or of authorization) as a row refusal on its column; null for anything else (thrown on). */
function refusalOf(row: number, error: unknown, commands: Command[], columnOf: (field: TemplateField) => string): RowRefusal | null {
  if (error instanceof ForbiddenError) return refusal(row, columnOf('provinceCode'), 'FORBIDDEN_PROVINCE', error.message);
  const code = (error as { code?: unknown }).code;
  if (!(error instanceof DomainError) && code !== 'STREAM_QUARANTINED') return null;
  const command = commands[(error as { commandIndex?: number }).commandIndex ?? 0];
  const path = error instanceof DomainError ? error.errors[0]?.path : undefined;
  let field: TemplateField | undefined = path !== undefined ? FIELD_OF_PATH[path] : undefined;
  if (field === undefined && typeof code === 'string') field = FIELD_OF_CODE[code];
  // A date refused (before registration, in the future, after the dissolution) is the date of the command refused.
  if (command && (path === 'effectiveOn' || code === 'BEFORE_REGISTRATION' || code === 'ORGANIZATION_DISSOLVED' || (code === 'DATE_IN_FUTURE' && field === undefined))) {
    field = command.type === 'RateOrganization' ? 'ratedOn' : command.type === 'RegisterOrganization' ? 'registeredOn' : command.type === 'ChangeMemberCount' ? 'memberCount' : command.type === 'ChangeProfile' ? undefined : 'statusOn';
  }
  return refusal(row, field ? columnOf(field) : null, typeof code === 'string' ? code : 'INVALID_VALUE', (error as Error).message);
}
