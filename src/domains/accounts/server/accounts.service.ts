import { z } from 'zod';
import { systemCtx, type Ctx, type Deps } from '../../../platform/context.ts';
import { DomainError } from '../../../platform/errors.ts';
import { decodeCursor, pageFrom } from '../../../platform/pagination.ts';
import { requirePermission } from '../../../platform/permissions.ts';
import { permissionCatalog, builtinRoleDefinitions } from '../../catalog.ts';
import { recordAudit } from '../../audit/server/audit.service.ts';
import { unitBrief } from '../../orgs/server/orgs.service.ts';
import { adminKindLabels, type AdminKind, type CreateRoleBody, type CreateUserBody, type UpdateRoleBody, type UpdateUserBody, type User, type UserListQuery } from '../accounts.contract.ts';
import { t } from '../../../platform/i18n.ts';
import { generateOneTimePassword, hashPassword } from './accounts.passwords.ts';
import * as repo from './accounts.repository.ts';

/** One-time passwords (new accounts, resets, the bootstrap administrator) expire after a day. */
export const ONE_TIME_PASSWORD_MS = 24 * 3_600_000;

const usernameCursor = z.object({ u: z.string() });

function isUniqueViolation(err: unknown, constraint?: string) {
  const e = err as { code?: string; constraint?: string };
  return e.code === '23505' && (!constraint || e.constraint === constraint);
}
function isAdminSeparationViolation(err: unknown) {
  const e = err as { code?: string; message?: string };
  return e.code === '23514' && /administrator duties/.test(e.message ?? '');
}

/** 三权分立: the roles of one account carry at most one of the three administrator duties. */
function checkSeparation(roles: { admin_kind: string | null }[]) {
  const kinds = new Set(roles.map((r) => r.admin_kind).filter((k): k is string => !!k));
  if (kinds.size > 1) throw new DomainError('accounts.admin_separation', undefined, [{ field: 'body.roles', code: 'admin_separation', message: [...kinds].join(', ') }]);
}

async function resolveRoles(ctx: Ctx, codes: string[]) {
  const rows = await ctx.run((trx) => repo.rolesByCodes(trx, [...new Set(codes)]));
  const missing = [...new Set(codes)].filter((c) => !rows.some((r) => r.code === c));
  if (missing.length) throw new DomainError('accounts.role_not_found', undefined, missing.map((m) => ({ field: 'body.roles', code: 'unknown_role', message: m })));
  checkSeparation(rows);
  return rows;
}

export async function listUsers(ctx: Ctx, q: UserListQuery) {
  requirePermission(ctx, 'accounts.users.read');
  const after = decodeCursor(q.cursor, usernameCursor);
  return ctx.run(async (trx) => {
    let unitPath: string | undefined;
    if (q.unitId) {
      const unit = await unitBrief(ctx, q.unitId);
      if (!unit) throw new DomainError('accounts.unit_not_found');
      unitPath = unit.path;
    }
    const rows = await repo.listUsers(trx, { q: q.q, unitPath, status: q.status, role: q.role, afterUsername: after?.u }, q.limit + 1);
    const now = ctx.deps.clock.now();
    return pageFrom(rows, q.limit, (r) => repo.toUser(r, now), (r) => ({ u: r.username }));
  });
}

async function loadUser(ctx: Ctx, id: string) {
  const row = await ctx.run((trx) => repo.getUser(trx, id));
  if (!row) throw new DomainError('accounts.user_not_found');
  return row;
}

export async function getUser(ctx: Ctx, id: string): Promise<User> {
  requirePermission(ctx, 'accounts.users.read');
  return repo.toUser(await loadUser(ctx, id), ctx.deps.clock.now());
}

export async function createUser(ctx: Ctx, input: CreateUserBody) {
  requirePermission(ctx, 'accounts.users.manage');
  return ctx.run(async (trx) => {
    const unit = await unitBrief(ctx, input.unitId);
    if (!unit) throw new DomainError('accounts.unit_not_found', undefined, [{ field: 'body.unitId', code: 'not_found', message: '' }]);
    const roles = await resolveRoles(ctx, input.roles);
    const oneTimePassword = generateOneTimePassword();
    const now = ctx.deps.clock.now();
    const expiresAt = new Date(now.getTime() + ONE_TIME_PASSWORD_MS);
    let id: string;
    try {
      id = await repo.insertUser(trx, {
        username: input.username,
        display_name: input.displayName,
        org_unit_id: unit.id,
        password_hash: await hashPassword(ctx.deps.keys, oneTimePassword),
        must_change_password: true,
        password_expires_at: expiresAt,
        language: input.language ?? 'zh-CN',
        now,
      });
    } catch (err) {
      // Usernames are unique across every jurisdiction, including ones the caller cannot see.
      if (isUniqueViolation(err)) throw new DomainError('accounts.username_taken', { username: input.username }, [{ field: 'body.username', code: 'taken', message: '' }]);
      throw err;
    }
    await repo.setUserRoles(trx, id, roles.map((r) => r.id));
    const created = repo.toUser((await repo.getUser(trx, id))!, now);
    await recordAudit(ctx, { action: 'accounts.user_created', entityType: 'app_user', entityId: id, unitId: unit.id, after: created });
    return { user: created, oneTimePassword, expiresAt: expiresAt.toISOString() };
  });
}

function refuseSelf(ctx: Ctx, id: string) {
  if (ctx.actor.userId === id) throw new DomainError('accounts.self_change');
}

export async function updateUser(ctx: Ctx, id: string, input: UpdateUserBody) {
  requirePermission(ctx, 'accounts.users.manage');
  return ctx.run(async (trx) => {
    const row = await loadUser(ctx, id);
    const before = repo.toUser(row, ctx.deps.clock.now());
    const rolesChanged = input.roles !== undefined && [...new Set(input.roles)].sort().join() !== [...before.roles].sort().join();
    const unitChanged = input.unitId !== undefined && input.unitId !== row.org_unit_id;
    if (rolesChanged || unitChanged) refuseSelf(ctx, id);
    if (unitChanged && !(await unitBrief(ctx, input.unitId!))) throw new DomainError('accounts.unit_not_found', undefined, [{ field: 'body.unitId', code: 'not_found', message: '' }]);
    const roles = rolesChanged ? await resolveRoles(ctx, input.roles!) : undefined;
    const now = ctx.deps.clock.now();
    const updated = await repo.updateUserRow(
      trx,
      id,
      { ...(input.displayName !== undefined ? { display_name: input.displayName } : {}), ...(unitChanged ? { org_unit_id: input.unitId! } : {}) },
      { expectedVersion: input.version, now },
    );
    if (!updated) throw new DomainError('conflict');
    if (roles) {
      try {
        await repo.setUserRoles(trx, id, roles.map((r) => r.id));
      } catch (err) {
        if (isAdminSeparationViolation(err)) throw new DomainError('accounts.admin_separation');
        throw err;
      }
    }
    // A change of privilege or jurisdiction ends the user's sessions at once (ASVS 7.4.2, 8.3.2).
    if (rolesChanged || unitChanged) await repo.deleteSessionsOfUser(trx, id);
    const after = repo.toUser((await repo.getUser(trx, id))!, now);
    await recordAudit(ctx, { action: 'accounts.user_updated', entityType: 'app_user', entityId: id, unitId: after.unitId, before, after });
    return after;
  });
}

export async function setUserStatus(ctx: Ctx, id: string, status: 'active' | 'disabled') {
  requirePermission(ctx, 'accounts.users.manage');
  refuseSelf(ctx, id);
  return ctx.run(async (trx) => {
    const row = await loadUser(ctx, id);
    const now = ctx.deps.clock.now();
    await repo.updateUserRow(trx, id, { status }, { now });
    if (status === 'disabled') await repo.deleteSessionsOfUser(trx, id);
    await recordAudit(ctx, {
      action: status === 'disabled' ? 'accounts.user_disabled' : 'accounts.user_enabled',
      entityType: 'app_user',
      entityId: id,
      unitId: row.org_unit_id,
      before: { status: row.status },
      after: { status },
    });
    return repo.toUser((await repo.getUser(trx, id))!, now);
  });
}

export async function resetPassword(ctx: Ctx, id: string) {
  requirePermission(ctx, 'accounts.users.manage');
  refuseSelf(ctx, id);
  return ctx.run(async (trx) => {
    const row = await loadUser(ctx, id);
    const oneTimePassword = generateOneTimePassword();
    const now = ctx.deps.clock.now();
    const expiresAt = new Date(now.getTime() + ONE_TIME_PASSWORD_MS);
    await repo.updateUserRow(trx, id, {
      password_hash: await hashPassword(ctx.deps.keys, oneTimePassword),
      must_change_password: true,
      password_expires_at: expiresAt,
      password_changed_at: now,
    }, { now });
    await repo.setLoginState(trx, id, { failed_logins: 0, locked_until: null });
    await repo.deleteSessionsOfUser(trx, id);
    await recordAudit(ctx, { action: 'accounts.password_reset', entityType: 'app_user', entityId: id, unitId: row.org_unit_id });
    return { user: repo.toUser((await repo.getUser(trx, id))!, now), oneTimePassword, expiresAt: expiresAt.toISOString() };
  });
}

export async function unlockUser(ctx: Ctx, id: string) {
  requirePermission(ctx, 'accounts.users.manage');
  return ctx.run(async (trx) => {
    const row = await loadUser(ctx, id);
    await repo.setLoginState(trx, id, { failed_logins: 0, locked_until: null });
    await recordAudit(ctx, { action: 'accounts.user_unlocked', entityType: 'app_user', entityId: id, unitId: row.org_unit_id });
    return repo.toUser((await repo.getUser(trx, id))!, ctx.deps.clock.now());
  });
}

/* ---------- roles ---------- */

export async function listRoles(ctx: Ctx) {
  requirePermission(ctx, 'accounts.roles.read');
  return (await ctx.run((trx) => repo.listRoles(trx))).map(repo.toRole);
}

export function listPermissions(ctx: Ctx) {
  requirePermission(ctx, 'accounts.roles.read', 'accounts.users.manage');
  return Object.entries(permissionCatalog).map(([code, p]) => ({ code, zh: p.zh, en: p.en, category: p.category, domain: p.domain }));
}

/** Roles apply everywhere, so only a security administrator whose jurisdiction is a whole tree edits them. */
function requireRootScope(ctx: Ctx) {
  if (ctx.actor.kind === 'system') return;
  if (ctx.actor.scopePath.split('/').filter(Boolean).length !== 1) throw new DomainError('accounts.roles_scope');
}

/** The administrator duty a set of permissions carries, refusing a mix of two. */
function adminKindOf(ctx: Ctx, permissions: string[], declared: string | null): string | null {
  const unknown = permissions.filter((p) => !permissionCatalog[p]);
  if (unknown.length) throw new DomainError('accounts.unknown_permission', { permission: unknown.join(', ') }, unknown.map((u) => ({ field: 'body.permissions', code: 'unknown', message: u })));
  const kinds = new Set(permissions.map((p) => permissionCatalog[p]!.category).filter((c) => c !== 'business'));
  if (declared) kinds.add(declared as never);
  if (kinds.size > 1) {
    const names = [...kinds].map((k) => t(adminKindLabels[k as AdminKind], ctx.lang)).join(ctx.lang === 'en' ? ', ' : '、');
    throw new DomainError('accounts.mixed_admin_permissions', { kinds: names });
  }
  return [...kinds][0] ?? null;
}

export async function createRole(ctx: Ctx, input: CreateRoleBody) {
  requirePermission(ctx, 'accounts.roles.manage');
  requireRootScope(ctx);
  const permissions = [...new Set(input.permissions)].sort();
  const adminKind = adminKindOf(ctx, permissions, null);
  return ctx.run(async (trx) => {
    let id: string;
    try {
      id = await repo.insertRole(trx, { code: input.code, name_zh: input.nameZh, name_en: input.nameEn, description: input.description ?? null, builtin: false, admin_kind: adminKind, now: ctx.deps.clock.now() });
    } catch (err) {
      if (isUniqueViolation(err)) throw new DomainError('accounts.role_code_taken', { code: input.code }, [{ field: 'body.code', code: 'taken', message: '' }]);
      throw err;
    }
    await repo.setRolePermissions(trx, id, permissions);
    const created = repo.toRole((await repo.getRole(trx, id))!);
    await recordAudit(ctx, { action: 'accounts.role_created', entityType: 'role', entityId: id, unitId: null, after: created });
    return created;
  });
}

export async function updateRole(ctx: Ctx, id: string, input: UpdateRoleBody) {
  requirePermission(ctx, 'accounts.roles.manage');
  requireRootScope(ctx);
  return ctx.run(async (trx) => {
    const row = await repo.getRole(trx, id);
    if (!row) throw new DomainError('accounts.role_not_found');
    const before = repo.toRole(row);
    // A built-in role keeps the duty it was made for; any role takes on the duty of its permissions.
    const declared = row.builtin ? (builtinRoleDefinitions.find((d) => d.code === row.code)?.adminKind ?? null) : null;
    const permissions = input.permissions ? [...new Set(input.permissions)].sort() : before.permissions;
    const adminKind = adminKindOf(ctx, permissions, declared);
    const now = ctx.deps.clock.now();
    const updated = await repo.updateRoleRow(trx, id, input.version, {
      ...(input.nameZh !== undefined ? { name_zh: input.nameZh } : {}),
      ...(input.nameEn !== undefined ? { name_en: input.nameEn } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      admin_kind: adminKind,
    }, now);
    if (!updated) throw new DomainError('conflict');
    if (input.permissions) await repo.setRolePermissions(trx, id, permissions);
    // A role that now carries a duty may not sit beside a role of another duty on any account.
    for (const userId of await repo.usersHoldingRole(trx, id)) {
      checkSeparation((await repo.rolesOfUser(trx, userId)).map((r) => ({ admin_kind: r.adminKind })));
    }
    const after = repo.toRole((await repo.getRole(trx, id))!);
    await recordAudit(ctx, { action: 'accounts.role_updated', entityType: 'role', entityId: id, unitId: null, before, after });
    return after;
  });
}

export async function deleteRole(ctx: Ctx, id: string) {
  requirePermission(ctx, 'accounts.roles.manage');
  requireRootScope(ctx);
  await ctx.run(async (trx) => {
    const row = await repo.getRole(trx, id);
    if (!row) throw new DomainError('accounts.role_not_found');
    if (row.builtin) throw new DomainError('accounts.role_builtin');
    if ((row.user_count ?? 0) > 0) throw new DomainError('accounts.role_in_use', { count: row.user_count });
    await repo.deleteRole(trx, id);
    await recordAudit(ctx, { action: 'accounts.role_deleted', entityType: 'role', entityId: id, unitId: null, before: repo.toRole(row) });
  });
}

/**
 * Makes the built-in roles exist, and gives each permission that appears for the first time (a new
 * domain landed) to the built-in roles its domain grants it to. Permissions already known are left
 * as the security administrator set them.
 */
export async function syncBuiltinRoles(deps: Deps) {
  const ctx = systemCtx(deps);
  await ctx.run(async (trx) => {
    const known = new Set(await repo.knownPermissions(trx));
    const fresh = Object.keys(permissionCatalog).filter((p) => !known.has(p));
    for (const def of builtinRoleDefinitions) {
      const role = await repo.getRoleByCode(trx, def.code);
      if (!role) {
        const id = await repo.insertRole(trx, { code: def.code, name_zh: def.zh, name_en: def.en, description: def.description, builtin: true, admin_kind: def.adminKind, now: deps.clock.now() });
        await repo.addRolePermissions(trx, id, def.permissions);
      } else {
        await repo.addRolePermissions(trx, role.id, def.permissions.filter((p) => fresh.includes(p)));
      }
    }
    await repo.addKnownPermissions(trx, fresh);
  });
}

/**
 * On a real server with no accounts yet: one system administrator at the root of the tree, with a
 * random one-time password that must be changed at first sign-in and expires in a day.
 */
export async function bootstrapAdministrator(deps: Deps, rootUnitId: string) {
  const ctx = systemCtx(deps);
  return ctx.run(async (trx) => {
    if ((await repo.countUsers(trx)) > 0) return null;
    const role = await repo.getRoleByCode(trx, 'sys_admin');
    if (!role) throw new Error('built-in roles are missing');
    const oneTimePassword = generateOneTimePassword();
    const now = deps.clock.now();
    const expiresAt = new Date(now.getTime() + ONE_TIME_PASSWORD_MS);
    const id = await repo.insertUser(trx, {
      username: 'admin',
      display_name: '系统管理员',
      org_unit_id: rootUnitId,
      password_hash: await hashPassword(deps.keys, oneTimePassword),
      must_change_password: true,
      password_expires_at: expiresAt,
      now,
    });
    await repo.setUserRoles(trx, id, [role.id]);
    await recordAudit(ctx, { action: 'accounts.bootstrap_admin', entityType: 'app_user', entityId: id, unitId: rootUnitId, after: { username: 'admin', roles: ['sys_admin'] } });
    return { username: 'admin', oneTimePassword, expiresAt };
  });
}

/** Creates an account with a chosen password (demo data and tests; never from a route). */
export async function createAccountWithPassword(deps: Deps, input: { username: string; displayName: string; unitId: string; roles: string[]; password: string; mustChange?: boolean }) {
  const ctx = systemCtx(deps);
  return ctx.run(async (trx) => {
    const roles = await resolveRoles(ctx, input.roles);
    const now = deps.clock.now();
    const id = await repo.insertUser(trx, {
      username: input.username,
      display_name: input.displayName,
      org_unit_id: input.unitId,
      password_hash: await hashPassword(deps.keys, input.password),
      must_change_password: input.mustChange ?? false,
      password_expires_at: null,
      now,
    });
    await repo.setUserRoles(trx, id, roles.map((r) => r.id));
    await recordAudit(ctx, { action: 'accounts.user_created', entityType: 'app_user', entityId: id, unitId: input.unitId, after: { username: input.username, roles: input.roles } });
    return id;
  });
}
