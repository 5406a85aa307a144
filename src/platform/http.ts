import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import { errorCatalog } from '../domains/catalog.ts';
import { recordAudit } from '../domains/audit/server/audit.service.ts';
import type { ResolvedSession } from '../domains/accounts/server/accounts.auth.service.ts';
import type { SessionStage } from '../domains/accounts/accounts.contract.ts';
import { makeCtx, type Actor, type Ctx, type Deps } from './context.ts';
import { DomainError, type ErrorBody, type FieldError } from './errors.ts';
import { fill, pickLang, t, type Lang } from './i18n.ts';

/**
 * The HTTP edge in one place: every route's access policy, sessions, CSRF, language, and the
 * single error shape `{ error: { code, message, details } }`.
 */

export type RoutePolicy =
  | { public: true; permission?: never; auth?: never }
  | { auth: 'session'; public?: never; permission?: never }
  | { permission: string | readonly string[]; public?: never; auth?: never };

declare module 'fastify' {
  interface FastifyContextConfig {
    public?: boolean;
    auth?: 'session';
    permission?: string | readonly string[];
    /** Stages of a not-yet-complete sign-in (one-time password, TOTP enrolment) in which the route still works. */
    allowStages?: readonly SessionStage[];
  }
  interface FastifyRequest {
    ctx: Ctx;
    session: ResolvedSession | null;
    lang: Lang;
  }
}

export const ANONYMOUS: Actor = Object.freeze({
  kind: 'anonymous',
  userId: null,
  username: null,
  displayName: null,
  unitId: null,
  scopePath: '',
  permissions: new Set<string>(),
  roles: [],
});

/** Routes that plugins register for themselves and that serve no data: the web bundle and the API browser. */
function isPluginStaticRoute(url: string) {
  return url === '/' || url === '/*' || url === '/api/docs' || url.startsWith('/api/docs/');
}

/** Refuses to start when a route declares no policy (default deny; security.md item 12). */
export function enforceRoutePolicies(app: FastifyInstance, registry: RouteOptions[]) {
  app.addHook('onRoute', (route) => {
    const c = (route.config ?? {}) as { public?: boolean; auth?: string; permission?: unknown };
    const declared = [c.public === true, c.auth === 'session', c.permission !== undefined].filter(Boolean).length;
    if (declared === 0 && isPluginStaticRoute(route.url)) {
      route.config = { ...(route.config ?? {}), public: true };
      return;
    }
    if (declared !== 1) {
      throw new Error(`route ${String(route.method)} ${route.url} must declare exactly one of permission, auth: 'session' or public: true`);
    }
    if (!route.url.startsWith('/api/')) throw new Error(`route ${route.url}: API routes live under /api/`);
    registry.push(route);
  });
}

const dupQuery = new WeakSet<object>();
const duplicateName = new WeakMap<object, string>();

/** Query strings with a repeated key are refused (parameter pollution), not silently merged. */
export function parseQueryString(str: string): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const [k, v] of new URLSearchParams(str)) {
    if (Object.prototype.hasOwnProperty.call(out, k)) {
      dupQuery.add(out);
      if (!duplicateName.has(out)) duplicateName.set(out, k);
    }
    out[k] = v;
  }
  return out;
}

/** zod validation that keeps the raw issues, so the error handler can word them in the caller's language. */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => (data: unknown) => {
  const r = schema.safeParse(data, { reportInput: true });
  if (r.success) return { value: r.data };
  const err = Object.assign(new Error('validation failed'), { zodIssues: r.error.issues, httpPart: httpPart ?? 'body' });
  return { error: err };
};

const zh = z.locales.zhCN();
const en = z.locales.en();

function fieldErrors(issues: z.core.$ZodIssue[], part: string, lang: Lang): FieldError[] {
  return issues.flatMap((issue) => {
    const base = [part, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ field: `${base}.${k}`, code: 'unrecognized_key', message: lang === 'en' ? `Unknown field "${k}"` : `不允许的字段“${k}”` }));
    }
    // A message written in the schema (Chinese) is used for Chinese; zod's own wording otherwise.
    const custom = issue.message && !/^(Invalid|Too|Expected|Unrecognized)/.test(issue.message) ? issue.message : undefined;
    // In English, zod's wording — except for our own rule messages (written in Chinese), which say
    // more than its generic "Invalid input".
    const message = lang === 'zh-CN' ? (custom ?? zh.localeError(issue as never) ?? issue.message) : issue.code === 'custom' && custom ? custom : (en.localeError(issue as never) ?? issue.message);
    return [{ field: base, code: issue.code, message: typeof message === 'string' ? message : issue.message }];
  });
}

export function errorBody(code: string, lang: Lang, params?: Record<string, unknown>, details?: unknown, requestId?: string): { status: number; body: ErrorBody } {
  const spec = errorCatalog[code] ?? errorCatalog.internal!;
  const body: ErrorBody = { error: { code: errorCatalog[code] ? code : 'internal', message: fill(t(spec, lang), params) } };
  if (details !== undefined) body.error.details = details;
  if (requestId) body.error.requestId = requestId;
  return { status: spec.status, body };
}

function send(reply: FastifyReply, req: FastifyRequest, code: string, params?: Record<string, unknown>, details?: unknown) {
  const { status, body } = errorBody(code, req.lang ?? 'zh-CN', params, details, status500(code) ? String(req.id) : undefined);
  if (code === 'rate_limited') reply.header('Retry-After', String(params?.retryAfter ?? 60));
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}
function status500(code: string) {
  return (errorCatalog[code]?.status ?? 500) >= 500;
}

export function installErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError & { zodIssues?: z.core.$ZodIssue[]; httpPart?: string; code?: string; constraint?: string }, req, reply) => {
    req.lang ??= pickLang(req.headers['accept-language']);
    const de: unknown = err;
    if (de instanceof DomainError) {
      // Localise field messages the services left empty.
      const details = Array.isArray(de.details)
        ? (de.details as FieldError[]).map((d) => (d && typeof d === 'object' && 'field' in d && !d.message ? { ...d, message: fill(t(errorCatalog[de.code] ?? errorCatalog.internal!, req.lang), de.params) } : d))
        : de.details;
      return send(reply, req, de.code, de.params, details);
    }
    if (err.zodIssues) return send(reply, req, 'validation_failed', undefined, fieldErrors(err.zodIssues, err.httpPart ?? 'body', req.lang));
    switch (err.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(reply, req, 'payload_too_large');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return send(reply, req, 'unsupported_media_type');
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return send(reply, req, 'bad_request');
      case 'FST_ERR_RATE_LIMIT_EXCEEDED':
        return send(reply, req, 'rate_limited');
      case '42501': // row-level security refused a write outside the jurisdiction
        return send(reply, req, 'not_found');
      case '23514':
        if (/administrator duties/.test(err.message)) return send(reply, req, 'accounts.admin_separation');
        break;
      case '40001':
      case '40P01':
        return send(reply, req, 'unavailable');
    }
    if (err.statusCode === 429) return send(reply, req, 'rate_limited');
    if (err instanceof SyntaxError || (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)) {
      // JSON syntax errors, prototype poisoning and other client mistakes Fastify detected.
      const byStatus: Record<number, string> = { 403: 'forbidden', 404: 'route_not_found', 405: 'method_not_allowed', 413: 'payload_too_large', 415: 'unsupported_media_type' };
      return send(reply, req, byStatus[err.statusCode ?? 400] ?? 'bad_request');
    }
    req.log.error({ err }, 'unhandled error');
    return send(reply, req, 'internal');
  });
}

export type SessionHooks = {
  cookieName: string;
  resolve(ctx: Ctx, token: string): Promise<ResolvedSession | 'expired' | null>;
};

function sameOrigin(req: FastifyRequest) {
  const origin = req.headers.origin;
  if (origin) {
    const host = req.headers.host;
    try {
      if (!host || new URL(origin).host !== host) return false;
    } catch {
      return false;
    }
  }
  const site = req.headers['sec-fetch-site'];
  return !site || site === 'same-origin' || site === 'none';
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Every request: language, session, the route's policy, CSRF. Runs before the body is parsed, so
 * an anonymous caller learns 401 and nothing about what its body would have done.
 */
export function installAccessControl(app: FastifyInstance, deps: Deps, sessions: SessionHooks) {
  app.decorateRequest('ctx', null as unknown as Ctx);
  app.decorateRequest('session', null);
  app.decorateRequest('lang', 'zh-CN');
  app.addHook('onRequest', async (req, reply) => {
    req.lang = pickLang(req.headers['accept-language']);
    req.ctx = makeCtx(deps, ANONYMOUS, { requestId: String(req.id), ip: req.ip, lang: req.lang });
    if (req.url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
    const config = req.routeOptions.config;
    if (!req.routeOptions.url) return; // 404s go to the not-found handler
    // The web bundle and the API browser are public files: no session lookup for them.
    if (!req.routeOptions.url.startsWith('/api/') || req.routeOptions.url.startsWith('/api/docs')) return;
    if (dupQuery.has(req.query as object)) return send(reply, req, 'duplicate_parameter', { name: duplicateName.get(req.query as object) });

    const token = req.cookies?.[sessions.cookieName];
    let expired = false;
    if (token && token.length <= 100) {
      const sysCtx = makeCtx(deps, { ...ANONYMOUS, kind: 'system', scopePath: '/' }, { requestId: String(req.id), ip: req.ip, lang: req.lang });
      const resolved = await sessions.resolve(sysCtx, token);
      if (resolved === 'expired') expired = true;
      else if (resolved) {
        req.session = resolved;
        if (!req.headers['accept-language']) req.lang = resolved.language;
        req.ctx = makeCtx(deps, resolved.actor, { requestId: String(req.id), ip: req.ip, lang: req.lang });
      }
    }
    if (UNSAFE.has(req.method)) {
      if (!sameOrigin(req)) return send(reply, req, 'csrf_failed');
      if (req.session && !config.public && req.headers['x-csrf-token'] !== req.session.csrfToken) return send(reply, req, 'csrf_failed');
    }
    if (config.public) return;
    if (!req.session) return send(reply, req, expired ? 'session_expired' : 'unauthenticated');
    const stage = req.session.stage;
    if (stage !== 'full' && !(config.allowStages ?? []).includes(stage)) {
      return send(reply, req, stage === 'password_change' ? 'password_change_required' : 'mfa_enrolment_required');
    }
    if (config.permission !== undefined) {
      const needed = typeof config.permission === 'string' ? [config.permission] : config.permission;
      if (!needed.some((p) => req.session!.actor.permissions.has(p))) {
        await recordAudit(req.ctx, {
          action: 'access.denied',
          result: 'denied',
          details: { method: req.method, route: req.routeOptions.url, permission: needed.join(' | ') },
        });
        return send(reply, req, 'forbidden');
      }
    }
  });
}
