import type { ColumnType, Generated } from 'kysely';

export interface AppUserTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  /** The jurisdiction: this unit and its subtree. */
  org_unit_id: string;
  password_hash: string;
  password_changed_at: Date;
  must_change_password: Generated<boolean>;
  /** One-time passwords (bootstrap, reset) stop working after this moment. */
  password_expires_at: Date | null;
  status: Generated<string>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  totp_secret_enc: string | null;
  totp_enabled: Generated<boolean>;
  totp_last_step: number | null;
  language: Generated<string>;
  last_login_at: Date | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  version: ColumnType<number, number | undefined, number>;
}

export interface RoleTable {
  id: Generated<string>;
  code: string;
  name_zh: string;
  name_en: string;
  description: string | null;
  builtin: Generated<boolean>;
  /** Which of the three separated administrator duties (三权分立) this role carries, if any. */
  admin_kind: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  version: ColumnType<number, number | undefined, number>;
}

export interface RolePermissionTable {
  role_id: string;
  permission: string;
}

export interface UserRoleTable {
  user_id: string;
  role_id: string;
}

export interface KnownPermissionTable {
  code: string;
  first_seen_at: ColumnType<Date, Date | undefined, never>;
}

export interface SessionTable {
  /** SHA-256 of the cookie token: a database leak does not hand out live sessions. */
  id: string;
  user_id: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  csrf_token: string;
  /** 'full' | 'password_change' (must change a one-time password) | 'mfa_enrol' (must enrol TOTP first). */
  stage: string;
  ip: string | null;
  user_agent: string | null;
}

export interface AccountsTables {
  app_user: AppUserTable;
  role: RoleTable;
  role_permission: RolePermissionTable;
  user_role: UserRoleTable;
  known_permission: KnownPermissionTable;
  session: SessionTable;
}
