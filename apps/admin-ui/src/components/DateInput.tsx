import { useEffect, useId, useState } from 'react';
import { formatDate, parseDate } from '../i18n/format';
import { useT } from '../i18n/i18n';

/**
 * A date typed as dd/mm/yyyy (the browser's own date picker would follow the
 * browser's locale, not the app's). `value` and `onChange` speak YYYY-MM-DD;
 * `onChange('')` when the field is cleared, nothing while it is not a date.
 */
export function DateInput(props: {
  label: string;
  value: string;
  onChange(iso: string): void;
  required?: boolean;
  /** The server's (or the form's) message for this field. */
  error?: string;
  name?: string;
  id?: string;
}) {
  const t = useT();
  const generated = useId();
  const id = props.id ?? generated;
  const [text, setText] = useState(formatDate(props.value) === '—' ? '' : formatDate(props.value));
  const [invalid, setInvalid] = useState(false);
  useEffect(() => {
    if (parseDate(text) !== props.value) setText(props.value ? formatDate(props.value) : '');
    // only when the value changes from outside
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.value]);
  const message = invalid ? t('field.date.invalid') : props.error;
  return (
    <div className="field">
      {/* The required mark sits beside the label, not in it: the label's text is the control's exact name. */}
      <span className="field-label">
        <label htmlFor={id}>{props.label}</label>
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </span>
      <input
        id={id}
        name={props.name}
        inputMode="numeric"
        placeholder={t('field.date.placeholder')}
        value={text}
        required={props.required}
        aria-invalid={message ? true : undefined}
        aria-describedby={message ? `${id}-error` : undefined}
        onChange={(event) => {
          const next = event.target.value;
          setText(next);
          if (next.trim() === '') {
            setInvalid(false);
            props.onChange('');
            return;
          }
          const iso = parseDate(next);
          setInvalid(iso === null);
          if (iso) props.onChange(iso);
        }}
      />
      {message ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {message}
        </p>
      ) : null}
    </div>
  );
}
