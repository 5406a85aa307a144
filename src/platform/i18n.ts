/** Languages of every message, screen and export: Chinese first, English second. */
export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export type Text = { zh: string; en: string };

export function pickLang(acceptLanguage: string | undefined, fallback: Lang = 'zh-CN'): Lang {
  if (!acceptLanguage) return fallback;
  // The first language the client lists that we speak wins; quality values are rarely sent otherwise.
  for (const part of acceptLanguage.split(',')) {
    const tag = part.split(';')[0]!.trim().toLowerCase();
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return fallback;
}

export function t(text: Text, lang: Lang): string {
  return lang === 'en' ? text.en : text.zh;
}

/** Fills `{name}` placeholders. */
export function fill(template: string, params: Record<string, unknown> | undefined): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/** The calendar date in Asia/Shanghai, 'YYYY-MM-DD' (file names, report dates). */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
