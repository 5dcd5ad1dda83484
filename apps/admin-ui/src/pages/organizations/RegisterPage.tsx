import type { FormEvent } from 'react';
import { useNavigate } from 'react-router';
import type { CommandResult } from '../../api/client';
import { LIMITS, ORGANIZATION_KINDS, SECTORS, type OrganizationKind } from '../../api/types';
import { DateInput } from '../../components/DateInput';
import { FormNumber, FormProblem, FormSelect, FormText, type FormErrors } from '../../components/FormFields';
import { todayInVietnam } from '../../i18n/format';
import { useApi, useSession } from '../../session/session';
import { CooperativePicker } from './CooperativePicker';
import { formerToSend, SEAT_CONFLICTS, SeatFields, seatProblems, useSeat } from './SeatFields';
import {
  dateProblem,
  integerProblem,
  MINIMUM_FOUNDING_COOPERATIVES,
  MINIMUM_MEMBERS,
  parseInteger,
  REGISTRATION_NUMBER,
  textProblem,
  useOrgT,
} from './shared';
import { useFields, useSubmission } from './use-submission';

const FLAGS = ['directorTrained', 'valueChain', 'highTech', 'enterpriseLinked', 'digitalAdoption'] as const;
type Flag = (typeof FLAGS)[number];
/** A profile flag at registration (api.md: true, false or unknown); '' is unknown, and is not sent (omitted = unknown). */
type FlagChoice = '' | 'true' | 'false';

const FIELDS = [
  'kind',
  'name',
  'registrationNumber',
  'provinceCode',
  'formerProvinceCode',
  'sector',
  'registeredOn',
  'memberCount',
  'memberCooperativeIds',
  'managers',
  'managers.total',
  'managers.withDegree',
  ...FLAGS,
];

/**
 * POST /api/organizations. The fields depend on the kind: a member count for
 * cooperatives (≥ 5) and groups (≥ 2), founding cooperatives (≥ 3, chosen by
 * search among the province's) for unions; the profile is optional. The
 * province is one in force on the registration date (a registrar: within its
 * token's territory), with the former province where that one was formed from
 * several (SeatFields). On success: the new
 * organization's page (read-your-writes through the client's minPosition).
 */
export function RegisterPage() {
  const t = useOrgT();
  const api = useApi();
  const navigate = useNavigate();
  const { me, can } = useSession();
  const form = useSubmission();
  const f = useFields(
    {
      kind: 'cooperative' as OrganizationKind,
      name: '',
      registrationNumber: '',
      provinceCode: me?.role === 'registrar' && me.provinces.length === 1 ? me.provinces[0] : '',
      formerProvinceCode: '',
      sector: '',
      registeredOn: '',
      memberCount: '',
      /** A union's founding cooperatives. */
      memberCooperativeIds: [] as string[],
      'managers.total': '',
      'managers.withDegree': '',
      ...(Object.fromEntries(FLAGS.map((flag) => [flag, ''])) as Record<Flag, FlagChoice>),
    },
    form,
  );
  const { kind, name, registrationNumber, provinceCode, formerProvinceCode, sector, registeredOn, memberCount, memberCooperativeIds: founders } = f.values;
  const seat = useSeat(registeredOn, provinceCode);
  const { 'managers.total': managersTotal, 'managers.withDegree': managersWithDegree } = f.values;
  const { errors } = form;

  if (!can('organizations:write')) {
    return (
      <>
        <h1>{t('register.heading')}</h1>
        <p>{t('register.noProvince')}</p>
      </>
    );
  }

  const validate = (): FormErrors => {
    const found: FormErrors = {};
    const put = (path: string, message: string | undefined) => {
      if (message) found[path] = message;
    };
    put('name', textProblem(t, name, LIMITS.text.name));
    const number = registrationNumber.trim();
    put('registrationNumber', number === '' ? t('form.required') : REGISTRATION_NUMBER.test(number) ? undefined : t('form.registrationNumber'));
    const seatProblem = seatProblems(t, seat, registeredOn, provinceCode, formerProvinceCode);
    put('provinceCode', seatProblem.provinceCode);
    put('formerProvinceCode', seatProblem.formerProvinceCode);
    put('sector', sector ? undefined : t('form.required'));
    put('registeredOn', dateProblem(t, registeredOn));
    if (kind === 'union') {
      if (founders.length < MINIMUM_FOUNDING_COOPERATIVES) put('memberCooperativeIds', t('form.founders'));
    } else {
      const problem = integerProblem(t, memberCount, 1);
      const minimum = MINIMUM_MEMBERS[kind];
      put('memberCount', problem ?? (Number(memberCount) < minimum ? t('form.minMembers', { kind: t(`kind.${kind}`), min: minimum }) : undefined));
    }
    if (managersTotal.trim() !== '' || managersWithDegree.trim() !== '') {
      put('managers.total', integerProblem(t, managersTotal, 0) ?? (managersTotal.trim() === '' ? t('form.managersBoth') : undefined));
      const withDegreeProblem = integerProblem(t, managersWithDegree, 0);
      put(
        'managers.withDegree',
        withDegreeProblem ?? (Number(managersWithDegree) > Number(managersTotal) && managersTotal.trim() !== '' ? t('form.withDegree') : undefined),
      );
    }
    return found;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body: Record<string, unknown> = {
      kind,
      name: name.trim(),
      registrationNumber: registrationNumber.trim(),
      provinceCode,
      ...(formerToSend(seat, formerProvinceCode) ? { formerProvinceCode } : {}),
      sector,
      registeredOn,
      ...(kind === 'union' ? { memberCooperativeIds: founders } : { memberCount: parseInteger(memberCount) }),
      ...(managersTotal.trim() !== '' ? { managers: { total: parseInteger(managersTotal), withDegree: parseInteger(managersWithDegree) } } : {}),
      ...Object.fromEntries(FLAGS.filter((flag) => f.values[flag] !== '').map((flag) => [flag, f.values[flag] === 'true'])),
    };
    const result = await form.run(validate, () => api.command('/api/organizations', body) as Promise<CommandResult>, {
      codeFields: {
        ...SEAT_CONFLICTS,
        REGISTRATION_NUMBER_TAKEN: 'registrationNumber',
        ID_TAKEN: 'name',
        NOT_A_COOPERATIVE: 'memberCooperativeIds',
        FOUNDING_MEMBER_NOT_ACTIVE: 'memberCooperativeIds',
        BEFORE_REGISTRATION: 'memberCooperativeIds',
        ORGANIZATION_DISSOLVED: 'memberCooperativeIds',
      },
    });
    if (result) navigate(`/organizations/${result.id}`, { state: { registered: true } });
  };

  return (
    <div className="org-page">
      <h1>{t('register.heading')}</h1>
      <form ref={form.formRef} className="card org-form" onSubmit={submit} noValidate data-testid="register-form">
        <FormProblem error={form.problem} shown={FIELDS} placedAt={form.placedAt} />
        <div className="org-form-grid">
          <FormSelect
            {...f.bind('kind', { clears: ['memberCount', 'memberCooperativeIds'] })}
            label={t('field.kind')}
            required
            options={ORGANIZATION_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
          />
          <FormText {...f.bind('name')} label={t('field.name')} required maxLength={LIMITS.text.name} />
          <FormText {...f.bind('registrationNumber')} label={t('field.registrationNumber')} required maxLength={20} hint={t('form.registrationNumber')} />
          {/* The date first: the provinces offered are those in force on it. */}
          <DateInput {...f.bind('registeredOn', { clears: ['provinceCode', 'formerProvinceCode'] })} label={t('field.registeredOn')} required />
          <SeatFields
            t={t}
            seat={seat}
            date={registeredOn}
            province={f.bind('provinceCode', {
              // The founders are chosen among the province's cooperatives.
              clears: ['memberCooperativeIds', 'formerProvinceCode'],
              onChange: () => {
                f.set('memberCooperativeIds', []);
                f.set('formerProvinceCode', '');
              },
            })}
            former={f.bind('formerProvinceCode')}
          />
          <FormSelect
            {...f.bind('sector')}
            label={t('field.sector')}
            required
            placeholder={t('choose')}
            options={SECTORS.map((s) => ({ value: s, label: t(`sector.${s}`) }))}
          />
          {kind !== 'union' ? (
            <FormNumber {...f.bind('memberCount')} label={t('field.memberCount')} required min={MINIMUM_MEMBERS[kind]} hint={t('register.minimumHint')} />
          ) : null}
        </div>

        {kind === 'union' ? (
          <CooperativePicker
            {...f.bind('memberCooperativeIds')}
            legend={t('register.founders')}
            hint={t('register.founders.hint')}
            provinceCode={provinceCode}
            asOf={registeredOn && registeredOn <= todayInVietnam() ? registeredOn : todayInVietnam()}
          />
        ) : null}

        <fieldset className="org-fieldset">
          <legend>{t('form.profileOptional')}</legend>
          <p className="hint">{t('form.profileOptional.hint')}</p>
          <div className="org-form-grid">
            <FormNumber
              {...f.bind('managers.total', { clears: ['managers.withDegree', 'managers'], error: errors['managers.total'] ?? errors.managers })}
              label={t('field.managers.total')}
              min={0}
            />
            <FormNumber {...f.bind('managers.withDegree', { clears: ['managers'] })} label={t('field.managers.withDegree')} min={0} />
          </div>
          <div className="org-form-grid">
            {FLAGS.map((flag) => (
              <FormSelect
                key={flag}
                {...f.bind(flag)}
                label={t(`field.${flag}`)}
                options={[
                  { value: '', label: t('unknown') },
                  { value: 'true', label: t('yes') },
                  { value: 'false', label: t('no') },
                ]}
              />
            ))}
          </div>
        </fieldset>

        <button type="submit" className="primary" disabled={form.busy}>
          {t('register.submit')}
        </button>
        {form.busy ? (
          <span className="org-muted" role="status">
            {' '}
            {t('form.sending')}
          </span>
        ) : null}
      </form>
    </div>
  );
}
