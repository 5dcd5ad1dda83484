import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { baseFieldPath, serverFieldErrors, type FormErrors } from '../../components/FormFields';
import { useLocale } from '../../i18n/i18n';
import { isFieldValidation, problemSentence } from '../../i18n/problems';

/** Refusals (by code) that concern one field of a form, where the problem names no field itself. */
export type CodeFields = Partial<Record<string, string>>;

/**
 * A form's submission: the browser's checks first (shown by field, nothing
 * sent), then the request. A refusal is shown once, in the user's language:
 * a validation's `errors[].path` messages next to their fields; a coded
 * refusal (409 REGISTRATION_NUMBER_TAKEN, 400 DATE_IN_FUTURE…) as one
 * translated sentence under the field its `errors[].path` names, else the
 * field the form knows the code concerns (`codeFields`), else at the form's
 * top (FormProblem, told where it was placed by `placedAt`). The focus goes
 * to the first field in error.
 */
export function useSubmission() {
  const { locale } = useLocale();
  const formRef = useRef<HTMLFormElement>(null);
  const [clientErrors, setClientErrors] = useState<FormErrors>({});
  const [serverErrors, setServerErrors] = useState<FormErrors>({});
  const [problem, setProblem] = useState<unknown>(null);
  /** The field a coded refusal was put under (null: shown at the top, or a validation by field). */
  const [placedAt, setPlacedAt] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errors: FormErrors = { ...serverErrors, ...clientErrors };
  // Focus moves to the first field in error once React has rendered the messages and re-enabled the
  // controls (a timer could fire before that render after a server refusal, and focus nothing).
  const [focusRequest, setFocusRequest] = useState(0);
  useEffect(() => {
    if (focusRequest === 0) return;
    // A refusal shown at the form's top (no field named) takes the focus itself, so it is seen and read.
    const target = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? formRef.current?.querySelector<HTMLElement>('.problem');
    target?.focus();
  }, [focusRequest]);

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
    setPlacedAt(null);
    if (Object.keys(found).length > 0) {
      setFocusRequest((n) => n + 1);
      return undefined;
    }
    setBusy(true);
    try {
      return await send();
    } catch (error) {
      let byField = serverFieldErrors(error);
      let placed: string | null = null;
      if (error instanceof ApiError && !isFieldValidation(error.problem)) {
        // One sentence for a coded refusal, not the server's English message per field besides it.
        const path = error.problem.errors?.find((fieldError) => fieldError.path)?.path;
        placed = (path ? baseFieldPath(path) : undefined) ?? (error.problem.code ? options.codeFields?.[error.problem.code] : undefined) ?? null;
        byField = placed ? { [placed]: problemSentence(error.problem, locale) } : {};
      }
      setServerErrors(byField);
      setPlacedAt(placed);
      setProblem(error);
      options.onError?.(error);
      setFocusRequest((n) => n + 1);
      return undefined;
    } finally {
      setBusy(false);
    }
  }

  return { formRef, errors, problem, placedAt, busy, clear, run };
}

/** What `useFields` needs of a form: its messages by path, and a way to drop them. */
export interface FieldErrors {
  errors: FormErrors;
  clear(...paths: string[]): void;
}

/** The props a labelled control takes for one field of a form. */
export interface FieldBinding<V> {
  name: string;
  value: V;
  onChange(value: V): void;
  error: string | undefined;
}

export interface BindOptions<V> {
  /** Other paths whose messages no longer apply when this field changes. */
  clears?: string[];
  /** The message shown instead of the field's own (e.g. a message of the group it belongs to). */
  error?: string;
  /** Also done on a change, after the value is set and the messages cleared. */
  onChange?(value: V): void;
}

/**
 * A form's field values, each named by the path of its messages (and its
 * control's `name`): `bind(name)` gives a control its name, value, error and
 * an onChange that sets the value and clears that field's messages.
 */
export function useFields<T extends Record<string, unknown>>(initial: T | (() => T), form: FieldErrors) {
  const [values, setValues] = useState<T>(initial);
  const set = <K extends keyof T & string>(name: K, value: T[K]) =>
    setValues((previous) => (Object.is(previous[name], value) ? previous : { ...previous, [name]: value }));
  const bind = <K extends keyof T & string>(name: K, options: BindOptions<T[K]> = {}): FieldBinding<T[K]> => ({
    name,
    value: values[name],
    onChange: (value) => {
      set(name, value);
      form.clear(name, ...(options.clears ?? []));
      options.onChange?.(value);
    },
    error: 'error' in options ? options.error : form.errors[name],
  });
  return { values, set, bind };
}
