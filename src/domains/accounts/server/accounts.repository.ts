import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB } from '../../../server/db/schema.ts';
import type { Role, User } from '../accounts.contract.ts';
import type { AppUserTable, SessionTable } from './accounts.tables.ts';

type Db = Kysely<DB>;

export type RoleInfo = { code: string; nameZh: string; nameEn: string; adminKind: string | null };

/* ---------- users ---------- */

export async function findUserByUsername(db: Db, username: string) {
  return db.selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function getUserRow(db: Db, id: string) {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function rolesOfUser(db: Db, userId: string): Promise<RoleInfo[]> {
  return db
    .selectFrom('user_role as ur')
    .innerJoin('role as r', 'r.id', 'ur.role_id')
    .select(['r.code', 'r.name_zh as nameZh', 'r.name_en as nameEn', 'r.admin_kind as adminKind'])
    .where('ur.user_id', '=', userId)
    .orderBy('r.code')
    .execute();
}

export async function permissionsOfUser(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('user_role as ur')
    .innerJoin('role_permission as rp', 'rp.role_id', 'ur.role_id')
    .select('rp.permission')
    .distinct()
    .where('ur.user_id', '=', userId)
    .execute();
  return rows.map((r) => r.permission).sort();
}

function userSelect(db: Db) {
  return db
    .selectFrom('app_user as u')
    .innerJoin('org_unit as o', 'o.id', 'u.org_unit_id')
    .select([
      'u.id', 'u.username', 'u.display_name', 'u.org_unit_id', 'o.name as unit_name', 'u.status', 'u.totp_enabled',
      'u.locked_until', 'u.must_change_password', 'u.last_login_at', 'u.created_at', 'u.version', 'o.path as unit_path',
    ])
    .select((eb) =>
      eb
        .selectFrom('user_role as ur')
        .innerJoin('role as r', 'r.id', 'ur.role_id')
        .whereRef('ur.user_id', '=', 'u.id')
        .select(sql<string[]>`coalesce(array_agg(r.code order by r.code), '{}')`.as('codes'))
        .as('role_codes'),
    );
}

type UserListRow = Awaited<ReturnType<ReturnType<typeof userSelect>['executeTakeFirstOrThrow']>>;

export function toUser(r: UserListRow, now: Date): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    unitId: r.org_unit_id,
    unitName: r.unit_name,
    status: r.status as User['status'],
    roles: r.role_codes ?? [],
    totpEnabled: r.totp_enabled,
    locked: !!r.locked_until && r.locked_until > now,
    mustChangePassword: r.must_change_password,
    lastLoginAt: r.last_login_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    version: r.version,
  };
}

export type UserFilter = { q?: string; unitId?: string; unitPath?: string; status?: string; role?: string; afterUsername?: string };

export async function listUsers(db: Db, f: UserFilter, limit: number) {
  let q = userSelect(db);
  if (f.q) {
    const like = '%' + f.q.replace(/[\\%_]/g, '\\$&') + '%';
    q = q.where((eb) => eb.or([eb('u.username', 'like', like), eb('u.display_name', 'like', like)]));
  }
  if (f.unitPath) q = q.where('o.path', '>=', f.unitPath).where('o.path', '<', f.unitPath.slice(0, -1) + '0');
  if (f.status) q = q.where('u.status', '=', f.status);
  if (f.role) {
    const role = f.role;
    q = q.where((eb) =>
      eb.exists(eb.selectFrom('user_role as ur').innerJoin('role as r', 'r.id', 'ur.role_id').whereRef('ur.user_id', '=', 'u.id').where('r.code', '=', role).select('ur.user_id')),
    );
  }
  if (f.afterUsername) q = q.where('u.username', '>', f.afterUsername);
  return q.orderBy('u.username').limit(limit).execute();
}

export async function getUser(db: Db, id: string) {
  return userSelect(db).where('u.id', '=', id).executeTakeFirst();
}

export async function insertUser(db: Db, row: {
  username: string; display_name: string; org_unit_id: string; password_hash: string; must_change_password: boolean;
  password_expires_at: Date | null; language?: string; now: Date;
}) {
  const { now, ...rest } = row;
  const r = await db
    .insertInto('app_user')
    .values({ ...rest, password_changed_at: now, created_at: now, updated_at: now, version: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function updateUserRow(db: Db, id: string, patch: Partial<Omit<Selectable<AppUserTable>, 'id' | 'created_at' | 'version'>>, opts: { expectedVersion?: number; now: Date }) {
  let q = db
    .updateTable('app_user')
    .set({ ...patch, updated_at: opts.now, version: sql<number>`version + 1` })
    .where('id', '=', id);
  if (opts.expectedVersion !== undefined) q = q.where('version', '=', opts.expectedVersion);
  return q.returning(['id', 'version']).executeTakeFirst();
}

/** Counter changes (failed sign-ins, TOTP step) are not edits of the record: no version bump. */
export async function setLoginState(db: Db, id: string, patch: Partial<Pick<Selectable<AppUserTable>, 'failed_logins' | 'locked_until' | 'last_login_at' | 'totp_last_step'>>) {
  await db.updateTable('app_user').set(patch).where('id', '=', id).execute();
}

export async function setUserRoles(db: Db, userId: string, roleIds: string[]) {
  await db.deleteFrom('user_role').where('user_id', '=', userId).execute();
  if (roleIds.length) await db.insertInto('user_role').values(roleIds.map((role_id) => ({ user_id: userId, role_id }))).execute();
}

/* ---------- roles ---------- */

export async function rolesByCodes(db: Db, codes: string[]) {
  if (codes.length === 0) return [];
  return db.selectFrom('role').selectAll().where('code', 'in', codes).execute();
}

function roleSelect(db: Db) {
  return db
    .selectFrom('role as r')
    .selectAll('r')
    .select((eb) => [
      eb.selectFrom('role_permission as rp').whereRef('rp.role_id', '=', 'r.id').select(sql<string[]>`coalesce(array_agg(rp.permission order by rp.permission), '{}')`.as('p')).as('permissions'),
      eb.selectFrom('user_role as ur').whereRef('ur.role_id', '=', 'r.id').select(sql<number>`count(*)::int`.as('n')).as('user_count'),
    ]);
}

type RoleRow = Awaited<ReturnType<ReturnType<typeof roleSelect>['executeTakeFirstOrThrow']>>;

export function toRole(r: RoleRow): Role {
  return {
    id: r.id,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    description: r.description,
    builtin: r.builtin,
    adminKind: r.admin_kind as Role['adminKind'],
    permissions: r.permissions ?? [],
    userCount: r.user_count ?? 0,
    version: r.version,
  };
}

export async function listRoles(db: Db) {
  return roleSelect(db).orderBy('r.builtin', 'desc').orderBy('r.code').execute();
}

export async function getRole(db: Db, id: string) {
  return roleSelect(db).where('r.id', '=', id).executeTakeFirst();
}

export async function getRoleByCode(db: Db, code: string) {
  return db.selectFrom('role').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function insertRole(db: Db, row: { code: string; name_zh: string; name_en: string; description: string | null; builtin: boolean; admin_kind: string | null; now: Date }) {
  const { now, ...rest } = row;
  const r = await db.insertInto('role').values({ ...rest, created_at: now, updated_at: now, version: 1 }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updateRoleRow(db: Db, id: string, expectedVersion: number, patch: { name_zh?: string; name_en?: string; description?: string | null; admin_kind?: string | null }, now: Date) {
  return db
    .updateTable('role')
    .set({ ...patch, updated_at: now, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returning('id')
    .executeTakeFirst();
}

export async function setRolePermissions(db: Db, roleId: string, permissions: string[]) {
  await db.deleteFrom('role_permission').where('role_id', '=', roleId).execute();
  if (permissions.length) await db.insertInto('role_permission').values(permissions.map((permission) => ({ role_id: roleId, permission }))).execute();
}

export async function addRolePermissions(db: Db, roleId: string, permissions: string[]) {
  if (permissions.length === 0) return;
  await db
    .insertInto('role_permission')
    .values(permissions.map((permission) => ({ role_id: roleId, permission })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function deleteRole(db: Db, id: string) {
  await db.deleteFrom('role').where('id', '=', id).execute();
}

export async function usersHoldingRole(db: Db, roleId: string) {
  const rows = await db.selectFrom('user_role').select('user_id').where('role_id', '=', roleId).execute();
  return rows.map((r) => r.user_id);
}

export async function knownPermissions(db: Db) {
  return (await db.selectFrom('known_permission').select('code').execute()).map((r) => r.code);
}

export async function addKnownPermissions(db: Db, codes: string[]) {
  if (codes.length) await db.insertInto('known_permission').values(codes.map((code) => ({ code }))).onConflict((oc) => oc.doNothing()).execute();
}

export async function countUsers(db: Db) {
  const r = await db.selectFrom('app_user').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return r.n;
}

/* ---------- sessions ---------- */

export async function insertSession(db: Db, row: Selectable<SessionTable>) {
  await db.insertInto('session').values(row).execute();
}

export async function sessionWithUser(db: Db, id: string) {
  return db
    .selectFrom('session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .innerJoin('org_unit as o', 'o.id', 'u.org_unit_id')
    .select([
      's.id', 's.user_id', 's.created_at', 's.last_seen_at', 's.expires_at', 's.csrf_token', 's.stage',
      'u.username', 'u.display_name', 'u.org_unit_id', 'u.status', 'u.language', 'u.totp_enabled',
      'o.path as unit_path', 'o.name as unit_name', 'o.code as unit_code',
    ])
    .where('s.id', '=', id)
    .executeTakeFirst();
}

/** Session, user, jurisdiction path, roles and permissions in one statement (every request runs it). */
export async function sessionActor(db: Db, id: string) {
  return db
    .selectFrom('session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .innerJoin('org_unit as o', 'o.id', 'u.org_unit_id')
    .select([
      's.id', 's.user_id', 's.expires_at', 's.last_seen_at', 's.csrf_token', 's.stage',
      'u.username', 'u.display_name', 'u.org_unit_id', 'u.status', 'u.language', 'o.path as unit_path',
      sql<string[]>`coalesce((select array_agg(distinct rp.permission order by rp.permission) from user_role ur
        join role_permission rp on rp.role_id = ur.role_id where ur.user_id = u.id), '{}')`.as('permissions'),
      sql<string[]>`coalesce((select array_agg(r.code order by r.code) from user_role ur
        join role r on r.id = ur.role_id where ur.user_id = u.id), '{}')`.as('roles'),
    ])
    .where('s.id', '=', id)
    .executeTakeFirst();
}

export async function touchSession(db: Db, id: string, at: Date) {
  await db.updateTable('session').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function deleteSession(db: Db, id: string) {
  await db.deleteFrom('session').where('id', '=', id).execute();
}

export async function deleteSessionsOfUser(db: Db, userId: string, exceptId?: string) {
  let q = db.deleteFrom('session').where('user_id', '=', userId);
  if (exceptId) q = q.where('id', '<>', exceptId);
  await q.execute();
}

export async function deleteExpiredSessions(db: Db, now: Date, idleMs: number) {
  await db
    .deleteFrom('session')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', new Date(now.getTime() - idleMs))]))
    .execute();
}
