import { formedOn, isFormerTerritory, type MapHistory } from '../../api/administrative-map';
import type { Province, TerritoryRef } from '../../api/types';
import { formatDate } from '../../i18n/format';
import type { Translate } from '../../i18n/i18n';

/**
 * How the dashboard names territories after the 2025 merger (domain.md, "Administrative units"): a
 * merged province with what it was formed from ("An Giang (from 01/07/2025: former An Giang + former
 * Kiên Giang)"), a plan's territory as "former Kiên Giang" once the code names a larger province, and
 * a picker's merged province with its predecessors.
 */

/** "An Giang", or for a merged province "An Giang (from 01/07/2025: former An Giang + former Kiên Giang)". */
export function territoryText(t: Translate, history: MapHistory | null, territory: { code: string; name: string; boundariesOn: string }): string {
  const formed = history ? formedOn(history, territory.code, territory.boundariesOn) : null;
  if (!formed) return territory.name;
  return t('territory.merged', {
    name: territory.name,
    date: formatDate(formed.on),
    parts: formed.predecessors.map((predecessor) => t('territory.former', { name: predecessor.name })).join(' + '),
  });
}

/** A plan's territory as seen on `asOf`: "former Kiên Giang" when the code has named another territory since. */
export function planTerritoryText(t: Translate, history: MapHistory | null, territory: TerritoryRef, asOf: string): string {
  return isFormerTerritory(history, territory.code, territory.boundariesOn, asOf) ? t('territory.former', { name: territory.name }) : territory.name;
}

/** A picker's option: "An Giang (91) — formed from An Giang (89) + Kiên Giang (91)" for a merged province. */
export function provinceOption(t: Translate, history: MapHistory | null, province: Province, date: string): string {
  const base = `${province.name} (${province.code})`;
  const merged = province.predecessors.length !== 1 || province.predecessors[0] !== province.code;
  if (!merged) return base;
  const formed = history ? formedOn(history, province.code, date) : null;
  const parts = formed ? formed.predecessors.map((p) => `${p.name} (${p.code})`) : province.predecessors;
  return `${base} — ${t('province.predecessors', { parts: parts.join(' + ') })}`;
}
