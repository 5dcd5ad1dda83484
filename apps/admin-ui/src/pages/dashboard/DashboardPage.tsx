import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { apiPath } from '../../api/paths';
import type { PlanState, ProvinceProgress, TargetProgress } from '../../api/types';
import { useProvinces, useQuery } from '../../api/use-query';
import { DashboardMomentInput } from '../../components/DashboardMomentInput';
import { DateInput } from '../../components/DateInput';
import { ProblemMessage } from '../../components/ProblemMessage';
import { formatDate, formatTimestamp, todayInVietnam } from '../../i18n/format';
import { useT } from '../../i18n/i18n';
import { useApi, useSession } from '../../session/session';
import { MetricGroups } from './MetricGroups';
import { messages } from './messages';
import { ProgressChart } from './ProgressChart';
import { statusOf } from './progress-math';
import { TargetCard } from './TargetCard';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Province dashboard (route `/`): where a province stands against its plan
 * targets as of a date, optionally as the system knew it at a moment
 * (domain.md, "Two clocks"). The choice lives in the URL
 * (`#/?province=91&asOf=2025-12-31&knownAt=…`), so a view can be shared and
 * reloaded.
 */
export function DashboardPage() {
  const t = useT(messages);
  const api = useApi();
  const { me, can } = useSession();
  const [params, setParams] = useSearchParams();
  const provinces = useProvinces();
  const today = todayInVietnam();
  const provinceId = useId();

  // The default province: one the user writes for that has a plan, else the first province with a plan in force today.
  const plansToday = useQuery(() => api.get<PlanState[]>('/api/plans'), [api]);
  const defaultProvince = useMemo(() => {
    if (!plansToday.data && !plansToday.error) return null;
    const withPlan = (plansToday.data ?? []).map((plan) => plan.provinceCode);
    return me?.provinces.find((code) => withPlan.includes(code)) ?? withPlan[0] ?? me?.provinces[0] ?? provinces.data?.[0]?.provinceCode ?? null;
  }, [plansToday.data, plansToday.error, me, provinces.data]);

  const provinceParam = params.get('province');
  const provinceCode = provinceParam && /^\d{2}$/.test(provinceParam) ? provinceParam : defaultProvince;
  const asOfParam = params.get('asOf');
  const asOf = asOfParam && DATE.test(asOfParam) ? asOfParam : today;
  const knownAt = params.get('knownAt') ?? '';
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
        ? api.get<ProvinceProgress>(apiPath`/api/provinces/${provinceCode}/progress`, { asOf, knownAt: knownAt || undefined })
        : Promise.resolve(undefined),
    [api, provinceCode, asOf, knownAt],
  );
  const plansAsOf = useQuery(() => api.get<PlanState[]>('/api/plans', { asOf, knownAt: knownAt || undefined }), [api, asOf, knownAt]);

  if (!can('progress:read')) {
    return (
      <>
        <h1>{t('heading')}</h1>
        <p>{t('state.empty')}</p>
      </>
    );
  }

  const provinceName = (code: string | null) => provinces.data?.find((province) => province.provinceCode === code)?.name ?? code ?? '';
  const planProvinces = new Set((plansToday.data ?? []).map((plan) => plan.provinceCode));
  const data = progress.data;
  const provincePlans = (plansAsOf.data ?? []).filter((plan) => plan.provinceCode === data?.provinceCode);

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
                <optgroup label={t('province.withPlan')}>
                  {provinces.data
                    .filter((province) => planProvinces.has(province.provinceCode))
                    .map((province) => (
                      <option key={province.provinceCode} value={province.provinceCode}>
                        {province.name} ({province.provinceCode})
                      </option>
                    ))}
                </optgroup>
                <optgroup label={t('province.others')}>
                  {provinces.data
                    .filter((province) => !planProvinces.has(province.provinceCode))
                    .map((province) => (
                      <option key={province.provinceCode} value={province.provinceCode}>
                        {province.name} ({province.provinceCode})
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
        </div>
        <DashboardMomentInput label={t('field.knownAt')} value={knownAt} endOfDay hint={t('knownAt.hint')} onChange={(iso) => update({ knownAt: iso || null })} />
      </form>
      <ProblemMessage error={provinces.error} />
      <ProblemMessage error={progress.error} />

      {data ? (
        <p className="dashboard-summary" aria-live="polite">
          <strong>{t('summary.asOf', { province: provinceName(data.provinceCode), asOf: formatDate(data.asOf) })}</strong>,{' '}
          {data.knownAt ? t('summary.knownAt', { knownAt: formatTimestamp(data.knownAt) }) : t('summary.knownNow')}.
          {progress.loading ? <span className="dashboard-updating"> {t('summary.updating')}</span> : null}
        </p>
      ) : progress.loading ? (
        <p aria-live="polite">{t('state.loading')}</p>
      ) : null}

      {data ? (
        <div className={progress.loading ? 'dashboard-body dashboard-stale' : 'dashboard-body'} aria-busy={progress.loading}>
          <section aria-labelledby="dashboard-metrics-heading">
            <h2 id="dashboard-metrics-heading">{t('metrics.heading')}</h2>
            <MetricGroups progress={data} />
          </section>
          <Targets targets={data.targets} plans={provincePlans} asOf={data.asOf} />
          <ProgressChart provinceCode={data.provinceCode} asOf={data.asOf} knownAt={knownAt} targets={data.targets} plans={provincePlans} />
        </div>
      ) : null}
    </div>
  );
}

/** The targets in force, plan by plan, with a one-line tally of their statuses. */
function Targets({ targets, plans, asOf }: { targets: TargetProgress[]; plans: PlanState[]; asOf: string }) {
  const t = useT(messages);
  const byPlan = new Map<string, TargetProgress[]>();
  for (const target of targets) byPlan.set(target.planId, [...(byPlan.get(target.planId) ?? []), target]);
  const tally = { met: 0, onTrack: 0, behind: 0, other: 0 };
  for (const target of targets) {
    const status = statusOf(target);
    if (status === 'met' || status === 'onTrack' || status === 'behind') tally[status] += 1;
    else tally.other += 1;
  }
  // The quote of each target as the plan in force states it (planId + metric + deadline), else the progress answer's.
  const quoteOf = (target: TargetProgress) =>
    plans
      .find((plan) => plan.id === target.planId)
      ?.targets.find((candidate) => candidate.metric === target.metric && candidate.deadline === target.deadline)?.quote ??
    target.quote ??
    null;
  return (
    <section aria-labelledby="dashboard-targets-heading">
      <h2 id="dashboard-targets-heading">{t('targets.heading')}</h2>
      {targets.length === 0 ? (
        <p>{t('targets.none', { asOf: formatDate(asOf) })}</p>
      ) : (
        <p className="dashboard-tally">{t('targets.summary', { total: targets.length, ...tally })}</p>
      )}
      {[...byPlan.entries()].map(([planId, planTargets]) => {
        const plan = plans.find((candidate) => candidate.id === planId);
        const sorted = [...planTargets].sort((a, b) => a.deadline.localeCompare(b.deadline));
        return (
          <section key={planId} className="dashboard-plan" aria-labelledby={`dashboard-plan-${planId}`}>
            <h3 id={`dashboard-plan-${planId}`}>{plan?.title ?? planId}</h3>
            <p className="hint">
              {t('plan.meta', {
                id: planId,
                document: plan?.document ?? t('plan.noDocument'),
                adoptedOn: formatDate(plan?.adoptedOn),
              })}
              {plan?.amendments ? ` · ${t('plan.amendments', { n: plan.amendments })}` : ''}
            </p>
            <div className="dashboard-targets">
              {sorted.map((target) => (
                <TargetCard key={`${target.metric}-${target.deadline}`} target={target} adoptedOn={plan?.adoptedOn ?? null} quote={quoteOf(target)} />
              ))}
            </div>
          </section>
        );
      })}
    </section>
  );
}
