import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { fill, type Lang, type Text } from '../platform/i18n.ts';
import { setApiLanguage } from './api.ts';

/**
 * Every string on screen is a `Text` ({ zh, en }) from a messages file (src/web/messages.ts and
 * each domain's `<domain>.messages.ts`), picked here by the UI language. Chinese is the default;
 * the user's explicit choice is remembered in this browser (the preference is not personal data).
 */
export const LANG_STORAGE_KEY = 'boai.lang';

export function storedLang(): Lang | null {
  try {
    const v = window.localStorage.getItem(LANG_STORAGE_KEY);
    return v === 'en' || v === 'zh-CN' ? v : null;
  } catch {
    return null;
  }
}

export function rememberLang(lang: Lang) {
  try {
    window.localStorage.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    // Storage may be disabled; the choice then lasts for this page only.
  }
}

function applyLang(lang: Lang) {
  setApiLanguage(lang);
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  document.documentElement.lang = lang;
}

/**
 * Set when someone picks a language on the sign-in page: that choice then goes to their account.
 * Otherwise the account's own language wins at sign-in (it follows the user from browser to browser).
 */
export const languageChoice = { beforeSignIn: false };

export type Translate = (text: Text, params?: Record<string, unknown>) => string;

type I18n = {
  lang: Lang;
  /** Switches the UI language; `remember: false` adopts a language without recording it as the user's choice in this browser. */
  setLang: (lang: Lang, opts?: { remember?: boolean }) => void;
  t: Translate;
};

const I18nContext = createContext<I18n | null>(null);

const initialLang = storedLang() ?? 'zh-CN';
applyLang(initialLang);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang, opts?: { remember?: boolean }) => {
    applyLang(next);
    if (opts?.remember !== false) rememberLang(next);
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(
    () => ({ lang, setLang, t: (text, params) => fill(lang === 'en' ? text.en : text.zh, params) }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
