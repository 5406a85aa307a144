import { sql, type Kysely } from 'kysely';
import { createJurisdictionPolicy, enableJurisdiction, grantApp } from '../rls.ts';

/**
 * Relief-supply warehouses (docs/decisions/0013). Stock is held per batch (lot) in `stock_batch.on_hand`,
 * which a CHECK keeps at or above zero; every change of it is a row of the append-only `stock_movement`,
 * and a commit-time trigger refuses any transaction that leaves a batch's on-hand different from the sum
 * of its movements. Documents (入库/出库/调拨/报损/盘点) are numbered; once final they refuse updates:
 * corrections are reversing documents.
 */
export async function up(db: Kysely<any>) {
  // Grades: a configurable list with a configurable criteria checklist (the national grading text is not available).
  await sql`create table warehouse_grade (
    id uuid primary key,
    org_unit_id uuid not null references org_unit(id),
    code text not null unique check (length(code) between 1 and 20),
    name text not null check (length(name) between 1 and 40),
    criteria jsonb not null default '[]' check (jsonb_typeof(criteria) = 'array'),
    sort_order int not null default 0,
    created_at timestamptz not null,
    version int not null default 1
  )`.execute(db);

  await sql`create table warehouse (
    id uuid primary key,
    org_unit_id uuid not null references org_unit(id),
    code text not null unique check (length(code) between 1 and 40),
    name text not null check (length(name) between 1 and 60),
    address text not null check (length(address) between 1 and 200),
    area_m2 numeric(12,2) check (area_m2 > 0),
    capacity_m3 numeric(12,2) check (capacity_m3 > 0),
    manager_user_id uuid references app_user(id),
    manager_name text check (length(manager_name) <= 40),
    manager_phone text check (length(manager_phone) <= 40),
    grade_id uuid references warehouse_grade(id),
    grade_checks jsonb not null default '[]' check (jsonb_typeof(grade_checks) = 'array'),
    status text not null default 'active' check (status in ('active','closed')),
    opened_on date not null,
    closed_on date,
    created_at timestamptz not null,
    created_by uuid,
    version int not null default 1,
    check ((status = 'closed') = (closed_on is not null))
  )`.execute(db);
  await sql`create index warehouse_unit on warehouse (org_unit_id)`.execute(db);

  await sql`create table warehouse_location (
    id uuid primary key,
    org_unit_id uuid not null references org_unit(id),
    warehouse_id uuid not null references warehouse(id),
    code text not null check (length(code) between 1 and 20),
    name text check (length(name) <= 40),
    unique (warehouse_id, code)
  )`.execute(db);

  // The catalogue: specification is part of identity (N95 and KN95 are different items).
  await sql`create table relief_item (
    id uuid primary key,
    org_unit_id uuid not null references org_unit(id),
    code text not null unique check (length(code) between 1 and 30),
    name text not null check (length(name) between 1 and 40),
    spec text not null default '' check (length(spec) <= 80),
    category text not null check (category in ('shelter','bedding','clothing','hygiene','family_kit','medical','food_water','equipment','other')),
    unit text not null check (length(unit) between 1 and 10),
    count_unit boolean not null,
    shelf_life_months int check (shelf_life_months > 0),
    standard boolean not null default false,
    active boolean not null default true,
    created_at timestamptz not null,
    version int not null default 1,
    unique (name, spec)
  )`.execute(db);

  await sql`create table item_level (
    org_unit_id uuid not null references org_unit(id),
    warehouse_id uuid not null references warehouse(id),
    item_id uuid not null references relief_item(id),
    min_qty numeric(16,3) not null default 0 check (min_qty >= 0),
    max_qty numeric(16,3) check (max_qty is null or max_qty >= min_qty),
    primary key (warehouse_id, item_id)
  )`.execute(db);

  await sql`create table disaster_event (
    id uuid primary key,
    org_unit_id uuid not null references org_unit(id),
    name text not null check (length(name) between 1 and 60),
    kind text not null check (kind in ('flood','typhoon','rainstorm','earthquake','landslide','fire','drought','snow','epidemic','other')),
    occurred_on date not null,
    area text not null check (length(area) between 1 and 200),
    note text check (length(note) <= 1000),
    created_at timestamptz not null,
    created_by uuid
  )`.execute(db);

  await sql`create table stock_counter (
    org_unit_id uuid not null references org_unit(id),
    prefix text not null,
    year int not null,
    last int not null,
    primary key (org_unit_id, prefix, year)
  )`.execute(db);

  await sql`create table stock_document (
    id uuid primary key,
    org_unit_id uuid not null references org_unit(id),
    warehouse_id uuid not null references warehouse(id),
    kind text not null check (kind in ('receive','issue','transfer','write_off','stocktake')),
    number text not null unique,
    status text not null check (status in ('posted','shipped','received','requested','approved','rejected','counting','finalised')),
    occurred_on date not null,
    reverses uuid unique references stock_document(id),
    source_type text check (source_type in ('purchase','donation','allocation')),
    source_id uuid,
    source_ref text check (length(source_ref) <= 100),
    supplier text check (length(supplier) <= 100),
    destination text check (destination in ('distribution','unit')),
    event_id uuid references disaster_event(id),
    to_unit_id uuid references org_unit(id),
    to_org_name text check (length(to_org_name) <= 100),
    to_warehouse_id uuid references warehouse(id),
    reason text check (reason in ('damaged','expired','lost','other')),
    note text check (length(note) <= 500),
    requested_by uuid,
    requested_by_name text,
    approved_by uuid,
    approved_by_name text,
    decided_at timestamptz,
    reject_reason text,
    received_by uuid,
    received_by_name text,
    received_at timestamptz,
    received_on date,
    created_at timestamptz not null,
    created_by uuid,
    created_by_name text,
    version int not null default 1,
    check ((kind = 'transfer') = (to_warehouse_id is not null)),
    check (kind <> 'issue' or reverses is not null or destination is not null),
    check (destination is distinct from 'distribution' or event_id is not null),
    check (kind <> 'write_off' or reason is not null),
    check (approved_by is null or approved_by <> requested_by),
    check ((status = 'received') = (received_at is not null))
  )`.execute(db);
  await sql`create index stock_document_wh on stock_document (warehouse_id, occurred_on desc, number desc)`.execute(db);
  await sql`create index stock_document_unit on stock_document (org_unit_id, kind, status)`.execute(db);
  await sql`create index stock_document_to on stock_document (to_warehouse_id) where to_warehouse_id is not null`.execute(db);
  await sql`create index stock_document_source on stock_document (source_type, source_id) where source_id is not null`.execute(db);

  // A final document never changes again (corrections are reversing documents); the open steps are
  // shipped → received, requested → approved | rejected, counting → finalised.
  await sql`create function stock_document_guard() returns trigger language plpgsql as $$
    begin
      if old.status in ('posted','received','approved','rejected','finalised') then
        raise exception 'stock document % is % and cannot change: post a reversing document', old.number, old.status using errcode = '42501';
      end if;
      if not ((old.status = 'shipped' and new.status in ('shipped','received'))
           or (old.status = 'requested' and new.status in ('requested','approved','rejected'))
           or (old.status = 'counting' and new.status in ('counting','finalised'))) then
        raise exception 'stock document %: % → % is not allowed', old.number, old.status, new.status using errcode = '42501';
      end if;
      if new.kind <> old.kind or new.warehouse_id <> old.warehouse_id or new.number <> old.number or new.org_unit_id <> old.org_unit_id then
        raise exception 'stock document % cannot change its identity', old.number using errcode = '42501';
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger stock_document_guard before update on stock_document for each row execute function stock_document_guard()`.execute(db);
  await sql`create trigger stock_document_no_delete before delete on stock_document for each row execute function boai_refuse_change()`.execute(db);

  await sql`create table stock_batch (
    id uuid primary key,
    org_unit_id uuid not null references org_unit(id),
    seq bigint generated always as identity unique,
    warehouse_id uuid not null references warehouse(id),
    item_id uuid not null references relief_item(id),
    location_id uuid references warehouse_location(id),
    source_type text not null check (source_type in ('purchase','donation','transfer','allocation','stocktake')),
    source_id uuid,
    origin_batch_id uuid references stock_batch(id),
    document_id uuid not null references stock_document(id),
    lot_no text check (length(lot_no) <= 40),
    received_qty numeric(16,3) not null check (received_qty >= 0),
    on_hand numeric(16,3) not null check (on_hand >= 0),
    unit_value_fen bigint not null check (unit_value_fen >= 0),
    production_date date,
    expiry_date date,
    received_on date not null,
    check (expiry_date is null or production_date is null or expiry_date >= production_date)
  )`.execute(db);
  await sql`create index stock_batch_pick on stock_batch (warehouse_id, item_id, expiry_date, seq) where on_hand > 0`.execute(db);
  await sql`create index stock_batch_item on stock_batch (warehouse_id, item_id)`.execute(db);
  await sql`create index stock_batch_source on stock_batch (source_type, source_id) where source_id is not null`.execute(db);
  await sql`create index stock_batch_origin on stock_batch (origin_batch_id) where origin_batch_id is not null`.execute(db);

  await sql`create table stock_document_line (
    id uuid primary key,
    org_unit_id uuid not null references org_unit(id),
    document_id uuid not null references stock_document(id),
    line_no int not null,
    item_id uuid not null references relief_item(id),
    batch_id uuid references stock_batch(id),
    location_id uuid references warehouse_location(id),
    quantity numeric(16,3) not null check (quantity > 0),
    unit_value_fen bigint not null check (unit_value_fen >= 0),
    production_date date,
    expiry_date date,
    lot_no text,
    unique (document_id, line_no)
  )`.execute(db);
  await sql`create index stock_document_line_batch on stock_document_line (batch_id) where batch_id is not null`.execute(db);

  await sql`create table stock_movement (
    id bigint generated always as identity primary key,
    org_unit_id uuid not null references org_unit(id),
    batch_id uuid not null references stock_batch(id),
    warehouse_id uuid not null references warehouse(id),
    item_id uuid not null references relief_item(id),
    document_id uuid not null references stock_document(id),
    kind text not null check (kind in ('receive','issue','transfer_out','transfer_in','write_off','adjust','reversal')),
    quantity numeric(16,3) not null check (quantity <> 0),
    occurred_on date not null,
    created_at timestamptz not null
  )`.execute(db);
  await sql`create index stock_movement_card on stock_movement (warehouse_id, item_id, occurred_on, id)`.execute(db);
  await sql`create index stock_movement_batch on stock_movement (batch_id)`.execute(db);
  await sql`create index stock_movement_doc on stock_movement (document_id)`.execute(db);
  for (const op of ['update', 'delete']) {
    await sql`create trigger ${sql.raw(`stock_movement_no_${op}`)} before ${sql.raw(op)} on stock_movement for each row execute function boai_refuse_change()`.execute(db);
    await sql`create trigger ${sql.raw(`stock_document_line_no_${op}`)} before ${sql.raw(op)} on stock_document_line for each row execute function boai_refuse_change()`.execute(db);
  }
  await sql`create trigger stock_movement_no_truncate before truncate on stock_movement for each statement execute function boai_refuse_change()`.execute(db);

  // At commit: each touched batch's on-hand equals the sum of its movements (whoever writes).
  await sql`create function stock_batch_check() returns trigger language plpgsql security definer set search_path = public as $$
    declare total numeric; cur numeric;
    begin
      select on_hand into cur from stock_batch where id = new.id;
      select coalesce(sum(quantity), 0) into total from stock_movement where batch_id = new.id;
      if cur <> total then
        raise exception 'stock batch %: on hand % differs from its movements %', new.id, cur, total using errcode = '23514';
      end if;
      return null;
    end $$`.execute(db);
  await sql`create constraint trigger stock_batch_matches_movements after insert or update of on_hand on stock_batch
    deferrable initially deferred for each row execute function stock_batch_check()`.execute(db);

  // Stocktake count sheets: editable while the count is open, frozen once finalised.
  await sql`create table stocktake_line (
    id uuid primary key,
    org_unit_id uuid not null references org_unit(id),
    document_id uuid not null references stock_document(id),
    line_no int not null,
    item_id uuid not null references relief_item(id),
    batch_id uuid references stock_batch(id),
    location_id uuid references warehouse_location(id),
    book_qty numeric(16,3) not null check (book_qty >= 0),
    counted_qty numeric(16,3) check (counted_qty >= 0),
    reason text check (length(reason) <= 200),
    unit_value_fen bigint not null default 0 check (unit_value_fen >= 0),
    expiry_date date,
    counted_by uuid,
    counted_at timestamptz,
    unique (document_id, line_no)
  )`.execute(db);
  await sql`create function stocktake_line_guard() returns trigger language plpgsql as $$
    begin
      if (select status from stock_document where id = coalesce(new.document_id, old.document_id)) <> 'counting' then
        raise exception 'the stocktake is finalised: its count sheet cannot change' using errcode = '42501';
      end if;
      return coalesce(new, old);
    end $$`.execute(db);
  await sql`create trigger stocktake_line_guard before insert or update or delete on stocktake_line for each row execute function stocktake_line_guard()`.execute(db);

  // Distribution lists: recipients of an issue note (household heads from the person registry, or organisations).
  await sql`create table distribution_recipient (
    id uuid primary key,
    org_unit_id uuid not null references org_unit(id),
    document_id uuid not null references stock_document(id),
    seq int not null,
    kind text not null check (kind in ('person','organisation')),
    person_id uuid references person(id),
    org_name text check (length(org_name) <= 100),
    household_size int check (household_size between 1 and 50),
    address text check (length(address) <= 200),
    unique (document_id, seq),
    check ((kind = 'person') = (person_id is not null)),
    check ((kind = 'organisation') = (org_name is not null))
  )`.execute(db);
  await sql`create index distribution_recipient_person on distribution_recipient (person_id) where person_id is not null`.execute(db);
  await sql`create table distribution_item (
    id uuid primary key,
    org_unit_id uuid not null references org_unit(id),
    recipient_id uuid not null references distribution_recipient(id),
    item_id uuid not null references relief_item(id),
    quantity numeric(16,3) not null check (quantity > 0),
    unique (recipient_id, item_id)
  )`.execute(db);
  for (const t of ['distribution_recipient', 'distribution_item']) {
    for (const op of ['update', 'delete']) {
      await sql`create trigger ${sql.raw(`${t}_no_${op}`)} before ${sql.raw(op)} on ${sql.table(t)} for each row execute function boai_refuse_change()`.execute(db);
    }
  }

  // A transfer names the other side's warehouse to both sides; a name is not a secret.
  await sql`create function boai_warehouse_name(p_id uuid) returns text language sql stable security definer set search_path = public as
    $$ select name from warehouse where id = p_id $$`.execute(db);
  await sql`revoke all on function boai_warehouse_name(uuid) from public`.execute(db);
  await sql`grant execute on function boai_warehouse_name(uuid) to boai_app`.execute(db);

  // Jurisdiction. The catalogue and the grade list are read by everyone and changed only within scope.
  for (const t of ['relief_item', 'warehouse_grade']) {
    await enableJurisdiction(db, t);
    await sql`create policy catalogue_read on ${sql.table(t)} for select to boai_app using (true)`.execute(db);
    await grantApp(db, t, 'select, insert, update');
  }
  for (const t of ['warehouse', 'warehouse_location', 'item_level', 'disaster_event', 'stock_counter', 'stocktake_line']) {
    await enableJurisdiction(db, t);
  }
  await grantApp(db, 'warehouse', 'select, insert, update');
  await grantApp(db, 'warehouse_location', 'select, insert, update');
  await grantApp(db, 'item_level', 'select, insert, update');
  await grantApp(db, 'disaster_event', 'select, insert, update');
  await grantApp(db, 'stock_counter', 'select, insert, update');
  await grantApp(db, 'stocktake_line', 'select, insert, update, delete');
  // A transfer belongs to the shipping unit and is also visible to (and received by) the receiving unit:
  // a second permissive policy on the receiving side's unit.
  for (const t of ['stock_document', 'stock_document_line']) {
    if (t === 'stock_document_line') await sql`alter table stock_document_line add column to_unit_id uuid references org_unit(id)`.execute(db);
    await enableJurisdiction(db, t);
    await sql`alter policy jurisdiction on ${sql.table(t)} rename to jurisdiction_owner`.execute(db);
    await createJurisdictionPolicy(db, t, 'to_unit_id');
  }
  await grantApp(db, 'stock_document', 'select, insert, update');
  await grantApp(db, 'stock_document_line', 'select, insert');
  // Batches: update only of on_hand (and the row lock taken before it).
  await enableJurisdiction(db, 'stock_batch');
  await grantApp(db, 'stock_batch', 'select, insert');
  await sql`grant update (on_hand) on stock_batch to boai_app`.execute(db);
  for (const t of ['stock_movement', 'distribution_recipient', 'distribution_item']) {
    await enableJurisdiction(db, t);
    await grantApp(db, t, 'select, insert');
  }
}
