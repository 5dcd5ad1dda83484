import { useEffect, useId, useState } from 'react';
import { DateInput } from './DateInput';
import { useT, type Messages } from '../i18n/i18n';

/**
 * A moment (a recorded-time bound such as `knownAt`, or the audit trail's
 * `from`/`to`) typed as a date dd/mm/yyyy and a time hh:mm in Vietnam's time
 * (UTC+7, no daylight saving: the time users read on their documents), and
 * handed on as an ISO-8601 UTC timestamp with milliseconds (api.md). Used by
 * the dashboard ("known at") and the audit page (from / to).
 */
const messages: Messages = {
  vi: {
    'moment.date': 'Ngày',
    'moment.time': 'Giờ (giờ Việt Nam, hh:mm)',
    'moment.time.invalid': 'Giờ không hợp lệ (hh:mm, 00:00–23:59)',
    'moment.clear': 'Xoá',
    'moment.clear.label': 'Xoá {label}',
  },
  en: {
    'moment.date': 'Date',
    'moment.time': 'Time (Vietnam time, hh:mm)',
    'moment.time.invalid': 'Not a valid time (hh:mm, 00:00–23:59)',
    'moment.clear': 'Clear',
    'moment.clear.label': 'Clear {label}',
  },
};

const VIETNAM_OFFSET_MS = 7 * 3600_000;

/** `hh:mm` (or `h:mm`, `hhmm`) → minutes after midnight; null when not a time. */
export function parseTime(text: string): number | null {
  const match = /^\s*(\d{1,2})[:.h]?(\d{2})\s*$/.exec(text);
  if (!match) return null;
  const [hours, minutes] = [Number(match[1]), Number(match[2])];
  return hours < 24 && minutes < 60 ? hours * 60 + minutes : null;
}

/**
 * A Vietnam date (YYYY-MM-DD) and time (`hh:mm`, or '' for none) as a UTC
 * ISO timestamp. Without a time the day's start, or with `endOfDay` its last
 * millisecond (an inclusive bound then takes the whole day).
 */
export function vietnamMomentToIso(date: string, time: string, endOfDay = false): string | null {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!day) return null;
  const minutes = time.trim() === '' ? (endOfDay ? 24 * 60 : 0) : parseTime(time);
  if (minutes === null) return null;
  const utc = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])) + minutes * 60_000 - VIETNAM_OFFSET_MS - (time.trim() === '' && endOfDay ? 1 : 0);
  return new Date(utc).toISOString();
}

/** The Vietnam date (YYYY-MM-DD) and time (hh:mm) of a timestamp. */
export function isoToVietnamParts(iso: string): { date: string; time: string } | null {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return null;
  const local = new Date(time + VIETNAM_OFFSET_MS).toISOString();
  return { date: local.slice(0, 10), time: local.slice(11, 16) };
}

/** The fields for a value: an end-of-day bound (23:59:59.999) shows as the date alone, as it was typed. */
function partsOf(value: string, endOfDay?: boolean): { date: string; time: string } {
  const parts = value ? isoToVietnamParts(value) : null;
  if (!parts) return { date: '', time: '' };
  return endOfDay && value.endsWith(':59.999Z') && parts.time === '23:59' ? { date: parts.date, time: '' } : parts;
}

export function DashboardMomentInput(props: {
  /** The legend of the pair of fields, e.g. "Theo dữ liệu đã biết lúc". */
  label: string;
  /** An ISO timestamp, or '' for none. */
  value: string;
  onChange(iso: string): void;
  /** Without a time, the end of the day (inclusive bounds such as knownAt) instead of its start. */
  endOfDay?: boolean;
  hint?: string;
  error?: string;
}) {
  const t = useT(messages);
  const id = useId();
  const initial = partsOf(props.value, props.endOfDay);
  const [date, setDate] = useState(initial.date);
  const [time, setTime] = useState(initial.time);
  const [timeInvalid, setTimeInvalid] = useState(false);

  // A value set from outside (a link, "clear") replaces what is typed; our own echo does not.
  useEffect(() => {
    const current = date ? vietnamMomentToIso(date, time, props.endOfDay) : '';
    if (current === props.value) return;
    const parts = partsOf(props.value, props.endOfDay);
    setDate(parts.date);
    setTime(parts.time);
    setTimeInvalid(false);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.value]);

  const emit = (nextDate: string, nextTime: string) => {
    if (!nextDate) {
      props.onChange('');
      return;
    }
    const iso = vietnamMomentToIso(nextDate, nextTime, props.endOfDay);
    if (iso) props.onChange(iso);
  };

  const timeId = `${id}-time`;
  const hintId = `${id}-hint`;
  const timeMessage = timeInvalid ? t('moment.time.invalid') : undefined;
  return (
    <fieldset className="dashboard-moment" aria-describedby={props.hint ? hintId : undefined}>
      <legend>{props.label}</legend>
      <div className="dashboard-moment-row">
        <DateInput
          label={t('moment.date')}
          value={date}
          error={props.error}
          onChange={(iso) => {
            setDate(iso);
            emit(iso, timeInvalid ? '' : time);
          }}
        />
        <div className="field dashboard-time-field">
          <label htmlFor={timeId}>{t('moment.time')}</label>
          <input
            id={timeId}
            inputMode="numeric"
            placeholder="hh:mm"
            value={time}
            aria-invalid={timeMessage ? true : undefined}
            aria-describedby={timeMessage ? `${timeId}-error` : undefined}
            onChange={(event) => {
              const next = event.target.value;
              setTime(next);
              const invalid = next.trim() !== '' && parseTime(next) === null;
              setTimeInvalid(invalid);
              if (!invalid && date) emit(date, next);
            }}
          />
          {timeMessage ? (
            <p className="field-error" id={`${timeId}-error`} role="alert">
              {timeMessage}
            </p>
          ) : null}
        </div>
        {date || time ? (
          <button
            type="button"
            className="secondary dashboard-moment-clear"
            aria-label={t('moment.clear.label', { label: props.label })}
            onClick={() => {
              setDate('');
              setTime('');
              setTimeInvalid(false);
              props.onChange('');
            }}
          >
            {t('moment.clear')}
          </button>
        ) : null}
      </div>
      {props.hint ? (
        <p className="hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
    </fieldset>
  );
}
