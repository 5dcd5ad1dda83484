import { ApiError } from '../api/client';
import { useLocale, useT, type Messages } from '../i18n/i18n';
import { errorSentence, isFieldValidation } from '../i18n/problems';

const messages: Messages = {
  vi: { 'problem.details': 'Chi tiết kỹ thuật', 'problem.fields': 'Các mục chưa hợp lệ:' },
  en: { 'problem.details': 'Technical details', 'problem.fields': 'Entries not valid:' },
};

/**
 * A failed request as the user reads it: one sentence in the user's language chosen by the problem's
 * stable `code` (i18n/problems.ts), then the field errors no control of the form shows (`hide` names
 * those it does). The server's own words (status, code, English detail) stay in a closed disclosure,
 * for whoever reports the problem.
 */
export function ProblemMessage({ error, hide = () => false }: { error: unknown; hide?: (path: string) => boolean }) {
  const t = useT(messages);
  const { locale } = useLocale();
  if (!error) return null;
  const sentence = errorSentence(error, locale);
  if (!(error instanceof ApiError)) {
    return (
      <div className="problem" role="alert" tabIndex={-1}>
        <strong>{sentence}</strong>
      </div>
    );
  }
  const { problem } = error;
  const listed = (problem.errors ?? []).filter((fieldError) => !hide(fieldError.path));
  // A validation whose every field error sits by its control has said everything there.
  if (isFieldValidation(problem) && (problem.errors ?? []).length > 0 && listed.length === 0) return null;
  return (
    <div className="problem" role="alert" tabIndex={-1}>
      <strong>{sentence}</strong>
      {listed.length && isFieldValidation(problem) ? (
        <>
          <p>{t('problem.fields')}</p>
          <ul>
            {listed.map((fieldError) => (
              <li key={`${fieldError.path}:${fieldError.message}`}>
                {fieldError.path ? `${fieldError.path}: ` : ''}
                {fieldError.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <details className="problem-details">
        <summary>{t('problem.details')}</summary>
        <p>
          {problem.status}
          {problem.code ? ` · ${problem.code}` : ''}
          {problem.detail ? ` · ${problem.detail}` : ''}
        </p>
      </details>
    </div>
  );
}
