import type { Text } from './i18n.ts';

/**
 * A rule of the business said no. Services throw it with a code such as 'orgs.cycle'; one handler
 * (platform/http.ts) maps the code to an HTTP status and a message in the caller's language,
 * using the catalogue that each domain contract declares.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly params?: Record<string, unknown>,
    readonly details?: unknown,
  ) {
    super(code);
    this.name = 'DomainError';
  }
}

export type ErrorSpec = Text & { status: number };
export type ErrorCatalog = Record<string, ErrorSpec>;

/** Codes every domain shares. */
export const platformErrors = {
  validation_failed: { status: 400, zh: '输入有误，请检查标出的字段', en: 'Some fields are invalid' },
  bad_request: { status: 400, zh: '请求格式错误', en: 'Malformed request' },
  duplicate_parameter: { status: 400, zh: '参数“{name}”重复出现', en: 'Parameter "{name}" appears more than once' },
  payload_too_large: { status: 413, zh: '提交的内容过大', en: 'The request body is too large' },
  unsupported_media_type: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  unauthenticated: { status: 401, zh: '请先登录', en: 'Please sign in' },
  session_expired: { status: 401, zh: '登录已过期，请重新登录', en: 'Your session has expired; please sign in again' },
  forbidden: { status: 403, zh: '没有权限执行此操作', en: 'You do not have permission to do this' },
  csrf_failed: { status: 403, zh: '请求校验失败，请刷新页面后重试', en: 'Request verification failed; reload the page and try again' },
  password_change_required: { status: 403, zh: '请先修改初始密码', en: 'Change your one-time password first' },
  mfa_enrolment_required: { status: 403, zh: '请先绑定动态口令（双因素认证）', en: 'Enrol a TOTP second factor first' },
  not_found: { status: 404, zh: '记录不存在或不在您的管辖范围内', en: 'Not found, or outside your jurisdiction' },
  route_not_found: { status: 404, zh: '接口不存在', en: 'No such endpoint' },
  method_not_allowed: { status: 405, zh: '不支持该请求方法', en: 'Method not allowed' },
  conflict: { status: 409, zh: '记录已被他人修改，请刷新后重试', en: 'The record was changed by someone else; reload and try again' },
  'idempotency.key_reused': { status: 422, zh: '该幂等键已用于内容不同的请求', en: 'This Idempotency-Key was used for a different request' },
  'idempotency.in_flight': { status: 409, zh: '相同请求正在处理中，请稍后重试', en: 'The same request is still being processed; retry shortly' },
  rate_limited: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  internal: { status: 500, zh: '内部错误，请稍后重试或联系管理员', en: 'Internal error; try again later or contact the administrator' },
  unavailable: { status: 503, zh: '服务暂时不可用，请稍后重试', en: 'Service temporarily unavailable' },
} satisfies ErrorCatalog;

export type FieldError = { field: string; code: string; message: string };
export type ErrorBody = { error: { code: string; message: string; details?: unknown; requestId?: string } };
