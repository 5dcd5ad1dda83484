import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useAdministrativeMap, useProvincesOn } from '../../api/administrative-map';
import { useQuery } from '../../api/use-query';
import { ORGANIZATION_KINDS, RATINGS, SECTORS, STATUSES, type OrganizationPage } from '../../api/types';
import { DateInput } from '../../components/DateInput';
import { ExportButtons } from '../../components/ExportButtons';
import { FormSelect, FormText } from '../../components/FormFields';
import { ProblemMessage } from '../../components/ProblemMessage';
import { isProvinceNotInForce, ProvinceNotInForce } from '../../components/ProvinceNotInForce';
import { formatDate, formatNumber, todayInVietnam } from '../../i18n/format';
import { useLocale } from '../../i18n/i18n';
import { useApi, useSession } from '../../session/session';
import { provinceLabel, rememberSummary, StatusBadge, useOrgT } from './shared';

/** The filters live in the URL query (`/#/organizations?provinceCode=91&kind=union&cursors=…`): a link reproduces the view. */
const FILTERS = ['q', 'provinceCode', 'kind', 'status', 'sector', 'asOf', 'registeredFrom', 'registeredTo', 'sort', 'limit'] as const;
type Filter = (typeof FILTERS)[number];
const PAGE_SIZES = ['20', '50', '100', '200'];
/** The orders the api offers (api.md); none chosen is the api's default. Names sort by Vietnamese collation on the server. */
const SORTS = ['name', 'registeredOn', '-registeredOn'] as const;

/**
 * GET /api/organizations with search, filters and an as-of date; paging by
 * `nextCursor`, the cursors of the pages walked so far kept as a stack in the
 * URL (`cursors`, the last one is the current page's) so "previous" works
 * after a reload or from a shared link.
 */
export function OrganizationsPage() {
  const t = useOrgT();
  const { locale } = useLocale();
  const api = useApi();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const value = (name: Filter) => params.get(name) ?? '';
  const asOf = value('asOf') || todayInVietnam();
  // The provinces in force on the list's date: an organization is listed under the province holding its seat then.
  const provinces = useProvincesOn(asOf);
  const history = useAdministrativeMap();
  const limit = PAGE_SIZES.includes(value('limit')) ? value('limit') : '50';
  const cursors = (params.get('cursors') ?? '').split(',').filter(Boolean);
  const cursor = cursors[cursors.length - 1];

  /** Changes filters; any change of a filter goes back to the first page. */
  const update = (changes: Partial<Record<Filter | 'cursors', string>>) => {
    const next = new URLSearchParams(params);
    for (const [name, text] of Object.entries(changes)) {
      if (text) next.set(name, text);
      else next.delete(name);
    }
    if (!('cursors' in changes)) next.delete('cursors');
    setParams(next);
  };

  const [qDraft, setQDraft] = useState(value('q'));
  const q = value('q');
  useEffect(() => setQDraft(q), [q]);
  useEffect(() => {
    if (qDraft.trim() === q) return;
    const timer = window.setTimeout(() => update({ q: qDraft.trim() }), 450);
    return () => window.clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [qDraft]);

  const query = {
    q: q || undefined,
    provinceCode: value('provinceCode') || undefined,
    kind: value('kind') || undefined,
    status: value('status') || undefined,
    sector: value('sector') || undefined,
    asOf,
    registeredFrom: value('registeredFrom') || undefined,
    registeredTo: value('registeredTo') || undefined,
    sort: (SORTS as readonly string[]).includes(value('sort')) ? value('sort') : undefined,
    limit,
    cursor,
  };
  const list = useQuery(() => api.get<OrganizationPage>('/api/organizations', query), [api, JSON.stringify(query)]);
  useEffect(() => list.data?.items.forEach(rememberSummary), [list.data]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    update({ q: qDraft.trim() });
  };
  const anyFilter = FILTERS.some((name) => name !== 'limit' && name !== 'sort' && value(name));
  const provinceOptions = (provinces.data ?? []).map((province) => ({ value: province.code, label: `${province.name} (${province.code})` }));
  // A code chosen on another date that is not in force on this one (89 after the merger) stays shown; the server's answer says why.
  if (value('provinceCode') && provinces.data && !provinceOptions.some((option) => option.value === value('provinceCode'))) {
    provinceOptions.unshift({ value: value('provinceCode'), label: value('provinceCode') });
  }
  const pageNumber = cursors.length + 1;
  const items = list.data?.items ?? [];

  return (
    <div className="org-page">
      <div className="org-heading">
        <h1>{t('list.heading')}</h1>
        {can('organizations:write') ? (
          <Link className="org-button-link" to="/organizations/new">
            {t('list.new')}
          </Link>
        ) : null}
      </div>

      <form className="card org-filters" role="search" aria-label={t('list.filters')} onSubmit={submit} noValidate>
        <div className="org-filter-grid">
          <div className="org-filter-q">
            <FormText type="search" name="q" label={t('list.q')} hint={t('list.q.hint')} value={qDraft} onChange={setQDraft} maxLength={200} />
          </div>
          <FormSelect
            name="provinceCode"
            label={t('field.provinceCode')}
            value={value('provinceCode')}
            onChange={(code) => update({ provinceCode: code })}
            placeholder={t('list.allProvinces')}
            options={provinceOptions}
          />
          <FormSelect
            name="kind"
            label={t('field.kind')}
            value={value('kind')}
            onChange={(kind) => update({ kind })}
            placeholder={t('list.all')}
            options={ORGANIZATION_KINDS.map((kind) => ({ value: kind, label: t(`kind.${kind}`) }))}
          />
          <FormSelect
            name="status"
            label={t('field.status')}
            value={value('status')}
            onChange={(status) => update({ status })}
            placeholder={t('list.all')}
            options={STATUSES.map((status) => ({ value: status, label: t(`status.${status}`) }))}
          />
          <FormSelect
            name="sector"
            label={t('field.sector')}
            value={value('sector')}
            onChange={(sector) => update({ sector })}
            placeholder={t('list.all')}
            options={SECTORS.map((sector) => ({ value: sector, label: t(`sector.${sector}`) }))}
          />
          <DateInput name="asOf" label={t('field.asOf')} value={asOf} onChange={(iso) => update({ asOf: iso === todayInVietnam() ? '' : iso })} />
          <DateInput name="registeredFrom" label={t('list.registeredFrom')} value={value('registeredFrom')} onChange={(iso) => update({ registeredFrom: iso })} />
          <DateInput name="registeredTo" label={t('list.registeredTo')} value={value('registeredTo')} onChange={(iso) => update({ registeredTo: iso })} />
          <FormSelect
            name="sort"
            label={t('list.sort')}
            value={query.sort ?? ''}
            onChange={(sort) => update({ sort })}
            placeholder={t('list.sort.default')}
            options={SORTS.map((sort) => ({ value: sort, label: t(`list.sort.${sort}`) }))}
          />
        </div>
        <div className="org-actions-row">
          <button type="submit" className="primary">
            {t('action.search')}
          </button>
          {anyFilter ? (
            <button type="button" className="secondary" onClick={() => setParams(new URLSearchParams({ ...(limit !== '50' ? { limit } : {}), ...(query.sort ? { sort: query.sort } : {}) }))}>
              {t('list.reset')}
            </button>
          ) : null}
        </div>
      </form>
      <ExportButtons path="/api/organizations/export" query={{ ...query, limit: undefined, cursor: undefined }} />

      <ProvinceNotInForce error={list.error} code={value('provinceCode')} asOf={asOf} history={history} onSwitch={(code) => update({ provinceCode: code })} />
      {isProvinceNotInForce(list.error) ? null : <ProblemMessage error={list.error} />}

      <p className="org-live" role="status" aria-live="polite">
        {list.loading ? t('state.loading') : list.data ? t('list.count', { total: formatNumber(list.data.total, locale), n: formatNumber(items.length, locale) }) : ''}
      </p>

      <div className="table-wrap">
        <table className="org-table" data-testid="organization-list" aria-busy={list.loading}>
          <caption>{t('list.caption', { date: formatDate(asOf), page: pageNumber })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('field.name')}</th>
              <th scope="col">{t('field.registrationNumber')}</th>
              <th scope="col">{t('field.kind')}</th>
              <th scope="col">{t('field.provinceCode')}</th>
              <th scope="col">{t('field.sector')}</th>
              <th scope="col">{t('field.status')}</th>
              <th scope="col" className="org-num">
                {t('field.memberCount')}
              </th>
              <th scope="col">{t('field.rating')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((organization) => (
              <tr key={organization.id}>
                <th scope="row" data-label={t('field.name')}>
                  <Link to={`/organizations/${organization.id}${value('asOf') ? `?asOf=${value('asOf')}` : ''}`}>{organization.name}</Link>
                </th>
                <td data-label={t('field.registrationNumber')}>{organization.registrationNumber}</td>
                <td data-label={t('field.kind')}>{t(`kind.${organization.kind}`)}</td>
                <td data-label={t('field.provinceCode')}>{provinceLabel(provinces.data, organization.provinceCode)}</td>
                <td data-label={t('field.sector')}>{t(`sector.${organization.sector}`)}</td>
                <td data-label={t('field.status')}>
                  <StatusBadge status={organization.status} t={t} />
                </td>
                <td data-label={t('field.memberCount')} className="org-num">
                  {organization.kind === 'union'
                    ? t('list.unionMembers', { n: formatNumber(organization.memberCooperativeIds.length, locale) })
                    : formatNumber(organization.memberCount, locale)}
                </td>
                <td data-label={t('field.rating')}>
                  {organization.rating && RATINGS.includes(organization.rating.rating)
                    ? `${t(`rating.${organization.rating.rating}`)} (${organization.rating.year})`
                    : '—'}
                </td>
              </tr>
            ))}
            {list.data && items.length === 0 ? (
              <tr>
                <td colSpan={8}>{t('list.none')}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>

      <nav className="org-pager" aria-label={t('list.page', { page: pageNumber })}>
        <button type="button" className="secondary" disabled={cursors.length === 0} onClick={() => update({ cursors: cursors.slice(0, -1).join(',') })}>
          {t('action.previous')}
        </button>
        <span aria-current="page">{t('list.page', { page: pageNumber })}</span>
        <button
          type="button"
          className="secondary"
          disabled={!list.data?.nextCursor}
          onClick={() => list.data?.nextCursor && update({ cursors: [...cursors, list.data.nextCursor].join(',') })}
        >
          {t('action.next')}
        </button>
        {cursors.length > 1 ? (
          <button type="button" className="link-button" onClick={() => update({ cursors: '' })}>
            {t('list.first')}
          </button>
        ) : null}
        <div className="org-page-size">
          <FormSelect name="limit" label={t('list.pageSize')} value={limit} onChange={(size) => update({ limit: size === '50' ? '' : size })} options={PAGE_SIZES.map((size) => ({ value: size, label: size }))} />
        </div>
      </nav>
    </div>
  );
}
