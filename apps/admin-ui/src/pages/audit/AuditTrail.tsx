import { Fragment, useEffect, useId, useRef, useState, type FormEvent } from 'react';
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
import { OrganizationFilter } from './OrganizationFilter';

/** Event types of the audit trail (organization and plan streams), in the order a history runs. */
const AUDIT_EVENT_TYPES: readonly string[] = [...ORGANIZATION_EVENT_TYPES, ...PLAN_EVENT_TYPES];

const FILTER_KEYS = ['from', 'to', 'recordedBy', 'provinceCode', 'organizationId', 'type', 'order', 'limit'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Filter = Record<FilterKey, string>;
const LIMITS = ['25', '50', '100', '200'];
/** What the filters are without a choice (left out of the URL): newest first, 50 rows. */
const DEFAULTS: Filter = { from: '', to: '', recordedBy: '', provinceCode: '', organizationId: '', type: '', order: 'desc', limit: '50' };

function filterOf(params: URLSearchParams): Filter {
  const filter = Object.fromEntries(FILTER_KEYS.map((key) => [key, params.get(key) ?? ''])) as Filter;
  if (!LIMITS.includes(filter.limit)) filter.limit = DEFAULTS.limit;
  if (filter.order !== 'asc') filter.order = DEFAULTS.order;
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

/**
 * GET /api/audit/events: events by recorded time, newest first unless asked
 * otherwise, with filters (kept in the URL, `#/audit?recordedBy=…`), paged by
 * `nextCursor` (a stack of cursors walks back). Each organization event names
 * its organization (name and registration number) and links to its page; ids,
 * revisions and the stream are in the row's details, asked for one row at a time.
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
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  // Filters changed from outside (back button, a link): the form shows them.
  useEffect(() => setDraft(filterOf(params)), [appliedKey]); // eslint-disable-line react-hooks/exhaustive-deps

  const page = useQuery(
    () =>
      api.get<Page<AuditEventView>>('/api/audit/events', {
        from: applied.from || undefined,
        to: applied.to ? exclusiveTo(applied.to) : undefined,
        recordedBy: applied.recordedBy.trim() || undefined,
        provinceCode: applied.provinceCode || undefined,
        organizationId: applied.organizationId || undefined,
        type: applied.type || undefined,
        order: applied.order,
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
          if (value && value !== DEFAULTS[key]) search.set(key, value);
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
  const toggle = (eventId: string) =>
    setOpen((previous) => {
      const next = new Set(previous);
      if (!next.delete(eventId)) next.add(eventId);
      return next;
    });
  const typeLabel = (type: string) => (t(`type.${type}`) === `type.${type}` ? type : t(`type.${type}`));

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
          <OrganizationFilter
            value={draft.organizationId}
            onChange={(organizationId) => {
              // Choosing (or clearing) an organization is a decision: the trail follows at once, with the other filters as typed.
              const next = { ...draft, organizationId };
              setDraft(next);
              apply(next);
            }}
          />
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
          <div className="field audit-order">
            <label htmlFor={`${id}-order`}>{t('trail.order')}</label>
            <select id={`${id}-order`} value={draft.order} onChange={(event) => set('order')(event.target.value)}>
              <option value="desc">{t('trail.order.desc')}</option>
              <option value="asc">{t('trail.order.asc')}</option>
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
              setDraft(DEFAULTS);
              apply(DEFAULTS);
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
              ? `${t(applied.order === 'asc' ? 'trail.pageRows.asc' : 'trail.pageRows.desc', { n: pageNumber, count: items.length })}${page.data.nextCursor ? '' : ` ${t('trail.last')}`}`
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
                <th scope="col">{t('col.subject')}</th>
                <th scope="col">{t('col.province')}</th>
                <th scope="col">{t('col.effectiveOn')}</th>
                <th scope="col">{t('col.recordedBy')}</th>
                <th scope="col">{t('col.notes')}</th>
                <th scope="col" className="audit-toggle">
                  <span className="audit-caption">{t('col.details')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => {
                const expanded = open.has(item.eventId);
                const detailsId = `${id}-details-${item.eventId}`;
                const planId = planIdOfStream(item.streamId);
                return (
                  <Fragment key={item.eventId}>
                    <tr className={item.correctedByEventId ? 'audit-row-retracted' : undefined}>
                      <td className="audit-nowrap">{formatTimestamp(item.recordedAt)}</td>
                      <td className="audit-type">{typeLabel(item.type)}</td>
                      <td className="audit-subject">
                        {item.organizationId ? (
                          <Link to={`/organizations/${item.organizationId}`}>
                            {item.organizationName ? (
                              <>
                                {item.organizationName} <span className="org-muted">({item.registrationNumber})</span>
                              </>
                            ) : (
                              t('row.organization.unnamed')
                            )}
                          </Link>
                        ) : planId !== null ? (
                          t('row.plan', { id: planId })
                        ) : (
                          t('row.other')
                        )}
                      </td>
                      <td className="audit-province">{provinceName(item.provinceCode)}</td>
                      <td className="audit-nowrap">{formatDate(item.effectiveOn)}</td>
                      <td>{item.recordedBy}</td>
                      <td className="audit-notes">
                        {item.decisionRef ? <div>{t('row.decision', { ref: item.decisionRef })}</div> : null}
                        {item.correctsEventId ? <div>{t('row.corrects')}</div> : null}
                        {item.correctedByEventId ? <div className="audit-retracted">{t('row.correctedBy')}</div> : null}
                        {item.quarantined ? <div className="audit-retracted">{t('row.quarantined')}</div> : null}
                      </td>
                      <td className="audit-toggle">
                        <button
                          type="button"
                          className="link-button"
                          aria-expanded={expanded}
                          aria-controls={expanded ? detailsId : undefined}
                          aria-label={t('row.details.label', { type: typeLabel(item.type), at: formatTimestamp(item.recordedAt) })}
                          onClick={() => toggle(item.eventId)}
                        >
                          {t('row.details')}
                        </button>
                      </td>
                    </tr>
                    {expanded ? (
                      <tr className="audit-details-row">
                        <td colSpan={8} id={detailsId}>
                          <dl className="audit-facts">
                            <div>
                              <dt>{t('detail.type')}</dt>
                              <dd>
                                <code>{item.type}</code>
                              </dd>
                            </div>
                            <div>
                              <dt>{t('detail.order')}</dt>
                              <dd>{t('detail.revision', { n: item.revision + 1, revision: item.revision })}</dd>
                            </div>
                            <div className="audit-facts-wide">
                              <dt>{t('field.streamId')}</dt>
                              <dd>
                                <code>{item.streamId}</code>
                              </dd>
                            </div>
                            {item.organizationId ? (
                              <div>
                                <dt>{t('detail.organizationId')}</dt>
                                <dd>
                                  <code>{item.organizationId}</code>
                                </dd>
                              </div>
                            ) : null}
                            <div>
                              <dt>{t('field.eventId')}</dt>
                              <dd>
                                <code>{item.eventId}</code>
                              </dd>
                            </div>
                            {item.correctsEventId ? (
                              <div>
                                <dt>{t('detail.corrects')}</dt>
                                <dd>
                                  <code>{item.correctsEventId}</code>
                                </dd>
                              </div>
                            ) : null}
                            {item.correctedByEventId ? (
                              <div>
                                <dt>{t('detail.correctedBy')}</dt>
                                <dd>
                                  <code>{item.correctedByEventId}</code>
                                </dd>
                              </div>
                            ) : null}
                            {item.quarantined ? (
                              <div className="audit-facts-wide">
                                <dt>{t('detail.quarantined')}</dt>
                                <dd>{item.quarantined.error}</dd>
                              </div>
                            ) : null}
                            <div className="audit-facts-wide">
                              <dt>{t('field.position')}</dt>
                              <dd>
                                <code>{item.position}</code>
                              </dd>
                            </div>
                          </dl>
                          <div className="audit-details-actions">
                            <button type="button" className="secondary" onClick={() => onVerifyStream(item.streamId)}>
                              {t('row.verify')}
                            </button>
                            {item.organizationId && applied.organizationId !== item.organizationId ? (
                              <button type="button" className="secondary" onClick={() => apply({ ...applied, organizationId: item.organizationId! })}>
                                {t('row.onlyThis')}
                              </button>
                            ) : null}
                          </div>
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
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
