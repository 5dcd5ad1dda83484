import type { ReactNode } from 'react';
import { useLocation } from 'react-router';
import { unitName, type MapHistory } from '../../api/administrative-map';
import { PROFILE_FLAG_NAMES, type HistoryEntry } from '../../api/types';
import { formatDate, formatTimestamp } from '../../i18n/format';
import type { Translate } from '../../i18n/i18n';
import { OrgLink, yesNo, type OrganizationSummary } from './shared';

/** Keys of event data that name a document (a decision, a notice…): shown as the event's document reference. */
export const DOCUMENT_KEYS = ['decisionRef', 'noticeRef', 'document', 'documentRef'];
/** Keys shown elsewhere (the event's header) or implied by the page. */
const HIDDEN_KEYS = new Set(['organizationId', 'effectiveOn', 'retractedEventId', 'retractedRevision', 'retractedType', 'replacement', ...DOCUMENT_KEYS]);

/**
 * An event's number for people: its place in the history counted from 1 (the registration is event 1).
 * The stream's revision counts from 0; shown as is it read as "event #0", a technical number.
 */
export function eventNumber(revision: number): number {
  return revision + 1;
}

/** Events a correction may retract (domain: not the registration, not a correction, each at most once). */
export function isRetractable(event: HistoryEntry): boolean {
  return event.type !== 'OrganizationRegistered' && event.type !== 'RecordCorrected' && !event.correctedBy;
}

export function eventLabel(t: Translate, type: string): string {
  const key = `event.${type}`;
  const text = t(key);
  return text === key ? type : text;
}

/** The ids of organizations an event's data names (founders, a joining or leaving cooperative). */
export function idsInEvents(events: HistoryEntry[]): string[] {
  const ids: string[] = [];
  const collect = (data: Record<string, unknown> | undefined) => {
    if (!data) return;
    if (typeof data.cooperativeId === 'string') ids.push(data.cooperativeId);
    if (Array.isArray(data.memberCooperativeIds)) ids.push(...data.memberCooperativeIds.filter((id): id is string => typeof id === 'string'));
  };
  for (const event of events) {
    collect(event.data);
    const replacement = event.data.replacement as { data?: Record<string, unknown> } | null | undefined;
    collect(replacement?.data);
  }
  return ids;
}

/** Scrolls to an event of the timeline and gives it the focus (its content is read). */
export function focusEvent(eventId: string): void {
  const element = document.getElementById(`event-${eventId}`);
  if (!element) return;
  element.scrollIntoView({ behavior: 'smooth', block: 'center' });
  element.focus({ preventScroll: true });
}

/** A link within the page (hash routes: the href is the page itself; the click moves to the event). */
function EventLink({ event, t, children }: { event: HistoryEntry | undefined; t: Translate; children?: ReactNode }) {
  const location = useLocation();
  if (!event) return <>{children}</>;
  return (
    <a
      href={`#${location.pathname}${location.search}`}
      onClick={(click) => {
        click.preventDefault();
        focusEvent(event.eventId);
      }}
    >
      {children ?? t('event.revision', { n: eventNumber(event.revision) })}
    </a>
  );
}

interface ValueContext {
  t: Translate;
  history: MapHistory | null;
  names: Record<string, OrganizationSummary | null>;
  /** The event's effective date: a province code is named as the map of that date has it. */
  date?: string | null;
}

/** A code as the event names it, on the map of its date ("Kiên Giang (91)" in 2023, "An Giang (91)" in 2026). */
function provinceOnDate(context: ValueContext, code: string): string {
  const name = context.date ? context.history?.map.provinceOn(code, context.date)?.name : undefined;
  return `${name ?? unitName(context.history, code)} (${code})`;
}

function formatValue(key: string, value: unknown, context: ValueContext): ReactNode {
  const { t } = context;
  // A profile flag set to null is "unknown" (api.md), not a missing value; `managers: null` likewise.
  if (value === null && ((PROFILE_FLAG_NAMES as readonly string[]).includes(key) || key === 'managers')) return t('unknown');
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return yesNo(t, value);
  switch (key) {
    case 'kind':
      return t(`kind.${String(value)}`);
    case 'sector':
      return t(`sector.${String(value)}`);
    case 'rating':
      return t(`rating.${String(value)}`);
    case 'mode':
      return t(`mode.${String(value)}`);
    case 'status':
      return t(`status.${String(value)}`);
    case 'provinceCode':
      return provinceOnDate(context, String(value));
    case 'formerProvinceCode':
      return `${unitName(context.history, String(value))} (${String(value)})`;
    case 'until':
    case 'ratedOn':
    case 'effectiveOn':
    case 'registeredOn':
      return formatDate(String(value));
    case 'cooperativeId':
      return <OrgLink id={String(value)} summary={context.names[String(value)]} />;
    case 'memberCooperativeIds':
      return Array.isArray(value) && value.length ? (
        <ul className="org-inline-list">
          {value.map((id) => (
            <li key={String(id)}>
              <OrgLink id={String(id)} summary={context.names[String(id)]} />
            </li>
          ))}
        </ul>
      ) : (
        t('none')
      );
    case 'managers': {
      const managers = value as { total?: number; withDegree?: number };
      return t('field.managers.value', { total: managers.total ?? '?', withDegree: managers.withDegree ?? '?' });
    }
    default:
      return typeof value === 'object' ? <code>{JSON.stringify(value)}</code> : String(value);
  }
}

function fieldLabel(t: Translate, key: string): string {
  const label = t(`field.${key}`);
  return label === `field.${key}` ? key : label;
}

/** An event's data as labelled values (what the registrar entered, in words). */
/** The order fields are read in (the registration's identity first, then counts, then the profile); others after, as stored. */
const KEY_ORDER = [
  'name', 'registrationNumber', 'kind', 'provinceCode', 'formerProvinceCode', 'sector', 'memberCount', 'memberCooperativeIds', 'cooperativeId',
  'rating', 'year', 'reason', 'finding', 'until', 'mode', 'managers', 'directorTrained', 'valueChain', 'highTech', 'enterpriseLinked', 'digitalAdoption',
];

function order(key: string): number {
  const index = KEY_ORDER.indexOf(key);
  return index === -1 ? KEY_ORDER.length : index;
}

export function EventData({ data, context, hide = HIDDEN_KEYS }: { data: Record<string, unknown>; context: ValueContext; hide?: Set<string> }) {
  const entries = Object.entries(data)
    .filter(([key, value]) => !hide.has(key) && !((key === 'memberCount' || key === 'formerProvinceCode') && (value === null || value === undefined)) && !(key === 'memberCooperativeIds' && Array.isArray(value) && value.length === 0))
    .sort(([a], [b]) => order(a) - order(b));
  if (entries.length === 0) return null;
  return (
    <dl className="org-dl org-event-data">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{key === 'rating' ? context.t('field.ratingValue') : fieldLabel(context.t, key)}</dt>
          <dd>{formatValue(key, value, context)}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * The whole history of an organization, oldest first: type, effective date,
 * recorded time and by whom, the document reference, the data in words.
 * A retracted event is marked (and struck) and links to its correction; a
 * correction links back to what it retracts and shows its replacement.
 */
export function Timeline(props: {
  events: HistoryEntry[];
  t: Translate;
  history: MapHistory | null;
  names: Record<string, OrganizationSummary | null>;
  asOf: string;
  knownAt: string | null;
  onCorrect?(eventId: string): void;
}) {
  const { events, t } = props;
  const byId = new Map(events.map((event) => [event.eventId, event]));
  const base: ValueContext = { t, history: props.history, names: props.names };
  return (
    <ol className="org-timeline" data-testid="organization-timeline">
      {events.map((event) => {
        const retractedBy = event.correctedBy ? byId.get(event.correctedBy) : undefined;
        const retractedId = event.corrects ?? (event.type === 'RecordCorrected' ? (event.data.retractedEventId as string | undefined) : undefined);
        const retracts = retractedId ? byId.get(retractedId) : undefined;
        const documents = DOCUMENT_KEYS.filter((key) => typeof event.data[key] === 'string' && event.data[key]);
        const replacement = event.type === 'RecordCorrected' ? (event.data.replacement as { type: string; data: Record<string, unknown> } | null) : null;
        const context: ValueContext = { ...base, date: event.effectiveOn };
        const replacementContext: ValueContext = {
          ...base,
          date: typeof replacement?.data.effectiveOn === 'string' ? replacement.data.effectiveOn : typeof replacement?.data.registeredOn === 'string' ? replacement.data.registeredOn : event.effectiveOn,
        };
        const notKnownYet = props.knownAt !== null && event.recordedAt > props.knownAt;
        const afterAsOf = event.effectiveOn !== null && event.effectiveOn > props.asOf;
        const classes = ['org-event', event.correctedBy ? 'retracted' : '', event.type === 'RecordCorrected' ? 'correction' : '', notKnownYet ? 'unknown-yet' : '']
          .filter(Boolean)
          .join(' ');
        return (
          <li key={event.eventId} id={`event-${event.eventId}`} tabIndex={-1} className={classes} data-event-type={event.type}>
            <div className="org-event-head">
              <h3 id={`event-${event.eventId}-title`}>
                {eventLabel(t, event.type)} <span className="org-muted">· {t('event.revision', { n: eventNumber(event.revision) })}</span>
              </h3>
              <div className="org-flags">
                {event.correctedBy ? <span className="org-flag org-flag-retracted">{t('event.retracted')}</span> : null}
                {notKnownYet ? <span className="org-flag">{t('event.notKnownYet')}</span> : null}
                {afterAsOf ? <span className="org-flag">{t('event.afterAsOf')}</span> : null}
              </div>
            </div>
            <dl className="org-dl org-event-meta">
              <div>
                <dt>{t('event.effectiveOn')}</dt>
                <dd>{formatDate(event.effectiveOn)}</dd>
              </div>
              <div>
                <dt>{t('event.recordedAt')}</dt>
                <dd>
                  <time dateTime={event.recordedAt}>{formatTimestamp(event.recordedAt)}</time>
                </dd>
              </div>
              <div>
                <dt>{t('event.recordedBy')}</dt>
                <dd>{event.recordedBy}</dd>
              </div>
              {documents.map((key) => (
                <div key={key}>
                  <dt>{fieldLabel(t, key)}</dt>
                  <dd>
                    <strong>{String(event.data[key])}</strong>
                  </dd>
                </div>
              ))}
            </dl>
            {event.type === 'RecordCorrected' ? (
              <div className="org-correction">
                <p>
                  <EventLink event={retracts} t={t}>
                    {t('event.retracts', {
                      n: retracts ? eventNumber(retracts.revision) : typeof event.data.retractedRevision === 'number' ? eventNumber(event.data.retractedRevision) : '?',
                      type: eventLabel(t, String(retracts?.type ?? event.data.retractedType ?? '')),
                    })}
                  </EventLink>
                </p>
                <EventData data={event.data} context={context} />
                {replacement ? (
                  <div className="org-replacement">
                    <p>
                      <strong>{t('field.replacement')}:</strong> {eventLabel(t, replacement.type)}
                      {typeof replacement.data.effectiveOn === 'string' ? ` · ${t('event.effectiveOn')} ${formatDate(replacement.data.effectiveOn)}` : ''}
                    </p>
                    <EventData data={replacement.data} context={replacementContext} />
                  </div>
                ) : (
                  <p className="org-muted">{t('event.replacementNone')}</p>
                )}
              </div>
            ) : (
              <div className="org-event-body">
                <EventData data={event.data} context={context} />
              </div>
            )}
            {event.correctedBy ? (
              <p className="org-retracted-note">
                <EventLink event={retractedBy} t={t}>
                  {t('event.retractedBy', { n: retractedBy ? eventNumber(retractedBy.revision) : '?' })}
                </EventLink>
              </p>
            ) : null}
            <p className="org-hash">
              {t('event.hash')}: <code title={event.hash}>{event.hash.slice(0, 16)}…</code>
            </p>
            {props.onCorrect && isRetractable(event) ? (
              <button type="button" className="link-button" onClick={() => props.onCorrect!(event.eventId)}>
                {t('event.retract')}
              </button>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
