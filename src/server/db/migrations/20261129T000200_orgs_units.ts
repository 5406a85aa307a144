import { sql, type Kysely } from 'kysely';
import { enableJurisdiction, grantApp } from '../rls.ts';

export async function up(db: Kysely<any>) {
  await sql`create table org_unit (
    id uuid primary key default gen_random_uuid(),
    parent_id uuid references org_unit(id),
    code text unique check (code ~ '^[0-9A-Za-z-]{2,32}$'),
    name text not null check (length(name) between 1 and 100),
    short_name text,
    kind text not null check (kind in ('city','city_direct','county','function_zone','township','street',
      'village','community','school','enterprise','other')),
    path text collate "C" not null unique check (path ~ '^/([0-9a-f-]{36}/)+$'),
    depth int not null check (depth >= 0),
    synthetic boolean not null default false,
    sort_order int not null default 0,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    version int not null default 1,
    check ((parent_id is null) = (depth = 0))
  )`.execute(db);
  await sql`create index org_unit_parent on org_unit (parent_id, sort_order, name)`.execute(db);
  await sql`alter table org_unit enable row level security`.execute(db);
  await sql`create policy jurisdiction on org_unit to boai_app
    using (path >= boai_scope_lo() and path < boai_scope_hi())
    with check (path >= boai_scope_lo() and path < boai_scope_hi())`.execute(db);
  await grantApp(db, 'org_unit', 'select, insert, update, delete');

  await sql`create table org_population (
    id uuid primary key default gen_random_uuid(),
    org_unit_id uuid not null references org_unit(id) on delete cascade,
    year int not null check (year between 1949 and 2100),
    kind text not null check (kind in ('registered','resident','census')),
    value bigint not null check (value >= 0 and value <= 2000000000),
    source text not null check (length(source) between 1 and 200),
    note text,
    updated_at timestamptz not null default now(),
    unique (org_unit_id, year, kind)
  )`.execute(db);
  await enableJurisdiction(db, 'org_population');
  await grantApp(db, 'org_population', 'select, insert, update, delete');
}
