import { useId, useRef, useState, type FormEvent } from 'react';
import { useQuery } from '../../api/use-query';
import { ProblemMessage } from '../../components/ProblemMessage';
import { formatNumber, formatTimestamp } from '../../i18n/format';
import { useLocale, useT, type Translate } from '../../i18n/i18n';
import {
  bytesToBase64,
  hasWebCrypto,
  NoteFormatError,
  parseCheckpointNote,
  parseVerifierKey,
  verifyConsistency,
  verifyNoteSignature,
  type Checkpoint,
  type SignatureCheck,
  type VerifierKey,
} from './transparency';
import { checkpointsFrom, consistencyProof, latestCheckpoint, verifierKey } from './transparency-api';
import { transparencyMessages } from './transparency-messages';
import './transparency.css';

interface Latest {
  note: string;
  checkpoint: Checkpoint;
  key: VerifierKey;
  issuedAt: string | null;
  signature: SignatureCheck | 'nocrypto';
}

/** The latest checkpoint, the key, and the browser's own check of the note's signature. */
async function loadLatest(): Promise<Latest | null> {
  const [note, keyText] = await Promise.all([latestCheckpoint(), verifierKey()]);
  if (note === null) return null;
  const checkpoint = parseCheckpointNote(note);
  const key = parseVerifierKey(keyText);
  const signature = hasWebCrypto() ? await verifyNoteSignature(checkpoint, key) : 'nocrypto';
  // The time is the store's, not the note's (a checkpoint body carries none).
  const entry = (await checkpointsFrom(checkpoint.treeSize).catch(() => [])).find((candidate) => Number(candidate.treeSize) === checkpoint.treeSize);
  return { note, checkpoint, key, issuedAt: entry?.issuedAt ?? null, signature };
}

type Outcome =
  | { ok: true; saved: number; current: number; proofNodes: number; signatures: 'verified' | 'unsupported'; keyFrom: 'saved' | 'server' }
  | { ok: false; reason: string; vars?: Record<string, string | number>; saved?: number; current?: number; keyFrom: 'saved' | 'server' };

/**
 * The verifiable log on the audit page (issue 18): the latest signed checkpoint to keep (its size,
 * root, time, text and the verifier key, each copyable), and the check an auditor runs with a
 * checkpoint kept earlier: the browser fetches the consistency proof from the saved size to the
 * latest and verifies it itself (RFC 9162 §2.1.4.2 over WebCrypto SHA-256), and both notes' Ed25519
 * signatures where the browser's WebCrypto has Ed25519 (else it says only the proof was checked).
 */
export function TransparencyPanel() {
  const t = useT(transparencyMessages);
  const { locale } = useLocale();
  const id = useId();
  const latest = useQuery(loadLatest, []);
  const [saved, setSaved] = useState('');
  const [keyText, setKeyText] = useState('');
  const [errors, setErrors] = useState<{ saved?: string; key?: string }>({});
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const run = useRef(0);

  const check = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const mine = ++run.current;
    setOutcome(null);
    setFailure(null);
    const fieldErrors: { saved?: string; key?: string } = {};
    let savedCheckpoint: Checkpoint | null = null;
    let ownKey: VerifierKey | null = null;
    if (saved.trim() === '') fieldErrors.saved = t('tlog.check.required');
    else {
      try {
        savedCheckpoint = parseCheckpointNote(saved);
      } catch (error) {
        fieldErrors.saved = reasonText(t, error);
      }
    }
    if (keyText.trim() !== '') {
      try {
        ownKey = parseVerifierKey(keyText);
      } catch (error) {
        fieldErrors.key = reasonText(t, error);
      }
    }
    setErrors(fieldErrors);
    if (!savedCheckpoint || fieldErrors.key) return;
    setBusy(true);
    try {
      const result = await checkConsistency(savedCheckpoint, ownKey);
      if (mine === run.current) setOutcome(result);
    } catch (error) {
      if (mine === run.current) setFailure(error);
    } finally {
      if (mine === run.current) setBusy(false);
    }
  };

  const data = latest.data;
  return (
    <section className="card tlog" aria-labelledby={`${id}-heading`} data-testid="transparency-panel">
      <h2 id={`${id}-heading`}>{t('tlog.heading')}</h2>
      <p className="hint tlog-intro">{t('tlog.intro')}</p>
      <div className="tlog-latest-heading">
        <h3>{t('tlog.latest')}</h3>
        {/* Checkpoints follow the log every few seconds: the newest on demand. */}
        <button type="button" className="link-button" onClick={latest.reload} disabled={latest.loading}>
          {t('tlog.reload')}
        </button>
      </div>
      {latest.loading && !data ? <p role="status">{t('tlog.loading')}</p> : null}
      {latest.error ? <ReasonOrProblem t={t} error={latest.error} /> : null}
      {!latest.loading && !latest.error && data === null ? <p>{t('tlog.none')}</p> : null}
      {data ? (
        <div data-testid="transparency-latest">
          <dl className="audit-facts">
            <div>
              <dt>{t('tlog.treeSize')}</dt>
              <dd data-testid="tlog-tree-size">{formatNumber(data.checkpoint.treeSize, locale)}</dd>
            </div>
            <div>
              <dt>{t('tlog.issuedAt')}</dt>
              <dd>{data.issuedAt ? formatTimestamp(data.issuedAt) : '—'}</dd>
            </div>
            <div>
              <dt>{t('tlog.origin')}</dt>
              <dd>
                <code>{data.checkpoint.origin}</code>
              </dd>
            </div>
            <div className="audit-facts-wide">
              <dt>{t('tlog.root')}</dt>
              <dd>
                <code data-testid="tlog-root">{bytesToBase64(data.checkpoint.root)}</code>
              </dd>
            </div>
            <div className="audit-facts-wide">
              <dt>{t('tlog.signature')}</dt>
              <dd data-testid="tlog-signature" className={data.signature === 'invalid' || data.signature === 'missing' ? 'status-behind' : undefined}>
                {data.signature === 'nocrypto' ? t('crypto.unavailable') : t(`tlog.signature.${data.signature}`)}
              </dd>
            </div>
          </dl>
          <CopyableText
            label={t('tlog.note')}
            text={data.note}
            copyLabel={t('tlog.copyNote')}
            fileName={`checkpoint-${data.checkpoint.treeSize}.txt`}
            testId="tlog-note"
            multiline
          />
          <CopyableText label={t('tlog.key')} hint={t('tlog.key.hint')} text={data.key.text} copyLabel={t('tlog.copyKey')} testId="tlog-key" />
        </div>
      ) : null}

      <h3 id={`${id}-check`}>{t('tlog.check.heading')}</h3>
      <form className="tlog-check" onSubmit={check} noValidate aria-labelledby={`${id}-check`} aria-busy={busy}>
        <div className="field">
          <label htmlFor={`${id}-saved`}>{t('tlog.check.saved')}</label>
          <textarea
            id={`${id}-saved`}
            rows={6}
            spellCheck={false}
            className="tlog-textarea"
            value={saved}
            onChange={(event) => setSaved(event.target.value)}
            aria-invalid={errors.saved ? true : undefined}
            aria-describedby={`${id}-saved-hint${errors.saved ? ` ${id}-saved-error` : ''}`}
          />
          <p className="hint" id={`${id}-saved-hint`}>
            {t('tlog.check.saved.hint')}
          </p>
          {errors.saved ? (
            <p className="field-error" id={`${id}-saved-error`} role="alert">
              {errors.saved}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={`${id}-key`}>{t('tlog.check.key')}</label>
          <input
            id={`${id}-key`}
            value={keyText}
            spellCheck={false}
            autoComplete="off"
            onChange={(event) => setKeyText(event.target.value)}
            aria-invalid={errors.key ? true : undefined}
            aria-describedby={`${id}-key-hint${errors.key ? ` ${id}-key-error` : ''}`}
          />
          <p className="hint" id={`${id}-key-hint`}>
            {t('tlog.check.key.hint')}
          </p>
          {errors.key ? (
            <p className="field-error" id={`${id}-key-error`} role="alert">
              {errors.key}
            </p>
          ) : null}
        </div>
        <button type="submit" className="primary" aria-disabled={busy ? true : undefined}>
          {busy ? t('tlog.check.running') : t('tlog.check.run')}
        </button>
        <p className="hint">{t('tlog.check.how')}</p>
      </form>
      <div aria-live="polite">
        {outcome ? <OutcomeView outcome={outcome} t={t} locale={locale} /> : null}
        {failure ? <ReasonOrProblem t={t} error={failure} /> : null}
      </div>
    </section>
  );
}

/**
 * The check itself: the server's latest checkpoint and key now, the saved note's signature and origin,
 * then the proof from the saved size to the latest one, verified here.
 */
async function checkConsistency(saved: Checkpoint, ownKey: VerifierKey | null): Promise<Outcome> {
  if (!hasWebCrypto()) throw new NoteFormatError('crypto.unavailable');
  const keyFrom = ownKey ? 'saved' : 'server';
  const key = ownKey ?? parseVerifierKey(await verifierKey());
  const latestText = await latestCheckpoint();
  const current = latestText === null ? null : parseCheckpointNote(latestText);
  const currentSize = current?.treeSize ?? 0;
  if (saved.origin !== key.name) return { ok: false, reason: 'tlog.check.fail.origin', vars: { saved: saved.origin, current: key.name }, keyFrom };
  const savedSignature = await verifyNoteSignature(saved, key);
  if (savedSignature === 'invalid' || savedSignature === 'missing') return { ok: false, reason: 'tlog.check.fail.signature', keyFrom };
  if (current === null || saved.treeSize > current.treeSize) {
    return { ok: false, reason: 'tlog.check.fail.shorter', vars: { saved: saved.treeSize, current: currentSize }, saved: saved.treeSize, current: currentSize, keyFrom };
  }
  const currentSignature = await verifyNoteSignature(current, key);
  if (currentSignature === 'invalid' || currentSignature === 'missing') return { ok: false, reason: 'tlog.check.fail.latestSignature', keyFrom };
  const proof = saved.treeSize === current.treeSize || saved.treeSize === 0 ? [] : await consistencyProof(saved.treeSize, current.treeSize);
  const consistent = await verifyConsistency(saved.treeSize, current.treeSize, saved.root, current.root, proof);
  if (!consistent) return { ok: false, reason: 'tlog.check.fail.proof', saved: saved.treeSize, current: current.treeSize, keyFrom };
  return {
    ok: true,
    saved: saved.treeSize,
    current: current.treeSize,
    proofNodes: proof.length,
    signatures: savedSignature === 'unsupported' || currentSignature === 'unsupported' ? 'unsupported' : 'verified',
    keyFrom,
  };
}

function OutcomeView({ outcome, t, locale }: { outcome: Outcome; t: Translate; locale: 'vi' | 'en' }) {
  const sizes =
    outcome.saved !== undefined && outcome.current !== undefined ? (
      <dl className="audit-facts">
        <div>
          <dt>{t('tlog.check.savedSize')}</dt>
          <dd>{t('tlog.check.events', { n: formatNumber(outcome.saved, locale) })}</dd>
        </div>
        <div>
          <dt>{t('tlog.check.currentSize')}</dt>
          <dd>{t('tlog.check.events', { n: formatNumber(outcome.current, locale) })}</dd>
        </div>
        {outcome.ok ? (
          <div>
            <dt>{t('tlog.check.proofNodes')}</dt>
            <dd>{outcome.proofNodes}</dd>
          </div>
        ) : null}
      </dl>
    ) : null;
  return (
    <div className={`audit-result ${outcome.ok ? 'success' : 'problem'}`} data-testid="tlog-check-result" role={outcome.ok ? undefined : 'alert'}>
      <p className="audit-result-title">
        <strong>
          <span aria-hidden="true">{outcome.ok ? '✓ ' : '✗ '}</span>
          {outcome.ok ? (outcome.saved === outcome.current ? t('tlog.check.okSame') : t('tlog.check.ok')) : t('tlog.check.fail')}
        </strong>
      </p>
      {outcome.ok ? null : <p>{t(outcome.reason, outcome.vars)}</p>}
      {sizes}
      {outcome.ok ? <p data-testid="tlog-check-signatures">{t(`tlog.check.signatures.${outcome.signatures}`)}</p> : null}
      <p className="hint">{t(`tlog.check.keyUsed.${outcome.keyFrom}`)}</p>
    </div>
  );
}

/** A NoteFormatError in the reader's words; any other failure (a refused request) as a problem. */
function ReasonOrProblem({ t, error }: { t: Translate; error: unknown }) {
  if (error instanceof NoteFormatError) {
    return (
      <div className="problem" role="alert">
        <strong>{t(error.reason, error.vars)}</strong>
      </div>
    );
  }
  return <ProblemMessage error={error} />;
}

function reasonText(t: Translate, error: unknown): string {
  return error instanceof NoteFormatError ? t(error.reason, error.vars) : String(error);
}

/** A text to keep: shown whole, copied to the clipboard with one button, or saved as a file. */
function CopyableText({
  label,
  hint,
  text,
  copyLabel,
  fileName,
  testId,
  multiline = false,
}: {
  label: string;
  hint?: string;
  text: string;
  copyLabel: string;
  fileName?: string;
  testId: string;
  multiline?: boolean;
}) {
  const t = useT(transparencyMessages);
  const id = useId();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      // No clipboard (an http page, a refused permission): the text is selected for a manual copy.
      const range = document.createRange();
      const node = document.getElementById(`${id}-text`);
      if (node) {
        range.selectNodeContents(node);
        window.getSelection()?.removeAllRanges();
        window.getSelection()?.addRange(range);
      }
      setCopied('failed');
    }
  };
  const save = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName!;
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <div className="tlog-copyable">
      <p className="tlog-copyable-label" id={`${id}-label`}>
        <strong>{label}</strong>
      </p>
      {hint ? <p className="hint">{hint}</p> : null}
      {multiline ? (
        <pre id={`${id}-text`} className="tlog-text" data-testid={testId} aria-labelledby={`${id}-label`} tabIndex={0}>
          {text}
        </pre>
      ) : (
        <p>
          <code id={`${id}-text`} className="tlog-text-inline" data-testid={testId}>
            {text}
          </code>
        </p>
      )}
      <div className="tlog-actions">
        <button type="button" className="secondary" onClick={() => void copy()}>
          {copyLabel}
        </button>
        {fileName ? (
          <button type="button" className="secondary" onClick={save}>
            {t('tlog.save')}
          </button>
        ) : null}
        <span role="status" aria-live="polite">
          {copied === 'yes' ? t('tlog.copied') : copied === 'failed' ? t('tlog.copyFailed') : ''}
        </span>
      </div>
    </div>
  );
}
