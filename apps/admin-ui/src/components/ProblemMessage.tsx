import { ApiError } from '../api/client';
import { useT } from '../i18n/i18n';

/**
 * A failed request as the user reads it: the problem's title and detail, and
 * every field error with its path, but those `hide` says a form shows next to
 * their fields already.
 */
export function ProblemMessage({ error, hide = () => false }: { error: unknown; hide?: (path: string) => boolean }) {
  const t = useT();
  if (!error) return null;
  if (error instanceof ApiError) {
    const { problem } = error;
    const listed = (problem.errors ?? []).filter((fieldError) => !hide(fieldError.path));
    return (
      <div className="problem" role="alert">
        <strong>
          {problem.title} ({problem.status}
          {problem.code ? ` · ${problem.code}` : ''})
        </strong>
        {problem.detail ? <p>{problem.detail}</p> : null}
        {listed.length ? (
          <ul>
            {listed.map((fieldError) => (
              <li key={`${fieldError.path}:${fieldError.message}`}>
                {fieldError.path ? <code>{fieldError.path}</code> : null}
                {fieldError.path ? ': ' : ''}
                {fieldError.message}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    );
  }
  return (
    <div className="problem" role="alert">
      <strong>{t('state.error')}</strong>
      <p>{error instanceof Error ? error.message : String(error)}</p>
    </div>
  );
}
