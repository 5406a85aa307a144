import { sql, type Kysely } from 'kysely';
import { enableJurisdiction, grantApp } from '../rls.ts';

export async function up(db: Kysely<any>) {
  await sql`create table role (
    id uuid primary key default gen_random_uuid(),
    code text not null unique check (code ~ '^[a-z][a-z0-9_]{1,40}$'),
    name_zh text not null,
    name_en text not null,
    description text,
    builtin boolean not null default false,
    admin_kind text check (admin_kind in ('system','security','audit')),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    version int not null default 1
  )`.execute(db);
  await grantApp(db, 'role', 'select, insert, update, delete');

  await sql`create table role_permission (
    role_id uuid not null references role(id) on delete cascade,
    permission text not null check (permission ~ '^[a-z_]+(\.[a-z_]+)+$'),
    primary key (role_id, permission)
  )`.execute(db);
  await grantApp(db, 'role_permission', 'select, insert, delete');

  await sql`create table known_permission (
    code text primary key,
    first_seen_at timestamptz not null default now()
  )`.execute(db);
  await grantApp(db, 'known_permission', 'select, insert');

  await sql`create table app_user (
    id uuid primary key default gen_random_uuid(),
    username text not null check (username ~ '^[a-z0-9][a-z0-9._-]{2,39}$'),
    display_name text not null check (length(display_name) between 1 and 50),
    org_unit_id uuid not null references org_unit(id),
    password_hash text not null,
    password_changed_at timestamptz not null,
    must_change_password boolean not null default false,
    password_expires_at timestamptz,
    status text not null default 'active' check (status in ('active','disabled')),
    failed_logins int not null default 0,
    locked_until timestamptz,
    totp_secret_enc text,
    totp_enabled boolean not null default false,
    totp_last_step bigint,
    language text not null default 'zh-CN' check (language in ('zh-CN','en')),
    last_login_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    version int not null default 1
  )`.execute(db);
  await sql`create unique index app_user_username on app_user (username)`.execute(db);
  await sql`create index app_user_unit on app_user (org_unit_id)`.execute(db);
  await enableJurisdiction(db, 'app_user');
  await grantApp(db, 'app_user', 'select, insert, update');

  await sql`create table user_role (
    user_id uuid not null references app_user(id) on delete cascade,
    role_id uuid not null references role(id),
    primary key (user_id, role_id)
  )`.execute(db);
  await sql`create index user_role_role on user_role (role_id)`.execute(db);
  await grantApp(db, 'user_role', 'select, insert, delete');

  // 三权分立 backstop: no account may hold roles of two different administrator duties, whatever
  // path the rows took to get here.
  await sql`create function boai_check_admin_separation() returns trigger language plpgsql as $$
    declare kinds int;
    begin
      select count(distinct r.admin_kind) into kinds
        from user_role ur join role r on r.id = ur.role_id
       where ur.user_id = new.user_id and r.admin_kind is not null;
      if kinds > 1 then
        raise exception 'an account may not hold two of the three administrator duties'
          using errcode = '23514', constraint = 'admin_separation';
      end if;
      return new;
    end $$`.execute(db);
  await sql`create constraint trigger user_role_admin_separation after insert or update on user_role
    deferrable initially deferred for each row execute function boai_check_admin_separation()`.execute(db);

  await sql`create table session (
    id text primary key,
    user_id uuid not null references app_user(id) on delete cascade,
    created_at timestamptz not null,
    last_seen_at timestamptz not null,
    expires_at timestamptz not null,
    csrf_token text not null,
    stage text not null check (stage in ('full','password_change','mfa_enrol')),
    ip text,
    user_agent text
  )`.execute(db);
  await sql`create index session_by_user on session (user_id)`.execute(db);
  await grantApp(db, 'session', 'select, insert, update, delete');
}
