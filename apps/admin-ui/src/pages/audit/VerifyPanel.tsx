import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { isUuid, organizationIdOfStream, organizationStreamId, type VerificationResult } from '../../api/types';
import { ProblemMessage } from '../../components/ProblemMessage';
import { formatNumber, formatTimestamp } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/i18n';
import { useApi } from '../../session/session';
import { messages } from './messages';

/** The server's pattern for a stream id (apps/api/src/audit/verify.dto.ts). */
const STREAM_ID = /^[a-z]+(?:-[a-z]+)*-[A-Za-z0-9/_.-]{1,100}$/;

/** What was typed as a stream id: an organization id becomes `organization-<id>`; null when it is neither. */
export function normalizeStreamId(text: string): string | null {
  const trimmed = text.trim();
  if (isUuid(trimmed)) return organizationStreamId(trimmed.toLowerCase());
  return STREAM_ID.test(trimmed) ? trimmed : null;
}

/** The organization of an `organization-<id>` stream, for a link to its page. */
export function organizationOf(streamId: string): string | null {
  const id = organizationIdOfStream(streamId);
  return isUuid(id) ? id : null;
}

interface Outcome {
  streamId: string | null;
  result: VerificationResult;
  finishedAt: string;
  seconds: number;
}

/**
 * GET /api/audit/verify: every stream, or one. Verifying everything reads
 * the whole log, so the button shows a busy state with the seconds elapsed;
 * the result states ok, how many events were checked and, when broken, the
 * first broken event (with a link to its organization).
 */
export function VerifyPanel({ request }: { request: { streamId: string; nonce: number } | null }) {
  const t = useT(messages);
  const { locale } = useLocale();
  const api = useApi();
  const id = useId();
  const [scope, setScope] = useState<'all' | 'stream'>('all');
  const [streamText, setStreamText] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [busy, setBusy] = useState<{ streamId: string | null; started: number } | null>(null);
  const [seconds, setSeconds] = useState(0);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<unknown>(null);
  const mounted = useRef(true);
  const sectionRef = useRef<HTMLElement>(null);
  const run = useRef(0);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    if (!busy) return;
    const timer = window.setInterval(() => setSeconds(Math.floor((Date.now() - busy.started) / 1000)), 1000);
    return () => window.clearInterval(timer);
  }, [busy]);

  const verify = async (streamId: string | null) => {
    const started = Date.now();
    const mine = ++run.current;
    setBusy({ streamId, started });
    setSeconds(0);
    setError(null);
    setOutcome(null);
    try {
      const result = await api.get<VerificationResult>('/api/audit/verify', { streamId: streamId ?? undefined });
      if (mounted.current && mine === run.current) {
        setOutcome({ streamId, result, finishedAt: new Date().toISOString(), seconds: Math.round((Date.now() - started) / 100) / 10 });
      }
    } catch (failure) {
      if (mounted.current && mine === run.current) setError(failure);
    } finally {
      if (mounted.current && mine === run.current) setBusy(null);
    }
  };

  // A row of the trail asked to verify its stream.
  useEffect(() => {
    if (!request) return;
    setScope('stream');
    setStreamText(request.streamId);
    setInvalid(false);
    sectionRef.current?.scrollIntoView({ block: 'start' });
    void verify(request.streamId);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [request]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (scope === 'all') {
      void verify(null);
      return;
    }
    const streamId = normalizeStreamId(streamText);
    setInvalid(streamId === null);
    if (streamId) void verify(streamId);
  };

  const streamFieldId = `${id}-stream`;
  const result = outcome?.result;
  return (
    <section className="card audit-verify" aria-labelledby={`${id}-heading`} ref={sectionRef}>
      <h2 id={`${id}-heading`}>{t('verify.heading')}</h2>
      <form onSubmit={submit} className="audit-verify-form" aria-busy={busy !== null}>
        <fieldset className="audit-scope">
          <legend>{t('verify.scope')}</legend>
          <label className="audit-radio">
            <input type="radio" name={`${id}-scope`} value="all" checked={scope === 'all'} onChange={() => setScope('all')} /> {t('verify.all')}
          </label>
          <label className="audit-radio">
            <input type="radio" name={`${id}-scope`} value="stream" checked={scope === 'stream'} onChange={() => setScope('stream')} />{' '}
            {t('verify.stream')}
          </label>
        </fieldset>
        {scope === 'stream' ? (
          <div className="field audit-stream-field">
            <label htmlFor={streamFieldId}>{t('verify.streamId')}</label>
            <input
              id={streamFieldId}
              value={streamText}
              spellCheck={false}
              autoComplete="off"
              aria-invalid={invalid ? true : undefined}
              aria-describedby={`${streamFieldId}-hint${invalid ? ` ${streamFieldId}-error` : ''}`}
              onChange={(event) => {
                setStreamText(event.target.value);
                if (invalid) setInvalid(normalizeStreamId(event.target.value) === null);
              }}
            />
            <p className="hint" id={`${streamFieldId}-hint`}>
              {t('verify.streamId.hint')}
            </p>
            {invalid ? (
              <p className="field-error" id={`${streamFieldId}-error`} role="alert">
                {t('verify.streamId.invalid')}
              </p>
            ) : null}
          </div>
        ) : null}
        {/* aria-disabled, not disabled: the button keeps the keyboard focus while the check runs. */}
        <button type="submit" className="primary audit-run" aria-disabled={busy !== null ? true : undefined}>
          {busy ? <span className="audit-spinner" aria-hidden="true" /> : null}
          {busy ? t('verify.running') : t('verify.run')}
        </button>
      </form>
      <div aria-live="polite" className="audit-verify-status">
        {busy ? (
          <p className="audit-busy">
            {busy.streamId === null ? t('verify.busyAll') : t('verify.busy')}{' '}
            {/* The seconds tick visibly; a screen reader hears the start and the result, not every second. */}
            <span aria-hidden="true">{t('verify.elapsed', { seconds })}</span>
          </p>
        ) : null}
        {result && outcome ? (
          <div className={result.ok ? (result.checkedEvents === 0 ? 'audit-result audit-result-empty' : 'success audit-result') : 'problem audit-result'} data-testid="verify-result">
            <p className="audit-result-title">
              <strong>
                <span aria-hidden="true">{result.ok ? '✓ ' : '✗ '}</span>
                {result.ok ? t('verify.ok') : result.firstBrokenAt ? t('verify.broken') : t('verify.orphans')}
              </strong>
            </p>
            {result.ok && outcome.streamId && result.checkedEvents === 0 ? <p>{t('verify.empty')}</p> : null}
            <dl className="audit-facts">
              <div>
                <dt>{t('verify.checked')}</dt>
                <dd data-testid="verify-checked">{formatNumber(result.checkedEvents, locale)}</dd>
              </div>
              <div>
                <dt>{t('verify.scopeDone')}</dt>
                <dd>{outcome.streamId ? <StreamName streamId={outcome.streamId} /> : t('verify.scopeAll')}</dd>
              </div>
              <div>
                <dt>{t('verify.finishedAt')}</dt>
                <dd>{formatTimestamp(outcome.finishedAt)}</dd>
              </div>
              <div>
                <dt>{t('verify.duration')}</dt>
                <dd>{t('verify.seconds', { seconds: formatNumber(outcome.seconds, locale) })}</dd>
              </div>
            </dl>
            {result.firstBrokenAt ? (
              <>
                <h3>{t('verify.firstBroken')}</h3>
                <dl className="audit-facts" data-testid="verify-first-broken">
                  <div>
                    <dt>{t('field.streamId')}</dt>
                    <dd>
                      <StreamName streamId={result.firstBrokenAt.streamId} />
                    </dd>
                  </div>
                  <div>
                    <dt>{t('field.revision')}</dt>
                    <dd>{result.firstBrokenAt.revision}</dd>
                  </div>
                  <div>
                    <dt>{t('field.eventId')}</dt>
                    <dd>
                      <code>{result.firstBrokenAt.eventId}</code>
                    </dd>
                  </div>
                  <div>
                    <dt>{t('field.position')}</dt>
                    <dd>
                      <code>{result.firstBrokenAt.position}</code>
                    </dd>
                  </div>
                  <div className="audit-facts-wide">
                    <dt>{t('verify.reason')}</dt>
                    <dd>{t(`verify.reason.${result.firstBrokenAt.reason}`)}</dd>
                  </div>
                </dl>
              </>
            ) : null}
            {result.orphanReservations?.length ? (
              <>
                <h3>{t('verify.orphans')}</h3>
                <div className="table-wrap" tabIndex={0} role="region" aria-label={t('verify.orphans')}>
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">{t('verify.orphan.registrationNumber')}</th>
                        <th scope="col">{t('verify.orphan.organization')}</th>
                        <th scope="col">{t('verify.orphan.recordedAt')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {result.orphanReservations.map((orphan) => (
                        <tr key={orphan.eventId}>
                          <td>{orphan.registrationNumber}</td>
                          <td>
                            <code>{orphan.organizationId}</code>
                          </td>
                          <td>{formatTimestamp(orphan.recordedAt)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            ) : null}
          </div>
        ) : null}
      </div>
      <ProblemMessage error={error} />
    </section>
  );
}

/** A stream id; an organization's links to its page (`#/organizations/<id>`). */
export function StreamName({ streamId }: { streamId: string }) {
  const organizationId = organizationOf(streamId);
  return organizationId ? (
    <Link to={`/organizations/${organizationId}`}>
      <code>{streamId}</code>
    </Link>
  ) : (
    <code>{streamId}</code>
  );
}
