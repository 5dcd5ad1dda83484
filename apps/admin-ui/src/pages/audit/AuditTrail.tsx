import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { ORGANIZATION_EVENT_TYPES, PLAN_EVENT_TYPES, planIdOfStream, type AuditEventView, type Page } from '../../api/types';
import { useUnitProvinces, useQuery } from '../../api/use-query';
import { useProvincesOn } from '../../api/administrative-map';
import { DashboardMomentInput } from '../../components/DashboardMomentInput';
import { ProblemMessage } from '../../components/ProblemMessage';
import { formatDate, formatTimestamp } from '../../i18n/format';
import { useT } from '../../i18n/i18n';
import { useApi } from '../../session/session';
import { messages } from './messages';

/** Event types of the audit trail (organization and plan streams), in the order a history runs. */
const AUDIT_EVENT_TYPES: readonly string[] = [...ORGANIZATION_EVENT_TYPES, ...PLAN_EVENT_TYPES];

const FILTER_KEYS = ['from', 'to', 'recordedBy', 'provinceCode', 'type', 'limit'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Filter = Record<FilterKey, string>;
const LIMITS = ['25', '50', '100', '200'];

function filterOf(params: URLSearchParams): Filter {
  const filter = Object.fromEntries(FILTER_KEYS.map((key) => [key, params.get(key) ?? ''])) as Filter;
  if (!LIMITS.includes(filter.limit)) filter.limit = '50';
  return filter;
}

/**
 * An inclusive end-of-day bound (…23:59:59.999, what the moment field gives
 * for a date without a time) as the exclusive `to` of the api: the next
 * millisecond, so the whole day is in.
 */
function exclusiveTo(to: string): string {
  return to.endsWith(':59.999Z') ? new Date(Date.parse(to) + 1).toISOString() : to;
}

const short = (id: string) => id.slice(0, 8);

/**
 * GET /api/audit/events: events by recorded time with filters (kept in the
 * URL, `#/audit?recordedBy=…`), paged by `nextCursor` (a stack of cursors
 * walks back). Each organization event links to its organization's page.
 */
export function AuditTrail({ onVerifyStream }: { onVerifyStream(streamId: string): void }) {
  const t = useT(messages);
  const api = useApi();
  // A row names the seat's former province (a unit of the map before 1 July 2025): named as then. The filter
  // takes a province of today's map, whose whole territory it covers (api.md: audit events by provinceCode).
  const units = useUnitProvinces();
  const provinces = useProvincesOn(null);
  const id = useId();
  const [params, setParams] = useSearchParams();
  const applied = filterOf(params);
  const appliedKey = FILTER_KEYS.map((key) => applied[key]).join('|');
  const [draft, setDraft] = useState<Filter>(applied);
  const [paging, setPaging] = useState<{ key: string; cursors: string[] }>({ key: appliedKey, cursors: [] });
  const cursors = paging.key === appliedKey ? paging.cursors : [];
  const cursor = cursors.at(-1);
  const resultsRef = useRef<HTMLHeadingElement>(null);
  // Filters changed from outside (back button, a link): the form shows them.
  useEffect(() => setDraft(filterOf(params)), [appliedKey]); // eslint-disable-line react-hooks/exhaustive-deps

  const page = useQuery(
    () =>
      api.get<Page<AuditEventView>>('/api/audit/events', {
        from: applied.from || undefined,
        to: applied.to ? exclusiveTo(applied.to) : undefined,
        recordedBy: applied.recordedBy.trim() || undefined,
        provinceCode: applied.provinceCode || undefined,
        type: applied.type || undefined,
        limit: applied.limit,
        cursor,
      }),
    [api, appliedKey, cursor],
  );

  const apply = (next: Filter) => {
    setParams(
      (previous) => {
        const search = new URLSearchParams(previous);
        for (const key of FILTER_KEYS) {
          const value = next[key].trim();
          if (value && !(key === 'limit' && value === '50')) search.set(key, value);
          else search.delete(key);
        }
        return search;
      },
      { replace: false },
    );
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply(draft);
  };
  const goTo = (next: string[]) => {
    setPaging({ key: appliedKey, cursors: next });
    // Keyboard and screen-reader users land on the new page's heading.
    window.setTimeout(() => resultsRef.current?.focus(), 0);
  };

  const provinceName = (code: string | null) =>
    code ? `${units.data?.find((province) => province.provinceCode === code)?.name ?? code} (${code})` : '—';
  const fieldError = (path: string) => (page.error instanceof ApiError ? page.error.fieldError(path) : undefined);
  const pageNumber = cursors.length + 1;
  const items = page.data?.items ?? [];
  const subjects = [...new Set(items.map((item) => item.recordedBy))].sort();
  const set = (key: FilterKey) => (value: string) => setDraft((previous) => ({ ...previous, [key]: value }));

  return (
    <section className="card audit-trail" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('trail.heading')}</h2>
      <form onSubmit={submit} aria-label={t('trail.filters')} className="audit-filters">
        <div className="audit-filter-moments">
          <DashboardMomentInput label={t('trail.from')} value={draft.from} hint={t('trail.from.hint')} error={fieldError('from')} onChange={set('from')} />
          <DashboardMomentInput label={t('trail.to')} value={draft.to} endOfDay hint={t('trail.to.hint')} error={fieldError('to')} onChange={set('to')} />
        </div>
        <div className="audit-filter-row">
          <div className="field">
            <label htmlFor={`${id}-by`}>{t('trail.recordedBy')}</label>
            <input
              id={`${id}-by`}
              value={draft.recordedBy}
              list={`${id}-subjects`}
              spellCheck={false}
              autoComplete="off"
              aria-describedby={`${id}-by-hint`}
              aria-invalid={fieldError('recordedBy') ? true : undefined}
              onChange={(event) => set('recordedBy')(event.target.value)}
            />
            <datalist id={`${id}-subjects`}>
              {subjects.map((subject) => (
                <option key={subject} value={subject} />
              ))}
            </datalist>
            <p className="hint" id={`${id}-by-hint`}>
              {t('trail.recordedBy.hint')}
            </p>
          </div>
          <div className="field">
            <label htmlFor={`${id}-province`}>{t('trail.province')}</label>
            <select id={`${id}-province`} value={draft.provinceCode} onChange={(event) => set('provinceCode')(event.target.value)}>
              <option value="">{t('trail.province.all')}</option>
              {(provinces.data ?? []).map((province) => (
                <option key={province.code} value={province.code}>
                  {province.name} ({province.code})
                </option>
              ))}
              {draft.provinceCode && !provinces.data?.some((province) => province.code === draft.provinceCode) ? (
                <option value={draft.provinceCode}>{draft.provinceCode}</option>
              ) : null}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-type`}>{t('trail.type')}</label>
            <select id={`${id}-type`} value={draft.type} onChange={(event) => set('type')(event.target.value)}>
              <option value="">{t('trail.type.all')}</option>
              {AUDIT_EVENT_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(`type.${type}`)} ({type})
                </option>
              ))}
              {draft.type && !AUDIT_EVENT_TYPES.includes(draft.type) ? <option value={draft.type}>{draft.type}</option> : null}
            </select>
          </div>
          <div className="field audit-limit">
            <label htmlFor={`${id}-limit`}>{t('trail.limit')}</label>
            <select id={`${id}-limit`} value={draft.limit} onChange={(event) => set('limit')(event.target.value)}>
              {LIMITS.map((limit) => (
                <option key={limit} value={limit}>
                  {limit}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="audit-actions">
          <button type="submit" className="primary">
            {t('trail.apply')}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              const empty = { from: '', to: '', recordedBy: '', provinceCode: '', type: '', limit: '50' };
              setDraft(empty);
              apply(empty);
            }}
          >
            {t('trail.reset')}
          </button>
        </div>
      </form>

      <h3 ref={resultsRef} tabIndex={-1} className="audit-results-heading">
        {t('trail.results')} · {t('trail.page', { n: pageNumber })}
      </h3>
      <ProblemMessage error={page.error} />
      <p aria-live="polite" className="hint">
        {page.loading
          ? t('state.loading')
          : page.data
            ? items.length
              ? `${t('trail.pageRows', { n: pageNumber, count: items.length })}${page.data.nextCursor ? '' : ` ${t('trail.last')}`}`
              : t('trail.empty')
            : ''}
      </p>
      {items.length ? (
        <div className={`table-wrap audit-table-wrap${page.loading ? ' audit-stale' : ''}`} tabIndex={0} role="region" aria-label={t('trail.caption', { n: pageNumber })}>
          <table className="audit-table" data-testid="audit-events">
            <caption className="audit-caption">{t('trail.caption', { n: pageNumber })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('col.recordedAt')}</th>
                <th scope="col">{t('col.type')}</th>
                <th scope="col">{t('col.effectiveOn')}</th>
                <th scope="col">{t('col.recordedBy')}</th>
                <th scope="col">{t('col.province')}</th>
                <th scope="col">{t('col.subject')}</th>
                <th scope="col">{t('col.revision')}</th>
                <th scope="col">{t('col.notes')}</th>
                <th scope="col">{t('col.eventId')}</th>
                <th scope="col">{t('col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.eventId} className={item.correctedByEventId ? 'audit-row-retracted' : undefined}>
                  <td className="audit-nowrap">{formatTimestamp(item.recordedAt)}</td>
                  <td>
                    {t(`type.${item.type}`) === `type.${item.type}` ? item.type : t(`type.${item.type}`)}
                    <br />
                    <code className="audit-code">{item.type}</code>
                  </td>
                  <td className="audit-nowrap">{formatDate(item.effectiveOn)}</td>
                  <td>
                    <code className="audit-code">{item.recordedBy}</code>
                  </td>
                  <td>{provinceName(item.provinceCode)}</td>
                  <td>
                    {item.organizationId ? (
                      <Link to={`/organizations/${item.organizationId}`} aria-label={t('row.organization.label', { id: item.organizationId })} title={item.streamId}>
                        {t('row.organization', { id: short(item.organizationId) })}
                      </Link>
                    ) : planIdOfStream(item.streamId) !== null ? (
                      t('row.plan', { id: planIdOfStream(item.streamId)! })
                    ) : (
                      <code>{item.streamId}</code>
                    )}
                  </td>
                  <td>{item.revision}</td>
                  <td className="audit-notes">
                    {item.decisionRef ? <div>{t('row.decision', { ref: item.decisionRef })}</div> : null}
                    {item.correctsEventId ? (
                      <div title={item.correctsEventId}>{t('row.corrects', { id: short(item.correctsEventId) })}</div>
                    ) : null}
                    {item.correctedByEventId ? (
                      <div className="audit-retracted" title={item.correctedByEventId}>
                        {t('row.correctedBy', { id: short(item.correctedByEventId) })}
                      </div>
                    ) : null}
                  </td>
                  <td>
                    <code className="audit-code" title={item.eventId}>
                      {short(item.eventId)}
                    </code>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="link-button audit-nowrap"
                      aria-label={t('row.verify.label', { stream: item.streamId })}
                      onClick={() => onVerifyStream(item.streamId)}
                    >
                      {t('row.verify')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <nav className="audit-pager" aria-label={t('trail.results')}>
        <button type="button" className="secondary" disabled={cursors.length === 0 || page.loading} onClick={() => goTo(cursors.slice(0, -1))}>
          {t('action.previous')}
        </button>
        <span>{t('trail.page', { n: pageNumber })}</span>
        <button
          type="button"
          className="secondary"
          disabled={!page.data?.nextCursor || page.loading}
          onClick={() => page.data?.nextCursor && goTo([...cursors, page.data.nextCursor])}
        >
          {t('action.next')}
        </button>
      </nav>
    </section>
  );
}
