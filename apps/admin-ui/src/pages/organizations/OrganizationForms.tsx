import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, type CommandResult } from '../../api/client';
import { RATINGS, type HistoryEvent, type OrganizationState, type Province } from '../../api/types';
import { DateInput } from '../../components/DateInput';
import { FormNumber, FormProblem, FormSelect, FormText, type FormErrors } from '../../components/FormFields';
import { formatDate, todayInVietnam } from '../../i18n/format';
import type { Translate } from '../../i18n/i18n';
import { useApi } from '../../session/session';
import { CooperativePicker } from './CooperativePicker';
import { dateProblem, integerProblem, lifetime, parseInteger, textProblem, useOrgT, yesNo, type OrganizationSummary } from './shared';
import { eventLabel, isRetractable } from './Timeline';
import { useSubmission, type CodeFields } from './use-submission';

export type FormName = 'rate' | 'members' | 'profile' | 'suspend' | 'dormant' | 'resume' | 'dissolve' | 'join' | 'leave' | 'correct';

export interface CommandProps {
  /** The organization now (as of today, everything recorded): the state the commands are judged against. */
  organization: OrganizationState;
  /** Its stream's version, sent as If-Match. */
  version: number;
  events: HistoryEvent[] | undefined;
  provinces: Province[] | undefined;
  names: Record<string, OrganizationSummary | null>;
  /** Done: `what` says what was recorded. */
  onDone(what: string): void;
  /** 412: someone else wrote first; the page reloads. */
  onStale(): void;
  onCancel(): void;
  /** For a correction: the event picked in the timeline. */
  eventId?: string;
}

/** Commands on the page's organization: If-Match with the loaded version; a 412 reloads the page. */
function useCommand(props: CommandProps) {
  const api = useApi();
  const submission = useSubmission();
  const send = (
    event: FormEvent,
    path: string,
    body: Record<string, unknown>,
    validate: () => FormErrors,
    what: string,
    codeFields: CodeFields = {},
  ) => {
    event.preventDefault();
    void submission
      .run(validate, () => api.command(`/api/organizations/${props.organization.id}${path}`, body, { 'If-Match': `"${props.version}"` }) as Promise<CommandResult>, {
        codeFields,
        onError: (error) => {
          if (error instanceof ApiError && error.status === 412) props.onStale();
        },
      })
      .then((result) => {
        if (result) props.onDone(what);
      });
  };
  return { ...submission, send };
}

function Shell(props: {
  title: string;
  submission: ReturnType<typeof useCommand>;
  fields: string[];
  onSubmit(event: FormEvent): void;
  onCancel(): void;
  children: ReactNode;
  hint?: ReactNode;
}) {
  const t = useOrgT();
  const { submission } = props;
  const stale = submission.problem instanceof ApiError && submission.problem.status === 412;
  return (
    <form ref={submission.formRef} className="card org-form org-command" onSubmit={props.onSubmit} noValidate>
      <h3>{props.title}</h3>
      {props.hint ? <p className="hint">{props.hint}</p> : null}
      {props.children}
      {stale ? (
        <p className="problem" role="alert">
          {t('org.stale')}
        </p>
      ) : null}
      <FormProblem error={submission.problem} shown={props.fields} />
      <div className="org-actions-row">
        <button type="submit" className="primary" disabled={submission.busy}>
          {t('form.submit')}
        </button>
        <button type="button" className="secondary" onClick={props.onCancel}>
          {t('action.cancel')}
        </button>
        {submission.busy ? (
          <span className="org-muted" role="status">
            {t('form.sending')}
          </span>
        ) : null}
      </div>
    </form>
  );
}

/** The effective date every command has, checked in the browser: required, not in the future, not before the registration. */
function EffectiveOn(props: { t: Translate; value: string; onChange(iso: string): void; error?: string; label?: string; name?: string }) {
  return <DateInput name={props.name ?? 'effectiveOn'} label={props.label ?? props.t('field.effectiveOn')} required value={props.value} onChange={props.onChange} error={props.error} />;
}

const DATE_CONFLICTS: CodeFields = {
  BEFORE_REGISTRATION: 'effectiveOn',
  ORGANIZATION_DISSOLVED: 'effectiveOn',
  LIFECYCLE_OUT_OF_ORDER: 'effectiveOn',
  MEMBERSHIP_OUT_OF_ORDER: 'effectiveOn',
};

export function RateForm(props: CommandProps) {
  const t = useOrgT();
  const form = useCommand(props);
  const [rating, setRating] = useState('');
  const [year, setYear] = useState('');
  const [ratedOn, setRatedOn] = useState('');
  const registrationYear = Number(props.organization.registeredOn.slice(0, 4));
  const validate = (): FormErrors => {
    const ratedYear = ratedOn ? Number(ratedOn.slice(0, 4)) : Number(todayInVietnam().slice(0, 4));
    const yearValue = parseInteger(year);
    return {
      rating: rating ? '' : t('form.required'),
      year:
        integerProblem(t, year, 1900) ??
        (yearValue !== undefined && (yearValue < registrationYear || yearValue > ratedYear) ? t('form.yearRange', { from: registrationYear, to: ratedYear }) : ''),
      ratedOn: dateProblem(t, ratedOn, lifetime(props.organization)) ?? '',
    };
  };
  return (
    <Shell
      title={t('form.rate')}
      submission={form}
      fields={['rating', 'year', 'ratedOn']}
      onCancel={props.onCancel}
      onSubmit={(event) =>
        form.send(event, '/ratings', { rating, year: parseInteger(year), ratedOn }, validate, t('form.rate'), {
          NOT_RATED_KIND: 'rating',
          BEFORE_REGISTRATION: 'ratedOn',
          ORGANIZATION_DISSOLVED: 'ratedOn',
        })
      }
    >
      <div className="org-form-grid">
        <FormSelect
          name="rating"
          label={t('field.ratingValue')}
          required
          value={rating}
          placeholder={t('choose')}
          onChange={(value) => {
            setRating(value);
            form.clear('rating');
          }}
          options={RATINGS.map((r) => ({ value: r, label: t(`rating.${r}`) }))}
          error={form.errors.rating}
        />
        <FormNumber
          name="year"
          label={t('field.year')}
          required
          min={registrationYear}
          value={year}
          onChange={(value) => {
            setYear(value);
            form.clear('year');
          }}
          error={form.errors.year}
        />
        <DateInput
          name="ratedOn"
          label={t('field.ratedOn')}
          required
          value={ratedOn}
          onChange={(iso) => {
            setRatedOn(iso);
            form.clear('ratedOn');
            if (!year && iso) setYear(String(Number(iso.slice(0, 4))));
          }}
          error={form.errors.ratedOn}
        />
      </div>
    </Shell>
  );
}

export function MembersForm(props: CommandProps) {
  const t = useOrgT();
  const form = useCommand(props);
  const [memberCount, setMemberCount] = useState('');
  const [effectiveOn, setEffectiveOn] = useState('');
  const validate = (): FormErrors => ({
    memberCount: integerProblem(t, memberCount, 1) ?? '',
    effectiveOn: dateProblem(t, effectiveOn, lifetime(props.organization)) ?? '',
  });
  return (
    <Shell
      title={t('form.members')}
      submission={form}
      fields={['memberCount', 'effectiveOn']}
      onCancel={props.onCancel}
      hint={t('current', { value: props.organization.memberCount ?? '—' })}
      onSubmit={(event) =>
        form.send(event, '/membership', { memberCount: parseInteger(memberCount), effectiveOn }, validate, t('form.members'), {
          ...DATE_CONFLICTS,
          NOT_APPLICABLE_TO_KIND: 'memberCount',
        })
      }
    >
      <div className="org-form-grid">
        <FormNumber
          name="memberCount"
          label={t('field.memberCount')}
          required
          min={1}
          value={memberCount}
          onChange={(value) => {
            setMemberCount(value);
            form.clear('memberCount');
          }}
          error={form.errors.memberCount}
        />
        <EffectiveOn
          t={t}
          value={effectiveOn}
          onChange={(iso) => {
            setEffectiveOn(iso);
            form.clear('effectiveOn');
          }}
          error={form.errors.effectiveOn}
        />
      </div>
    </Shell>
  );
}

const FLAGS = ['directorTrained', 'valueChain', 'highTech', 'enterpriseLinked', 'digitalAdoption'] as const;

export function ProfileForm(props: CommandProps) {
  const t = useOrgT();
  const form = useCommand(props);
  const [effectiveOn, setEffectiveOn] = useState('');
  const [total, setTotal] = useState('');
  const [withDegree, setWithDegree] = useState('');
  const [flags, setFlags] = useState<Record<string, '' | 'true' | 'false'>>({});
  const { organization } = props;
  const chosenFlags = Object.fromEntries(Object.entries(flags).filter(([, value]) => value !== '').map(([key, value]) => [key, value === 'true']));
  const managersGiven = total.trim() !== '' || withDegree.trim() !== '';
  const validate = (): FormErrors => {
    const found: FormErrors = { effectiveOn: dateProblem(t, effectiveOn, lifetime(organization)) ?? '' };
    if (managersGiven) {
      found['managers.total'] = integerProblem(t, total, 0) ?? '';
      found['managers.withDegree'] =
        integerProblem(t, withDegree, 0) ?? (total.trim() !== '' && Number(withDegree) > Number(total) ? t('form.withDegree') : '');
    } else if (Object.keys(chosenFlags).length === 0) {
      found.managers = t('form.atLeastOne');
    }
    return found;
  };
  const body = {
    effectiveOn,
    ...(managersGiven ? { managers: { total: parseInteger(total), withDegree: parseInteger(withDegree) } } : {}),
    ...chosenFlags,
  };
  return (
    <Shell
      title={t('form.profile')}
      hint={t('form.profile.hint')}
      submission={form}
      fields={['effectiveOn', 'managers', 'managers.total', 'managers.withDegree', ...FLAGS]}
      onCancel={props.onCancel}
      onSubmit={(event) => form.send(event, '/profile', body, validate, t('form.profile'), DATE_CONFLICTS)}
    >
      <div className="org-form-grid">
        <EffectiveOn
          t={t}
          value={effectiveOn}
          onChange={(iso) => {
            setEffectiveOn(iso);
            form.clear('effectiveOn');
          }}
          error={form.errors.effectiveOn}
        />
        <FormNumber
          name="managers.total"
          label={t('field.managers.total')}
          min={0}
          hint={t('current', { value: organization.managers ? t('field.managers.value', { ...organization.managers }) : t('unknown') })}
          value={total}
          onChange={(value) => {
            setTotal(value);
            form.clear('managers', 'managers.total', 'managers.withDegree');
          }}
          error={form.errors['managers.total'] ?? form.errors.managers}
        />
        <FormNumber
          name="managers.withDegree"
          label={t('field.managers.withDegree')}
          min={0}
          value={withDegree}
          onChange={(value) => {
            setWithDegree(value);
            form.clear('managers', 'managers.withDegree');
          }}
          error={form.errors['managers.withDegree']}
        />
        {FLAGS.map((flag) => (
          <FormSelect
            key={flag}
            name={flag}
            label={t(`field.${flag}`)}
            hint={t('current', { value: yesNo(t, organization[flag]) })}
            value={flags[flag] ?? ''}
            onChange={(value) => {
              setFlags((previous) => ({ ...previous, [flag]: value as '' | 'true' | 'false' }));
              form.clear('managers', flag);
            }}
            options={[
              { value: '', label: t('unchanged') },
              { value: 'true', label: t('yes') },
              { value: 'false', label: t('no') },
            ]}
            error={form.errors[flag]}
          />
        ))}
      </div>
    </Shell>
  );
}

export function SuspendForm(props: CommandProps) {
  const t = useOrgT();
  const form = useCommand(props);
  const [effectiveOn, setEffectiveOn] = useState('');
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const [noticeRef, setNoticeRef] = useState('');
  const validate = (): FormErrors => ({
    effectiveOn: dateProblem(t, effectiveOn, lifetime(props.organization)) ?? '',
    reason: textProblem(t, reason, 1000) ?? '',
    // The notice's end date is recorded only; it may lie in the future.
    until: until && effectiveOn && until < effectiveOn ? t('form.until.beforeStart') : '',
    noticeRef: textProblem(t, noticeRef, 200, false) ?? '',
  });
  const body = { effectiveOn, reason: reason.trim(), ...(until ? { until } : {}), ...(noticeRef.trim() ? { noticeRef: noticeRef.trim() } : {}) };
  return (
    <Shell
      title={t('form.suspend')}
      submission={form}
      fields={['effectiveOn', 'reason', 'until', 'noticeRef']}
      onCancel={props.onCancel}
      onSubmit={(event) => form.send(event, '/suspension', body, validate, t('form.suspend'), { ...DATE_CONFLICTS, INVALID_TRANSITION: 'effectiveOn' })}
    >
      <div className="org-form-grid">
        <EffectiveOn
          t={t}
          value={effectiveOn}
          onChange={(iso) => {
            setEffectiveOn(iso);
            form.clear('effectiveOn');
          }}
          error={form.errors.effectiveOn}
        />
        <DateInput
          name="until"
          label={t('field.until')}
          value={until}
          onChange={(iso) => {
            setUntil(iso);
            form.clear('until');
          }}
          error={form.errors.until}
        />
        <FormText
          name="noticeRef"
          label={t('field.noticeRef')}
          maxLength={200}
          value={noticeRef}
          onChange={(value) => {
            setNoticeRef(value);
            form.clear('noticeRef');
          }}
          error={form.errors.noticeRef}
        />
      </div>
      <FormText
        name="reason"
        label={t('field.reason')}
        required
        multiline
        maxLength={1000}
        value={reason}
        onChange={(value) => {
          setReason(value);
          form.clear('reason');
        }}
        error={form.errors.reason}
      />
    </Shell>
  );
}

export function DormantForm(props: CommandProps) {
  const t = useOrgT();
  const form = useCommand(props);
  const [effectiveOn, setEffectiveOn] = useState('');
  const [finding, setFinding] = useState('');
  const validate = (): FormErrors => ({
    effectiveOn: dateProblem(t, effectiveOn, lifetime(props.organization)) ?? '',
    finding: textProblem(t, finding, 1000) ?? '',
  });
  return (
    <Shell
      title={t('form.dormant')}
      submission={form}
      fields={['effectiveOn', 'finding']}
      onCancel={props.onCancel}
      onSubmit={(event) => form.send(event, '/dormancy', { effectiveOn, finding: finding.trim() }, validate, t('form.dormant'), DATE_CONFLICTS)}
    >
      <EffectiveOn
        t={t}
        value={effectiveOn}
        onChange={(iso) => {
          setEffectiveOn(iso);
          form.clear('effectiveOn');
        }}
        error={form.errors.effectiveOn}
      />
      <FormText
        name="finding"
        label={t('field.finding')}
        required
        multiline
        maxLength={1000}
        value={finding}
        onChange={(value) => {
          setFinding(value);
          form.clear('finding');
        }}
        error={form.errors.finding}
      />
    </Shell>
  );
}

export function ResumeForm(props: CommandProps) {
  const t = useOrgT();
  const form = useCommand(props);
  const [effectiveOn, setEffectiveOn] = useState('');
  const validate = (): FormErrors => ({ effectiveOn: dateProblem(t, effectiveOn, lifetime(props.organization)) ?? '' });
  return (
    <Shell
      title={t('form.resume')}
      submission={form}
      fields={['effectiveOn']}
      onCancel={props.onCancel}
      onSubmit={(event) => form.send(event, '/resumption', { effectiveOn }, validate, t('form.resume'), DATE_CONFLICTS)}
    >
      <EffectiveOn
        t={t}
        value={effectiveOn}
        onChange={(iso) => {
          setEffectiveOn(iso);
          form.clear('effectiveOn');
        }}
        error={form.errors.effectiveOn}
      />
    </Shell>
  );
}

export function DissolveForm(props: CommandProps) {
  const t = useOrgT();
  const form = useCommand(props);
  const [effectiveOn, setEffectiveOn] = useState('');
  const [mode, setMode] = useState('');
  const [decisionRef, setDecisionRef] = useState('');
  const validate = (): FormErrors => ({
    effectiveOn: dateProblem(t, effectiveOn, lifetime(props.organization)) ?? '',
    mode: mode ? '' : t('form.required'),
    decisionRef: textProblem(t, decisionRef, 200) ?? '',
  });
  return (
    <Shell
      title={t('form.dissolve')}
      submission={form}
      fields={['effectiveOn', 'mode', 'decisionRef']}
      onCancel={props.onCancel}
      onSubmit={(event) => form.send(event, '/dissolution', { effectiveOn, mode, decisionRef: decisionRef.trim() }, validate, t('form.dissolve'), DATE_CONFLICTS)}
    >
      <div className="org-form-grid">
        <EffectiveOn
          t={t}
          value={effectiveOn}
          onChange={(iso) => {
            setEffectiveOn(iso);
            form.clear('effectiveOn');
          }}
          error={form.errors.effectiveOn}
        />
        <FormSelect
          name="mode"
          label={t('field.mode')}
          required
          value={mode}
          placeholder={t('choose')}
          onChange={(value) => {
            setMode(value);
            form.clear('mode');
          }}
          options={[
            { value: 'voluntary', label: t('mode.voluntary') },
            { value: 'compulsory', label: t('mode.compulsory') },
          ]}
          error={form.errors.mode}
        />
        <FormText
          name="decisionRef"
          label={t('field.decisionRef')}
          required
          maxLength={200}
          value={decisionRef}
          onChange={(value) => {
            setDecisionRef(value);
            form.clear('decisionRef');
          }}
          error={form.errors.decisionRef}
        />
      </div>
    </Shell>
  );
}

const MEMBERSHIP_CONFLICTS: CodeFields = {
  ...DATE_CONFLICTS,
  ALREADY_A_MEMBER: 'cooperativeId',
  NOT_A_MEMBER: 'cooperativeId',
  NOT_A_COOPERATIVE: 'cooperativeId',
};

/** A cooperative joins the union (recorded in the union's stream). */
export function JoinForm(props: CommandProps) {
  const t = useOrgT();
  const form = useCommand(props);
  const [chosen, setChosen] = useState<string[]>([]);
  const [effectiveOn, setEffectiveOn] = useState('');
  const validate = (): FormErrors => ({
    cooperativeId: chosen.length ? '' : t('form.required'),
    effectiveOn: dateProblem(t, effectiveOn, lifetime(props.organization)) ?? '',
  });
  return (
    <Shell
      title={t('form.join')}
      submission={form}
      fields={['cooperativeId', 'effectiveOn']}
      onCancel={props.onCancel}
      onSubmit={(event) => form.send(event, '/members', { cooperativeId: chosen[0], effectiveOn }, validate, t('form.join'), MEMBERSHIP_CONFLICTS)}
    >
      <EffectiveOn
        t={t}
        value={effectiveOn}
        onChange={(iso) => {
          setEffectiveOn(iso);
          form.clear('effectiveOn');
        }}
        error={form.errors.effectiveOn}
      />
      <CooperativePicker
        legend={t('field.cooperativeId')}
        provinceCode={props.organization.provinceCode}
        provinces={props.provinces}
        asOf={effectiveOn || todayInVietnam()}
        selected={chosen}
        max={1}
        exclude={props.organization.memberCooperativeIds}
        onChange={(ids) => {
          setChosen(ids);
          form.clear('cooperativeId');
        }}
        error={form.errors.cooperativeId}
      />
    </Shell>
  );
}

/** A member cooperative leaves the union: POST /api/organizations/{unionId}/members/{cooperativeId}/leave. */
export function LeaveForm(props: CommandProps) {
  const t = useOrgT();
  const form = useCommand(props);
  const [cooperativeId, setCooperativeId] = useState('');
  const [effectiveOn, setEffectiveOn] = useState('');
  const members = props.organization.memberCooperativeIds;
  const validate = (): FormErrors => ({
    cooperativeId: cooperativeId ? '' : t('form.required'),
    effectiveOn: dateProblem(t, effectiveOn, lifetime(props.organization)) ?? '',
  });
  return (
    <Shell
      title={t('form.leave')}
      submission={form}
      fields={['cooperativeId', 'effectiveOn']}
      onCancel={props.onCancel}
      hint={members.length ? undefined : t('form.leave.none')}
      onSubmit={(event) => form.send(event, `/members/${cooperativeId}/leave`, { effectiveOn }, validate, t('form.leave'), MEMBERSHIP_CONFLICTS)}
    >
      <div className="org-form-grid">
        <FormSelect
          name="cooperativeId"
          label={t('field.cooperativeId')}
          required
          value={cooperativeId}
          placeholder={t('choose')}
          onChange={(value) => {
            setCooperativeId(value);
            form.clear('cooperativeId');
          }}
          options={members.map((id) => {
            const summary = props.names[id];
            return { value: id, label: summary ? `${summary.name} (${summary.registrationNumber})` : id };
          })}
          error={form.errors.cooperativeId}
        />
        <EffectiveOn
          t={t}
          value={effectiveOn}
          onChange={(iso) => {
            setEffectiveOn(iso);
            form.clear('effectiveOn');
          }}
          error={form.errors.effectiveOn}
        />
      </div>
    </Shell>
  );
}

/** Auditors and admins: retract one event of the timeline (with an optional replacement), with a reason. */
export function CorrectionForm(props: CommandProps) {
  const t = useOrgT();
  const form = useCommand(props);
  const [eventId, setEventId] = useState(props.eventId ?? '');
  const [reason, setReason] = useState('');
  const [replacement, setReplacement] = useState('');
  const candidates = (props.events ?? []).filter(isRetractable);
  const parsedReplacement = (() => {
    if (replacement.trim() === '') return undefined;
    try {
      const value: unknown = JSON.parse(replacement);
      return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  })();
  const validate = (): FormErrors => ({
    eventId: eventId ? '' : t('form.required'),
    reason: textProblem(t, reason, 2000) ?? '',
    replacement: parsedReplacement === null ? t('form.replacement.invalid') : '',
  });
  const replacementError = form.errors.replacement ?? Object.entries(form.errors).find(([path]) => path.startsWith('replacement.'))?.[1];
  return (
    <Shell
      title={t('form.correct')}
      hint={t('form.correct.hint')}
      submission={form}
      fields={['eventId', 'reason', 'replacement']}
      onCancel={props.onCancel}
      onSubmit={(event) =>
        form.send(
          event,
          '/corrections',
          { eventId, reason: reason.trim(), ...(parsedReplacement ? { replacement: parsedReplacement } : {}) },
          validate,
          t('form.correct'),
          { NOT_RETRACTABLE: 'eventId', ALREADY_RETRACTED: 'eventId', EVENT_NOT_FOUND: 'eventId' },
        )
      }
    >
      {candidates.length === 0 ? <p className="hint">{t('form.noRetractable')}</p> : null}
      <FormSelect
        name="eventId"
        label={t('field.eventId')}
        required
        value={eventId}
        placeholder={t('choose')}
        onChange={(value) => {
          setEventId(value);
          form.clear('eventId');
        }}
        options={candidates.map((event) => ({
          value: event.eventId,
          label: `#${event.revision} · ${eventLabel(t, event.type)} · ${formatDate(event.effectiveOn)}`,
        }))}
        error={form.errors.eventId}
      />
      <FormText
        name="reason"
        label={t('field.reason')}
        required
        multiline
        maxLength={2000}
        value={reason}
        onChange={(value) => {
          setReason(value);
          form.clear('reason');
        }}
        error={form.errors.reason}
      />
      <FormText
        name="replacement"
        label={t('field.replacement')}
        multiline
        hint={t('form.replacement.hint')}
        value={replacement}
        onChange={(value) => {
          setReplacement(value);
          form.clear('replacement');
        }}
        error={replacementError}
      />
    </Shell>
  );
}

export const FORMS: Record<FormName, (props: CommandProps) => ReactNode> = {
  rate: RateForm,
  members: MembersForm,
  profile: ProfileForm,
  suspend: SuspendForm,
  dormant: DormantForm,
  resume: ResumeForm,
  dissolve: DissolveForm,
  join: JoinForm,
  leave: LeaveForm,
  correct: CorrectionForm,
};
