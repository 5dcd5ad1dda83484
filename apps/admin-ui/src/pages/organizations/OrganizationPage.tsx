import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, Navigate, useLocation, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { apiPath, canonicalUuid } from '../../api/paths';
import { unitName, useAdministrativeMap, useProvincesOn, type MapHistory } from '../../api/administrative-map';
import type { HistoryEntry, OrganizationAsOf } from '../../api/types';
import { useQuery } from '../../api/use-query';
import { DateInput } from '../../components/DateInput';
import { FormText } from '../../components/FormFields';
import { ProblemMessage } from '../../components/ProblemMessage';
import { formatDate, formatNumber, formatTimestamp, todayInVietnam } from '../../i18n/format';
import { useLocale, type Translate } from '../../i18n/i18n';
import { useApi, useSession } from '../../session/session';
import { FORMS, type CommandProps, type FormName } from './OrganizationForms';
import { OrgLink, provinceLabel, rememberSummary, StatusBadge, useOrganizationSummaries, useOrgT, yesNo } from './shared';
import { ProvinceHistory } from './ProvinceHistory';
import { SignedExtract } from './SignedExtract';
import { idsInEvents, Timeline } from './Timeline';

/**
 * Route `/organizations/:id?asOf=YYYY-MM-DD&knownAt=<ISO timestamp>`. The id
 * is checked to be a UUID before anything is fetched (a route such as
 * `..%2F..%2Fplans` would otherwise send the signed-in user's token to another
 * path), and shown in its canonical lower-case form.
 */
export function OrganizationPage() {
  const { id: raw = '' } = useParams();
  const location = useLocation();
  const id = canonicalUuid(raw);
  if (id === null) return <InvalidOrganizationId raw={raw} />;
  if (id !== raw) return <Navigate replace to={{ pathname: `/organizations/${id}`, search: location.search }} state={location.state} />;
  // A new organization (a member's link) starts afresh: no open form, no old message.
  return <OrganizationDetails key={id} id={id} />;
}

function InvalidOrganizationId({ raw }: { raw: string }) {
  const t = useOrgT();
  return (
    <div className="org-page">
      <p className="org-back">
        <Link to="/organizations">{t('org.back')}</Link>
      </p>
      <h1>{t('org.notFound')}</h1>
      <div className="problem" role="alert" data-testid="invalid-organization-id">
        <p>{t('org.invalidId', { id: raw.length > 80 ? `${raw.slice(0, 80)}…` : raw })}</p>
      </div>
    </div>
  );
}

/**
 * A knownAt typed as a Vietnam date and time (hh:mm or hh:mm:ss; none: the
 * end of that day) → ISO UTC, inclusive to the end of the minute or second
 * given (knownAt is inclusive).
 */
function knownAtFrom(date: string, time: string): string | null {
  if (!date) return null;
  const match = /^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$/.exec(time);
  if (time.trim() !== '' && (!match || Number(match[1]) > 23 || Number(match[2]) > 59 || Number(match[3] ?? 0) > 59)) return null;
  const [hours, minutes, seconds] = match ? [Number(match[1]), Number(match[2]), match[3] === undefined ? 59 : Number(match[3])] : [23, 59, 59];
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds, 999) - 7 * 3600_000).toISOString();
}

/** An ISO timestamp → its Vietnam date (YYYY-MM-DD) and time (hh:mm:ss). */
function knownAtParts(iso: string | null): { date: string; time: string } {
  if (!iso || Number.isNaN(Date.parse(iso))) return { date: '', time: '' };
  const vietnam = new Date(Date.parse(iso) + 7 * 3600_000).toISOString();
  return { date: vietnam.slice(0, 10), time: vietnam.slice(11, 19) };
}

function OrganizationDetails({ id }: { id: string }) {
  const t = useOrgT();
  const { locale } = useLocale();
  const api = useApi();
  const { can, canWriteProvince } = useSession();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const today = todayInVietnam();
  const asOf = params.get('asOf') || today;
  // The state names the province in force on asOf: its name is that of asOf's map.
  const provinces = useProvincesOn(asOf);
  const history = useAdministrativeMap();
  const knownAt = params.get('knownAt') || null;
  const historyAllowed = can('history:read');

  const state = useQuery(() => api.get<OrganizationAsOf>(apiPath`/api/organizations/${id}`, { asOf, knownAt }), [api, id, asOf, knownAt]);
  const events = useQuery(
    () => (historyAllowed ? api.get<HistoryEntry[]>(apiPath`/api/organizations/${id}/events`) : Promise.resolve(undefined)),
    [api, id, historyAllowed],
  );
  // Commands are judged against the organization now and need its latest version: read it apart when the page looks at another time.
  const viewingNow = asOf === today && knownAt === null;
  const current = useQuery(
    () => (viewingNow ? Promise.resolve(undefined) : api.get<OrganizationAsOf>(apiPath`/api/organizations/${id}`)),
    [api, id, viewingNow],
  );
  const now = viewingNow ? state.data : current.data;
  useEffect(() => {
    if (state.data) rememberSummary(state.data);
  }, [state.data]);

  const organization = state.data;
  const registration = events.data?.find((event) => event.type === 'OrganizationRegistered');
  const title = organization?.name ?? (registration?.data.name as string | undefined) ?? now?.name;
  const names = useOrganizationSummaries([
    ...(organization?.memberCooperativeIds ?? []),
    ...(organization?.unionIds ?? []),
    ...(now?.memberCooperativeIds ?? []),
    ...idsInEvents(events.data ?? []),
  ]);

  // Point of view (asOf, knownAt): drafts, applied to the URL by "Show".
  const parts = knownAtParts(knownAt);
  const [asOfDraft, setAsOfDraft] = useState(asOf);
  const [knownDate, setKnownDate] = useState(parts.date);
  const [knownTime, setKnownTime] = useState(parts.time);
  const [viewErrors, setViewErrors] = useState<Record<string, string>>({});
  useEffect(() => {
    setAsOfDraft(asOf);
    const next = knownAtParts(knownAt);
    setKnownDate(next.date);
    setKnownTime(next.time);
  }, [asOf, knownAt]);
  const applyView = (event: FormEvent) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (!asOfDraft) errors.asOf = t('form.required');
    const known = knownAtFrom(knownDate, knownTime);
    if (knownDate && known === null) errors.knownTime = t('org.knownTime.invalid');
    setViewErrors(errors);
    if (Object.keys(errors).length) return;
    const next = new URLSearchParams();
    if (asOfDraft !== today) next.set('asOf', asOfDraft);
    if (known) next.set('knownAt', known);
    setParams(next);
  };
  const showAt = (date: string) => setParams(new URLSearchParams(date === today ? {} : { asOf: date, ...(knownAt ? { knownAt } : {}) }));

  // Forms: one open at a time; after success a message (focused), the page reloaded with minPosition by the client.
  const [open, setOpen] = useState<FormName | null>(null);
  const [correctEventId, setCorrectEventId] = useState<string | undefined>();
  const [message, setMessage] = useState<string | null>((location.state as { registered?: boolean } | null)?.registered ? t('org.registered') : null);
  const messageRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Arriving from the registration form: the confirmation takes the focus (the form is gone).
    if (message) messageRef.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const reloadAll = () => {
    state.reload();
    events.reload();
    current.reload();
  };
  // The success message shows once the page shows the result (the reload after the command has answered).
  const [pending, setPending] = useState<string | null>(null);
  const sawLoading = useRef(false);
  const reloading = state.loading || events.loading || current.loading;
  useEffect(() => {
    if (pending === null) return;
    if (reloading) {
      sawLoading.current = true;
    } else if (sawLoading.current) {
      sawLoading.current = false;
      setMessage(pending);
      setPending(null);
      window.setTimeout(() => messageRef.current?.focus(), 0);
    }
  }, [pending, reloading]);
  // If-Match: the stream's latest revision. The history is read from the event store (always current), the
  // state from the read models (which may lag behind a write made elsewhere): the higher of the two.
  const lastEvent = events.data?.[events.data.length - 1];
  const version = Math.max(now?.version ?? -1, lastEvent?.revision ?? -1);
  const formProps = (name: FormName): CommandProps | null =>
    now
      ? {
          organization: now,
          version,
          events: events.data,
          names,
          eventId: name === 'correct' ? correctEventId : undefined,
          onDone: (what) => {
            setOpen(null);
            setMessage(null);
            sawLoading.current = false;
            setPending(t('org.success', { what }));
            reloadAll();
          },
          // The form says what happened (next to its submit button); the page shows the newer state and version.
          onStale: reloadAll,
          onCancel: () => setOpen(null),
        }
      : null;

  const writable = Boolean(now) && can('organizations:write') && canWriteProvince(now!.provinceCode);
  const dissolved = now?.status === 'dissolved';
  const available: FormName[] = [];
  if (now && writable) {
    if (now.kind !== 'cooperative_group') available.push('rate');
    if (now.kind !== 'union') available.push('members');
    available.push('profile');
    if (now.kind === 'union') available.push('join', 'leave');
    if (now.status === 'active') available.push('suspend');
    if (now.status === 'active' || now.status === 'suspended') available.push('dormant');
    if (now.status === 'suspended' || now.status === 'dormant') available.push('resume');
    if (!dissolved) available.push('dissolve');
  }
  // A relocation is written by a registrar of the destination (api.md), so it is offered to every writer; the form offers its provinces.
  if (now && can('organizations:write') && !dissolved) available.push('relocate');
  if (now && can('corrections:write') && historyAllowed) available.push('correct');
  const toggle = (name: FormName) => {
    setMessage(null);
    setOpen((previous) => (previous === name ? null : name));
    if (name === 'correct') setCorrectEventId(undefined);
  };
  const correct = (eventId: string) => {
    setMessage(null);
    setCorrectEventId(eventId);
    setOpen('correct');
    window.setTimeout(() => document.getElementById('org-command-panel')?.scrollIntoView({ block: 'start' }), 0);
  };
  const OpenForm = open && available.includes(open) ? FORMS[open] : null;
  const openProps = open ? formProps(open) : null;

  const notFound = state.error instanceof ApiError && state.error.status === 404;
  const registeredOn = registration?.effectiveOn ?? null;

  return (
    <div className="org-page">
      <p className="org-back">
        <Link to="/organizations">{t('org.back')}</Link>
      </p>
      <h1>{title ?? (state.loading ? t('state.loading') : t('org.notFound'))}</h1>

      <form className="card org-view" onSubmit={applyView} noValidate aria-label={t('org.view')}>
        <div className="org-view-grid">
          <DateInput name="asOf" label={t('field.asOf')} required value={asOfDraft} onChange={setAsOfDraft} error={viewErrors.asOf} />
          <DateInput name="knownAt" label={t('field.knownAt')} value={knownDate} onChange={setKnownDate} />
          <FormText
            name="knownTime"
            label={t('org.knownTime')}
            placeholder="hh:mm:ss"
            value={knownTime}
            onChange={setKnownTime}
            hint={t('org.knownAt.hint')}
            error={viewErrors.knownTime}
          />
        </div>
        <div className="org-actions-row">
          <button type="submit" className="primary">
            {t('org.show')}
          </button>
          {!viewingNow ? (
            <button type="button" className="secondary" onClick={() => setParams(new URLSearchParams())}>
              {t('org.today')}
            </button>
          ) : null}
        </div>
      </form>

      <div ref={messageRef} tabIndex={-1} role="status" className={message ? 'success' : undefined}>
        {message}
      </div>

      {notFound ? (
        <div className="problem" role="alert">
          <p>
            {knownAt
              ? t('org.notKnown', { time: formatTimestamp(knownAt), date: formatDate(asOf) })
              : events.error instanceof ApiError && events.error.status === 404
                ? t('org.notFound')
                : t('org.notRegistered', { date: formatDate(asOf) })}
            {registeredOn ? ` ${t('org.registeredOnInfo', { date: formatDate(registeredOn) })}` : ''}
          </p>
          {registeredOn && registeredOn > asOf ? (
            <button type="button" className="secondary" onClick={() => showAt(registeredOn)}>
              {t('org.viewAtRegistration')}
            </button>
          ) : null}
        </div>
      ) : (
        <ProblemMessage error={state.error} />
      )}

      {organization ? (
        <section className="card">
          <h2 id="org-state-heading">
            {t('org.stateHeading', { date: formatDate(asOf) })}
            {knownAt ? ` · ${t('org.stateKnownAt', { time: formatTimestamp(knownAt) })}` : ''}
          </h2>
          <StateFields
            organization={organization}
            t={t}
            locale={locale}
            provinceText={provinceLabel(provinces.data, organization.provinceCode)}
            formerText={formerProvinceText(history, organization, asOf)}
          />
          {organization.kind === 'union' ? (
            <>
              <h3>{t('org.members', { date: formatDate(asOf) })}</h3>
              {organization.memberCooperativeIds.length ? (
                <ul className="org-link-list" data-testid="union-members">
                  {organization.memberCooperativeIds.map((memberId) => (
                    <li key={memberId}>
                      <OrgLink id={memberId} summary={names[memberId]} />
                    </li>
                  ))}
                </ul>
              ) : (
                <p>{t('org.noMembers')}</p>
              )}
            </>
          ) : null}
          {organization.kind === 'cooperative' ? (
            <>
              <h3>{t('org.unions', { date: formatDate(asOf) })}</h3>
              {organization.unionIds.length ? (
                <ul className="org-link-list" data-testid="cooperative-unions">
                  {organization.unionIds.map((unionId) => (
                    <li key={unionId}>
                      <OrgLink id={unionId} summary={names[unionId]} />
                    </li>
                  ))}
                </ul>
              ) : (
                <p>{t('org.noUnions')}</p>
              )}
            </>
          ) : null}
        </section>
      ) : null}

      {!notFound ? <SignedExtract id={id} asOf={asOf} knownAt={knownAt} organization={organization} /> : null}

      {available.length ? (
        <section className="card org-commands" id="org-command-panel">
          <h2 id="org-actions-heading">{t('org.actions')}</h2>
          <p className="hint">{t('org.actions.hint')}</p>
          {dissolved && now?.dissolvedOn ? <p className="hint">{t('org.actions.dissolved', { date: formatDate(now.dissolvedOn) })}</p> : null}
          <div className="org-command-buttons">
            {available.map((name) => (
              <button
                key={name}
                type="button"
                className={open === name ? 'primary' : 'secondary'}
                aria-expanded={open === name}
                aria-controls={open === name ? 'org-open-form' : undefined}
                onClick={() => toggle(name)}
              >
                {t(`form.${name}`)}
              </button>
            ))}
          </div>
          {OpenForm && openProps ? (
            <div id="org-open-form" data-testid={`form-${open}`}>
              <OpenForm key={`${open}-${correctEventId ?? ''}`} {...openProps} />
            </div>
          ) : null}
        </section>
      ) : null}

      {historyAllowed && events.data && !notFound ? (
        <section className="card" aria-labelledby="org-province-history-heading">
          <h2 id="org-province-history-heading">{t('history.heading')}</h2>
          <p className="hint">{t('history.hint')}</p>
          <ProvinceHistory events={events.data} history={history} until={today} t={t} />
        </section>
      ) : null}

      {historyAllowed ? (
        <section>
          <h2 id="org-timeline-heading">{t('org.timeline')}</h2>
          <p className="hint">{t('org.timeline.hint')}</p>
          {events.error && !(notFound && events.error instanceof ApiError && events.error.status === 404) ? <ProblemMessage error={events.error} /> : null}
          {events.loading && !events.data ? <p role="status">{t('state.loading')}</p> : null}
          {events.data ? (
            <Timeline
              events={events.data}
              t={t}
              history={history}
              names={names}
              asOf={asOf}
              knownAt={knownAt}
              onCorrect={available.includes('correct') ? correct : undefined}
            />
          ) : null}
        </section>
      ) : (
        <p className="hint">{t('org.timeline.noAccess')}</p>
      )}
    </div>
  );
}

/**
 * The former province of the seat (api.md: `formerProvinceCode`, always set), worth showing where the
 * province in force was formed from several or the seat's former province has another code.
 */
function formerProvinceText(history: MapHistory | null, organization: OrganizationAsOf, asOf: string): string | null {
  const former = organization.formerProvinceCode;
  if (!former) return null;
  const merged = (history?.map.unitsOf(organization.provinceCode, asOf) ?? []).length > 1;
  if (!merged && former === organization.provinceCode) return null;
  return `${unitName(history, former)} (${former})`;
}

function StateFields({
  organization,
  t,
  locale,
  provinceText,
  formerText,
}: {
  organization: OrganizationAsOf;
  t: Translate;
  locale: 'vi' | 'en';
  provinceText: string;
  formerText: string | null;
}) {
  const rows: [string, ReactNode][] = [
    [t('field.kind'), t(`kind.${organization.kind}`)],
    [t('field.registrationNumber'), organization.registrationNumber],
    [t('field.provinceCode'), provinceText],
    ...(formerText ? ([[t('field.formerProvince'), formerText]] as [string, ReactNode][]) : []),
    [t('field.sector'), t(`sector.${organization.sector}`)],
    [t('field.status'), <StatusBadge key="status" status={organization.status} t={t} />],
    [t('field.registeredOn'), formatDate(organization.registeredOn)],
  ];
  if (organization.dissolvedOn) rows.push([t('field.dissolvedOn'), formatDate(organization.dissolvedOn)]);
  if (organization.kind !== 'union') rows.push([t('field.memberCount'), formatNumber(organization.memberCount, locale)]);
  if (organization.kind !== 'cooperative_group') {
    rows.push([
      t('field.rating'),
      organization.rating
        ? t('org.ratingValue', { rating: t(`rating.${organization.rating.rating}`), year: organization.rating.year, date: formatDate(organization.rating.ratedOn) })
        : t('org.notRated'),
    ]);
  }
  rows.push(
    [t('field.managers'), organization.managers ? t('field.managers.value', { ...organization.managers }) : t('unknown')],
    [t('field.directorTrained'), yesNo(t, organization.directorTrained)],
    [t('field.valueChain'), yesNo(t, organization.valueChain)],
    [t('field.highTech'), yesNo(t, organization.highTech)],
    [t('field.enterpriseLinked'), yesNo(t, organization.enterpriseLinked)],
    [t('field.digitalAdoption'), yesNo(t, organization.digitalAdoption)],
  );
  // The identifier and the stream's version are for support and the API, not for officials: asked for, in a disclosure.
  return (
    <div data-testid="organization-state">
      <dl className="org-dl org-state">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <details className="org-details" data-testid="organization-details">
        <summary>{t('org.details')}</summary>
        <dl className="org-dl">
          <div>
            <dt>{t('field.id')}</dt>
            <dd>
              <code>{organization.id}</code>
            </dd>
          </div>
          <div>
            <dt>{t('field.version')}</dt>
            <dd>{organization.version}</dd>
          </div>
        </dl>
      </details>
    </div>
  );
}
