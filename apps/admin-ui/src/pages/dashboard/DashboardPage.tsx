import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { apiPath } from '../../api/paths';
import { useAdministrativeMap, useProvincesOn, type MapHistory } from '../../api/administrative-map';
import type { PlanState, Province, TargetProgress } from '../../api/types';
import { useQuery } from '../../api/use-query';
import { DashboardMomentInput } from '../../components/DashboardMomentInput';
import { DateInput } from '../../components/DateInput';
import { ProblemMessage } from '../../components/ProblemMessage';
import { isProvinceNotInForce, ProvinceNotInForce } from '../../components/ProvinceNotInForce';
import { formatDate, formatTimestamp, todayInVietnam } from '../../i18n/format';
import { useT } from '../../i18n/i18n';
import { useApi, useSession } from '../../session/session';
import { FlowsCard } from './FlowsCard';
import { MetricGroups } from './MetricGroups';
import { messages } from './messages';
import { ProgressChart } from './ProgressChart';
import { TARGET_STATUSES } from './progress-math';
import { STATUS_ICON, TargetCard } from './TargetCard';
import { useNothingRecorded, type ProgressAnswer } from './known-at';
import { planTerritoryText, provinceOption, territoryText } from './territory';
import { ExportButtons } from '../../components/ExportButtons';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Province dashboard (route `/`): where a province stands against its plan
 * targets as of a date, optionally as the system knew it at a moment
 * (domain.md, "Two clocks"). The choice lives in the URL
 * (`#/?province=91&asOf=2025-12-31&knownAt=…&boundariesOn=…`), so a view can be
 * shared and reloaded. The province is one of those in force on the date asked
 * (the 63 before 1 July 2025, the 34 after), or, with `boundariesOn`, a territory
 * fixed on the boundaries of another date (a former province after the merger).
 */
export function DashboardPage() {
  const t = useT(messages);
  const api = useApi();
  const { me, can } = useSession();
  const [params, setParams] = useSearchParams();
  const today = todayInVietnam();
  const provinceId = useId();
  const history = useAdministrativeMap();

  // The default province: one the user writes for that has a plan, else the first province with a plan in force today.
  const plansToday = useQuery(() => api.get<PlanState[]>('/api/plans'), [api]);
  const defaultProvince = useMemo(() => {
    if (!plansToday.data && !plansToday.error) return null;
    const withPlan = (plansToday.data ?? []).map((plan) => plan.provinceCode);
    return me?.provinces.find((code) => withPlan.includes(code)) ?? withPlan[0] ?? me?.provinces[0] ?? null;
  }, [plansToday.data, plansToday.error, me]);

  const provinceParam = params.get('province');
  const provinceCode = provinceParam && /^\d{2}$/.test(provinceParam) ? provinceParam : defaultProvince;
  const asOfParam = params.get('asOf');
  const asOf = asOfParam && DATE.test(asOfParam) ? asOfParam : today;
  const knownAt = params.get('knownAt') ?? '';
  const boundariesParam = params.get('boundariesOn');
  const boundariesOn = boundariesParam && DATE.test(boundariesParam) ? boundariesParam : null;
  // The picker lists the provinces of the map the territory is drawn on: the date asked, or the fixed boundaries.
  const mapDate = boundariesOn ?? asOf;
  const provinces = useProvincesOn(mapDate);
  // What is typed in the date field; an empty field means today, and stays empty while the user types.
  const [asOfDraft, setAsOfDraft] = useState(asOf);
  // The URL changed from outside (the navigation link, back): the field follows.
  useEffect(() => {
    if (asOf !== (asOfDraft || today)) setAsOfDraft(asOf);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [asOf]);

  const update = (changes: Record<string, string | null>) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        for (const [key, value] of Object.entries(changes)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        return next;
      },
      { replace: true },
    );

  const progress = useQuery(
    () =>
      provinceCode
        ? api.get<ProgressAnswer>(apiPath`/api/provinces/${provinceCode}/progress`, { asOf, knownAt: knownAt || undefined, boundariesOn: boundariesOn ?? undefined })
        : Promise.resolve(undefined),
    [api, provinceCode, asOf, knownAt, boundariesOn],
  );
  const plansAsOf = useQuery(() => api.get<PlanState[]>('/api/plans', { asOf, knownAt: knownAt || undefined }), [api, asOf, knownAt]);
  const nothingRecorded = useNothingRecorded(progress.data, knownAt);
  const [metricsFolded, setMetricsFolded] = useFolded();

  if (!can('progress:read')) {
    return (
      <>
        <h1>{t('heading')}</h1>
        <p>{t('state.empty')}</p>
      </>
    );
  }

  const withPlan = (province: Province) => hasPlan(history, plansToday.data ?? [], province.code, mapDate);
  const data = progress.data;
  // The territory counted, as the answer names it: the code on the boundaries of asOf, or of boundariesOn.
  const territoryName = data ? territoryText(t, history, data.territory) : '';
  const targetPlanIds = new Set((data?.targets ?? []).map((target) => target.planId));
  const provincePlans = (plansAsOf.data ?? []).filter((plan) => targetPlanIds.has(plan.id) || plan.provinceCode === data?.provinceCode);
  const selectedListed = provinceCode !== null && (provinces.data ?? []).some((province) => province.code === provinceCode);

  return (
    <div className="dashboard">
      <h1>{t('heading')}</h1>
      <form className="card dashboard-controls" aria-label={t('controls.label')} onSubmit={(event: FormEvent) => event.preventDefault()}>
        <div className="field dashboard-province">
          <label htmlFor={provinceId}>{t('field.province')}</label>
          <select id={provinceId} value={provinceCode ?? ''} onChange={(event) => update({ province: event.target.value })}>
            {!provinceCode ? <option value="">{t('state.loading')}</option> : null}
            {provinces.data ? (
              <>
                {/* A code not in force on the date (89 after the merger) stays selectable: the page says where its territory went. */}
                {provinceCode && !selectedListed ? <option value={provinceCode}>{provinceCode}</option> : null}
                <optgroup label={t('province.withPlan')}>
                  {provinces.data.filter(withPlan).map((province) => (
                    <option key={province.code} value={province.code}>
                      {provinceOption(t, history, province, mapDate)}
                    </option>
                  ))}
                </optgroup>
                <optgroup label={t('province.others')}>
                  {provinces.data
                    .filter((province) => !withPlan(province))
                    .map((province) => (
                      <option key={province.code} value={province.code}>
                        {provinceOption(t, history, province, mapDate)}
                      </option>
                    ))}
                </optgroup>
              </>
            ) : provinceCode ? (
              <option value={provinceCode}>{provinceCode}</option>
            ) : null}
          </select>
        </div>
        <div className="dashboard-asof">
          <DateInput
            label={t('field.asOf')}
            name="asOf"
            value={asOfDraft}
            onChange={(iso) => {
              setAsOfDraft(iso);
              update({ asOf: iso && iso !== today ? iso : null });
            }}
          />
          <p className="hint">{t('asOf.hint', { today: formatDate(today) })}</p>
          <p className="hint" data-testid="province-count">
            {provinces.data ? t('province.count', { n: provinces.data.length, date: formatDate(mapDate) }) : ''}
          </p>
        </div>
        <DashboardMomentInput label={t('field.knownAt')} value={knownAt} endOfDay hint={t('knownAt.hint')} onChange={(iso) => update({ knownAt: iso || null })} />
      </form>
      <ProblemMessage error={provinces.error} />
      {boundariesOn ? (
        <div className="card dashboard-boundaries" role="status" data-testid="fixed-boundaries">
          <p>{t('boundaries.notice', { territory: territoryName || provinceCode || '', date: formatDate(boundariesOn) })}</p>
          <button type="button" className="secondary" onClick={() => update({ boundariesOn: null })}>
            {t('boundaries.clear')}
          </button>
        </div>
      ) : null}
      {provinceCode ? (
        <ProvinceNotInForce
          error={progress.error}
          code={provinceCode}
          asOf={asOf}
          history={history}
          onSwitch={(code) => update({ province: code, boundariesOn: null })}
          onFormer={(code, date) => update({ province: code, boundariesOn: date })}
        />
      ) : null}
      {isProvinceNotInForce(progress.error) ? null : <ProblemMessage error={progress.error} />}

      {data ? (
        <p className="dashboard-summary" aria-live="polite">
          <strong data-testid="dashboard-territory">{t('summary.asOf', { province: territoryName, asOf: formatDate(data.asOf) })}</strong>,{' '}
          {data.knownAt ? t('summary.knownAt', { knownAt: formatTimestamp(data.knownAt) }) : t('summary.knownNow')}.
          {progress.loading ? <span className="dashboard-updating"> {t('summary.updating')}</span> : null}
        </p>
      ) : progress.loading ? (
        <p aria-live="polite">{t('state.loading')}</p>
      ) : null}

      {data ? <ExportButtons path={apiPath`/api/provinces/${data.provinceCode}/progress/export`} query={{ asOf: data.asOf, knownAt: knownAt || undefined, boundariesOn: boundariesOn ?? undefined }} formats={['xlsx']} report /> : null}
      {data?.future ? (
        <p className="card dashboard-future" role="status" data-testid="dashboard-future">
          {t('future.notice', { asOf: formatDate(data.asOf) })}
        </p>
      ) : null}

      {data && nothingRecorded === 'checking' ? (
        <p aria-live="polite">{t('state.loading')}</p>
      ) : data && nothingRecorded ? (
        <div className="card dashboard-nothing" role="status" data-testid="nothing-recorded">
          <p>
            <strong>{t('knownAt.nothing', { knownAt: formatTimestamp(data.knownAt) })}</strong>
          </p>
          <p>{t('knownAt.nothing.why')}</p>
          <button type="button" className="secondary" onClick={() => update({ knownAt: null })}>
            {t('knownAt.nothing.clear')}
          </button>
        </div>
      ) : data ? (
        <div className={progress.loading ? 'dashboard-body dashboard-stale' : 'dashboard-body'} aria-busy={progress.loading}>
          {/* The question first: where the targets stand; then the metrics behind them (foldable). */}
          <Targets targets={data.targets} plans={provincePlans} asOf={data.asOf} history={history} future={data.future === true} />
          <section aria-labelledby="dashboard-metrics-heading" data-testid="dashboard-metrics">
            <div className="dashboard-section-head">
              <h2 id="dashboard-metrics-heading">{t('metrics.heading')}</h2>
              <button
                type="button"
                className="secondary"
                aria-expanded={!metricsFolded}
                aria-controls="dashboard-metrics-body"
                onClick={() => setMetricsFolded(!metricsFolded)}
              >
                {metricsFolded ? t('metrics.unfold', { n: Object.keys(data.metrics).length }) : t('metrics.fold')}
              </button>
            </div>
            <div id="dashboard-metrics-body" hidden={metricsFolded}>
              <MetricGroups progress={data} history={history} />
            </div>
          </section>
          <ProgressChart
            provinceCode={data.provinceCode}
            asOf={data.asOf}
            knownAt={knownAt}
            boundariesOn={boundariesOn}
            targets={data.targets}
            plans={provincePlans}
            history={history}
          />
          <FlowsCard provinceCode={data.provinceCode} asOf={data.asOf} knownAt={knownAt} boundariesOn={boundariesOn} />
        </div>
      ) : null}
    </div>
  );
}

const FOLD_KEY = 'ktt.dashboard.metricsFolded';

/** Whether the metric tiles are folded, remembered in localStorage (a preference, not a secret). */
function useFolded(): [boolean, (folded: boolean) => void] {
  const [folded, setFolded] = useState(() => {
    try {
      return localStorage.getItem(FOLD_KEY) === '1';
    } catch {
      return false;
    }
  });
  const set = (next: boolean) => {
    setFolded(next);
    try {
      localStorage.setItem(FOLD_KEY, next ? '1' : '0');
    } catch {
      // No storage: the choice lasts until the page reloads.
    }
  };
  return [folded, set];
}

/** The targets in force: how many stand where (the server's status), then plan by plan, each as a card. */
function Targets({ targets, plans, asOf, history, future }: { targets: TargetProgress[]; plans: PlanState[]; asOf: string; history: MapHistory | null; future: boolean }) {
  const t = useT(messages);
  const byPlan = new Map<string, TargetProgress[]>();
  for (const target of targets) byPlan.set(target.planId, [...(byPlan.get(target.planId) ?? []), target]);
  const counts = Object.fromEntries(TARGET_STATUSES.map((status) => [status, targets.filter((target) => target.status === status).length]));
  // The quote of each target as the plan in force states it (planId + metric + deadline), else the progress answer's.
  const quoteOf = (target: TargetProgress) =>
    plans
      .find((plan) => plan.id === target.planId)
      ?.targets.find((candidate) => candidate.metric === target.metric && candidate.deadline === target.deadline)?.quote ??
    target.quote ??
    null;
  return (
    <section aria-labelledby="dashboard-targets-heading" data-testid="dashboard-targets">
      <h2 id="dashboard-targets-heading">{t('targets.heading')}</h2>
      {targets.length === 0 ? (
        <p>{t('targets.none', { asOf: formatDate(asOf) })}</p>
      ) : (
        <div className="dashboard-tally" data-testid="target-summary">
          <p className="dashboard-tally-total">{t('targets.count', { n: targets.length })}</p>
          <ul className="dashboard-tally-list" aria-label={t('targets.summaryLabel')}>
            {TARGET_STATUSES.map((status) => (
              <li key={status} className={`dashboard-tally-item dashboard-status-${status}${counts[status] ? '' : ' dashboard-tally-zero'}`} data-status={status}>
                <span aria-hidden="true">{STATUS_ICON[status]} </span>
                <strong className="dashboard-tally-count">{counts[status]}</strong> {t(`status.${status}`)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {[...byPlan.entries()].map(([planId, planTargets]) => {
        const plan = plans.find((candidate) => candidate.id === planId);
        const sorted = [...planTargets].sort((a, b) => a.deadline.localeCompare(b.deadline));
        // Each plan is evaluated on its own territory (api.md, planTerritory): "former Kiên Giang" after the merger.
        const planTerritory = planTargets.find((target) => target.planTerritory)?.planTerritory;
        const territory = planTerritory ? planTerritoryText(t, history, planTerritory, asOf) : null;
        return (
          <section key={planId} className="dashboard-plan" aria-labelledby={`dashboard-plan-${planId}`}>
            <h3 id={`dashboard-plan-${planId}`}>{plan?.title ?? planId}</h3>
            <p className="hint">
              {t('plan.meta', {
                document: plan?.document ?? t('plan.noDocument'),
                adoptedOn: formatDate(plan?.adoptedOn),
              })}
              {plan?.amendments ? ` · ${t('plan.amendments', { n: plan.amendments })}` : ''}
            </p>
            <details className="dashboard-plan-details">
              <summary>{t('plan.details')}</summary>
              <p className="hint">{t('plan.id', { id: planId })}</p>
            </details>
            {planTerritory && territory ? (
              <p className="dashboard-plan-territory" data-testid={`plan-territory-${planId}`}>
                {t('plan.territory', { territory: `${territory} (${planTerritory.code})`, date: formatDate(planTerritory.boundariesOn) })}
              </p>
            ) : null}
            <div className="dashboard-targets">
              {sorted.map((target) => (
                <TargetCard
                  key={`${target.metric}-${target.deadline}`}
                  target={target}
                  adoptedOn={plan?.adoptedOn ?? null}
                  quote={quoteOf(target)}
                  territory={target.planTerritory ? planTerritoryText(t, history, target.planTerritory, asOf) : null}
                  future={future}
                />
              ))}
            </div>
          </section>
        );
      })}
    </section>
  );
}

/**
 * Whether a plan covers (part of) the province `code` on `date`: its territory (the adopting province on
 * the boundaries of its adoption date) lies within the province's. Without the map, the codes are compared.
 */
function hasPlan(history: MapHistory | null, plans: PlanState[], code: string, date: string): boolean {
  const units = history?.map.unitsOf(code, date) ?? null;
  return plans.some((plan) => {
    if (!units) return plan.provinceCode === code;
    const planUnits = history!.map.unitsOf(plan.provinceCode, plan.adoptedOn);
    return planUnits !== null && planUnits.every((unit) => units.includes(unit));
  });
}
