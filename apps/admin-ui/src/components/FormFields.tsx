import { ProblemMessage } from './ProblemMessage';
import { useId, type ReactNode } from 'react';
import { ApiError } from '../api/client';

/**
 * Labelled form controls: every control has a <label>, its hint and its error
 * are tied to it by aria-describedby, an error is announced (role=alert) and
 * marks the control aria-invalid. The required mark is aria-hidden and beside
 * the <label> (the `required` attribute says it), so the label's text is
 * exactly the control's name.
 */

interface FieldProps {
  label: string;
  error?: string;
  hint?: ReactNode;
  required?: boolean;
  name?: string;
  id?: string;
  className?: string;
}

function describedBy(id: string, error?: string, hint?: ReactNode): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** What every text, number and select control carries: its id (the field's, or a generated one), name, value, and its error and hint tied to it. */
function useControl(props: FieldProps & { value: string }) {
  const generated = useId();
  const id = props.id ?? generated;
  return {
    id,
    name: props.name,
    value: props.value,
    required: props.required,
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': describedBy(id, props.error, props.hint),
  };
}

function Shell(props: FieldProps & { id: string; children: ReactNode }) {
  return (
    <div className={`field${props.className ? ` ${props.className}` : ''}`}>
      <span className="field-label">
        <label htmlFor={props.id}>{props.label}</label>
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </span>
      {props.children}
      {props.hint ? (
        <p className="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p className="field-error" id={`${props.id}-error`} role="alert">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

export function FormText(
  props: FieldProps & {
    value: string;
    onChange(value: string): void;
    multiline?: boolean;
    maxLength?: number;
    autoComplete?: string;
    placeholder?: string;
    type?: 'text' | 'search';
  },
) {
  const common = { ...useControl(props), maxLength: props.maxLength, placeholder: props.placeholder };
  return (
    <Shell {...props} id={common.id}>
      {props.multiline ? (
        <textarea {...common} rows={3} onChange={(event) => props.onChange(event.target.value)} />
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          autoComplete={props.autoComplete ?? 'off'}
          onChange={(event) => props.onChange(event.target.value)}
        />
      )}
    </Shell>
  );
}

/** An integer typed as text (digits only on mobile keyboards); the form parses and checks it. */
export function FormNumber(props: FieldProps & { value: string; onChange(value: string): void; min?: number }) {
  const control = useControl(props);
  return (
    <Shell {...props} id={control.id}>
      <input {...control} type="number" inputMode="numeric" step={1} min={props.min} onChange={(event) => props.onChange(event.target.value)} />
    </Shell>
  );
}

export interface FormOption {
  value: string;
  label: string;
}

export function FormSelect(
  props: FieldProps & { value: string; onChange(value: string): void; options: FormOption[]; placeholder?: string },
) {
  const control = useControl(props);
  return (
    <Shell {...props} id={control.id}>
      <select {...control} onChange={(event) => props.onChange(event.target.value)}>
        {props.placeholder !== undefined ? <option value="">{props.placeholder}</option> : null}
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Shell>
  );
}

export function FormCheckbox(props: { label: string; checked: boolean; onChange(checked: boolean): void; name?: string; error?: string }) {
  const id = useId();
  return (
    <div className="field checkbox">
      <input
        id={id}
        name={props.name}
        type="checkbox"
        checked={props.checked}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
        onChange={(event) => props.onChange(event.target.checked)}
      />
      <label htmlFor={id}>{props.label}</label>
      {props.error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** Field errors by path: the server's `errors[{path, message}]` of a 400. */
export type FormErrors = Record<string, string>;

/** `memberCooperativeIds[1]` → `memberCooperativeIds`: the control that shows an array's errors. */
export function baseFieldPath(path: string): string {
  return path.replace(/\[\d+\]$/, '');
}

/** The server's field errors by path (also under the array's own path for an element's error). */
export function serverFieldErrors(error: unknown): FormErrors {
  const result: FormErrors = {};
  if (error instanceof ApiError) {
    for (const fieldError of error.problem.errors ?? []) {
      for (const path of [fieldError.path, baseFieldPath(fieldError.path)]) {
        if (!(path in result)) result[path] = fieldError.message;
      }
    }
  }
  return result;
}

/**
 * A failed submission at the form's top, unless it is shown by a field already: nothing when the
 * refusal was placed under one of the form's fields (`placedAt`, from useSubmission), else the
 * sentence and the field errors that no control of the form shows (`shown` lists the paths the form
 * shows next to their controls). So a refusal appears once.
 */
export function FormProblem({ error, shown = [], placedAt = null }: { error: unknown; shown?: string[]; placedAt?: string | null }) {
  const isShown = (path: string) => shown.includes(path) || shown.includes(baseFieldPath(path));
  if (placedAt && isShown(placedAt)) return null;
  return <ProblemMessage error={error} hide={isShown} />;
}

