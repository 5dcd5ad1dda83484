import { useEffect, useId, useRef, useState } from 'react';
import type { OrganizationAsOf, Page, Province } from '../../api/types';
import { useQuery } from '../../api/use-query';
import { FormSelect } from '../../components/FormFields';
import { useApi } from '../../session/session';
import { rememberSummary, StatusBadge, useOrganizationSummaries, useOrgT } from './shared';

/**
 * Chooses cooperatives by search (name or registration number, with or
 * without diacritics: the server matches both) among those of a province that
 * exist on `asOf` (dissolved ones are not offered). Used for a union's
 * founders (several) and for a cooperative joining a union (`max` 1).
 */
export function CooperativePicker(props: {
  legend: string;
  hint?: string;
  provinceCode: string;
  /** Offer a province choice (a union may admit a cooperative of another province). */
  provinces?: Province[];
  asOf: string;
  /** The chosen cooperatives' ids. */
  value: string[];
  onChange(ids: string[]): void;
  max?: number;
  /** Ids not offered (already members), shown as such. */
  exclude?: string[];
  error?: string;
}) {
  const t = useOrgT();
  const api = useApi();
  const id = useId();
  const searchRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [province, setProvince] = useState(props.provinceCode);
  useEffect(() => setProvince(props.provinceCode), [props.provinceCode]);
  useEffect(() => {
    const timer = window.setTimeout(() => setQ(text.trim()), 300);
    return () => window.clearTimeout(timer);
  }, [text]);
  const results = useQuery(
    () =>
      province
        ? api.get<Page<OrganizationAsOf>>('/api/organizations', { kind: 'cooperative', provinceCode: province, asOf: props.asOf, q: q || undefined, limit: 12 })
        : Promise.resolve({ items: [], nextCursor: null }),
    [api, province, props.asOf, q],
  );
  useEffect(() => results.data?.items.forEach(rememberSummary), [results.data]);
  const names = useOrganizationSummaries(props.value);
  const offered = (results.data?.items ?? []).filter((cooperative) => cooperative.status !== 'dissolved' && !props.value.includes(cooperative.id));
  const full = props.max !== undefined && props.value.length >= props.max;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;

  const choose = (cooperativeId: string) => {
    props.onChange(props.max === 1 ? [cooperativeId] : [...props.value, cooperativeId]);
    searchRef.current?.focus();
  };
  const remove = (cooperativeId: string) => {
    props.onChange(props.value.filter((selected) => selected !== cooperativeId));
    searchRef.current?.focus();
  };

  return (
    <fieldset className="org-picker" aria-describedby={[props.hint ? hintId : '', props.error ? errorId : ''].filter(Boolean).join(' ') || undefined}>
      <legend>{props.legend}</legend>
      {props.hint ? (
        <p className="hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      {props.provinces ? (
        <FormSelect
          label={t('picker.province')}
          value={province}
          onChange={setProvince}
          options={props.provinces.map((p) => ({ value: p.code, label: `${p.name} (${p.code})` }))}
        />
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-q`}>{t('picker.search')}</label>
        <input
          ref={searchRef}
          id={`${id}-q`}
          type="search"
          autoComplete="off"
          value={text}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={[`${id}-q-hint`, props.error ? errorId : ''].filter(Boolean).join(' ')}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            // Enter picks the first result instead of submitting the whole form.
            if (event.key === 'Enter') {
              event.preventDefault();
              if (!full && offered[0]) choose(offered[0].id);
            }
          }}
        />
        <p className="hint" id={`${id}-q-hint`}>
          {t('picker.search.hint')}
        </p>
      </div>
      {props.error ? (
        <p className="field-error" id={errorId} role="alert">
          {props.error}
        </p>
      ) : null}
      <p className="org-live" role="status" aria-live="polite">
        {results.loading ? t('state.loading') : t('picker.results', { n: offered.length })}
      </p>
      {offered.length ? (
        <ul className="org-picker-results">
          {offered.map((cooperative) => {
            const member = props.exclude?.includes(cooperative.id);
            return (
              <li key={cooperative.id}>
                <span>
                  {cooperative.name} <span className="org-muted">({cooperative.registrationNumber})</span>{' '}
                  {cooperative.status !== 'active' ? <StatusBadge status={cooperative.status} t={t} /> : null}
                  {member ? <span className="org-muted"> · {t('picker.member')}</span> : null}
                </span>
                <button
                  type="button"
                  className="secondary org-small"
                  disabled={full && props.max !== 1 ? true : member}
                  aria-label={`${t('picker.choose')}: ${cooperative.name} (${cooperative.registrationNumber})`}
                  onClick={() => choose(cooperative.id)}
                >
                  {t('picker.choose')}
                </button>
              </li>
            );
          })}
        </ul>
      ) : results.data && !results.loading ? (
        <p className="hint">{t('picker.noResults')}</p>
      ) : null}
      <h3 className="org-picker-chosen">{t('picker.chosen', { n: props.value.length })}</h3>
      {props.value.length ? (
        <ul className="org-picker-selected">
          {props.value.map((cooperativeId) => (
            <li key={cooperativeId}>
              <span>
                {names[cooperativeId]?.name ?? cooperativeId}{' '}
                {names[cooperativeId] ? <span className="org-muted">({names[cooperativeId]!.registrationNumber})</span> : null}
              </span>
              <button
                type="button"
                className="link-button"
                aria-label={`${t('picker.remove')}: ${names[cooperativeId]?.name ?? cooperativeId}`}
                onClick={() => remove(cooperativeId)}
              >
                {t('picker.remove')}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">{t('picker.noneChosen')}</p>
      )}
    </fieldset>
  );
}
