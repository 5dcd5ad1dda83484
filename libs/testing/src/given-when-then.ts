import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  administrativeMapFromReference,
  DomainError,
  decide,
  decidePlan,
  foldHistory,
  foldPlanHistory,
  type AdministrativeMap,
  type AdministrativeUnitsReference,
  type DecisionContext,
  type DomainErrorCode,
  type LocalDate,
  type OrganizationCommand,
  type OrganizationEvent,
  type OrganizationHistory,
  type PlanCommand,
  type PlanDecisionContext,
  type PlanEvent,
  type PlanHistory,
} from '@ktt/domain';
import { aCooperative, freshId, type OrganizationStream } from './builders';

/**
 * `given(events).when(command).then(events)` / `.thenThrows(code)` for pure
 * deciders (style.md §9). The clock is fixed: "today" is TODAY unless a
 * scenario says otherwise.
 *
 * The chain's last object has a `then` method, so it is a thenable: call
 * `.then(...)` in the test body, never `return` or `await` the chain.
 */
export const TODAY: LocalDate = '2026-06-30';

export interface Decider<Command, Event, History, Context> {
  decide(command: Command, history: History | null, context: Context): Event[];
  fold(events: readonly Event[]): History | null;
  initialContext(): Context;
}

export class Given<Command, Event, History, Context> {
  protected context: Context;

  constructor(
    protected readonly decider: Decider<Command, Event, History, Context>,
    protected readonly events: readonly Event[],
  ) {
    this.context = decider.initialContext();
  }

  withContext(patch: Partial<Context>): this {
    this.context = { ...this.context, ...patch };
    return this;
  }

  today(date: LocalDate): this {
    return this.withContext({ today: date } as unknown as Partial<Context>);
  }

  when(command: Command): When<Event> {
    return new When(() => this.decider.decide(command, this.decider.fold(this.events), this.context));
  }
}

export class When<Event> {
  constructor(private readonly run: () => Event[]) {}

  then(expected: Event[]): void {
    expect(this.run()).toEqual(expected);
  }

  /** The events decided, for assertions `then` cannot express. */
  events(): Event[] {
    return this.run();
  }

  /** Asserts a DomainError with that code (and field path, if given); returns it for further checks. */
  thenThrows(code: DomainErrorCode, path?: string): DomainError {
    const error = caught(this.run);
    expect(error).toBeInstanceOf(DomainError);
    const domainError = error as DomainError;
    expect({ code: domainError.code, message: domainError.message }).toEqual({
      code,
      message: expect.any(String),
    });
    if (path !== undefined) expect(domainError.errors.map((e) => e.path)).toContain(path);
    return domainError;
  }
}

function caught(run: () => unknown): unknown {
  try {
    const events = run();
    return new Error(`Expected a DomainError, but it decided ${JSON.stringify(events)}`);
  } catch (error) {
    return error;
  }
}

/** Organizations: `others` are given as the event streams of the organizations the command names. */
export class GivenOrganization extends Given<
  OrganizationCommand,
  OrganizationEvent,
  OrganizationHistory,
  DecisionContext
> {
  withOthers(...streams: ReadonlyArray<readonly OrganizationEvent[] | { events: readonly OrganizationEvent[] }>): this {
    return this.withContext({ others: othersFrom(...streams) });
  }
}

export function othersFrom(
  ...streams: ReadonlyArray<readonly OrganizationEvent[] | { events: readonly OrganizationEvent[] }>
): Map<string, OrganizationHistory | null> {
  const histories = streams.map((stream) => foldHistory('events' in stream ? stream.events : stream));
  return new Map(histories.filter((h): h is OrganizationHistory => h !== null).map((h) => [h.id, h]));
}

const organizationDecider: Decider<OrganizationCommand, OrganizationEvent, OrganizationHistory, DecisionContext> = {
  decide,
  fold: foldHistory,
  initialContext: () => ({ today: TODAY, others: new Map(), map: referenceMap() }),
};

let reference: AdministrativeMap | null = null;

/** The map of provinces of the project's reference data (the 63, then the 2025 merger), read once. */
export function referenceMap(): AdministrativeMap {
  const file = path.resolve(__dirname, '..', '..', '..', 'data', 'reference', 'administrative-units-2025.json');
  reference ??= administrativeMapFromReference(JSON.parse(readFileSync(file, 'utf8')) as AdministrativeUnitsReference);
  return reference;
}

const planDecider: Decider<PlanCommand, PlanEvent, PlanHistory, PlanDecisionContext> = {
  decide: decidePlan,
  fold: foldPlanHistory,
  initialContext: () => ({ today: TODAY, map: referenceMap() }),
};

/** Accepts event lists and stream builders (anything with `events`), concatenated in order. */
type EventsOf<Event> = readonly Event[] | { events: readonly Event[] };

function flatten<Event>(parts: ReadonlyArray<EventsOf<Event>>): Event[] {
  return parts.flatMap((part) => ('events' in part ? [...part.events] : [...part]));
}

export function given(...history: ReadonlyArray<EventsOf<OrganizationEvent>>): GivenOrganization {
  return new GivenOrganization(organizationDecider, flatten(history));
}

export function givenPlan(...history: ReadonlyArray<EventsOf<PlanEvent>>): Given<PlanCommand, PlanEvent, PlanHistory, PlanDecisionContext> {
  return new Given(planDecider, flatten(history));
}

/** For any other decider: `scenario(decider)(events).when(command).then(events)`. */
export function scenario<Command, Event, History, Context>(decider: Decider<Command, Event, History, Context>) {
  return (...history: ReadonlyArray<EventsOf<Event>>) => new Given(decider, flatten(history));
}

/** A command on an existing organization, dated `on` (whatever its date field is called). */
export type DatedCommand = (organizationId: string, on: LocalDate) => OrganizationCommand;

/**
 * The refusals every command on an existing organization shares (organization.guards.ts):
 * a date after today, an unknown organization, a date before its registration, a date on or
 * after its dissolution. A use case's spec calls this once with its own command maker;
 * `organization` builds the kind the command applies to, registered on the date given.
 */
export function itRefusesOutsideTheOrganizationsLife(
  command: DatedCommand,
  {
    dateField = 'effectiveOn',
    organization = (registeredOn: LocalDate) => aCooperative({ effectiveOn: registeredOn }),
  }: { dateField?: string; organization?: (registeredOn: LocalDate) => OrganizationStream } = {},
): void {
  // Fixed dates around `on`, all before TODAY except the one day after it.
  const on: LocalDate = '2025-03-01';
  const existing = (registeredOn: LocalDate = '2020-01-15') => organization(registeredOn);

  describe('outside the organization’s life', () => {
    it('refuses a command dated after today, naming its date', () => {
      const org = existing();
      given(org).when(command(org.id, '2026-07-01')).thenThrows('DATE_IN_FUTURE', dateField); // TODAY + 1
    });

    it('refuses an unknown organization with not found', () => {
      given().when(command(freshId(), on)).thenThrows('ORGANIZATION_NOT_FOUND');
    });

    it('refuses a command dated the day before the registration', () => {
      const org = existing('2025-03-02');
      given(org).when(command(org.id, on)).thenThrows('BEFORE_REGISTRATION');
    });

    it.each([
      ['on', '2025-03-01'],
      ['after', '2025-02-28'],
    ])('refuses a command dated %s the dissolution date', (_when, dissolvedOn) => {
      const org = existing().dissolved(dissolvedOn);
      given(org).when(command(org.id, on)).thenThrows('ORGANIZATION_DISSOLVED');
    });
  });
}

/** One invalid request: what is wrong, the change to a valid command that makes it so, and the field the answer names. */
export type InvalidCase<Command> = [what: string, change: Partial<Command>, field: string];

/** A table of requests a cooperative's command refuses as VALIDATION_FAILED, each naming its field. */
export function itRefusesInvalid<Command extends OrganizationCommand>(
  command: (organizationId: string, change: Partial<Command>) => Command,
  cases: ReadonlyArray<InvalidCase<Command>>,
): void {
  it.each<InvalidCase<Command>>([...cases])('refuses %s', (_what, change, field) => {
    const coop = aCooperative();
    given(coop).when(command(coop.id, change)).thenThrows('VALIDATION_FAILED', field);
  });
}
