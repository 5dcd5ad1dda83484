import { formatDate, formatNumber } from '../../i18n/format';
import { useLocale, useT, type Translate } from '../../i18n/i18n';
import { messages } from './messages';
import { reportCsv } from './report-csv';
import type { ImportReport, ImportValue } from './upload';
import type { Locale } from '../../i18n/types';
import { saveBlob } from '../../api/save-blob';

/** Rows shown per table: a national file can refuse thousands; the first ones say what to correct. */
const SHOWN = 500;

/**
 * An import's report by row (dry run or real): the counts, the refused rows with their row number,
 * column and the reason in the user's language, and the rows whose values differ from the record.
 */
export function ImportReportView({ report }: { report: ImportReport }) {
  const t = useT(messages);
  const { locale } = useLocale();
  const number = (value: number) => formatNumber(value, locale);
  const refused = [...report.refused].sort((a, b) => a.row - b.row);
  const differences = [...report.differences].sort((a, b) => a.row - b.row);
  const refusedRows = new Set(report.refused.map((refusal) => refusal.row)).size;
  return (
    <>
      <dl className="import-counts" data-testid="import-counts">
        <Count label={t('count.rows')} value={number(report.rows)} name="rows" />
        <Count label={t(report.dryRun ? 'count.created.dry' : 'count.created')} value={number(report.created)} name="created" />
        <Count label={t('count.unchanged')} value={number(report.unchanged)} name="unchanged" />
        {report.changed > 0 ? <Count label={t('count.changed')} value={number(report.changed)} name="changed" /> : null}
        <Count label={t('count.differences')} value={number(new Set(differences.map((difference) => difference.row)).size)} name="differences" />
        <Count label={t('count.refused')} value={number(refusedRows)} name="refused" warn={refusedRows > 0} />
      </dl>

      {refused.length + differences.length > 0 ? (
        <p>
          <button type="button" className="secondary" onClick={() => download(report, locale, t)} data-testid="import-report-csv">
            {t('csv.download')}
          </button>
        </p>
      ) : null}

      <h3>{t('refused.heading', { n: number(refusedRows) })}</h3>
      {refused.length === 0 ? (
        <p className="hint">{t('refused.none')}</p>
      ) : (
        <>
          <p className="hint">{t('refused.caption')}</p>
          <div className="table-wrap">
            <table className="import-table" data-testid="import-refused">
              <thead>
                <tr>
                  <th scope="col">{t('col.row')}</th>
                  <th scope="col">{t('col.column')}</th>
                  <th scope="col">{t('col.reason')}</th>
                  <th scope="col">{t('col.code')}</th>
                </tr>
              </thead>
              <tbody>
                {refused.slice(0, SHOWN).map((refusal, index) => (
                  <tr key={`${refusal.row}:${refusal.column ?? ''}:${index}`} data-row={refusal.row}>
                    <td className="import-row-number">{refusal.row}</td>
                    <td>{refusal.column ?? <span className="hint">{t('column.whole')}</span>}</td>
                    <td>{refusal.messages?.[locale] ?? refusal.message}</td>
                    <td>
                      <code>{refusal.code}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {refused.length > SHOWN ? <p className="hint">{t('list.truncated', { shown: number(SHOWN), total: number(refused.length) })}</p> : null}
        </>
      )}

      {differences.length > 0 ? (
        <>
          <h3>{t('differences.heading', { n: number(differences.length) })}</h3>
          <p className="hint">{t('differences.caption')}</p>
          <div className="table-wrap">
            <table className="import-table" data-testid="import-differences">
              <thead>
                <tr>
                  <th scope="col">{t('col.row')}</th>
                  <th scope="col">{t('col.column')}</th>
                  <th scope="col">{t('col.recorded')}</th>
                  <th scope="col">{t('col.file')}</th>
                </tr>
              </thead>
              <tbody>
                {differences.slice(0, SHOWN).map((difference, index) => (
                  <tr key={`${difference.row}:${difference.column}:${index}`} data-row={difference.row}>
                    <td className="import-row-number">{difference.row}</td>
                    <td>{difference.column}</td>
                    <td>{valueText(t, difference.recorded as ImportValue)}</td>
                    <td>{valueText(t, difference.file as ImportValue)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {differences.length > SHOWN ? <p className="hint">{t('list.truncated', { shown: number(SHOWN), total: number(differences.length) })}</p> : null}
        </>
      ) : null}
    </>
  );
}

function Count({ label, value, name, warn = false }: { label: string; value: string; name: string; warn?: boolean }) {
  return (
    <div className={`import-count${warn ? ' import-count-warn' : ''}`}>
      <dt>{label}</dt>
      <dd data-testid={`import-count-${name}`}>{value}</dd>
    </div>
  );
}

/**
 * A value of a difference as the registrar wrote it: the api answers its own words (`agriculture`,
 * `good`) and ISO dates on both sides; they are shown in the app's words and dd/mm/yyyy.
 */
function valueText(t: Translate, value: ImportValue): string {
  if (value === null || value === '') return t('value.empty');
  if (typeof value === 'boolean') return t(value ? 'value.yes' : 'value.no');
  if (typeof value === 'number') return String(value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
  for (const group of ['kind', 'sector', 'status', 'rating']) {
    const key = `${group}.${value}`;
    const word = t(key);
    if (word !== key) return word;
  }
  return value;
}

/** Saves the report by row as `<file>-bao-cao.csv` (built here from the answer: nothing is asked of the server again). */
function download(report: ImportReport, locale: Locale, t: Translate): void {
  const text = reportCsv(report, locale, {
    headers: [t('csv.kind'), t('col.row'), t('col.column'), t('col.code'), t('col.reason'), t('col.recorded'), t('col.file')],
    refused: t('csv.refused'),
    difference: t('csv.difference'),
    wholeRow: t('column.whole'),
  });
  saveBlob(new Blob([text], { type: 'text/csv;charset=utf-8' }), `${report.file.name.replace(/\.(xlsx|csv)$/i, '')}-${locale === 'vi' ? 'bao-cao' : 'report'}.csv`);
}
