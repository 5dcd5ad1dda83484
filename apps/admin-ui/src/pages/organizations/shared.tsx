import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { apiPath, canonicalUuid } from '../../api/paths';
import type { OrganizationKind, OrganizationAsOf, Province } from '../../api/types';
import { formatDate, todayInVietnam } from '../../i18n/format';
import { useT, type Translate } from '../../i18n/i18n';
import { useApi } from '../../session/session';
import { orgMessages } from './messages';

export function useOrgT(): Translate {
  return useT(orgMessages);
}

export function provinceLabel(provinces: Province[] | undefined, code: string | null | undefined): string {
  if (!code) return '—';
  const name = provinces?.find((province) => (province.code ?? province.provinceCode) === code)?.name;
  return name ? `${name} (${code})` : code;
}

/** Minimum members at registration (Law 17/2023/QH15, domain.md), applied to every date. */
export const MINIMUM_MEMBERS: Record<Exclude<OrganizationKind, 'union'>, number> = { cooperative: 5, cooperative_group: 2 };
export const MINIMUM_FOUNDING_COOPERATIVES = 3;
/** api.md: 1–20 letters, digits, "-" and "/" (compared trimmed, upper-cased). */
export const REGISTRATION_NUMBER = /^[\p{L}\p{Nd}/-]{1,20}$/u;

/** `''` → undefined; otherwise the integer, or NaN when it is not one. */
export function parseInteger(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** The form's message for a date: required, not in the future (Vietnam calendar), not before `notBefore`. */
export function dateProblem(
  t: Translate,
  iso: string,
  options: { required?: boolean; notBefore?: string | null; before?: string | null } = {},
): string | undefined {
  if (!iso) return options.required === false ? undefined : t('form.required');
  const today = todayInVietnam();
  if (iso > today) return t('form.future', { date: formatDate(today) });
  if (options.notBefore && iso < options.notBefore) return t('form.beforeRegistration', { date: formatDate(options.notBefore) });
  if (options.before && iso >= options.before) return t('form.afterDissolution', { date: formatDate(options.before) });
  return undefined;
}

/** An organization's dates: on or after its registration, before its dissolution (domain.md: what may be recorded). */
export function lifetime(organization: { registeredOn: string; dissolvedOn: string | null }) {
  return { notBefore: organization.registeredOn, before: organization.dissolvedOn };
}

export function textProblem(t: Translate, text: string, max: number, required = true): string | undefined {
  if (text.trim() === '') return required ? t('form.required') : undefined;
  if (text.trim().length > max) return t('form.maxLength', { n: max });
  return undefined;
}

export function integerProblem(t: Translate, text: string, min: number, required = true): string | undefined {
  const value = parseInteger(text);
  if (value === undefined) return required ? t('form.required') : undefined;
  if (!Number.isInteger(value) || value < min) return t('form.integer', { min });
  return undefined;
}

export interface OrganizationSummary {
  id: string;
  name: string;
  registrationNumber: string;
  kind: OrganizationKind;
  provinceCode: string;
}

/** Names never change after registration: one lookup per id for the session. */
const summaries = new Map<string, Promise<OrganizationSummary | null>>();

/**
 * Names of the organizations behind ids (union members, a cooperative's
 * unions, ids in event data), looked up as of today: every organization
 * registered by then is answered, dissolved ones too.
 */
export function useOrganizationSummaries(ids: readonly string[]): Record<string, OrganizationSummary | null> {
  const api = useApi();
  const [known, setKnown] = useState<Record<string, OrganizationSummary | null>>({});
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    let current = true;
    const wanted = key ? key.split(',') : [];
    for (const id of wanted) {
      if (!summaries.has(id)) {
        // Ids come from answers and event data; one that is not a UUID names no organization and is not looked up.
        const uuid = canonicalUuid(id);
        summaries.set(
          id,
          uuid
            ? api.get<OrganizationAsOf>(apiPath`/api/organizations/${uuid}`).then(
                (state) => ({ id, name: state.name, registrationNumber: state.registrationNumber, kind: state.kind, provinceCode: state.provinceCode }),
                (error: unknown) => {
                  if (!(error instanceof ApiError && error.status === 404)) summaries.delete(id); // retry later
                  return null;
                },
              )
            : Promise.resolve(null),
        );
      }
      void summaries.get(id)!.then((summary) => {
        if (current) setKnown((previous) => (id in previous && previous[id] === summary ? previous : { ...previous, [id]: summary }));
      });
    }
    return () => {
      current = false;
    };
  }, [api, key]);
  return known;
}

/** Remembers an organization already loaded (the list and the page), so its name needs no lookup. */
export function rememberSummary(state: OrganizationSummary): void {
  if (!summaries.has(state.id)) {
    summaries.set(
      state.id,
      Promise.resolve({ id: state.id, name: state.name, registrationNumber: state.registrationNumber, kind: state.kind, provinceCode: state.provinceCode }),
    );
  }
}

/** A link to an organization by its name and registration number; never its raw id (an official reads names). */
export function OrgLink({ id, summary }: { id: string; summary: OrganizationSummary | null | undefined }) {
  const t = useOrgT();
  return (
    <Link to={`/organizations/${encodeURIComponent(id)}`}>
      {summary ? (
        <>
          {summary.name} <span className="org-muted">({summary.registrationNumber})</span>
        </>
      ) : summary === null ? (
        t('org.unknownOrganization')
      ) : (
        <span aria-busy="true">…</span>
      )}
    </Link>
  );
}

export function StatusBadge({ status, t }: { status: string; t: Translate }) {
  return <span className={`org-status org-status-${status}`}>{t(`status.${status}`)}</span>;
}

export function yesNo(t: Translate, value: boolean | null | undefined): string {
  if (value === null || value === undefined) return t('unknown');
  return value ? t('yes') : t('no');
}
