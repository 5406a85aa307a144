import type { ErrorBody, FieldError } from '../platform/errors.ts';
import type { Lang } from '../platform/i18n.ts';

/**
 * The one way the web app talks to the server: JSON under /api, the UI language in
 * Accept-Language, the session's CSRF token on every state-changing request, and errors turned
 * into `ApiError` carrying the server's code and its already-translated message.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Validation problems of the request body, with the `body.` prefix removed (`roles.0` → `roles`). */
  fieldErrors(): { field: string; path: string; message: string }[] {
    if (!Array.isArray(this.details)) return [];
    return (this.details as Partial<FieldError>[])
      .filter((d): d is FieldError => !!d && typeof d.field === 'string' && typeof d.message === 'string')
      // Schema errors name `body.<field>`; a service's own refusals name the field plainly
      // (`warehouseId`, `goods.0.quantity`). Query and path parameters are not form fields.
      .filter((d) => !d.field.startsWith('query.') && !d.field.startsWith('params.'))
      .map((d) => {
        const path = d.field.startsWith('body.') ? d.field.slice('body.'.length) : d.field;
        return { field: path.split('.')[0]!, path, message: d.message };
      });
  }
}

/** Errors after which the user must act on their session, handled centrally by the shell. */
export type AuthHooks = {
  onUnauthenticated?: (code: string) => void;
  onStageRequired?: (code: 'password_change_required' | 'mfa_enrolment_required') => void;
  /** The session's CSRF token changed elsewhere (another tab signed in again): fetch the current one. */
  onCsrfFailed?: () => void;
};

const state: { lang: Lang; csrf: string | null; hooks: AuthHooks } = { lang: 'zh-CN', csrf: null, hooks: {} };

export function setApiLanguage(lang: Lang) {
  state.lang = lang;
}
export function setCsrfToken(token: string | null) {
  state.csrf = token;
}
export function setAuthHooks(hooks: AuthHooks) {
  state.hooks = hooks;
}

export const SESSION_GONE = new Set(['unauthenticated', 'session_expired']);

const networkMessage = { zh: '无法连接服务器，请检查网络后重试', en: 'Cannot reach the server; check the network and try again' };
const unexpectedMessage = { zh: '服务器返回了无法识别的响应，请稍后重试', en: 'The server sent an unexpected response; try again later' };

export type QueryParams = Record<string, string | number | boolean | null | undefined>;

/** Drops empty values so that filters left blank do not reach the server (it refuses empty strings). */
export function queryString(params: QueryParams | undefined): string {
  if (!params) return '';
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    qs.set(k, String(v));
  }
  const s = qs.toString();
  return s ? `?${s}` : '';
}

export type RequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: QueryParams;
  signal?: AbortSignal;
  /** Sign-in and "who am I" handle 401 themselves instead of sending the user to the login page. */
  silentAuth?: boolean;
  /** Extra request headers (an `Idempotency-Key`, `X-File-Name`). */
  headers?: Record<string, string>;
  /** A file sent as it is (an upload) instead of a JSON body. */
  raw?: { data: Blob; contentType: string };
};

function headersFor(method: string, contentType: string | null, extra?: Record<string, string>): Headers {
  const headers = new Headers({ Accept: 'application/json', 'Accept-Language': state.lang === 'en' ? 'en' : 'zh-CN' });
  if (contentType) headers.set('Content-Type', contentType);
  for (const [k, v] of Object.entries(extra ?? {})) headers.set(k, v);
  if (method !== 'GET' && state.csrf) headers.set('X-CSRF-Token', state.csrf);
  return headers;
}

async function toError(res: Response, silentAuth: boolean): Promise<ApiError> {
  let err: ApiError;
  try {
    const body = (await res.json()) as Partial<ErrorBody>;
    if (!body.error || typeof body.error.code !== 'string') throw new Error('no error body');
    err = new ApiError(res.status, body.error.code, body.error.message, body.error.details);
  } catch {
    err = new ApiError(res.status, res.status >= 500 ? 'internal' : 'unexpected', state.lang === 'en' ? unexpectedMessage.en : unexpectedMessage.zh);
  }
  if (!silentAuth) {
    // Only a missing or expired session; a wrong password or TOTP code is a 401 too and stays on the page.
    if (err.status === 401 && SESSION_GONE.has(err.code)) state.hooks.onUnauthenticated?.(err.code);
    if (err.status === 403 && (err.code === 'password_change_required' || err.code === 'mfa_enrolment_required')) state.hooks.onStageRequired?.(err.code);
    if (err.status === 403 && err.code === 'csrf_failed') state.hooks.onCsrfFailed?.();
  }
  return err;
}

async function send(path: string, opts: RequestOptions, accept?: string): Promise<Response> {
  const method = opts.method ?? 'GET';
  const hasBody = opts.body !== undefined;
  const headers = headersFor(method, opts.raw ? opts.raw.contentType : hasBody ? 'application/json' : null, opts.headers);
  if (accept) headers.set('Accept', accept);
  try {
    return await fetch(path + queryString(opts.query), {
      method,
      headers,
      body: opts.raw ? opts.raw.data : hasBody ? JSON.stringify(opts.body) : undefined,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', state.lang === 'en' ? networkMessage.en : networkMessage.zh);
  }
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await send(path, opts);
  if (!res.ok) throw await toError(res, opts.silentAuth === true);
  if (res.status === 204) return undefined as T;
  try {
    return (await res.json()) as T;
  } catch {
    throw new ApiError(res.status, 'unexpected', state.lang === 'en' ? unexpectedMessage.en : unexpectedMessage.zh);
  }
}

/**
 * Sends a file as the raw request body (imports, attachments): the server reads the bytes, and
 * the name travels percent-encoded in `X-File-Name` (headers carry no Chinese otherwise).
 */
export function upload<T>(path: string, file: Blob, opts: { fileName: string; contentType: string; query?: QueryParams; signal?: AbortSignal }): Promise<T> {
  return api<T>(path, {
    method: 'POST',
    query: opts.query,
    signal: opts.signal,
    raw: { data: file, contentType: opts.contentType },
    headers: { 'X-File-Name': encodeURIComponent(opts.fileName) },
  });
}

/**
 * A fresh `Idempotency-Key`. `crypto.randomUUID` exists only in secure contexts (HTTPS, localhost):
 * a sandbox opened over plain HTTP on a LAN address still gets a random v4 UUID.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Downloads a file from a GET endpoint. Fetched rather than linked so that the file comes in the
 * UI language (a plain link carries the browser's own Accept-Language) and errors show as messages.
 */
export async function download(path: string, query: QueryParams | undefined, fallbackName: string): Promise<void> {
  const res = await send(path, { query }, '*/*');
  if (!res.ok) throw await toError(res, false);
  const blob = await res.blob();
  const name = filenameFrom(res.headers.get('Content-Disposition')) ?? fallbackName;
  const url = URL.createObjectURL(blob);
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

function filenameFrom(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain?.[1] ?? null;
}
