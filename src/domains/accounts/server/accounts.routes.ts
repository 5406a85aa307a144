import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { systemCtx, type Ctx } from '../../../platform/context.ts';
import { idParams } from '../../../platform/contract-kit.ts';
import { todoList, todosFor } from '../../../platform/todos.ts';
import {
  changePasswordBody,
  createRoleBody,
  createUserBody,
  languageBody,
  loginBody,
  me,
  oneTimePasswordResult,
  permissionInfo,
  role,
  totpCode,
  totpRemove,
  totpSetup,
  updateRoleBody,
  updateUserBody,
  user,
  userListQuery,
  userPage,
} from '../accounts.contract.ts';
import * as auth from './accounts.auth.service.ts';
import * as svc from './accounts.service.ts';

export type AccountsRouteOptions = { cookieName: string; secureCookies: boolean; authRateLimitPerMinute: number };

/** Sign-in happens before anyone is known: it runs as the platform, for this request. */
function asSystem(ctx: Ctx) {
  return systemCtx(ctx.deps, { requestId: ctx.requestId, ip: ctx.ip, lang: ctx.lang });
}

export function sessionCookieName(secure: boolean) {
  // The __Host- prefix pins the cookie to this host and path, and browsers accept it only over HTTPS.
  return secure ? '__Host-boai_sid' : 'boai_sid';
}

export const accountsRoutes: FastifyPluginAsyncZod<AccountsRouteOptions> = async (app, opts) => {
  const setSession = (reply: FastifyReply, token: string) =>
    reply.setCookie(opts.cookieName, token, { httpOnly: true, sameSite: 'strict', secure: opts.secureCookies, path: '/' });
  const authTags = ['auth 登录与账户安全'];
  const anyStage = ['password_change', 'mfa_enrol'] as const;

  app.post('/api/auth/login', {
    config: { public: true, rateLimit: { max: opts.authRateLimitPerMinute, timeWindow: 60_000 } },
    schema: { tags: authTags, summary: '登录（用户名、密码、动态口令）', body: loginBody, response: { 200: me } },
    handler: async (req, reply) => {
      const grant = await auth.login(asSystem(req.ctx), req.body, { userAgent: req.headers['user-agent'] ?? null });
      setSession(reply, grant.token);
      return grant.me;
    },
  });
  app.post('/api/auth/logout', {
    config: { auth: 'session', allowStages: anyStage },
    schema: { tags: authTags, summary: '退出登录', response: { 204: z.null() } },
    handler: async (req, reply) => {
      await auth.logout(req.ctx, req.session!.sessionId);
      reply.clearCookie(opts.cookieName, { path: '/', httpOnly: true, sameSite: 'strict', secure: opts.secureCookies });
      reply.header('Clear-Site-Data', '"cache", "cookies", "storage"');
      return reply.code(204).send(null);
    },
  });
  app.get('/api/auth/me', {
    config: { auth: 'session', allowStages: anyStage },
    schema: { tags: authTags, summary: '当前用户、权限与会话', response: { 200: me } },
    handler: (req) => auth.me(req.ctx, req.session!.sessionId),
  });
  app.get('/api/todos', {
    config: { auth: 'session' },
    schema: { tags: authTags, summary: '我的待办（各业务按本人权限与管辖范围汇总）', response: { 200: todoList } },
    handler: async (req) => ({ items: await todosFor(req.ctx) }),
  });
  app.post('/api/auth/password', {
    config: { auth: 'session', allowStages: anyStage, rateLimit: { max: opts.authRateLimitPerMinute, timeWindow: 60_000 } },
    schema: { tags: authTags, summary: '修改本人密码', body: changePasswordBody, response: { 200: me } },
    handler: async (req, reply) => {
      const r = await auth.changePassword(req.ctx, req.session!.sessionId, req.body);
      setSession(reply, r.token);
      return r.me;
    },
  });
  app.post('/api/auth/totp/setup', {
    config: { auth: 'session', allowStages: ['mfa_enrol'] },
    schema: { tags: authTags, summary: '生成动态口令密钥（待确认）', response: { 200: totpSetup } },
    handler: (req) => auth.startTotpSetup(req.ctx),
  });
  app.post('/api/auth/totp/confirm', {
    config: { auth: 'session', allowStages: ['mfa_enrol'], rateLimit: { max: opts.authRateLimitPerMinute, timeWindow: 60_000 } },
    schema: { tags: authTags, summary: '输入动态口令确认绑定', body: totpCode, response: { 200: me } },
    handler: async (req, reply) => {
      const r = await auth.confirmTotp(req.ctx, req.session!.sessionId, req.body.code);
      setSession(reply, r.token);
      return r.me;
    },
  });
  app.post('/api/auth/totp/remove', {
    config: { auth: 'session', rateLimit: { max: opts.authRateLimitPerMinute, timeWindow: 60_000 } },
    schema: { tags: authTags, summary: '解绑动态口令', body: totpRemove, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await auth.removeTotp(req.ctx, req.body);
      return reply.code(204).send(null);
    },
  });
  app.put('/api/auth/language', {
    config: { auth: 'session', allowStages: anyStage },
    schema: { tags: authTags, summary: '设置界面语言', body: languageBody, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await auth.setLanguage(req.ctx, req.body.language);
      return reply.code(204).send(null);
    },
  });

  const userTags = ['accounts 用户与角色'];
  app.get('/api/users', {
    config: { permission: 'accounts.users.read' },
    schema: { tags: userTags, summary: '管辖范围内的用户', querystring: userListQuery, response: { 200: userPage } },
    handler: (req) => svc.listUsers(req.ctx, req.query),
  });
  app.get('/api/users/:id', {
    config: { permission: 'accounts.users.read' },
    schema: { tags: userTags, summary: '用户详情', params: idParams, response: { 200: user } },
    handler: (req) => svc.getUser(req.ctx, req.params.id),
  });
  app.post('/api/users', {
    config: { permission: 'accounts.users.manage' },
    schema: { tags: userTags, summary: '新建用户（返回一次性密码）', body: createUserBody, response: { 201: oneTimePasswordResult } },
    handler: async (req, reply) => reply.code(201).send(await svc.createUser(req.ctx, req.body)),
  });
  app.patch('/api/users/:id', {
    config: { permission: 'accounts.users.manage' },
    schema: { tags: userTags, summary: '修改姓名、管辖范围、角色', params: idParams, body: updateUserBody, response: { 200: user } },
    handler: (req) => svc.updateUser(req.ctx, req.params.id, req.body),
  });
  app.post('/api/users/:id/disable', {
    config: { permission: 'accounts.users.manage' },
    schema: { tags: userTags, summary: '停用用户（立即结束其会话）', params: idParams, response: { 200: user } },
    handler: (req) => svc.setUserStatus(req.ctx, req.params.id, 'disabled'),
  });
  app.post('/api/users/:id/enable', {
    config: { permission: 'accounts.users.manage' },
    schema: { tags: userTags, summary: '启用用户', params: idParams, response: { 200: user } },
    handler: (req) => svc.setUserStatus(req.ctx, req.params.id, 'active'),
  });
  app.post('/api/users/:id/reset-password', {
    config: { permission: 'accounts.users.manage' },
    schema: { tags: userTags, summary: '重置密码（返回一次性密码）', params: idParams, response: { 200: oneTimePasswordResult } },
    handler: (req) => svc.resetPassword(req.ctx, req.params.id),
  });
  app.post('/api/users/:id/unlock', {
    config: { permission: 'accounts.users.manage' },
    schema: { tags: userTags, summary: '解除登录锁定', params: idParams, response: { 200: user } },
    handler: (req) => svc.unlockUser(req.ctx, req.params.id),
  });

  app.get('/api/roles', {
    config: { permission: 'accounts.roles.read' },
    schema: { tags: userTags, summary: '角色及其权限', response: { 200: z.object({ items: z.array(role) }) } },
    handler: async (req) => ({ items: await svc.listRoles(req.ctx) }),
  });
  app.get('/api/permissions', {
    config: { permission: ['accounts.roles.read', 'accounts.users.manage'] },
    schema: { tags: userTags, summary: '权限目录', response: { 200: z.object({ items: z.array(permissionInfo) }) } },
    handler: async (req) => ({ items: svc.listPermissions(req.ctx) }),
  });
  app.post('/api/roles', {
    config: { permission: 'accounts.roles.manage' },
    schema: { tags: userTags, summary: '新建角色', body: createRoleBody, response: { 201: role } },
    handler: async (req, reply) => reply.code(201).send(await svc.createRole(req.ctx, req.body)),
  });
  app.patch('/api/roles/:id', {
    config: { permission: 'accounts.roles.manage' },
    schema: { tags: userTags, summary: '修改角色名称与权限', params: idParams, body: updateRoleBody, response: { 200: role } },
    handler: (req) => svc.updateRole(req.ctx, req.params.id, req.body),
  });
  app.delete('/api/roles/:id', {
    config: { permission: 'accounts.roles.manage' },
    schema: { tags: userTags, summary: '删除无人持有的自定义角色', params: idParams, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await svc.deleteRole(req.ctx, req.params.id);
      return reply.code(204).send(null);
    },
  });
};
