import { ApiError } from '../../api/client';
import { ProblemMessage } from '../../components/ProblemMessage';
import { useT } from '../../i18n/i18n';
import { messages } from './messages';

/** The codes that refuse a file as a whole (libs/application/src/spreadsheets/import-errors.ts). */
const FILE_REFUSALS = new Set(['ENCODING_NOT_UTF8', 'MISSING_COLUMN', 'DUPLICATE_COLUMN', 'NO_HEADER', 'FILE_UNREADABLE', 'ZIP_TOO_LARGE', 'FILE_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE']);
/** Their `errors[].path` names a column of the file (its header): listed under the sentence. */
const NAMES_COLUMNS = new Set(['MISSING_COLUMN', 'DUPLICATE_COLUMN']);

/**
 * A file refused as a whole, in the user's language by its `code`, with the columns it names and
 * the reassurance that nothing was written; any other failure as every page shows it.
 */
export function ImportProblem({ error }: { error: unknown }) {
  const t = useT(messages);
  if (!(error instanceof ApiError) || !error.problem.code || !FILE_REFUSALS.has(error.problem.code)) return <ProblemMessage error={error} />;
  const { problem } = error;
  const code = problem.code!;
  const columns = NAMES_COLUMNS.has(code) ? (problem.errors ?? []).map((fieldError) => fieldError.path).filter((path) => path && path !== 'file') : [];
  return (
    <div className="problem" role="alert" tabIndex={-1} data-testid="import-file-refused">
      <strong>{t(`refusal.${code}`)}</strong>
      {columns.length ? (
        <ul>
          {columns.map((column) => (
            <li key={column}>{column}</li>
          ))}
        </ul>
      ) : null}
      <p>{t('refusal.nothingWritten')}</p>
      <details className="problem-details">
        <summary>{t('problem.details')}</summary>
        <p>
          {problem.status} · {code}
          {problem.detail ? ` · ${problem.detail}` : ''}
        </p>
      </details>
    </div>
  );
}
