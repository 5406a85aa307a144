import { z } from 'zod';
import type { ErrorCatalog } from '../../platform/errors.ts';
import { definePermissions, isoDateTime, listQueryBase, pageOf, uuid, version, type RoleGrants } from '../../platform/contract-kit.ts';

export const accountsPermissions = definePermissions({
  'accounts.users.read': { zh: '查看用户', en: 'View users', category: 'business' },
  'accounts.users.manage': { zh: '管理用户（新建、停用、重置密码、分配角色与管辖范围）', en: 'Manage users (create, disable, reset passwords, assign roles and jurisdiction)', category: 'system' },
  'accounts.roles.read': { zh: '查看角色与权限', en: 'View roles and permissions', category: 'business' },
  'accounts.roles.manage': { zh: '管理角色及其权限', en: 'Manage roles and their permissions', category: 'security' },
});

export const ADMIN_KINDS = ['system', 'security', 'audit'] as const;
export type AdminKind = (typeof ADMIN_KINDS)[number];
export const adminKindLabels: Record<AdminKind, { zh: string; en: string }> = {
  system: { zh: '系统管理', en: 'System administration' },
  security: { zh: '安全管理', en: 'Security administration' },
  audit: { zh: '安全审计', en: 'Audit' },
};

/**
 * The roles every installation starts with. Each domain contract says which of its permissions
 * each built-in role receives (see domains/catalog.ts); a security administrator can change them.
 */
export const BUILTIN_ROLES = [
  { code: 'sys_admin', zh: '系统管理员', en: 'System administrator', adminKind: 'system', description: '管理用户账户、管辖范围与角色分配' },
  { code: 'sec_admin', zh: '安全管理员', en: 'Security administrator', adminKind: 'security', description: '管理角色及其权限' },
  { code: 'audit_admin', zh: '审计管理员', en: 'Audit administrator', adminKind: 'audit', description: '查阅与导出审计日志' },
  { code: 'supervisor', zh: '监事会', en: 'Supervisory board', adminKind: 'audit', description: '查阅管辖范围内的全部业务与审计日志，不可修改' },
  { code: 'leader', zh: '领导', en: 'Leader', adminKind: null, description: '查看规划进度、简报与评估报告' },
  { code: 'staff', zh: '业务人员', en: 'Staff', adminKind: null, description: '办理管辖范围内的日常业务' },
  { code: 'data_officer', zh: '个人信息保护负责人', en: 'Data protection officer', adminKind: null, description: '查看完整个人信息、合并重复记录、处理查阅/更正/删除请求' },
] as const;
export type BuiltinRoleCode = (typeof BUILTIN_ROLES)[number]['code'];


export const accountsRoleGrants: RoleGrants = {
  sys_admin: ['accounts.users.read', 'accounts.users.manage', 'accounts.roles.read'],
  sec_admin: ['accounts.users.read', 'accounts.roles.read', 'accounts.roles.manage'],
  audit_admin: ['accounts.users.read', 'accounts.roles.read'],
  supervisor: ['accounts.users.read', 'accounts.roles.read'],
};

export const accountsErrors = {
  'auth.invalid_credentials': { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  'auth.locked': { status: 423, zh: '账户已被锁定：连续登录失败次数过多，请 {minutes} 分钟后再试或联系系统管理员', en: 'The account is locked after too many failed sign-ins; try again in {minutes} minutes or contact the system administrator' },
  'auth.totp_required': { status: 401, zh: '请输入动态口令（6 位数字）', en: 'Enter your 6-digit TOTP code' },
  'auth.totp_invalid': { status: 401, zh: '动态口令错误或已使用', en: 'The TOTP code is wrong or was already used' },
  'auth.current_password_wrong': { status: 422, zh: '当前密码不正确', en: 'The current password is wrong' },
  'auth.password_policy': { status: 422, zh: '新密码不符合要求：{reasons}', en: 'The new password does not meet the rules: {reasons}' },
  'auth.password_reused': { status: 422, zh: '新密码不能与当前密码相同', en: 'The new password must differ from the current one' },
  'auth.totp_not_pending': { status: 409, zh: '请先生成动态口令密钥', en: 'Start the TOTP setup first' },
  'auth.totp_already_enabled': { status: 409, zh: '已绑定动态口令', en: 'A TOTP second factor is already enrolled' },
  'auth.totp_mandatory': { status: 403, zh: '管理员角色必须使用动态口令，不能解绑', en: 'Administrator roles must keep their TOTP second factor' },
  'accounts.user_not_found': { status: 404, zh: '用户不存在或不在您的管辖范围内', en: 'User not found, or outside your jurisdiction' },
  'accounts.username_taken': { status: 409, zh: '用户名 {username} 已被使用', en: 'Username {username} is taken' },
  'accounts.unit_not_found': { status: 404, zh: '所选管辖单位不存在或不在您的管辖范围内', en: 'The chosen unit does not exist or is outside your jurisdiction' },
  'accounts.admin_separation': { status: 422, zh: '同一账户不能同时担任系统管理员、安全管理员、审计管理员中的两种（三权分立）', en: 'One account may not hold two of the system, security and audit administrator duties (separation of duties)' },
  'accounts.role_not_found': { status: 404, zh: '角色不存在', en: 'Role not found' },
  'accounts.role_code_taken': { status: 409, zh: '角色代码 {code} 已被使用', en: 'Role code {code} is taken' },
  'accounts.role_builtin': { status: 422, zh: '内置角色不能删除', en: 'Built-in roles cannot be deleted' },
  'accounts.role_in_use': { status: 409, zh: '仍有 {count} 个用户持有该角色，不能删除', en: '{count} users still hold this role; it cannot be deleted' },
  'accounts.unknown_permission': { status: 422, zh: '未知权限：{permission}', en: 'Unknown permission: {permission}' },
  'accounts.mixed_admin_permissions': { status: 422, zh: '一个角色只能包含一种管理员职责的权限（三权分立）：{kinds}', en: 'A role may carry permissions of one administrator duty only (separation of duties): {kinds}' },
  'accounts.self_change': { status: 422, zh: '不能停用自己的账户或修改自己的角色与管辖范围', en: 'You cannot disable your own account or change your own roles or jurisdiction' },
  'accounts.roles_scope': { status: 403, zh: '角色对全市生效，只有市级安全管理员可以修改', en: 'Roles apply city-wide; only a city-level security administrator may change them' },
} satisfies ErrorCatalog;

/* ---------- password rules (shared by the server and the forms) ---------- */

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;
export type PasswordProblem = 'too_short' | 'too_long' | 'classes' | 'common' | 'context' | 'whitespace_edges';
export const passwordProblemLabels: Record<PasswordProblem, { zh: string; en: string }> = {
  too_short: { zh: `至少 ${PASSWORD_MIN} 个字符`, en: `at least ${PASSWORD_MIN} characters` },
  too_long: { zh: `不超过 ${PASSWORD_MAX} 个字符`, en: `at most ${PASSWORD_MAX} characters` },
  classes: { zh: '须包含大写字母、小写字母、数字、符号中的至少三类', en: 'use at least three of: upper-case, lower-case, digits, symbols' },
  common: { zh: '不能使用常见密码', en: 'must not be a common password' },
  context: { zh: '不能包含用户名、姓名、单位或“红十字”等易猜词', en: 'must not contain your username, name, unit or words such as "redcross"' },
  whitespace_edges: { zh: '首尾不能是空格', en: 'must not start or end with a space' },
};

const CONTEXT_WORDS = ['红十字', 'hszh', 'redcross', 'quzhou', '衢州', '柯城', '衢江', '龙游', '江山', '常山', '开化', 'kecheng', 'qujiang', 'longyou', 'jiangshan', 'changshan', 'kaihua', 'admin', 'boai', '博爱'];

/** Length, character classes and guessable words; the server also checks a list of 49,000 common passwords. */
export function passwordShapeProblems(password: string, context: readonly string[] = []): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const chars = [...password];
  if (chars.length < PASSWORD_MIN) problems.push('too_short');
  if (chars.length > PASSWORD_MAX) problems.push('too_long');
  if (password !== password.trim()) problems.push('whitespace_edges');
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) problems.push('classes');
  const lower = password.toLowerCase();
  const words = [...CONTEXT_WORDS, ...context.map((w) => w.toLowerCase()).filter((w) => [...w].length >= 3)];
  if (words.some((w) => lower.includes(w))) problems.push('context');
  return problems;
}

/* ---------- auth ---------- */

export const loginBody = z.strictObject({
  username: z.string().trim().toLowerCase().min(1, { error: '请输入用户名' }).max(40),
  password: z.string().min(1, { error: '请输入密码' }).max(256),
  totp: z.string().regex(/^\d{6}$/, { error: '动态口令为 6 位数字' }).optional(),
});

export const SESSION_STAGES = ['full', 'password_change', 'mfa_enrol'] as const;
export type SessionStage = (typeof SESSION_STAGES)[number];

export const roleRef = z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string() });

export const me = z.object({
  user: z.object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    unitId: z.string(),
    unitName: z.string(),
    unitCode: z.string().nullable(),
    language: z.enum(['zh-CN', 'en']),
    totpEnabled: z.boolean(),
    roles: z.array(roleRef),
    permissions: z.array(z.string()),
  }),
  stage: z.enum(SESSION_STAGES),
  /** Send back in the X-CSRF-Token header with every state-changing request. */
  csrfToken: z.string(),
  idleTimeoutMs: z.number().int(),
  expiresAt: isoDateTime,
  mfaRequired: z.boolean(),
});
export type Me = z.infer<typeof me>;

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1, { error: '请输入当前密码' }).max(256),
  newPassword: z.string().min(1, { error: '请输入新密码' }).max(256),
  endOtherSessions: z.boolean().optional(),
});

export const totpSetup = z.object({ secret: z.string(), otpauthUrl: z.string() });
export const totpCode = z.strictObject({ code: z.string().regex(/^\d{6}$/, { error: '动态口令为 6 位数字' }) });
export const totpRemove = z.strictObject({ password: z.string().min(1).max(256), code: z.string().regex(/^\d{6}$/, { error: '动态口令为 6 位数字' }) });
export const languageBody = z.strictObject({ language: z.enum(['zh-CN', 'en']) });

/* ---------- users ---------- */

export const USER_STATUSES = ['active', 'disabled'] as const;

export const user = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  status: z.enum(USER_STATUSES),
  roles: z.array(z.string()),
  totpEnabled: z.boolean(),
  locked: z.boolean(),
  mustChangePassword: z.boolean(),
  lastLoginAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
  version: z.number().int(),
});
export type User = z.infer<typeof user>;

export const userListQuery = z.strictObject({
  ...listQueryBase,
  q: z.string().trim().min(1).max(40).optional(),
  unitId: uuid.optional(),
  status: z.enum(USER_STATUSES).optional(),
  role: z.string().trim().min(1).max(40).optional(),
});
export type UserListQuery = z.infer<typeof userListQuery>;
export const userPage = pageOf(user);

const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,39}$/, { error: '用户名为 3–40 位小写字母、数字、点、下划线或短横线，以字母或数字开头' });
const displayName = z.string().trim().min(1, { error: '请填写姓名' }).max(50, { error: '姓名不超过 50 个字' });
const roleCodes = z.array(z.string().regex(/^[a-z][a-z0-9_]{1,40}$/)).max(20);

export const createUserBody = z.strictObject({
  username,
  displayName,
  unitId: uuid,
  roles: roleCodes.min(1, { error: '至少分配一个角色' }),
  language: z.enum(['zh-CN', 'en']).optional(),
});
export type CreateUserBody = z.infer<typeof createUserBody>;

export const updateUserBody = z.strictObject({
  version,
  displayName: displayName.optional(),
  unitId: uuid.optional(),
  roles: roleCodes.min(1, { error: '至少分配一个角色' }).optional(),
});
export type UpdateUserBody = z.infer<typeof updateUserBody>;

export const oneTimePasswordResult = z.object({ user, oneTimePassword: z.string(), expiresAt: isoDateTime });

/* ---------- roles ---------- */

export const role = z.object({
  id: z.string(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  description: z.string().nullable(),
  builtin: z.boolean(),
  adminKind: z.enum(ADMIN_KINDS).nullable(),
  permissions: z.array(z.string()),
  userCount: z.number().int(),
  version: z.number().int(),
});
export type Role = z.infer<typeof role>;

export const createRoleBody = z.strictObject({
  code: z.string().trim().regex(/^[a-z][a-z0-9_]{1,40}$/, { error: '角色代码为 2–41 位小写字母、数字或下划线，以字母开头' }),
  nameZh: z.string().trim().min(1, { error: '请填写中文名称' }).max(30),
  nameEn: z.string().trim().min(1, { error: '请填写英文名称' }).max(60),
  description: z.string().trim().max(200).nullable().optional(),
  permissions: z.array(z.string().max(80)).max(500),
});
export const updateRoleBody = z.strictObject({
  version,
  nameZh: z.string().trim().min(1).max(30).optional(),
  nameEn: z.string().trim().min(1).max(60).optional(),
  description: z.string().trim().max(200).nullable().optional(),
  permissions: z.array(z.string().max(80)).max(500).optional(),
});
export type CreateRoleBody = z.infer<typeof createRoleBody>;
export type UpdateRoleBody = z.infer<typeof updateRoleBody>;

export const permissionInfo = z.object({
  code: z.string(),
  zh: z.string(),
  en: z.string(),
  category: z.enum(['business', 'system', 'security', 'audit']),
  domain: z.string(),
});
