import { sql, type Kysely } from 'kysely';
import { enableJurisdiction, grantApp } from '../rls.ts';

/**
 * Goods donations: a donation carries money, goods lines, or both. Each line names a catalogue
 * item — whose specification is part of its identity (N95 and KN95 are different items) — with the
 * quantity, unit value and dates as received; the item's name, specification and unit are kept as
 * they were on the day. On confirmation the goods are received into the named warehouse (one 入库单
 * per donation, its batches sourced from the donation), so the disclosure gate can compare what the
 * report says with what the warehouse received.
 */
export async function up(db: Kysely<any>) {
  await sql`alter table donation drop constraint donation_amount_fen_check`.execute(db);
  await sql`alter table donation add constraint donation_amount_fen_check check (amount_fen >= 0)`.execute(db);
  await sql`alter table donation add column has_goods boolean not null default false`.execute(db);
  await sql`alter table donation add column goods_value_fen bigint not null default 0 check (goods_value_fen >= 0)`.execute(db);
  await sql`alter table donation add column warehouse_id uuid references warehouse(id)`.execute(db);
  await sql`alter table donation add column goods_document_id uuid`.execute(db);
  await sql`alter table donation add constraint donation_has_value check (amount_fen > 0 or has_goods)`.execute(db);
  await sql`alter table donation add constraint donation_goods_warehouse check (not has_goods or warehouse_id is not null)`.execute(db);
  await sql`alter table donation add constraint donation_goods_received check (not has_goods or status = 'draft' or goods_document_id is not null)`.execute(db);

  await sql`create table donation_goods_line (
    id uuid primary key,
    donation_id uuid not null references donation(id),
    org_unit_id uuid not null references org_unit(id),
    seq int not null check (seq >= 1),
    item_id uuid not null references relief_item(id),
    item_code text not null,
    item_name text not null,
    spec text not null,
    unit text not null,
    quantity numeric(18,3) not null check (quantity > 0),
    unit_value_fen bigint not null check (unit_value_fen >= 0),
    value_fen bigint not null check (value_fen >= 0),
    production_date date,
    expiry_date date,
    check (expiry_date is null or production_date is null or expiry_date >= production_date),
    unique (donation_id, seq)
  )`.execute(db);
  await sql`create index donation_goods_line_item on donation_goods_line (item_id)`.execute(db);
  await enableJurisdiction(db, 'donation_goods_line');
  await grantApp(db, 'donation_goods_line', 'select, insert');
}
