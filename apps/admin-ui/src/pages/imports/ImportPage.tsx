import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { Link } from 'react-router';
import { DateInput } from '../../components/DateInput';
import { useLocale, useT } from '../../i18n/i18n';
import { useApi, useSession } from '../../session/session';
import { ImportReportView } from './ImportReportView';
import { ImportProblem } from './ImportProblem';
import { messages } from './messages';
import { formatSize, MAX_FILE_BYTES, mediaTypeOf, uploadImport, type ImportReport, type UploadProgress } from './upload';
import './imports.css';
import { saveBlob } from '../../api/save-blob';

type Busy = { dryRun: boolean; progress: UploadProgress; startedAt: number };

/**
 * The upload page (route `/imports`, issue 17): a registrar drops or chooses an XLSX or CSV file of
 * the template; it is sent at once as a dry run (nothing written) and its report shown by row; the
 * Confirm button sends the same file for real and shows what was recorded. The server judges every
 * row by the API's rules and a registrar's own provinces; the page only offers the steps.
 */
export function ImportPage() {
  const t = useT(messages);
  const { locale } = useLocale();
  const { can, token, signOut } = useSession();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [busy, setBusy] = useState<Busy | null>(null);
  // A failure, and whether it was the dry run's (shown by the file) or the confirmed import's (by the Confirm button).
  const [error, setError] = useState<{ error: unknown; dryRun: boolean } | null>(null);
  const [dry, setDry] = useState<ImportReport | null>(null);
  const [done, setDone] = useState<ImportReport | null>(null);
  const [applyChanges, setApplyChanges] = useState(false);
  const [effectiveOn, setEffectiveOn] = useState('');
  const [effectiveOnError, setEffectiveOnError] = useState<string | undefined>();
  const api = useApi();
  const abort = useRef<AbortController | null>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);
  const inputId = useId();

  // Leaving the page stops a dry run under way (it writes nothing, and its answer would land on nothing).
  // A confirmed import is not stopped: once its file is up the server goes on whatever the page does,
  // and its answer still tells the client where the dashboard must read from.
  useEffect(() => () => abort.current?.abort(), []);
  // Closing the tab during a confirmed import would lose its result: the browser asks first.
  const importing = busy !== null && !busy.dryRun;
  useEffect(() => {
    if (!importing) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [importing]);
  // The outcome takes the focus, so a screen reader reads it and the keyboard continues from there.
  useEffect(() => {
    if ((dry || done) && !busy) resultRef.current?.focus();
  }, [dry, done, busy]);

  if (!can('organizations:write')) {
    return (
      <>
        <h1>{t('heading')}</h1>
        <p className="problem" role="alert">
          {t('forbidden')}
        </p>
      </>
    );
  }

  const send = async (chosen: File, dryRun: boolean) => {
    const controller = new AbortController();
    if (dryRun) abort.current = controller;
    setError(null);
    setBusy({ dryRun, progress: { sent: 0, total: chosen.size, processing: false }, startedAt: Date.now() });
    try {
      const report = await uploadImport(chosen, {
        token,
        dryRun,
        applyChanges: !dryRun && applyChanges,
        effectiveOn,
        onUnauthorized: signOut,
        signal: controller.signal,
        onProgress: (progress) => setBusy((previous) => (previous ? { ...previous, progress } : previous)),
      });
      if (dryRun) {
        setDry(report);
      } else {
        // The dashboard and the list read after the import's last write.
        if (report.position) api.notePosition(report.position);
        setDone(report);
      }
    } catch (caught) {
      if (!(caught instanceof DOMException && caught.name === 'AbortError')) setError({ error: caught, dryRun });
    } finally {
      if (abort.current === controller) abort.current = null;
      setBusy(null);
    }
  };

  const choose = (chosen: File | undefined) => {
    if (!chosen || busy) return;
    setDry(null);
    setDone(null);
    setError(null);
    setApplyChanges(false);
    setFile(chosen);
    const problem = !mediaTypeOf(chosen) ? 'file.unsupported' : chosen.size > MAX_FILE_BYTES ? 'file.tooLarge' : chosen.size === 0 ? 'file.empty' : null;
    setFileError(problem ? t(problem, { name: chosen.name }) : null);
    if (!problem) void send(chosen, true);
  };

  const confirm = () => {
    if (!file || !dry) return;
    if (applyChanges && !effectiveOn) {
      setEffectiveOnError(t('apply.dateRequired'));
      return;
    }
    setEffectiveOnError(undefined);
    void send(file, false);
  };

  const reset = () => {
    abort.current?.abort();
    setFile(null);
    setFileError(null);
    setDry(null);
    setDone(null);
    setError(null);
    setApplyChanges(false);
  };

  const nothingToDo = dry !== null && dry.created === 0 && !(applyChanges && dry.differences.length > 0);
  const refusedRows = (report: ImportReport) => new Set(report.refused.map((refusal) => refusal.row)).size;

  return (
    <>
      <h1>{t('heading')}</h1>
      <p className="import-intro">{t('intro')}</p>
      <TemplateLink />

      {!done ? (
        <section className="card" aria-labelledby={`${inputId}-heading`}>
          <h2 id={`${inputId}-heading`} className="import-section-heading">
            {t('drop.label')}
          </h2>
          <DropZone inputId={inputId} disabled={busy !== null} onFile={choose} />
          {file ? (
            <p className="import-file" data-testid="import-file">
              {t('file.chosen', { name: file.name, size: formatSize(file.size, locale) })}
            </p>
          ) : null}
          {fileError ? (
            <p className="problem" role="alert">
              {fileError}
            </p>
          ) : null}
          {busy?.dryRun && file ? <Progress busy={busy} file={file} /> : null}
          <ImportProblem error={error?.dryRun ? error.error : null} />
        </section>
      ) : null}

      {dry && !done ? (
        <section className="card import-report" aria-labelledby={`${inputId}-dry`} data-testid="import-dry-run">
          <h2 id={`${inputId}-dry`} ref={resultRef} tabIndex={-1}>
            {t('dry.heading')}
          </h2>
          <ImportReportView report={dry} />
          {dry.differences.length > 0 ? (
            <div className="import-apply">
              <label className="checkbox field">
                <input type="checkbox" checked={applyChanges} disabled={busy !== null} onChange={(event) => setApplyChanges(event.target.checked)} />
                {t('apply.label')}
              </label>
              {applyChanges ? <DateInput label={t('apply.date')} value={effectiveOn} onChange={setEffectiveOn} required error={effectiveOnError} /> : null}
            </div>
          ) : null}
          <p className="hint" data-testid="import-confirm-hint">
            {nothingToDo ? t('confirm.nothing') : t('confirm.hint', { created: dry.created, refused: refusedRows(dry) })}
          </p>
          {busy && !busy.dryRun && file ? <Progress busy={busy} file={file} /> : null}
          <ImportProblem error={error && !error.dryRun ? error.error : null} />
          <div className="import-actions">
            <button type="button" className="primary" onClick={confirm} disabled={busy !== null || nothingToDo} aria-busy={busy !== null && !busy.dryRun}>
              {t('confirm.button')}
            </button>
            <button type="button" className="secondary" onClick={reset} disabled={busy !== null && !busy.dryRun}>
              {t('again.button')}
            </button>
          </div>
        </section>
      ) : null}

      {done ? (
        <section className="card import-report" aria-labelledby={`${inputId}-done`} data-testid="import-result">
          <h2 id={`${inputId}-done`} ref={resultRef} tabIndex={-1}>
            {t('result.heading')}
          </h2>
          <p className="success" role="status">
            {t('done.summary', { name: done.file.name, created: done.created, unchanged: done.unchanged, refused: refusedRows(done) })}
          </p>
          <p className="import-actions">
            <Link to="/">{t('done.dashboard')}</Link>
            <Link to="/organizations">{t('done.organizations')}</Link>
            <button type="button" className="secondary" onClick={reset}>
              {t('done.another')}
            </button>
          </p>
          <ImportReportView report={done} />
          <p className="hint import-sha">
            {t('file.sha256')}: <code>{done.file.sha256}</code>
          </p>
        </section>
      ) : null}
    </>
  );
}

/** The drop target and the file input it labels (the input stays the keyboard's and the screen reader's way in). */
function DropZone({ inputId, disabled, onFile }: { inputId: string; disabled: boolean; onFile(file: File | undefined): void }) {
  const t = useT(messages);
  const [over, setOver] = useState(false);
  // A file dropped beside the zone would make the browser open it in place of the app (and forget the report).
  useEffect(() => {
    const keep = (event: globalThis.DragEvent) => {
      if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
    };
    window.addEventListener('dragover', keep);
    window.addEventListener('drop', keep);
    return () => {
      window.removeEventListener('dragover', keep);
      window.removeEventListener('drop', keep);
    };
  }, []);
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    if (!disabled) onFile(event.dataTransfer.files[0]);
  };
  return (
    <div
      className={`import-drop${over ? ' import-drop-over' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        if (!disabled) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      data-testid="import-drop"
    >
      <span>{t('drop.zone')}</span>{' '}
      <label htmlFor={inputId} className="import-choose">
        {t('drop.choose')}
      </label>
      <input
        id={inputId}
        className="import-input"
        type="file"
        accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
        disabled={disabled}
        aria-describedby={`${inputId}-hint`}
        onChange={(event) => {
          onFile(event.target.files?.[0]);
          // The same file chosen again (after correcting it) must fire change again.
          event.target.value = '';
        }}
      />
      <p className="hint" id={`${inputId}-hint`}>
        {t('drop.hint')}
      </p>
    </div>
  );
}

/** The bytes sent (a determinate bar), then the server reading the rows (an indeterminate one, with the seconds). */
function Progress({ busy, file }: { busy: Busy; file: File }) {
  const t = useT(messages);
  const { locale } = useLocale();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  const { sent, total, processing } = busy.progress;
  const fraction = total > 0 ? Math.min(1, sent / total) : 0;
  const vars = { name: file.name, size: formatSize(file.size, locale), seconds: Math.max(0, Math.round((now - busy.startedAt) / 1000)) };
  const text = processing
    ? t(busy.dryRun ? 'progress.checking' : 'progress.importing', vars)
    : t('progress.sending', { ...vars, percent: new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { style: 'percent' }).format(fraction) });
  return (
    <div className="import-progress" data-testid="import-progress" aria-busy="true">
      {processing ? <progress aria-label={t('progress.label')} /> : <progress aria-label={t('progress.label')} max={1} value={fraction} />}
      <p role="status" aria-live="polite">
        {text}
      </p>
    </div>
  );
}

/** The empty template, fetched with the session's token (every path under /api wants one) and saved. */
function TemplateLink() {
  const t = useT(messages);
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const { blob, fileName } = await api.download('/api/imports/template.xlsx');
      saveBlob(blob, fileName ?? 'mau-nhap.xlsx');
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="import-template">
      <button type="button" className="secondary" onClick={() => void download()} disabled={busy} aria-busy={busy} data-testid="import-template">
        {t('template.link')}
      </button>
      <span className="hint" role="status">
        {busy ? t('template.busy') : t('template.hint')}
      </span>
      <ImportProblem error={error} />
    </div>
  );
}
