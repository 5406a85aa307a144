import { systemCtx, type Actor, type Ctx, type Deps } from '../../../platform/context.ts';
import { decryptField, encryptField, randomToken, sha256Hex } from '../../../platform/crypto.ts';
import { DomainError } from '../../../platform/errors.ts';
import { t } from '../../../platform/i18n.ts';
import { generateTotpSecret, otpauthUrl, verifyTotp } from '../../../platform/totp.ts';
import { recordAudit } from '../../audit/server/audit.service.ts';
import { passwordProblemLabels, type Me, type SessionStage } from '../accounts.contract.ts';
import { burnVerify, hashPassword, passwordProblems, verifyPassword } from './accounts.passwords.ts';
import * as repo from './accounts.repository.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MS = 15 * 60_000;
/** Staff passwords older than this must be changed at the next sign-in (MLPS 定期更换; docs/decisions/0006). */
export const PASSWORD_MAX_AGE_MS = 90 * 86_400_000;
/** Sessions are touched at most this often: idle time is measured to within this much. */
const TOUCH_EVERY_MS = 60_000;
const TOTP_CONTEXT = 'app_user.totp_secret';

export type LoginInput = { username: string; password: string; totp?: string | undefined };
export type SessionGrant = { token: string; me: Me };

type Outcome<T> = { ok: true; value: T } | { ok: false; error: DomainError };

export function mfaRequiredFor(deps: Deps, roles: readonly { adminKind: string | null }[]) {
  return deps.config.requireAdminMfa && roles.some((r) => r.adminKind !== null);
}

/**
 * Signs a user in. Failures are recorded (audit row, failure counter, lock) and committed before
 * the error is thrown, so a failed attempt leaves its trace even though it returns an error.
 */
export async function login(ctx: Ctx, input: LoginInput, meta: { userAgent: string | null }): Promise<SessionGrant> {
  const { deps } = ctx;
  const outcome: Outcome<SessionGrant> = await ctx.run(async (trx) => {
    const now = deps.clock.now();
    const found = await trx.selectFrom('app_user').selectAll().where('username', '=', input.username).forUpdate().executeTakeFirst();
    const fail = async (code: string, reason: string, params?: Record<string, unknown>) => {
      await recordAudit(ctx, {
        action: code === 'auth.locked' && reason === 'locked_now' ? 'auth.locked' : 'auth.login_failed',
        result: 'failure',
        entityType: 'app_user',
        entityId: found?.id ?? null,
        unitId: found?.org_unit_id ?? null,
        actor: { id: found?.id ?? null, username: input.username, unitId: found?.org_unit_id ?? null },
        details: { reason },
      });
      return { ok: false as const, error: new DomainError(code, params) };
    };
    if (!found) {
      await burnVerify(deps.keys, input.password);
      return fail('auth.invalid_credentials', 'unknown_user');
    }
    if (found.locked_until && found.locked_until > now) {
      await burnVerify(deps.keys, input.password);
      return fail('auth.locked', 'locked', { minutes: Math.ceil((found.locked_until.getTime() - now.getTime()) / 60_000) });
    }
    const passwordOk = await verifyPassword(deps.keys, found.password_hash, input.password);
    const countFailure = async (reason: string) => {
      const failures = found.failed_logins + 1;
      if (failures >= MAX_FAILED_LOGINS) {
        await repo.setLoginState(trx, found.id, { failed_logins: 0, locked_until: new Date(now.getTime() + LOCK_MS) });
        return fail('auth.locked', 'locked_now', { minutes: LOCK_MS / 60_000 });
      }
      await repo.setLoginState(trx, found.id, { failed_logins: failures });
      return fail(reason === 'totp' ? 'auth.totp_invalid' : 'auth.invalid_credentials', reason);
    };
    if (!passwordOk) return countFailure('password');
    if (found.status !== 'active') return fail('auth.invalid_credentials', 'disabled');
    if (found.password_expires_at && found.password_expires_at <= now) return fail('auth.invalid_credentials', 'one_time_password_expired');
    if (found.totp_enabled) {
      if (!input.totp) return { ok: false as const, error: new DomainError('auth.totp_required') };
      const secret = decryptField(deps.keys, found.totp_secret_enc!, TOTP_CONTEXT);
      const step = verifyTotp(secret, input.totp, now, found.totp_last_step);
      if (step === null) return countFailure('totp');
      await repo.setLoginState(trx, found.id, { totp_last_step: step });
    }
    await repo.setLoginState(trx, found.id, { failed_logins: 0, locked_until: null, last_login_at: now });
    const roles = await repo.rolesOfUser(trx, found.id);
    const mustChange = found.must_change_password || now.getTime() - found.password_changed_at.getTime() > PASSWORD_MAX_AGE_MS;
    const stage: SessionStage = mustChange ? 'password_change' : mfaRequiredFor(deps, roles) && !found.totp_enabled ? 'mfa_enrol' : 'full';
    const token = randomToken(32);
    await repo.insertSession(trx, {
      id: sha256Hex(token),
      user_id: found.id,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + deps.config.session.absoluteMs),
      csrf_token: randomToken(24),
      stage,
      ip: ctx.ip,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    });
    await recordAudit(ctx, {
      action: 'auth.login',
      entityType: 'app_user',
      entityId: found.id,
      unitId: found.org_unit_id,
      actor: { id: found.id, username: found.username, unitId: found.org_unit_id },
      details: { stage, withTotp: found.totp_enabled },
    });
    return { ok: true as const, value: { token, me: await meOf(ctx, sha256Hex(token)) } };
  });
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

export type ResolvedSession = {
  sessionId: string;
  stage: SessionStage;
  csrfToken: string;
  actor: Actor;
  language: 'zh-CN' | 'en';
};

/**
 * Turns a session cookie into an actor, re-reading roles and permissions every time so that a
 * disabled account, a changed role or a moved jurisdiction takes effect on the very next request.
 */
export async function resolveSession(ctx: Ctx, token: string): Promise<ResolvedSession | 'expired' | null> {
  const { deps } = ctx;
  const id = sha256Hex(token);
  // The platform's own lookup, before any actor exists: one statement on the owner's handle (no
  // transaction, no scope), since it runs on every request (docs/benchmarks.md, orgs-list).
  const db = deps.db;
  const s = await repo.sessionActor(db, id);
  if (!s) return null;
  const now = deps.clock.now();
  if (s.status !== 'active') {
    await repo.deleteSession(db, id);
    return null;
  }
  if (s.expires_at <= now || now.getTime() - s.last_seen_at.getTime() > deps.config.session.idleMs) {
    await repo.deleteSession(db, id);
    return 'expired';
  }
  if (now.getTime() - s.last_seen_at.getTime() >= TOUCH_EVERY_MS) await repo.touchSession(db, id, now);
  return {
    sessionId: id,
    stage: s.stage as SessionStage,
    csrfToken: s.csrf_token,
    language: s.language as 'zh-CN' | 'en',
    actor: {
      kind: 'user',
      userId: s.user_id,
      username: s.username,
      displayName: s.display_name,
      unitId: s.org_unit_id,
      scopePath: s.unit_path,
      permissions: new Set(s.permissions),
      roles: s.roles,
    },
  };
}

async function meOf(ctx: Ctx, sessionId: string): Promise<Me> {
  return ctx.run(async (trx) => {
    const s = await repo.sessionWithUser(trx, sessionId);
    if (!s) throw new DomainError('unauthenticated');
    const roles = await repo.rolesOfUser(trx, s.user_id);
    return {
      user: {
        id: s.user_id,
        username: s.username,
        displayName: s.display_name,
        unitId: s.org_unit_id,
        unitName: s.unit_name,
        unitCode: s.unit_code,
        language: s.language as 'zh-CN' | 'en',
        totpEnabled: s.totp_enabled,
        roles: roles.map(({ code, nameZh, nameEn }) => ({ code, nameZh, nameEn })),
        permissions: await repo.permissionsOfUser(trx, s.user_id),
      },
      stage: s.stage as SessionStage,
      csrfToken: s.csrf_token,
      idleTimeoutMs: ctx.deps.config.session.idleMs,
      expiresAt: s.expires_at.toISOString(),
      mfaRequired: mfaRequiredFor(ctx.deps, roles),
    };
  });
}

/** The signed-in user's own view. The session's own transaction sees the user's unit. */
export function me(ctx: Ctx, sessionId: string) {
  return meOf(ctx, sessionId);
}

export async function logout(ctx: Ctx, sessionId: string) {
  await ctx.run(async (trx) => {
    await repo.deleteSession(trx, sessionId);
    await recordAudit(ctx, { action: 'auth.logout', entityType: 'app_user', entityId: ctx.actor.userId });
  });
}

/** Replaces the session with a new id (and CSRF token) at a change of privilege. */
async function rotateSession(ctx: Ctx, sessionId: string, stage: SessionStage): Promise<string> {
  return ctx.run(async (trx) => {
    const old = await trx.selectFrom('session').selectAll().where('id', '=', sessionId).executeTakeFirstOrThrow();
    const token = randomToken(32);
    await repo.deleteSession(trx, sessionId);
    await repo.insertSession(trx, { ...old, id: sha256Hex(token), csrf_token: randomToken(24), stage, last_seen_at: ctx.deps.clock.now() });
    return token;
  });
}

function policyError(ctx: Ctx, problems: string[]) {
  const reasons = problems.map((p) => t(passwordProblemLabels[p as keyof typeof passwordProblemLabels], ctx.lang)).join(ctx.lang === 'en' ? '; ' : '；');
  return new DomainError('auth.password_policy', { reasons }, problems.map((p) => ({ field: 'body.newPassword', code: p, message: t(passwordProblemLabels[p as keyof typeof passwordProblemLabels], ctx.lang) })));
}

export async function changePassword(
  ctx: Ctx,
  sessionId: string,
  input: { currentPassword: string; newPassword: string; endOtherSessions?: boolean | undefined },
): Promise<{ token: string; me: Me }> {
  const { deps } = ctx;
  const userId = ctx.actor.userId!;
  const token = await ctx.run(async (trx) => {
    const u = await repo.getUserRow(trx, userId);
    if (!u) throw new DomainError('unauthenticated');
    if (!(await verifyPassword(deps.keys, u.password_hash, input.currentPassword))) throw new DomainError('auth.current_password_wrong', undefined, [{ field: 'body.currentPassword', code: 'wrong', message: '' }]);
    if (input.newPassword === input.currentPassword) throw new DomainError('auth.password_reused', undefined, [{ field: 'body.newPassword', code: 'reused', message: '' }]);
    const unit = await trx.selectFrom('org_unit').select('name').where('id', '=', u.org_unit_id).executeTakeFirst();
    const problems = passwordProblems(input.newPassword, [u.username, u.display_name, unit?.name ?? '']);
    if (problems.length) throw policyError(ctx, problems);
    const now = deps.clock.now();
    await repo.updateUserRow(trx, userId, { password_hash: await hashPassword(deps.keys, input.newPassword), password_changed_at: now, must_change_password: false, password_expires_at: null }, { now });
    const roles = await repo.rolesOfUser(trx, userId);
    const session = await trx.selectFrom('session').select('stage').where('id', '=', sessionId).executeTakeFirstOrThrow();
    const stage: SessionStage = session.stage === 'password_change' ? (mfaRequiredFor(deps, roles) && !u.totp_enabled ? 'mfa_enrol' : 'full') : (session.stage as SessionStage);
    if (input.endOtherSessions !== false) await repo.deleteSessionsOfUser(trx, userId, sessionId);
    await recordAudit(ctx, { action: 'auth.password_changed', entityType: 'app_user', entityId: userId });
    return rotateSession(ctx, sessionId, stage);
  });
  return { token, me: await meOf(ctx, sha256Hex(token)) };
}

export async function startTotpSetup(ctx: Ctx) {
  const userId = ctx.actor.userId!;
  return ctx.run(async (trx) => {
    const u = await repo.getUserRow(trx, userId);
    if (!u) throw new DomainError('unauthenticated');
    if (u.totp_enabled) throw new DomainError('auth.totp_already_enabled');
    const secret = generateTotpSecret();
    await repo.updateUserRow(trx, userId, { totp_secret_enc: encryptField(ctx.deps.keys, secret, TOTP_CONTEXT) }, { now: ctx.deps.clock.now() });
    return { secret, otpauthUrl: otpauthUrl(secret, u.username) };
  });
}

export async function confirmTotp(ctx: Ctx, sessionId: string, code: string): Promise<{ token: string; me: Me }> {
  const userId = ctx.actor.userId!;
  const token = await ctx.run(async (trx) => {
    const u = await repo.getUserRow(trx, userId);
    if (!u) throw new DomainError('unauthenticated');
    if (u.totp_enabled) throw new DomainError('auth.totp_already_enabled');
    if (!u.totp_secret_enc) throw new DomainError('auth.totp_not_pending');
    const now = ctx.deps.clock.now();
    const step = verifyTotp(decryptField(ctx.deps.keys, u.totp_secret_enc, TOTP_CONTEXT), code, now, u.totp_last_step);
    if (step === null) throw new DomainError('auth.totp_invalid', undefined, [{ field: 'body.code', code: 'invalid', message: '' }]);
    await repo.updateUserRow(trx, userId, { totp_enabled: true }, { now });
    await repo.setLoginState(trx, userId, { totp_last_step: step });
    const session = await trx.selectFrom('session').select('stage').where('id', '=', sessionId).executeTakeFirstOrThrow();
    await recordAudit(ctx, { action: 'auth.totp_enrolled', entityType: 'app_user', entityId: userId });
    return rotateSession(ctx, sessionId, session.stage === 'mfa_enrol' ? 'full' : (session.stage as SessionStage));
  });
  return { token, me: await meOf(ctx, sha256Hex(token)) };
}

export async function removeTotp(ctx: Ctx, input: { password: string; code: string }) {
  const userId = ctx.actor.userId!;
  await ctx.run(async (trx) => {
    const u = await repo.getUserRow(trx, userId);
    if (!u || !u.totp_enabled) throw new DomainError('auth.totp_not_pending');
    if (mfaRequiredFor(ctx.deps, await repo.rolesOfUser(trx, userId))) throw new DomainError('auth.totp_mandatory');
    if (!(await verifyPassword(ctx.deps.keys, u.password_hash, input.password))) throw new DomainError('auth.current_password_wrong', undefined, [{ field: 'body.password', code: 'wrong', message: '' }]);
    const now = ctx.deps.clock.now();
    const step = verifyTotp(decryptField(ctx.deps.keys, u.totp_secret_enc!, TOTP_CONTEXT), input.code, now, u.totp_last_step);
    if (step === null) throw new DomainError('auth.totp_invalid', undefined, [{ field: 'body.code', code: 'invalid', message: '' }]);
    await repo.updateUserRow(trx, userId, { totp_enabled: false, totp_secret_enc: null }, { now });
    await repo.setLoginState(trx, userId, { totp_last_step: null });
    await recordAudit(ctx, { action: 'auth.totp_removed', entityType: 'app_user', entityId: userId });
  });
}

export async function setLanguage(ctx: Ctx, language: 'zh-CN' | 'en') {
  await ctx.run((trx) => repo.updateUserRow(trx, ctx.actor.userId!, { language }, { now: ctx.deps.clock.now() }));
}

export async function purgeExpiredSessions(deps: Deps) {
  await systemCtx(deps).run((trx) => repo.deleteExpiredSessions(trx, deps.clock.now(), deps.config.session.idleMs));
}
