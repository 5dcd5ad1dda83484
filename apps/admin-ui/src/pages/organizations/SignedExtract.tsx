import { useState, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError } from '../../api/client';
import { apiPath } from '../../api/paths';
import type { OrganizationAsOf } from '../../api/types';
import { ProblemMessage } from '../../components/ProblemMessage';
import { formatDate, formatNumber, formatTimestamp } from '../../i18n/format';
import { useLocale, useT, type Messages, type Translate } from '../../i18n/i18n';
import { useApi, useSession } from '../../session/session';
import { useOrgT, yesNo } from './shared';
import { saveBlob } from '../../api/save-blob';

const messages: Messages = {
  vi: {
    'extract.heading': 'Trích lục có chữ ký',
    'extract.hint':
      'Trạng thái của tổ chức tại ngày đang xem, cùng mọi sự kiện tạo nên trạng thái ấy, mỗi sự kiện có bằng chứng nằm trong nhật ký (RFC 9162) và điểm mốc có chữ ký của máy chủ. Ngân hàng, toà án… tự kiểm tra được mà không cần truy cập máy chủ.',
    'extract.json': 'Tải trích lục (JSON)',
    'extract.print': 'Mở trang in',
    'extract.busy': 'Đang lập trích lục…',
    'extract.done': 'Đã tải {name}.',
    'extract.popupBlocked': 'Trình duyệt đã chặn cửa sổ mới: hãy cho phép cửa sổ bật lên cho trang này.',
    'extract.title': 'Trích lục sổ đăng ký có chữ ký',
    'extract.organization': 'Tổ chức',
    'extract.asOf': 'Trạng thái tại ngày',
    'extract.knownAt': 'Theo dữ liệu đã ghi nhận đến',
    'extract.state': 'Trạng thái',
    'extract.events': 'Các sự kiện ({n}) và vị trí của chúng trong nhật ký',
    'extract.col.leaf': 'Chỉ số lá',
    'extract.col.stream': 'Luồng',
    'extract.col.revision': 'Phiên bản',
    'extract.col.type': 'Sự kiện',
    'extract.col.recordedAt': 'Ghi nhận lúc',
    'extract.col.hash': 'Mã băm SHA-256',
    'extract.checkpoint': 'Điểm mốc có chữ ký',
    'extract.key': 'Khoá kiểm chứng',
    'extract.verify': 'Cách kiểm tra',
    'extract.verify.1': 'Lưu tệp JSON của trích lục này (nút “Tải trích lục (JSON)” trên trang tổ chức).',
    'extract.verify.2':
      'Lấy khoá kiểm chứng từ một nguồn độc lập với trích lục (trang Kiểm toán, hoặc bản đã công bố) và so với khoá in ở trên.',
    'extract.verify.3': 'Chạy lệnh (mã nguồn của sổ đăng ký, không cần mạng):',
    'extract.verify.4':
      'Lệnh kiểm tra mã băm của từng sự kiện, bằng chứng nằm trong nhật ký của từng sự kiện, chữ ký của điểm mốc, và tính lại trạng thái từ các sự kiện.',
    'extract.verify.5': 'Để biết nhật ký sau này không bị viết lại: lưu điểm mốc và dùng npm run cli -- verify-log --checkpoint <tệp> --url <máy chủ>.',
    'extract.printNow': 'In',
    'extract.generated': 'Lập lúc {time}.',
    'extract.proofs': 'Bằng chứng (audit path) của mỗi sự kiện nằm trong tệp JSON.',
    'extract.pending': 'Sự kiện mới nhất của tổ chức chưa nằm dưới một điểm mốc có chữ ký (điểm mốc được ký vài giây một lần): thử lại sau ít giây.',
  },
  en: {
    'extract.heading': 'Signed extract',
    'extract.hint':
      'The organization’s state on the date shown, with every event it was computed from, each with its proof of inclusion in the log (RFC 9162) and the server’s signed checkpoint. A bank or a court can check it without reaching the server.',
    'extract.json': 'Download the extract (JSON)',
    'extract.print': 'Open a printable page',
    'extract.busy': 'Preparing the extract…',
    'extract.done': 'Downloaded {name}.',
    'extract.popupBlocked': 'The browser blocked the new window: allow pop-ups for this page.',
    'extract.title': 'Signed extract of the register',
    'extract.organization': 'Organization',
    'extract.asOf': 'State on',
    'extract.knownAt': 'As recorded by',
    'extract.state': 'State',
    'extract.events': 'Events ({n}) and their place in the log',
    'extract.col.leaf': 'Leaf index',
    'extract.col.stream': 'Stream',
    'extract.col.revision': 'Revision',
    'extract.col.type': 'Event',
    'extract.col.recordedAt': 'Recorded at',
    'extract.col.hash': 'SHA-256 hash',
    'extract.checkpoint': 'Signed checkpoint',
    'extract.key': 'Verifier key',
    'extract.verify': 'How to check it',
    'extract.verify.1': 'Save this extract’s JSON file (the “Download the extract (JSON)” button of the organization’s page).',
    'extract.verify.2': 'Obtain the verifier key apart from the extract (the audit page, or where it was published) and compare it with the key printed above.',
    'extract.verify.3': 'Run (the register’s source code, no network needed):',
    'extract.verify.4': 'It checks each event’s hash, each event’s inclusion proof, the checkpoint’s signature, and recomputes the state from the events.',
    'extract.verify.5': 'To know the log is not rewritten later: keep the checkpoint and run npm run cli -- verify-log --checkpoint <file> --url <server>.',
    'extract.printNow': 'Print',
    'extract.generated': 'Made at {time}.',
    'extract.proofs': 'Each event’s proof (audit path) is in the JSON file.',
    'extract.pending': 'The organization’s latest event is not yet under a signed checkpoint (one is signed every few seconds): try again in a moment.',
  },
};

/** GET /api/organizations/{id}/extract, as far as the UI reads it (libs/transparency's OrganizationExtract). */
interface Extract {
  organizationId: string;
  asOf: string;
  knownAt: string;
  state: Record<string, unknown> & Partial<OrganizationAsOf> & { unionIds?: string[]; version?: number };
  checkpoint: string;
  verifierKey: string;
  events: { leafIndex: number; event: { streamId: string; revision: number; type: string; data: Record<string, unknown>; metadata: { recordedAt?: string; hash?: string } }; auditPath: string[] }[];
}

/**
 * The organization page's signed extract (issue 18), for auditors, admins and the registrars of its
 * province (the server decides; the section shows to those roles): the extract as the server signed it,
 * saved byte for byte as JSON (what `cli verify-extract` checks), and a printable page of it with the
 * verifier's instructions, opened in a new window (opened at the click, so no pop-up blocker takes it).
 */
export function SignedExtract({ id, asOf, knownAt, organization }: { id: string; asOf: string; knownAt: string | null; organization: OrganizationAsOf | undefined }) {
  const tx = useT(messages);
  const to = useOrgT();
  const t: Translate = (key, vars) => (key.startsWith('extract.') ? tx(key, vars) : to(key, vars));
  const { locale } = useLocale();
  const api = useApi();
  const { can, canWriteProvince } = useSession();
  const [busy, setBusy] = useState<'json' | 'print' | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (!organization || !(can('audit:read') || canWriteProvince(organization.provinceCode))) return null;

  const path = apiPath`/api/organizations/${id}/extract`;
  const query = { asOf, knownAt };
  const fallbackName = `trich-luc-${organization.registrationNumber.replace(/[^A-Za-z0-9._-]+/g, '-')}-${asOf}.json`;

  const downloadJson = async () => {
    setBusy('json');
    setError(null);
    setDone(null);
    try {
      // The bytes as the server sent them: the file the verifier checks is the server's own.
      const { blob, fileName } = await api.download(path, query);
      const name = fileName ?? fallbackName;
      saveBlob(new Blob([blob], { type: 'application/json' }), name);
      setDone(name);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  };

  const openPrintable = async () => {
    setError(null);
    setDone(null);
    const popup = window.open('', '_blank');
    if (!popup) {
      setError(new Error(tx('extract.popupBlocked')));
      return;
    }
    popup.document.title = tx('extract.title');
    popup.document.body.textContent = tx('extract.busy');
    setBusy('print');
    try {
      const extract = await api.get<Extract>(path, query);
      renderPrintable(popup, extract, t, locale);
    } catch (caught) {
      popup.close();
      setError(caught);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="card org-extract" aria-labelledby="org-extract-heading" data-testid="signed-extract">
      <h2 id="org-extract-heading">{tx('extract.heading')}</h2>
      <p className="hint">{tx('extract.hint')}</p>
      <div className="export-buttons" role="group" aria-label={tx('extract.heading')}>
        <button type="button" className="secondary" disabled={busy !== null} aria-busy={busy === 'json'} onClick={() => void downloadJson()}>
          {tx('extract.json')}
        </button>
        <button type="button" className="secondary" disabled={busy !== null} aria-busy={busy === 'print'} onClick={() => void openPrintable()}>
          {tx('extract.print')}
        </button>
        <span className="export-status" role="status" aria-live="polite">
          {busy ? tx('extract.busy') : done ? tx('extract.done', { name: done }) : ''}
        </span>
      </div>
      {error instanceof ApiError && error.problem.code === 'CHECKPOINT_PENDING' ? (
        <div className="problem" role="alert">
          <strong>{tx('extract.pending')}</strong>
        </div>
      ) : (
        <ProblemMessage error={error} />
      )}
    </section>
  );
}

/**
 * Renders the extract into the new window with its own React root (it stays when this page is left),
 * with the app's stylesheets copied over and the print rules of PrintableExtract's own <style>.
 */
function renderPrintable(popup: Window, extract: Extract, t: Translate, locale: 'vi' | 'en'): void {
  const doc = popup.document;
  doc.documentElement.lang = locale;
  doc.title = `${t('extract.title')} — ${String(extract.state.name ?? extract.organizationId)}`;
  for (const sheet of Array.from(document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]'))) {
    const link = doc.createElement('link');
    link.rel = 'stylesheet';
    link.href = sheet.href;
    doc.head.append(link);
  }
  for (const style of Array.from(document.querySelectorAll('style'))) doc.head.append(doc.importNode(style, true));
  doc.body.textContent = '';
  const container = doc.createElement('div');
  doc.body.append(container);
  createRoot(container).render(<PrintableExtract extract={extract} t={t} locale={locale} onPrint={() => popup.print()} />);
}

function PrintableExtract({ extract, t, locale, onPrint }: { extract: Extract; t: Translate; locale: 'vi' | 'en'; onPrint(): void }) {
  const state = extract.state;
  const rows: [string, ReactNode][] = [
    [t('field.name'), String(state.name ?? '')],
    [t('field.registrationNumber'), String(state.registrationNumber ?? '')],
    [t('field.kind'), t(`kind.${String(state.kind)}`)],
    [t('field.provinceCode'), String(state.provinceCode ?? '')],
    [t('field.formerProvince'), String(state.formerProvinceCode ?? '')],
    [t('field.sector'), t(`sector.${String(state.sector)}`)],
    [t('field.status'), t(`status.${String(state.status)}`)],
    [t('field.registeredOn'), formatDate(state.registeredOn as string | undefined)],
  ];
  if (state.dissolvedOn) rows.push([t('field.dissolvedOn'), formatDate(state.dissolvedOn as string)]);
  if (state.kind !== 'union') rows.push([t('field.memberCount'), formatNumber(state.memberCount ?? null, locale)]);
  if (state.kind !== 'cooperative_group') {
    const rating = state.rating as { rating: string; year: number; ratedOn: string } | null | undefined;
    rows.push([t('field.rating'), rating ? t('org.ratingValue', { rating: t(`rating.${rating.rating}`), year: rating.year, date: formatDate(rating.ratedOn) }) : t('org.notRated')]);
  }
  const managers = state.managers as { total: number; withDegree: number } | null | undefined;
  rows.push(
    [t('field.managers'), managers ? t('field.managers.value', { ...managers }) : t('unknown')],
    [t('field.directorTrained'), yesNo(t, state.directorTrained as boolean | null | undefined)],
    [t('field.valueChain'), yesNo(t, state.valueChain as boolean | null | undefined)],
    [t('field.highTech'), yesNo(t, state.highTech as boolean | null | undefined)],
    [t('field.enterpriseLinked'), yesNo(t, state.enterpriseLinked as boolean | null | undefined)],
    [t('field.digitalAdoption'), yesNo(t, state.digitalAdoption as boolean | null | undefined)],
  );
  if (state.kind === 'union') rows.push([t('field.memberCooperativeIds'), <Ids key="members" ids={state.memberCooperativeIds ?? []} />]);
  if (state.kind === 'cooperative') rows.push([t('field.unionIds'), <Ids key="unions" ids={state.unionIds ?? []} />]);
  rows.push([t('field.id'), <code key="id">{extract.organizationId}</code>], [t('field.version'), String(state.version ?? '')]);

  return (
    <main className="extract-print" data-testid="printable-extract">
      <style>{PRINT_CSS}</style>
      <p className="extract-print-actions">
        <button type="button" className="primary" onClick={onPrint}>
          {t('extract.printNow')}
        </button>
      </p>
      <h1>{t('extract.title')}</h1>
      <dl className="extract-print-facts">
        <div>
          <dt>{t('extract.organization')}</dt>
          <dd>
            {String(state.name ?? '')} ({String(state.registrationNumber ?? '')})
          </dd>
        </div>
        <div>
          <dt>{t('extract.asOf')}</dt>
          <dd>{formatDate(extract.asOf)}</dd>
        </div>
        <div>
          <dt>{t('extract.knownAt')}</dt>
          <dd>{formatTimestamp(extract.knownAt)}</dd>
        </div>
      </dl>
      <h2>{t('extract.state')}</h2>
      <table className="extract-print-state">
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('extract.events', { n: extract.events.length })}</h2>
      <table className="extract-print-events" data-testid="printable-events">
        <thead>
          <tr>
            <th scope="col">{t('extract.col.leaf')}</th>
            <th scope="col">{t('extract.col.stream')}</th>
            <th scope="col">{t('extract.col.revision')}</th>
            <th scope="col">{t('extract.col.type')}</th>
            <th scope="col">{t('extract.col.recordedAt')}</th>
            <th scope="col">{t('extract.col.hash')}</th>
          </tr>
        </thead>
        <tbody>
          {extract.events.map(({ leafIndex, event }) => (
            <tr key={leafIndex}>
              <td className="extract-print-number">{leafIndex}</td>
              <td>
                <code>{event.streamId}</code>
              </td>
              <td className="extract-print-number">{event.revision}</td>
              <td>{eventName(t, event.type)}</td>
              <td>{event.metadata.recordedAt ? formatTimestamp(event.metadata.recordedAt) : ''}</td>
              <td>
                <code className="extract-print-hash">{event.metadata.hash ?? ''}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">{t('extract.proofs')}</p>
      <h2>{t('extract.checkpoint')}</h2>
      <pre className="extract-print-note" data-testid="printable-checkpoint">
        {extract.checkpoint}
      </pre>
      <h2>{t('extract.key')}</h2>
      <p>
        <code className="extract-print-hash" data-testid="printable-key">
          {extract.verifierKey}
        </code>
      </p>
      <h2>{t('extract.verify')}</h2>
      <ol className="extract-print-steps" data-testid="printable-instructions">
        <li>{t('extract.verify.1')}</li>
        <li>{t('extract.verify.2')}</li>
        <li>
          {t('extract.verify.3')}
          <pre className="extract-print-command">{`npm run cli -- verify-extract <file> --key ${extract.verifierKey}`}</pre>
          {t('extract.verify.4')}
        </li>
        <li>{t('extract.verify.5')}</li>
      </ol>
      <p className="hint">{t('extract.generated', { time: formatTimestamp(new Date().toISOString()) })}</p>
    </main>
  );
}

function Ids({ ids }: { ids: string[] }) {
  return ids.length ? (
    <ul className="extract-print-ids">
      {ids.map((memberId) => (
        <li key={memberId}>
          <code>{memberId}</code>
        </li>
      ))}
    </ul>
  ) : (
    <>—</>
  );
}

/** The page's event word where the dictionary has it, else the stored type (a map's event, say). */
function eventName(t: Translate, type: string): string {
  const key = `event.${type}`;
  const text = t(key);
  return text === key ? type : text;
}

/** The printable page's layout: the app's fonts and colours, one column, no button on paper. */
const PRINT_CSS = `
.extract-print { max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; }
.extract-print h1 { font-size: 1.5rem; }
.extract-print h2 { font-size: 1.15rem; margin-top: 1.5rem; }
.extract-print-facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 0.35rem 1rem; }
.extract-print-facts dt { color: var(--muted, #4a5360); font-size: 0.85rem; }
.extract-print-facts dd { margin: 0; font-weight: 600; }
.extract-print-state th { width: 40%; font-weight: 600; }
.extract-print-events { font-size: 0.85rem; }
.extract-print-number { font-variant-numeric: tabular-nums; text-align: right; }
.extract-print-hash { overflow-wrap: anywhere; font-size: 0.8rem; }
.extract-print-note, .extract-print-command { white-space: pre-wrap; overflow-wrap: anywhere; border: 1px solid #c9d0d8; padding: 0.5rem 0.75rem; font-size: 0.85rem; }
.extract-print-ids { margin: 0; padding-left: 1.1rem; }
@media print {
  .extract-print-actions { display: none; }
  .extract-print { margin: 0; max-width: none; }
  body { background: #fff; }
  tr { break-inside: avoid; }
}
`;
