import type { Lang } from '../platform/i18n.ts';

/** Every time on screen is shown in Asia/Shanghai, whatever the browser's own time zone. */
export const DISPLAY_TIME_ZONE = 'Asia/Shanghai';

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: Lang, withTime: boolean): Intl.DateTimeFormat {
  const key = `${lang}|${withTime}`;
  let f = dateTimeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
      timeZone: DISPLAY_TIME_ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' as const } : {}),
    });
    dateTimeFormats.set(key, f);
  }
  return f;
}

/** `2026-11-29 22:06:38` in both languages: staff read it the same way in Chinese and English screens. */
export function formatDateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = Object.fromEntries(formatter(lang, true).formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

export function formatDate(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = Object.fromEntries(formatter(lang, false).formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

export function formatInteger(n: number, lang: Lang): string {
  return n.toLocaleString(lang === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: 0 });
}

/** `名称（注）` in Chinese, `Name (note)` in English: full-width punctuation only around Chinese. */
export function withNote(main: string, note: string, lang: Lang): string {
  return lang === 'en' ? `${main} (${note})` : `${main}（${note}）`;
}

/** `标签：值` / `Label: value`. */
export function labelled(label: string, value: string, lang: Lang): string {
  return lang === 'en' ? `${label}: ${value}` : `${label}：${value}`;
}

/** `1.5 MB`, `320 KB`, `12 B`: file sizes as people read them (1 KB = 1024 B). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
