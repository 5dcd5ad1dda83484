import { useEffect, useId, useState } from 'react';
import type { OrganizationAsOf, Page } from '../../api/types';
import { useQuery } from '../../api/use-query';
import { useT } from '../../i18n/i18n';
import { useApi } from '../../session/session';
import { rememberSummary, useOrganizationSummaries } from '../organizations/shared';
import { messages } from './messages';

/** Letters typed before the register is searched: one letter matches half the country. */
const MIN_QUERY = 2;

/**
 * The trail's organization filter: a search by name (with or without
 * diacritics) or registration number over the whole register
 * (GET /api/organizations?q=, dissolved organizations included), and the
 * chosen organization shown by name and registration number, never by its id.
 * `value` is the chosen organization's id ('' for none).
 */
export function OrganizationFilter({ value, onChange }: { value: string; onChange(organizationId: string): void }) {
  const t = useT(messages);
  const api = useApi();
  const id = useId();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = window.setTimeout(() => setQ(text.trim()), 300);
    return () => window.clearTimeout(timer);
  }, [text]);
  const searching = !value && q.length >= MIN_QUERY;
  const results = useQuery(
    () => (searching ? api.get<Page<OrganizationAsOf>>('/api/organizations', { q, limit: 8 }) : Promise.resolve(null)),
    [api, q, searching],
  );
  useEffect(() => results.data?.items.forEach(rememberSummary), [results.data]);
  const chosen = useOrganizationSummaries(value ? [value] : [])[value];
  const found = results.data?.items ?? [];

  if (value) {
    return (
      <div className="field audit-organization" role="group" aria-labelledby={`${id}-label`}>
        <span className="label" id={`${id}-label`}>
          {t('trail.organization')}
        </span>
        <p className="audit-organization-chosen" data-testid="audit-organization-chosen">
          {chosen ? (
            <>
              <strong>{chosen.name}</strong> <span className="org-muted">({chosen.registrationNumber})</span>
            </>
          ) : chosen === null ? (
            t('trail.organization.unknown')
          ) : (
            t('state.loading')
          )}
        </p>
        <button type="button" className="link-button" onClick={() => onChange('')}>
          {t('trail.organization.clear')}
        </button>
      </div>
    );
  }
  return (
    <div className="field audit-organization">
      <label htmlFor={`${id}-q`}>{t('trail.organization')}</label>
      <input
        id={`${id}-q`}
        type="search"
        autoComplete="off"
        spellCheck={false}
        value={text}
        aria-describedby={`${id}-hint`}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          // Enter picks the first match instead of submitting the filters without it.
          if (event.key === 'Enter' && found[0]) {
            event.preventDefault();
            onChange(found[0].id);
          }
        }}
      />
      <p className="hint" id={`${id}-hint`}>
        {t('trail.organization.hint')}
      </p>
      <p className="hint" role="status" aria-live="polite">
        {searching ? (results.loading ? t('state.loading') : t('trail.organization.results', { n: found.length })) : ''}
      </p>
      {searching && found.length ? (
        <ul className="audit-organization-results" aria-label={t('trail.organization.resultsLabel')}>
          {found.map((organization) => (
            <li key={organization.id}>
              <button type="button" className="link-button" onClick={() => onChange(organization.id)}>
                {organization.name} <span className="org-muted">({organization.registrationNumber})</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
