import { unitName, type MapHistory } from '../../api/administrative-map';
import type { HistoryEntry } from '../../api/types';
import { formatDate } from '../../i18n/format';
import type { Translate } from '../../i18n/i18n';
import { provincePeriods } from './province-periods';

/**
 * The provinces an organization's seat belonged to over time (domain.md, "Administrative units"):
 * derived, never recorded as such. A registration or relocation records the seat as a unit (its
 * `formerProvinceCode`, else its `provinceCode`: a first-map province, api contract); the province
 * holding that unit on a date comes from the map, so a cooperative registered in Kiên Giang (91) in
 * 2020 is "in An Giang (91) since 01/07/2025" without any event of its own.
 */

export function ProvinceHistory(props: { events: HistoryEntry[]; history: MapHistory | null; until: string; t: Translate }) {
  const { t, history } = props;
  if (!history) return <p role="status">{t('history.loading')}</p>;
  const periods = provincePeriods(props.events, history, props.until);
  if (periods.length === 0) return null;
  return (
    <ol className="org-province-history" data-testid="province-history">
      {periods.map((period) => {
        const where = `${period.name} (${period.code})${period.merged ? `, ${t('history.former', { name: unitName(history, period.unit) })}` : ''}`;
        return (
          <li key={`${period.kind}-${period.date}-${period.unit}`} data-kind={period.kind}>
            {t(`history.${period.kind}`, { province: where, date: formatDate(period.date) })}
          </li>
        );
      })}
    </ol>
  );
}
