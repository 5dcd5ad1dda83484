import { useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { focusFirstInvalid, serverFieldErrors, type FormErrors } from '../../components/FormFields';

/** Conflicts (409) that concern one field of a form: shown next to it as well as in the problem. */
export type CodeFields = Partial<Record<string, string>>;

/**
 * A form's submission: the browser's checks first (shown by field, nothing
 * sent), then the request; a problem+json answer puts each `errors[].path`
 * next to its field, a conflict code next to the field it concerns, and the
 * whole problem (title, status, code, detail) above the submit button. The
 * focus goes to the first field in error.
 */
export function useSubmission() {
  const formRef = useRef<HTMLFormElement>(null);
  const [clientErrors, setClientErrors] = useState<FormErrors>({});
  const [serverErrors, setServerErrors] = useState<FormErrors>({});
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors: FormErrors = { ...serverErrors, ...clientErrors };

  /** A field changed: its old messages no longer apply. */
  const clear = (...paths: string[]) => {
    const drop = (previous: FormErrors) => {
      if (!paths.some((path) => path in previous)) return previous;
      const next = { ...previous };
      for (const path of paths) delete next[path];
      return next;
    };
    setClientErrors(drop);
    setServerErrors(drop);
  };

  async function run<R>(
    validate: () => FormErrors,
    send: () => Promise<R>,
    options: { codeFields?: CodeFields; onError?(error: unknown): void } = {},
  ): Promise<R | undefined> {
    const found = Object.fromEntries(Object.entries(validate()).filter(([, message]) => message)) as FormErrors;
    setClientErrors(found);
    setServerErrors({});
    setProblem(null);
    if (Object.keys(found).length > 0) {
      focusFirstInvalid(formRef.current);
      return undefined;
    }
    setBusy(true);
    try {
      return await send();
    } catch (error) {
      const byField = serverFieldErrors(error);
      if (error instanceof ApiError && error.problem.code) {
        const field = options.codeFields?.[error.problem.code];
        if (field && !byField[field]) byField[field] = error.problem.detail ?? error.problem.title;
      }
      setServerErrors(byField);
      setProblem(error);
      options.onError?.(error);
      focusFirstInvalid(formRef.current);
      return undefined;
    } finally {
      setBusy(false);
    }
  }

  return { formRef, errors, problem, busy, clear, run };
}
