import { ApiError } from '../api/client';
import { useT } from '../i18n/i18n';

/** A failed request as the user reads it: the problem's title and detail, and every field error with its path. */
export function ProblemMessage({ error }: { error: unknown }) {
  const t = useT();
  if (!error) return null;
  if (error instanceof ApiError) {
    const { problem } = error;
    return (
      <div className="problem" role="alert">
        <strong>
          {problem.title} ({problem.status}
          {problem.code ? ` · ${problem.code}` : ''})
        </strong>
        {problem.detail ? <p>{problem.detail}</p> : null}
        {problem.errors?.length ? (
          <ul>
            {problem.errors.map((fieldError) => (
              <li key={`${fieldError.path}:${fieldError.message}`}>
                <code>{fieldError.path}</code>: {fieldError.message}
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
