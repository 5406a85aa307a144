import { sql, type Kysely } from 'kysely';
import { enableJurisdiction, grantApp } from '../rls.ts';

/**
 * Money donations and the double-entry journal (docs/decisions/0011). The journal is append-only and
 * balanced at every commit; restricted funds and bank/cash never go below zero. Goods donations join
 * when the warehouses domain exists.
 */
export async function up(db: Kysely<any>) {
  await sql`create table donor (
    id uuid primary key,
    org_unit_id uuid not null references org_unit(id),
    kind text not null check (kind in ('person','organisation','anonymous')),
    person_id uuid references person(id),
    org_name text,
    credit_code text,
    contact_name text,
    public_consent boolean not null default false,
    created_at timestamptz not null,
    created_by uuid,
    check ((kind = 'person') = (person_id is not null)),
    check ((kind = 'organisation') = (org_name is not null))
  )`.execute(db);
  await enableJurisdiction(db, 'donor');
  await grantApp(db, 'donor', 'select, insert, update');

  // Per receiving unit and year: the donation numbers' series (no gaps from rolled-back attempts
  // would need more; numbers only have to be unique and ordered).
  await sql`create table donation_counter (
    org_unit_id uuid not null references org_unit(id),
    year int not null,
    last int not null,
    primary key (org_unit_id, year)
  )`.execute(db);
  await enableJurisdiction(db, 'donation_counter');
  await grantApp(db, 'donation_counter', 'select, insert, update');

  await sql`create table donation (
    id uuid primary key,
    org_unit_id uuid not null references org_unit(id),
    number text not null unique,
    received_on date not null,
    donor_id uuid not null references donor(id),
    channel text not null check (channel in ('bank_transfer','wechat_pay','alipay','cash','online_platform','other')),
    amount_fen bigint not null check (amount_fen > 0),
    designation text not null check (designation in ('unrestricted','project','beneficiary')),
    project_id uuid references project(id),
    beneficiary text,
    purpose text,
    receipt_no text,
    receipt_waiver text check (receipt_waiver in ('anonymous','declined')),
    waiver_note text,
    status text not null check (status in ('draft','confirmed','reversed')),
    lookup_hash text unique,
    lookup_sealed text,
    note text,
    created_at timestamptz not null,
    created_by uuid,
    confirmed_at timestamptz,
    confirmed_by uuid,
    version int not null default 1,
    check ((designation = 'project') = (project_id is not null)),
    check ((designation = 'beneficiary') = (beneficiary is not null)),
    check (status = 'draft' or receipt_no is not null or receipt_waiver is not null),
    reversed_at timestamptz,
    reverse_reason text,
    check (status = 'draft' or (lookup_hash is not null and confirmed_at is not null))
  )`.execute(db);
  await sql`create index donation_unit_date on donation (org_unit_id, received_on)`.execute(db);
  await sql`create index donation_project on donation (project_id) where project_id is not null`.execute(db);
  await enableJurisdiction(db, 'donation');
  await grantApp(db, 'donation', 'select, insert, update');

  // Accounts. Assets (bank, cash) are debit-normal; funds (unrestricted, one per project, one per
  // gift designated to a named beneficiary) are credit-normal.
  await sql`create table fund (
    id uuid primary key,
    org_unit_id uuid not null references org_unit(id),
    kind text not null check (kind in ('bank','cash','unrestricted','project','designated')),
    project_id uuid references project(id),
    donation_id uuid references donation(id),
    name text not null,
    created_at timestamptz not null,
    check ((kind = 'project') = (project_id is not null)),
    check ((kind = 'designated') = (donation_id is not null))
  )`.execute(db);
  await sql`create unique index fund_key on fund (org_unit_id, kind, coalesce(project_id, donation_id, '00000000-0000-0000-0000-000000000000'::uuid))`.execute(db);
  await enableJurisdiction(db, 'fund');
  // update: only to take the row lock (select … for update) that serialises postings to a fund.
  await grantApp(db, 'fund', 'select, insert, update');

  await sql`create table journal_entry (
    id uuid primary key,
    org_unit_id uuid not null references org_unit(id),
    seq bigint generated always as identity unique,
    kind text not null check (kind in ('receipt','allocation','disbursement','reversal')),
    ref_type text not null,
    ref_id uuid not null,
    reverses uuid unique references journal_entry(id),
    occurred_on date not null,
    memo text not null,
    created_at timestamptz not null,
    created_by uuid
  )`.execute(db);
  await sql`create index journal_entry_ref on journal_entry (ref_type, ref_id)`.execute(db);
  await sql`create table journal_line (
    id bigint generated always as identity primary key,
    entry_id uuid not null references journal_entry(id),
    org_unit_id uuid not null references org_unit(id),
    fund_id uuid not null references fund(id),
    amount_fen bigint not null check (amount_fen <> 0)
  )`.execute(db);
  await sql`create index journal_line_fund on journal_line (fund_id)`.execute(db);
  await sql`create index journal_line_entry on journal_line (entry_id)`.execute(db);
  for (const table of ['journal_entry', 'journal_line']) {
    for (const op of ['update', 'delete']) {
      await sql`create trigger ${sql.raw(`${table}_no_${op}`)} before ${sql.raw(op)} on ${sql.table(table)}
        for each row execute function boai_refuse_change()`.execute(db);
    }
    await sql`create trigger ${sql.raw(`${table}_no_truncate`)} before truncate on ${sql.table(table)}
      for each statement execute function boai_refuse_change()`.execute(db);
    await enableJurisdiction(db, table);
    await grantApp(db, table, 'select, insert');
  }
  // Checked at commit, whoever writes: every entry balances and has at least two lines, and no fund
  // or bank/cash account ends below zero. (Concurrent postings are serialised by the service's row
  // lock on the funds; this is the net under it.)
  await sql`create function journal_check() returns trigger language plpgsql security definer set search_path = public as $$
    declare total bigint; lines int; f record; bal bigint;
    begin
      select coalesce(sum(amount_fen), 0), count(*) into total, lines from journal_line where entry_id = new.entry_id;
      if total <> 0 or lines < 2 then
        raise exception 'journal entry % does not balance (sum %, % lines)', new.entry_id, total, lines using errcode = '23514';
      end if;
      select kind into f from fund where id = new.fund_id;
      select coalesce(sum(amount_fen), 0) into bal from journal_line where fund_id = new.fund_id;
      if (f.kind in ('bank','cash') and bal < 0) or (f.kind not in ('bank','cash') and bal > 0) then
        raise exception 'fund % would go below zero', new.fund_id using errcode = '23514';
      end if;
      return null;
    end $$`.execute(db);
  await sql`create constraint trigger journal_line_check after insert on journal_line
    deferrable initially deferred for each row execute function journal_check()`.execute(db);
  await sql`create function journal_entry_has_lines() returns trigger language plpgsql security definer set search_path = public as $$
    begin
      if not exists (select 1 from journal_line where entry_id = new.id) then
        raise exception 'journal entry % has no lines', new.id using errcode = '23514';
      end if;
      return null;
    end $$`.execute(db);
  await sql`create constraint trigger journal_entry_lines after insert on journal_entry
    deferrable initially deferred for each row execute function journal_entry_has_lines()`.execute(db);

  // What is left of each gift in each fund, oldest first: disbursements consume it first in, first out.
  await sql`create table gift_slice (
    id uuid primary key,
    org_unit_id uuid not null references org_unit(id),
    seq bigint generated always as identity unique,
    donation_id uuid not null references donation(id),
    fund_id uuid not null references fund(id),
    amount_fen bigint not null check (amount_fen > 0),
    remaining_fen bigint not null check (remaining_fen >= 0 and remaining_fen <= amount_fen),
    source_type text not null check (source_type in ('receipt','allocation')),
    source_id uuid not null
  )`.execute(db);
  await sql`create index gift_slice_open on gift_slice (fund_id, seq) where remaining_fen > 0`.execute(db);
  await sql`create index gift_slice_donation on gift_slice (donation_id)`.execute(db);
  await enableJurisdiction(db, 'gift_slice');
  await grantApp(db, 'gift_slice', 'select, insert, update');

  // Where each gift went: to a project by an allocation, to a beneficiary by a disbursement.
  await sql`create table gift_flow (
    id uuid primary key,
    org_unit_id uuid not null references org_unit(id),
    donation_id uuid not null references donation(id),
    slice_id uuid not null references gift_slice(id),
    to_type text not null check (to_type in ('allocation','disbursement','reversal')),
    to_id uuid not null,
    amount_fen bigint not null check (amount_fen <> 0),
    created_at timestamptz not null
  )`.execute(db);
  await sql`create index gift_flow_donation on gift_flow (donation_id)`.execute(db);
  await sql`create index gift_flow_to on gift_flow (to_type, to_id)`.execute(db);
  for (const op of ['update', 'delete']) {
    await sql`create trigger ${sql.raw(`gift_flow_no_${op}`)} before ${sql.raw(op)} on gift_flow
      for each row execute function boai_refuse_change()`.execute(db);
  }
  await enableJurisdiction(db, 'gift_flow');
  await grantApp(db, 'gift_flow', 'select, insert');

  await sql`create table allocation (
    id uuid primary key,
    org_unit_id uuid not null references org_unit(id),
    project_id uuid not null references project(id),
    amount_fen bigint not null check (amount_fen > 0),
    decided_by text not null,
    decided_on date not null,
    reason text not null,
    document text,
    entry_id uuid not null references journal_entry(id),
    created_at timestamptz not null,
    created_by uuid
  )`.execute(db);
  await enableJurisdiction(db, 'allocation');
  await grantApp(db, 'allocation', 'select, insert');

  await sql`create table disbursement (
    id uuid primary key,
    org_unit_id uuid not null references org_unit(id),
    fund_id uuid not null references fund(id),
    category text not null check (category in ('aid','management')),
    beneficiary_kind text not null check (beneficiary_kind in ('person','organisation')),
    person_id uuid references person(id),
    org_name text,
    amount_fen bigint not null check (amount_fen > 0),
    paid_on date not null,
    paid_from text not null check (paid_from in ('bank','cash')),
    purpose text not null,
    status text not null check (status in ('submitted','approved','rejected')),
    maker_id uuid not null,
    maker_name text,
    approver_id uuid,
    approver_name text,
    decided_at timestamptz,
    reject_reason text,
    entry_id uuid references journal_entry(id),
    created_at timestamptz not null,
    version int not null default 1,
    check ((beneficiary_kind = 'person') = (person_id is not null)),
    check ((beneficiary_kind = 'organisation') = (org_name is not null)),
    check (approver_id is null or approver_id <> maker_id),
    check ((status = 'approved') = (entry_id is not null))
  )`.execute(db);
  await sql`create index disbursement_fund on disbursement (fund_id, status)`.execute(db);
  await enableJurisdiction(db, 'disbursement');
  await grantApp(db, 'disbursement', 'select, insert, update');
}
