import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import type { CommandResult } from '../../api/client';
import { KINDS, SECTORS, type OrganizationKind } from '../../api/types';
import { useProvinces } from '../../api/use-query';
import { DateInput } from '../../components/DateInput';
import { FormCheckbox, FormNumber, FormProblem, FormSelect, FormText, type FormErrors } from '../../components/FormFields';
import { todayInVietnam } from '../../i18n/format';
import { useApi, useSession } from '../../session/session';
import { CooperativePicker } from './CooperativePicker';
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
import { useSubmission } from './use-submission';

const FLAGS = ['directorTrained', 'valueChain', 'highTech', 'enterpriseLinked', 'digitalAdoption'] as const;
type Flag = (typeof FLAGS)[number];

const FIELDS = [
  'kind',
  'name',
  'registrationNumber',
  'provinceCode',
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
 * search among the province's) for unions; the profile is optional. A
 * registrar registers only in its provinces. On success: the new
 * organization's page (read-your-writes through the client's minPosition).
 */
export function RegisterPage() {
  const t = useOrgT();
  const api = useApi();
  const navigate = useNavigate();
  const { me, can } = useSession();
  const provinces = useProvinces();
  const allowed = me?.role === 'admin' ? (provinces.data ?? []) : (provinces.data ?? []).filter((p) => me?.provinces.includes(p.provinceCode));
  const [kind, setKind] = useState<OrganizationKind>('cooperative');
  const [name, setName] = useState('');
  const [registrationNumber, setRegistrationNumber] = useState('');
  const [provinceCode, setProvinceCode] = useState(me?.role === 'registrar' && me.provinces.length === 1 ? me.provinces[0] : '');
  const [sector, setSector] = useState('');
  const [registeredOn, setRegisteredOn] = useState('');
  const [memberCount, setMemberCount] = useState('');
  const [founders, setFounders] = useState<string[]>([]);
  const [managersTotal, setManagersTotal] = useState('');
  const [managersWithDegree, setManagersWithDegree] = useState('');
  const [flags, setFlags] = useState<Record<Flag, boolean>>({ directorTrained: false, valueChain: false, highTech: false, enterpriseLinked: false, digitalAdoption: false });
  const form = useSubmission();
  const { errors, clear } = form;

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
    put('name', textProblem(t, name, 200));
    const number = registrationNumber.trim();
    put('registrationNumber', number === '' ? t('form.required') : REGISTRATION_NUMBER.test(number) ? undefined : t('form.registrationNumber'));
    put('provinceCode', provinceCode ? undefined : t('form.required'));
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
      sector,
      registeredOn,
      ...(kind === 'union' ? { memberCooperativeIds: founders } : { memberCount: parseInteger(memberCount) }),
      ...(managersTotal.trim() !== '' ? { managers: { total: parseInteger(managersTotal), withDegree: parseInteger(managersWithDegree) } } : {}),
      ...flags,
    };
    const result = await form.run(validate, () => api.command('/api/organizations', body) as Promise<CommandResult>, {
      codeFields: {
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

  const changeKind = (next: string) => {
    setKind(next as OrganizationKind);
    clear('kind', 'memberCount', 'memberCooperativeIds');
  };

  return (
    <div className="org-page">
      <h1>{t('register.heading')}</h1>
      <form ref={form.formRef} className="card org-form" onSubmit={submit} noValidate data-testid="register-form">
        <div className="org-form-grid">
          <FormSelect
            name="kind"
            label={t('field.kind')}
            required
            value={kind}
            onChange={changeKind}
            error={errors.kind}
            options={KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
          />
          <FormText
            name="name"
            label={t('field.name')}
            required
            maxLength={200}
            value={name}
            onChange={(text) => {
              setName(text);
              clear('name');
            }}
            error={errors.name}
          />
          <FormText
            name="registrationNumber"
            label={t('field.registrationNumber')}
            required
            maxLength={20}
            hint={t('form.registrationNumber')}
            value={registrationNumber}
            onChange={(text) => {
              setRegistrationNumber(text);
              clear('registrationNumber');
            }}
            error={errors.registrationNumber}
          />
          <FormSelect
            name="provinceCode"
            label={t('field.provinceCode')}
            required
            value={provinceCode}
            onChange={(code) => {
              setProvinceCode(code);
              setFounders([]);
              clear('provinceCode', 'memberCooperativeIds');
            }}
            placeholder={t('choose')}
            error={errors.provinceCode}
            options={allowed.map((p) => ({ value: p.provinceCode, label: `${p.name} (${p.provinceCode})` }))}
          />
          <FormSelect
            name="sector"
            label={t('field.sector')}
            required
            value={sector}
            onChange={(next) => {
              setSector(next);
              clear('sector');
            }}
            placeholder={t('choose')}
            error={errors.sector}
            options={SECTORS.map((s) => ({ value: s, label: t(`sector.${s}`) }))}
          />
          <DateInput
            name="registeredOn"
            label={t('field.registeredOn')}
            required
            value={registeredOn}
            onChange={(iso) => {
              setRegisteredOn(iso);
              clear('registeredOn');
            }}
            error={errors.registeredOn}
          />
          {kind !== 'union' ? (
            <FormNumber
              name="memberCount"
              label={t('field.memberCount')}
              required
              min={MINIMUM_MEMBERS[kind]}
              hint={t('register.minimumHint')}
              value={memberCount}
              onChange={(text) => {
                setMemberCount(text);
                clear('memberCount');
              }}
              error={errors.memberCount}
            />
          ) : null}
        </div>

        {kind === 'union' ? (
          <CooperativePicker
            legend={t('register.founders')}
            hint={t('register.founders.hint')}
            provinceCode={provinceCode}
            asOf={registeredOn && registeredOn <= todayInVietnam() ? registeredOn : todayInVietnam()}
            selected={founders}
            onChange={(ids) => {
              setFounders(ids);
              clear('memberCooperativeIds');
            }}
            error={errors.memberCooperativeIds}
          />
        ) : null}

        <fieldset className="org-fieldset">
          <legend>{t('form.profileOptional')}</legend>
          <p className="hint">{t('form.profileOptional.hint')}</p>
          <div className="org-form-grid">
            <FormNumber
              name="managers.total"
              label={t('field.managers.total')}
              min={0}
              value={managersTotal}
              onChange={(text) => {
                setManagersTotal(text);
                clear('managers.total', 'managers.withDegree', 'managers');
              }}
              error={errors['managers.total'] ?? errors.managers}
            />
            <FormNumber
              name="managers.withDegree"
              label={t('field.managers.withDegree')}
              min={0}
              value={managersWithDegree}
              onChange={(text) => {
                setManagersWithDegree(text);
                clear('managers.withDegree', 'managers');
              }}
              error={errors['managers.withDegree']}
            />
          </div>
          <div className="org-checks">
            {FLAGS.map((flag) => (
              <FormCheckbox
                key={flag}
                name={flag}
                label={t(`field.${flag}`)}
                checked={flags[flag]}
                onChange={(checked) => setFlags((previous) => ({ ...previous, [flag]: checked }))}
                error={errors[flag]}
              />
            ))}
          </div>
        </fieldset>

        <FormProblem error={form.problem} shown={FIELDS} />
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
