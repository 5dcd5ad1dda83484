import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { common } from './common';
import type { Locale, Messages, Translate } from './types';

/**
 * Vietnamese first, English by a toggle (remembered in localStorage). Each
 * feature keeps its own dictionary beside its pages ({ vi, en }) and asks for
 * it with `useT(featureMessages)`; keys it lacks fall back to the common
 * dictionary (kinds, statuses, sectors, metrics, navigation).
 */
export type { Dictionary, Locale, Messages, Translate } from './types';

const STORAGE_KEY = 'ktt.locale';

interface I18nValue {
  locale: Locale;
  setLocale(locale: Locale): void;
}

const I18nContext = createContext<I18nValue>({ locale: 'vi', setLocale: () => undefined });

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => (localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'vi'));
  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
    setLocaleState(next);
  }, []);
  document.documentElement.lang = locale;
  const value = useMemo(() => ({ locale, setLocale }), [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useLocale(): I18nValue {
  return useContext(I18nContext);
}

/** `t('key', { n: 3 })` replaces `{n}`; an unknown key shows itself (visible in review, never blank). */
export function useT(messages?: Messages): Translate {
  const { locale } = useLocale();
  return useCallback<Translate>(
    (key, vars) => {
      const text = messages?.[locale][key] ?? common[locale][key] ?? messages?.vi[key] ?? common.vi[key] ?? key;
      return vars ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole)) : text;
    },
    [locale, messages],
  );
}
