import { sql, type Kysely } from 'kysely';
import { enableJurisdiction, grantApp } from '../rls.ts';

/**
 * The plan as data (DESIGN.md §6). A plan is read by its owner unit's whole subtree (a county reads
 * the city's plan) and changed only inside the owner's jurisdiction; its indicators, targets and
 * base-period rows follow the plan's visibility. Actual entries, bulletins and evaluations belong to
 * the unit they are about and use the ordinary jurisdiction policy.
 */
export async function up(db: Kysely<any>) {
  // True when the unit is an ancestor of (or is) the caller's scope root: plans of the levels above
  // are part of every county's work. SECURITY DEFINER because the caller cannot see those units.
  await sql`create function boai_unit_above_scope(unit uuid) returns boolean language sql stable security definer
    set search_path = public as
    $$ select exists (select 1 from org_unit where id = unit and starts_with(boai_scope_lo(), path)) $$`.execute(db);
  await sql`revoke all on function boai_unit_above_scope(uuid) from public`.execute(db);
  await sql`grant execute on function boai_unit_above_scope(uuid) to boai_app`.execute(db);
  // The code of a unit whoever asks, as boai_unit_name gives its name: targets name the units of the plan's tables.
  await sql`create function boai_unit_code(p_unit uuid) returns text language sql stable security definer
    set search_path = public as $$ select code from org_unit where id = p_unit $$`.execute(db);
  await sql`revoke all on function boai_unit_code(uuid) from public`.execute(db);
  await sql`grant execute on function boai_unit_code(uuid) to boai_app`.execute(db);

  await sql`create table plan (
    id uuid primary key,
    org_unit_id uuid not null references org_unit(id),
    name text not null check (length(name) between 1 and 100),
    document text,
    period_start int not null,
    period_end int not null,
    base_year int not null,
    thresholds jsonb not null,
    notes text,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    version int not null default 1,
    check (period_start <= period_end and base_year < period_start)
  )`.execute(db);
  await sql`alter table plan enable row level security`.execute(db);
  const inScope = sql`exists (select 1 from org_unit scope_unit where scope_unit.id = plan.org_unit_id
    and scope_unit.path >= boai_scope_lo() and scope_unit.path < boai_scope_hi())`;
  await sql`create policy read on plan for select to boai_app using (${inScope} or boai_unit_above_scope(plan.org_unit_id))`.execute(db);
  await sql`create policy write on plan for insert to boai_app with check (${inScope})`.execute(db);
  await sql`create policy change on plan for update to boai_app using (${inScope}) with check (${inScope})`.execute(db);
  await sql`create policy remove on plan for delete to boai_app using (${inScope})`.execute(db);
  await grantApp(db, 'plan', 'select, insert, update, delete');

  await sql`create table plan_indicator (
    id uuid primary key,
    plan_id uuid not null references plan(id) on delete cascade,
    code text not null check (code ~ '^[a-z][a-z0-9_]{1,39}$'),
    name_zh text not null,
    name_en text not null,
    category text not null check (category in ('headline','secondary')),
    unit text not null,
    numerator_unit text not null,
    kind text not null check (kind in ('cumulative','end_of_period','annual')),
    direction text not null check (direction in ('at_least','at_most')),
    target numeric,
    target_scope text not null check (target_scope in ('whole','each_unit')),
    denominator text not null check (denominator in ('none','registered','resident','entered')),
    scale text not null check (scale in ('count','ratio','percent','per_10k','per_million')),
    rank_target int,
    source_domain text,
    responsible_unit_id uuid references org_unit(id),
    description text,
    sort_order int not null default 0,
    version int not null default 1,
    unique (plan_id, code)
  )`.execute(db);

  await sql`create table plan_target (
    id uuid primary key,
    plan_id uuid not null references plan(id) on delete cascade,
    indicator_id uuid not null references plan_indicator(id) on delete cascade,
    unit_id uuid not null references org_unit(id),
    year int,
    basis text not null check (basis in ('value','count','addition','baseline')),
    value numeric not null,
    stated_total boolean not null default false,
    source text,
    note text,
    updated_at timestamptz not null
  )`.execute(db);
  await sql`create unique index plan_target_key on plan_target (indicator_id, unit_id, coalesce(year, 0), basis)`.execute(db);

  await sql`create table plan_baseline (
    id uuid primary key,
    plan_id uuid not null references plan(id) on delete cascade,
    item text not null,
    previous_target text not null,
    result text not null,
    indicator_code text,
    result_value numeric,
    sort_order int not null default 0
  )`.execute(db);

  // Children of a plan: visible with the plan, writable where the plan's owner is in scope.
  for (const table of ['plan_indicator', 'plan_target', 'plan_baseline']) {
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
    const visible = sql`exists (select 1 from plan p where p.id = ${sql.ref(`${table}.plan_id`)})`;
    const owned = sql`exists (select 1 from plan p join org_unit u on u.id = p.org_unit_id
      where p.id = ${sql.ref(`${table}.plan_id`)} and u.path >= boai_scope_lo() and u.path < boai_scope_hi())`;
    await sql`create policy read on ${sql.table(table)} for select to boai_app using (${visible})`.execute(db);
    await sql`create policy write on ${sql.table(table)} for insert to boai_app with check (${owned})`.execute(db);
    await sql`create policy change on ${sql.table(table)} for update to boai_app using (${owned}) with check (${owned})`.execute(db);
    await sql`create policy remove on ${sql.table(table)} for delete to boai_app using (${owned})`.execute(db);
    await grantApp(db, table, 'select, insert, update, delete');
  }

  // Figures entered by hand, keyed by indicator code (not plan): the world's facts outlive a plan.
  // Never changed or deleted: a correction supersedes the entry and the history stays.
  await sql`create table plan_actual_entry (
    id uuid primary key,
    org_unit_id uuid not null references org_unit(id),
    indicator_code text not null,
    year int not null check (year between 2000 and 2100),
    numerator numeric not null check (numerator >= 0),
    denominator numeric check (denominator > 0),
    rank int check (rank between 1 and 100),
    source_document text not null check (length(source_document) between 1 and 200),
    note text,
    entered_by uuid,
    entered_by_name text,
    entered_at timestamptz not null,
    superseded_at timestamptz,
    superseded_by uuid
  )`.execute(db);
  await sql`create unique index plan_actual_current on plan_actual_entry (indicator_code, org_unit_id, year) where superseded_at is null`.execute(db);
  await sql`create index plan_actual_history on plan_actual_entry (org_unit_id, indicator_code, year, entered_at)`.execute(db);
  await sql`create function plan_actual_entry_guard() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        raise exception 'DELETE on plan_actual_entry is not allowed: entries are superseded, never removed' using errcode = '42501';
      end if;
      if old.superseded_at is not null or new.id <> old.id or new.org_unit_id <> old.org_unit_id
        or new.indicator_code <> old.indicator_code or new.year <> old.year or new.numerator <> old.numerator
        or new.denominator is distinct from old.denominator or new.rank is distinct from old.rank
        or new.source_document <> old.source_document or new.note is distinct from old.note
        or new.entered_at <> old.entered_at or new.entered_by is distinct from old.entered_by then
        raise exception 'plan_actual_entry rows only gain a superseded mark' using errcode = '42501';
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger plan_actual_entry_guard before update or delete on plan_actual_entry
    for each row execute function plan_actual_entry_guard()`.execute(db);
  await enableJurisdiction(db, 'plan_actual_entry');
  await grantApp(db, 'plan_actual_entry', 'select, insert, update');

  await sql`create table plan_bulletin (
    id uuid primary key,
    plan_id uuid not null references plan(id),
    org_unit_id uuid not null references org_unit(id),
    period_kind text not null check (period_kind in ('quarter','half','year')),
    year int not null,
    part int not null,
    title text not null,
    as_of date not null,
    remarks text,
    created_by uuid,
    created_by_name text,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    version int not null default 1,
    unique (plan_id, org_unit_id, period_kind, year, part)
  )`.execute(db);
  await enableJurisdiction(db, 'plan_bulletin');
  await grantApp(db, 'plan_bulletin', 'select, insert, update');

  await sql`create table plan_evaluation (
    id uuid primary key,
    plan_id uuid not null references plan(id),
    org_unit_id uuid not null references org_unit(id),
    kind text not null check (kind in ('midterm','final','adhoc')),
    title text not null,
    as_of date not null,
    narrative text,
    status text not null check (status in ('draft','published')),
    snapshot jsonb,
    snapshot_text text,
    content_hash text check (content_hash ~ '^[0-9a-f]{64}$'),
    published_at timestamptz,
    published_by uuid,
    published_by_name text,
    created_by uuid,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    version int not null default 1,
    check ((status = 'published') = (content_hash is not null and snapshot_text is not null and published_at is not null))
  )`.execute(db);
  await sql`create index plan_evaluation_plan on plan_evaluation (plan_id, as_of)`.execute(db);
  // Published evaluations are frozen in the database too, whoever connects.
  await sql`create function plan_evaluation_frozen() returns trigger language plpgsql as $$
    begin
      if old.status = 'published' then
        raise exception '% of a published evaluation is not allowed', tg_op using errcode = '42501';
      end if;
      return case when tg_op = 'DELETE' then old else new end;
    end $$`.execute(db);
  await sql`create trigger plan_evaluation_frozen before update or delete on plan_evaluation
    for each row execute function plan_evaluation_frozen()`.execute(db);
  await enableJurisdiction(db, 'plan_evaluation');
  await grantApp(db, 'plan_evaluation', 'select, insert, update, delete');
}
