import { ApiError } from '../api/client';
import { addDays, type MapHistory } from '../api/administrative-map';
import { formatDate } from '../i18n/format';
import { useT, type Messages } from '../i18n/i18n';

const messages: Messages = {
  vi: {
    'notInForce.title': 'Mã tỉnh {code} không có hiệu lực vào ngày {asOf}.',
    'notInForce.successor': 'Từ ngày {date}, địa bàn tỉnh {name} ({code}) thuộc tỉnh {successorName} ({successor}).',
    'notInForce.successorNoDate': 'Vào ngày này, địa bàn của mã {code} thuộc tỉnh {successorName} ({successor}).',
    'notInForce.none': 'Vào ngày này không có tỉnh nào mang mã này.',
    'notInForce.switch': 'Xem tỉnh {successorName} ({successor})',
    'notInForce.former': 'Xem địa bàn {name} cũ (ranh giới ngày {date})',
  },
  en: {
    'notInForce.title': 'Province code {code} is not in force on {asOf}.',
    'notInForce.successor': 'From {date}, the territory of {name} ({code}) is part of {successorName} ({successor}).',
    'notInForce.successorNoDate': 'On that date the territory of code {code} is part of {successorName} ({successor}).',
    'notInForce.none': 'No province has this code on that date.',
    'notInForce.switch': 'Show {successorName} ({successor})',
    'notInForce.former': 'Show former {name} (boundaries of {date})',
  },
};

/** Whether a failed request is the server's PROVINCE_NOT_IN_FORCE (which ProvinceNotInForce shows). */
export function isProvinceNotInForce(error: unknown): boolean {
  return error instanceof ApiError && error.problem.code === 'PROVINCE_NOT_IN_FORCE';
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
  /** Where the page can show a territory on fixed boundaries: the former territory on its last day. */
  onFormer?(code: string, boundariesOn: string): void;
}) {
  const t = useT(messages);
  const { error, code, asOf, history } = props;
  if (!(error instanceof ApiError) || !isProvinceNotInForce(error)) return null;
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
        {lastDay && props.onFormer ? (
          <button type="button" className="secondary" onClick={() => props.onFormer!(code, lastDay)}>
            {t('notInForce.former', { name, date: formatDate(lastDay) })}
          </button>
        ) : null}
      </div>
    </div>
  );
}
