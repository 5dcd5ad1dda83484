import type { FormEvent, ReactNode } from 'react';
import { ApiError, type CommandResult } from '../../api/client';
import { apiPath } from '../../api/paths';
import { useProvincesOn } from '../../api/administrative-map';
import { LIMITS, PROFILE_FLAG_NAMES, RATINGS, type HistoryEntry, type OrganizationAsOf } from '../../api/types';
import { DateInput } from '../../components/DateInput';
import { FormCheckbox, FormNumber, FormProblem, FormSelect, FormText, type FormErrors } from '../../components/FormFields';
import { formatDate, todayInVietnam } from '../../i18n/format';
import type { Translate } from '../../i18n/i18n';
import { useApi } from '../../session/session';
import { CooperativePicker } from './CooperativePicker';
import { formerToSend, SEAT_CONFLICTS, SeatFields, seatProblems, useSeat } from './SeatFields';
import { dateProblem, integerProblem, lifetime, parseInteger, textProblem, useOrgT, yesNo, type OrganizationSummary } from './shared';
import { eventLabel, eventNumber, isRetractable } from './Timeline';
import { useFields, useSubmission, type CodeFields } from './use-submission';

/** The domain's limits of free text, so the form refuses what the api would. */
const TEXT = LIMITS.text;

export type FormName = 'rate' | 'members' | 'profile' | 'suspend' | 'dormant' | 'resume' | 'dissolve' | 'relocate' | 'join' | 'leave' | 'correct';

export interface CommandProps {
  /** The organization now (as of today, everything recorded): the state the commands are judged against. */
  organization: OrganizationAsOf;
  /** Its stream's version, sent as If-Match. */
  version: number;
  events: HistoryEntry[] | undefined;
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
  /** `path`: below the organization's own, literal or built with apiPath (its values encoded). */
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
      .run(validate, () => api.command(apiPath`/api/organizations/${props.organization.id}` + path, body, { 'If-Match': `"${props.version}"` }) as Promise<CommandResult>, {
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
  return (
    <form ref={submission.formRef} className="card org-form org-command" onSubmit={props.onSubmit} noValidate>
      <h3>{props.title}</h3>
      {props.hint ? <p className="hint">{props.hint}</p> : null}
      {/* At the top, once; a 412 (VERSION_MISMATCH) says the page was reloaded. */}
      <FormProblem error={submission.problem} shown={props.fields} placedAt={submission.placedAt} />
      {props.children}
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
  const f = useFields({ rating: '', year: '', ratedOn: '' }, form);
  const { rating, year, ratedOn } = f.values;
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
          {...f.bind('rating')}
          label={t('field.ratingValue')}
          required
          placeholder={t('choose')}
          options={RATINGS.map((r) => ({ value: r, label: t(`rating.${r}`) }))}
        />
        <FormNumber {...f.bind('year')} label={t('field.year')} required min={registrationYear} />
        <DateInput
          {...f.bind('ratedOn', {
            // The rating's year defaults to the year it was given in.
            onChange: (iso) => {
              if (!year && iso) f.set('year', String(Number(iso.slice(0, 4))));
            },
          })}
          label={t('field.ratedOn')}
          required
        />
      </div>
    </Shell>
  );
}

export function MembersForm(props: CommandProps) {
  const t = useOrgT();
  const form = useCommand(props);
  const f = useFields({ memberCount: '', effectiveOn: '' }, form);
  const { memberCount, effectiveOn } = f.values;
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
        <FormNumber {...f.bind('memberCount')} label={t('field.memberCount')} required min={1} />
        <EffectiveOn t={t} {...f.bind('effectiveOn')} />
      </div>
    </Shell>
  );
}

/** A profile flag in the form: '' leaves it as it is, 'null' sets it back to unknown (api.md: true, false or null). */
type FlagChoice = '' | 'true' | 'false' | 'null';
const FLAG_VALUE: Record<Exclude<FlagChoice, ''>, boolean | null> = { true: true, false: false, null: null };

export function ProfileForm(props: CommandProps) {
  const t = useOrgT();
  const form = useCommand(props);
  const f = useFields(
    {
      effectiveOn: '',
      'managers.total': '',
      'managers.withDegree': '',
      /** Sets the manager figures back to unknown (managers: null). */
      managersUnknown: false,
      ...(Object.fromEntries(PROFILE_FLAG_NAMES.map((flag) => [flag, ''])) as Record<(typeof PROFILE_FLAG_NAMES)[number], FlagChoice>),
    },
    form,
  );
  const { effectiveOn, 'managers.total': total, 'managers.withDegree': withDegree } = f.values;
  const { organization } = props;
  const chosenFlags = Object.fromEntries(
    PROFILE_FLAG_NAMES.flatMap((flag) => {
      const choice = f.values[flag];
      return choice === '' ? [] : [[flag, FLAG_VALUE[choice]]];
    }),
  );
  const managersUnknown = f.values.managersUnknown;
  const managersGiven = !managersUnknown && (total.trim() !== '' || withDegree.trim() !== '');
  const validate = (): FormErrors => {
    const found: FormErrors = { effectiveOn: dateProblem(t, effectiveOn, lifetime(organization)) ?? '' };
    if (managersGiven) {
      found['managers.total'] = integerProblem(t, total, 0) ?? '';
      found['managers.withDegree'] =
        integerProblem(t, withDegree, 0) ?? (total.trim() !== '' && Number(withDegree) > Number(total) ? t('form.withDegree') : '');
    } else if (!managersUnknown && Object.keys(chosenFlags).length === 0) {
      found.managers = t('form.atLeastOne');
    }
    return found;
  };
  const body = {
    effectiveOn,
    ...(managersUnknown ? { managers: null } : managersGiven ? { managers: { total: parseInteger(total), withDegree: parseInteger(withDegree) } } : {}),
    ...chosenFlags,
  };
  return (
    <Shell
      title={t('form.profile')}
      hint={t('form.profile.hint')}
      submission={form}
      fields={['effectiveOn', 'managers', 'managers.total', 'managers.withDegree', ...PROFILE_FLAG_NAMES]}
      onCancel={props.onCancel}
      onSubmit={(event) => form.send(event, '/profile', body, validate, t('form.profile'), DATE_CONFLICTS)}
    >
      <div className="org-form-grid">
        <EffectiveOn t={t} {...f.bind('effectiveOn')} />
        <FormNumber
          {...f.bind('managers.total', { clears: ['managers', 'managers.withDegree'], error: form.errors['managers.total'] ?? form.errors.managers })}
          label={t('field.managers.total')}
          min={0}
          hint={t('current', { value: organization.managers ? t('field.managers.value', { ...organization.managers }) : t('unknown') })}
        />
        <FormNumber {...f.bind('managers.withDegree', { clears: ['managers'] })} label={t('field.managers.withDegree')} min={0} />
        {organization.managers ? (
          <FormCheckbox
            name="managersUnknown"
            label={t('form.managersUnknown')}
            checked={managersUnknown}
            onChange={(checked) => {
              f.set('managersUnknown', checked);
              form.clear('managers', 'managers.total', 'managers.withDegree');
            }}
          />
        ) : null}
        {PROFILE_FLAG_NAMES.map((flag) => (
          <FormSelect
            key={flag}
            {...f.bind(flag, { clears: ['managers'] })}
            label={t(`field.${flag}`)}
            hint={t('current', { value: yesNo(t, organization[flag]) })}
            options={[
              { value: '', label: t('unchanged') },
              { value: 'true', label: t('yes') },
              { value: 'false', label: t('no') },
              { value: 'null', label: t('form.flag.setUnknown') },
            ]}
          />
        ))}
      </div>
    </Shell>
  );
}

export function SuspendForm(props: CommandProps) {
  const t = useOrgT();
  const form = useCommand(props);
  const f = useFields({ effectiveOn: '', reason: '', until: '', noticeRef: '' }, form);
  const { effectiveOn, reason, until, noticeRef } = f.values;
  const validate = (): FormErrors => ({
    effectiveOn: dateProblem(t, effectiveOn, lifetime(props.organization)) ?? '',
    reason: textProblem(t, reason, TEXT.reason) ?? '',
    // The notice's end date is recorded only; it may lie in the future.
    until: until && effectiveOn && until < effectiveOn ? t('form.until.beforeStart') : '',
    noticeRef: textProblem(t, noticeRef, TEXT.noticeRef, false) ?? '',
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
        <EffectiveOn t={t} {...f.bind('effectiveOn')} />
        <DateInput {...f.bind('until')} label={t('field.until')} />
        <FormText {...f.bind('noticeRef')} label={t('field.noticeRef')} maxLength={TEXT.noticeRef} />
      </div>
      <FormText {...f.bind('reason')} label={t('field.reason')} required multiline maxLength={TEXT.reason} />
    </Shell>
  );
}

export function DormantForm(props: CommandProps) {
  const t = useOrgT();
  const form = useCommand(props);
  const f = useFields({ effectiveOn: '', finding: '' }, form);
  const { effectiveOn, finding } = f.values;
  const validate = (): FormErrors => ({
    effectiveOn: dateProblem(t, effectiveOn, lifetime(props.organization)) ?? '',
    finding: textProblem(t, finding, TEXT.finding) ?? '',
  });
  return (
    <Shell
      title={t('form.dormant')}
      submission={form}
      fields={['effectiveOn', 'finding']}
      onCancel={props.onCancel}
      onSubmit={(event) => form.send(event, '/dormancy', { effectiveOn, finding: finding.trim() }, validate, t('form.dormant'), DATE_CONFLICTS)}
    >
      <EffectiveOn t={t} {...f.bind('effectiveOn')} />
      <FormText {...f.bind('finding')} label={t('field.finding')} required multiline maxLength={TEXT.finding} />
    </Shell>
  );
}

export function ResumeForm(props: CommandProps) {
  const t = useOrgT();
  const form = useCommand(props);
  const f = useFields({ effectiveOn: '' }, form);
  const { effectiveOn } = f.values;
  const validate = (): FormErrors => ({ effectiveOn: dateProblem(t, effectiveOn, lifetime(props.organization)) ?? '' });
  return (
    <Shell
      title={t('form.resume')}
      submission={form}
      fields={['effectiveOn']}
      onCancel={props.onCancel}
      onSubmit={(event) => form.send(event, '/resumption', { effectiveOn }, validate, t('form.resume'), DATE_CONFLICTS)}
    >
      <EffectiveOn t={t} {...f.bind('effectiveOn')} />
    </Shell>
  );
}

export function DissolveForm(props: CommandProps) {
  const t = useOrgT();
  const form = useCommand(props);
  const f = useFields({ effectiveOn: '', mode: '', decisionRef: '' }, form);
  const { effectiveOn, mode, decisionRef } = f.values;
  const validate = (): FormErrors => ({
    effectiveOn: dateProblem(t, effectiveOn, lifetime(props.organization)) ?? '',
    mode: mode ? '' : t('form.required'),
    decisionRef: textProblem(t, decisionRef, TEXT.decisionRef) ?? '',
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
        <EffectiveOn t={t} {...f.bind('effectiveOn')} />
        <FormSelect
          {...f.bind('mode')}
          label={t('field.mode')}
          required
          placeholder={t('choose')}
          options={[
            { value: 'voluntary', label: t('mode.voluntary') },
            { value: 'compulsory', label: t('mode.compulsory') },
          ]}
        />
        <FormText {...f.bind('decisionRef')} label={t('field.decisionRef')} required maxLength={TEXT.decisionRef} />
      </div>
    </Shell>
  );
}

/**
 * POST /api/organizations/{id}/relocation: the seat moves to a province in force on the effective date
 * (a registrar: one within its token's territory, as the destination's registrar writes it), with the
 * former province where that province was formed from several (also a move between two former
 * territories of one merged province).
 */
export function RelocationForm(props: CommandProps) {
  const t = useOrgT();
  const form = useCommand(props);
  const f = useFields({ effectiveOn: '', provinceCode: '', formerProvinceCode: '' }, form);
  const { effectiveOn, provinceCode, formerProvinceCode } = f.values;
  const seat = useSeat(effectiveOn, provinceCode);
  const validate = (): FormErrors => {
    const problems = seatProblems(t, seat, effectiveOn, provinceCode, formerProvinceCode);
    return {
      effectiveOn: dateProblem(t, effectiveOn, lifetime(props.organization)) ?? '',
      provinceCode: problems.provinceCode ?? '',
      formerProvinceCode: problems.formerProvinceCode ?? '',
    };
  };
  const former = formerToSend(seat, formerProvinceCode);
  return (
    <Shell
      title={t('form.relocate')}
      hint={t('form.relocate.hint')}
      submission={form}
      fields={['effectiveOn', 'provinceCode', 'formerProvinceCode']}
      onCancel={props.onCancel}
      onSubmit={(event) =>
        form.send(event, '/relocation', { provinceCode, ...(former ? { formerProvinceCode: former } : {}), effectiveOn }, validate, t('form.relocate'), {
          ...DATE_CONFLICTS,
          ...SEAT_CONFLICTS,
        })
      }
    >
      <div className="org-form-grid">
        <EffectiveOn t={t} {...f.bind('effectiveOn', { clears: ['provinceCode', 'formerProvinceCode'] })} />
        <SeatFields
          t={t}
          seat={seat}
          date={effectiveOn}
          provinceLabel={t('field.destination')}
          province={f.bind('provinceCode', { clears: ['formerProvinceCode'], onChange: () => f.set('formerProvinceCode', '') })}
          former={f.bind('formerProvinceCode')}
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
  const f = useFields({ cooperativeId: [] as string[], effectiveOn: '' }, form);
  const { cooperativeId: chosen, effectiveOn } = f.values;
  // A union may admit a cooperative of another province: the provinces in force on the joining date.
  const provinces = useProvincesOn(effectiveOn || todayInVietnam());
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
      <EffectiveOn t={t} {...f.bind('effectiveOn')} />
      <CooperativePicker
        {...f.bind('cooperativeId')}
        legend={t('field.cooperativeId')}
        provinceCode={props.organization.provinceCode}
        provinces={provinces.data}
        asOf={effectiveOn || todayInVietnam()}
        max={1}
        exclude={props.organization.memberCooperativeIds}
      />
    </Shell>
  );
}

/** A member cooperative leaves the union: POST /api/organizations/{unionId}/members/{cooperativeId}/leave. */
export function LeaveForm(props: CommandProps) {
  const t = useOrgT();
  const form = useCommand(props);
  const f = useFields({ cooperativeId: '', effectiveOn: '' }, form);
  const { cooperativeId, effectiveOn } = f.values;
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
      onSubmit={(event) => form.send(event, apiPath`/members/${cooperativeId}/leave`, { effectiveOn }, validate, t('form.leave'), MEMBERSHIP_CONFLICTS)}
    >
      <div className="org-form-grid">
        <FormSelect
          {...f.bind('cooperativeId')}
          label={t('field.cooperativeId')}
          required
          placeholder={t('choose')}
          options={members.map((id) => {
            const summary = props.names[id];
            return { value: id, label: summary ? `${summary.name} (${summary.registrationNumber})` : '…' };
          })}
        />
        <EffectiveOn t={t} {...f.bind('effectiveOn')} />
      </div>
    </Shell>
  );
}

/** Auditors and admins: retract one event of the timeline (with an optional replacement), with a reason. */
export function CorrectionForm(props: CommandProps) {
  const t = useOrgT();
  const form = useCommand(props);
  const f = useFields({ eventId: props.eventId ?? '', reason: '', replacement: '' }, form);
  const { eventId, reason, replacement } = f.values;
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
    reason: textProblem(t, reason, TEXT.correctionReason) ?? '',
    replacement: parsedReplacement === null ? t('form.replacement.invalid') : '',
  });
  // The server checks the replacement's own fields too: their messages are shown under it.
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
        {...f.bind('eventId')}
        label={t('field.eventId')}
        required
        placeholder={t('choose')}
        options={candidates.map((event) => ({
          value: event.eventId,
          label: `#${eventNumber(event.revision)} · ${eventLabel(t, event.type)} · ${formatDate(event.effectiveOn)}`,
        }))}
      />
      <FormText {...f.bind('reason')} label={t('field.reason')} required multiline maxLength={TEXT.correctionReason} />
      <FormText {...f.bind('replacement', { error: replacementError })} label={t('field.replacement')} multiline hint={t('form.replacement.hint')} />
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
  relocate: RelocationForm,
  join: JoinForm,
  leave: LeaveForm,
  correct: CorrectionForm,
};
