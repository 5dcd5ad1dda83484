/** The dictionary shapes (apart from i18n.tsx so that common.ts and the provider need not import each other). */
export type Locale = 'vi' | 'en';
export type Dictionary = Record<string, string>;
export interface Messages {
  vi: Dictionary;
  en: Dictionary;
}
export type Translate = (key: string, vars?: Record<string, string | number>) => string;
