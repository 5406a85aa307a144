import { sql, type Kysely } from 'kysely';
import { enableJurisdiction, grantApp } from '../rls.ts';

/**
 * The project library (人道公益项目库): projects and appeals, each owned by a unit under the ordinary
 * jurisdiction policy. Two facts cross jurisdictions and are answered by SECURITY DEFINER functions
 * (docs/decisions/0005): the next number of a unit's code series (XM-<org code>-<year>-<nnn>), and
 * how many brand projects the caller's county already has. A trigger keeps the brand limit (2 per
 * county, not counting closed projects) under concurrency: it locks the county and counts.
 */
export async function up(db: Kysely<any>) {
  await sql`create table project (
    id uuid primary key,
    org_unit_id uuid not null references org_unit(id),
    code text not null unique check (code ~ '^XM-[0-9A-Za-z-]+-[0-9]{4}-[0-9]{3,}$'),
    name text not null check (length(name) between 1 and 60),
    kind text not null check (kind in ('project','appeal')),
    category text not null check (category in ('relief','medical','education','life','first_aid','volunteer','disaster','other')),
    summary text check (length(summary) <= 500),
    period_start date,
    period_end date,
    affected_area text check (length(affected_area) <= 100),
    goal_fen bigint check (goal_fen >= 0),
    status text not null check (status in ('draft','fundraising','closed')),
    beneficiary_groups jsonb not null default '[]' check (jsonb_typeof(beneficiary_groups) = 'array'),
    brand_project boolean not null default false,
    public_text text check (length(public_text) <= 5000),
    public_image_id uuid references attachment(id),
    internal_notes text check (length(internal_notes) <= 2000),
    closed_at timestamptz,
    closed_reason text,
    created_by uuid,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    version int not null default 1,
    check (period_end is null or period_start is null or period_end >= period_start),
    check (kind <> 'appeal' or (period_start is not null and affected_area is not null)),
    check (kind = 'appeal' or affected_area is null),
    check ((status = 'closed') = (closed_at is not null))
  )`.execute(db);
  await sql`create index project_unit on project (org_unit_id)`.execute(db);
  await sql`create index project_status_code on project (status, code)`.execute(db);
  await enableJurisdiction(db, 'project');
  // Projects are closed, never deleted: donations will point at them.
  await grantApp(db, 'project', 'select, insert, update');

  // The next code of the series of the nearest unit with an org code at or above p_unit, for a
  // unit inside the caller's scope. The lock serialises two creations in the same series.
  await sql`create function boai_project_next_code(p_unit uuid, p_year int) returns text language plpgsql volatile security definer
    set search_path = public as $$
    declare
      unit_code text;
      prefix text;
      n int;
    begin
      if not exists (select 1 from org_unit where id = p_unit and path >= boai_scope_lo() and path < boai_scope_hi()) then
        raise exception 'unit outside the caller''s scope' using errcode = '42501';
      end if;
      select a.code into unit_code from org_unit u join org_unit a on starts_with(u.path, a.path) and a.code is not null
        where u.id = p_unit order by a.depth desc limit 1;
      prefix := 'XM-' || coalesce(unit_code, 'X') || '-' || p_year::text || '-';
      perform pg_advisory_xact_lock(hashtext('boai_project_code:' || prefix));
      select coalesce(max(substring(code from length(prefix) + 1)::int), 0) + 1 into n from project where starts_with(code, prefix);
      return prefix || case when n < 1000 then lpad(n::text, 3, '0') else n::text end;
    end $$`.execute(db);
  await sql`revoke all on function boai_project_next_code(uuid, int) from public`.execute(db);
  await sql`grant execute on function boai_project_next_code(uuid, int) to boai_app`.execute(db);

  // The county (kind 'county') at or above a unit in the caller's scope, and its open brand projects
  // other than p_except: a township learns its county's count without seeing the projects.
  await sql`create function boai_project_brand_slot(p_unit uuid, p_except uuid) returns table (county_id uuid, county_name text, brand_count int)
    language sql stable security definer set search_path = public as $$
    with c as (
      select a.id, a.name, a.path from org_unit u join org_unit a on starts_with(u.path, a.path) and a.kind = 'county'
      where u.id = p_unit and u.path >= boai_scope_lo() and u.path < boai_scope_hi()
      order by a.depth desc limit 1)
    select c.id, c.name, (select count(*)::int from project p join org_unit pu on pu.id = p.org_unit_id
      where p.brand_project and p.status <> 'closed' and p.id is distinct from p_except and starts_with(pu.path, c.path))
    from c $$`.execute(db);
  await sql`revoke all on function boai_project_brand_slot(uuid, uuid) from public`.execute(db);
  await sql`grant execute on function boai_project_brand_slot(uuid, uuid) to boai_app`.execute(db);

  await sql`create function project_brand_guard() returns trigger language plpgsql security definer set search_path = public as $$
    declare
      c record;
    begin
      if not new.brand_project or new.status = 'closed' then
        return new;
      end if;
      select a.id, a.path into c from org_unit u join org_unit a on starts_with(u.path, a.path) and a.kind = 'county'
        where u.id = new.org_unit_id order by a.depth desc limit 1;
      if not found then
        raise exception 'project_brand_needs_county: a brand project belongs to a county' using errcode = '23514';
      end if;
      perform pg_advisory_xact_lock(hashtext('boai_project_brand:' || c.id::text));
      if (select count(*) from project p join org_unit pu on pu.id = p.org_unit_id
          where p.brand_project and p.status <> 'closed' and p.id <> new.id and starts_with(pu.path, c.path)) >= 2 then
        raise exception 'project_brand_limit: at most 2 brand projects per county' using errcode = '23514';
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger project_brand_guard before insert or update of brand_project, status, org_unit_id on project
    for each row execute function project_brand_guard()`.execute(db);
}
