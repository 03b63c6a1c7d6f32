import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useMemo,
  useState,
} from 'react';
import { EN } from './i18n-en.js';
import { type MessageKey, ZH } from './i18n-zh.js';

// zh-CN first, English second (SPEC capability 7). Every visible string goes
// through `t(key)`; the key set is the zh-CN table, and the English table is
// typed against it, so a missing translation fails to compile.

export type Locale = 'zh-CN' | 'en-US';

const TABLES: Record<Locale, Record<MessageKey, string>> = {
  'zh-CN': ZH,
  'en-US': EN,
};

const STORAGE_KEY = 'loandesk.locale';

function initialLocale(): Locale {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  return stored === 'en-US' ? 'en-US' : 'zh-CN';
}

export type Translate = (
  key: MessageKey,
  values?: Record<string, string | number>,
) => string;

type I18nValue = {
  readonly locale: Locale;
  readonly setLocale: (locale: Locale) => void;
  readonly t: Translate;
};

/** Fills `{name}` placeholders; unknown placeholders stay visible. */
export function translate(
  locale: Locale,
  key: MessageKey,
  values?: Record<string, string | number>,
): string {
  const template = TABLES[locale][key];
  if (values === undefined) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : String(value);
  });
}

const I18nContext = createContext<I18nValue>({
  locale: 'zh-CN',
  setLocale: () => undefined,
  t: (key, values) => translate('zh-CN', key, values),
});

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const setLocale = useCallback((next: Locale) => {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
    setLocaleState(next);
  }, []);
  // Stable per locale, so memoised chart options do not rebuild each render.
  const t = useCallback<Translate>(
    (key, values) => translate(locale, key, values),
    [locale],
  );
  const value = useMemo(
    () => ({ locale, setLocale, t }),
    [locale, setLocale, t],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  return useContext(I18nContext);
}

export type { MessageKey };
