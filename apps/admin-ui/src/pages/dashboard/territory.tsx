import { ApiError } from '../../api/client';
import { addDays, formedOn, isFormerTerritory, type MapHistory } from '../../api/administrative-map';
import type { Province, TerritoryRef } from '../../api/types';
import { formatDate } from '../../i18n/format';
import { useT, type Translate } from '../../i18n/i18n';
import { messages } from './messages';

/**
 * How the dashboard names territories after the 2025 merger (domain.md, "Administrative units"): a
 * merged province with what it was formed from ("An Giang (from 01/07/2025: former An Giang + former
 * Kiên Giang)"), a plan's territory as "former Kiên Giang" once the code names a larger province, and
 * a code no longer in force with its successor.
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

/** The date from which `code` no longer names the territory it had, at or before `asOf`. */
function endedOn(history: MapHistory, code: string, asOf: string): string | null {
  for (const change of history.changes) {
    if (change > asOf) break;
    const before = history.map.unitsOf(code, addDays(change, -1));
    const after = history.map.unitsOf(code, change);
    if (before !== null && (after === null || after.join() !== before.join())) return change;
  }
  return null;
}

/**
 * A 404 PROVINCE_NOT_IN_FORCE in the user's language: the code ended (or has not started) on that
 * date; its successor with a button to switch to it, and a button to see the former territory on its
 * last boundaries (`boundariesOn`). Other problems: null (the caller shows them as they are).
 */
export function ProvinceNotInForce(props: {
  error: unknown;
  code: string;
  asOf: string;
  history: MapHistory | null;
  onSwitch(code: string): void;
  onFormer(code: string, boundariesOn: string): void;
}) {
  const t = useT(messages);
  const { error, code, asOf, history } = props;
  if (!(error instanceof ApiError) || error.problem.code !== 'PROVINCE_NOT_IN_FORCE') return null;
  const successor = (typeof error.problem.successor === 'string' ? error.problem.successor : null) ?? history?.map.successorOn(code, asOf) ?? null;
  const ended = history ? endedOn(history, code, asOf) : null;
  const lastDay = ended ? addDays(ended, -1) : null;
  const name = (lastDay && history?.map.provinceOn(code, lastDay)?.name) || code;
  const successorName = (successor && history?.map.provinceOn(successor, asOf)?.name) || successor;
  return (
    <div className="problem" role="alert" data-testid="province-not-in-force">
      <strong>{t('notInForce.title', { code, asOf: formatDate(asOf) })}</strong>
      {successor ? (
        <p>
          {ended
            ? t('notInForce.successor', { name, code, date: formatDate(ended), successorName: successorName ?? successor, successor })
            : t('notInForce.successorNoDate', { code, successorName: successorName ?? successor, successor })}
        </p>
      ) : (
        <p>{t('notInForce.none')}</p>
      )}
      <div className="org-actions-row">
        {successor ? (
          <button type="button" className="primary" onClick={() => props.onSwitch(successor)}>
            {t('notInForce.switch', { successorName: successorName ?? successor, successor })}
          </button>
        ) : null}
        {lastDay ? (
          <button type="button" className="secondary" onClick={() => props.onFormer(code, lastDay)}>
            {t('notInForce.former', { name, date: formatDate(lastDay) })}
          </button>
        ) : null}
      </div>
    </div>
  );
}
