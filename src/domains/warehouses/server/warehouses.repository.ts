import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Trx } from '../../../platform/context.ts';

/**
 * SQL only (DESIGN.md §4): functions of a transaction and their arguments; no rules, no permissions.
 * Quantities are numeric(16,3) in the database: they travel as strings to it and come back as strings,
 * converted here with Number (three decimals up to 10^12 are exact in a double).
 */
export const q3 = (n: number) => n.toFixed(3);
export const num = (v: string | number | null | undefined) => (v === null || v === undefined ? 0 : Number(v));

export async function nextNumber(trx: Trx, unit: { id: string; code: string | null }, prefix: string, year: number) {
  const r = await sql<{ last: number }>`
    insert into stock_counter (org_unit_id, prefix, year, last) values (${unit.id}, ${prefix}, ${year}, 1)
    on conflict (org_unit_id, prefix, year) do update set last = stock_counter.last + 1 returning last`.execute(trx);
  return `${prefix}-${unit.code ?? unit.id.slice(0, 8)}-${year}-${String(r.rows[0]!.last).padStart(6, '0')}`;
}

export type WarehouseRow = { id: string; org_unit_id: string; code: string; name: string; status: string; manager_user_id: string | null; manager_name: string | null; unit_code: string | null; unit_name: string; unit_path: string };

export async function warehouseRow(trx: Trx, id: string, lock = false) {
  const r = await sql<WarehouseRow>`select w.id, w.org_unit_id, w.code, w.name, w.status, w.manager_user_id, w.manager_name, u.code as unit_code, u.name as unit_name, u.path as unit_path
    from warehouse w join org_unit u on u.id = w.org_unit_id where w.id = ${id} ${lock ? sql`for update of w` : sql``}`.execute(trx);
  return r.rows[0];
}

export type ItemRow = { id: string; code: string; name: string; spec: string; category: string; unit: string; count_unit: boolean; shelf_life_months: number | null; standard: boolean; active: boolean; version: number };
export async function itemsByIds(trx: Trx, ids: string[]) {
  if (ids.length === 0) return new Map<string, ItemRow>();
  const rows = await trx.selectFrom('relief_item').select(['id', 'code', 'name', 'spec', 'category', 'unit', 'count_unit', 'shelf_life_months', 'standard', 'active', 'version']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r as ItemRow]));
}

export async function locationsOf(trx: Trx, warehouseId: string) {
  return trx.selectFrom('warehouse_location').select(['id', 'code', 'name', 'active']).where('warehouse_id', '=', warehouseId).orderBy('code').execute();
}

/** The warehouses of the units above a shipping warehouse in the caller's scope (a security-definer lookup: names only). */
export type WarehouseAbove = { id: string; code: string; name: string; status: string; unit_id: string; unit_name: string; unit_path: string };
export async function warehousesAbove(trx: Trx, fromWarehouseId: string) {
  const r = await sql<WarehouseAbove>`select id, code, name, status, unit_id, unit_name, unit_path from boai_warehouses_above(${fromWarehouseId})`.execute(trx);
  return r.rows;
}

/** Whether goods of the item exist anywhere, including outside the caller's scope (a boolean only). */
export async function itemInUse(trx: Trx, itemId: string) {
  const r = await sql<{ used: boolean }>`select boai_relief_item_in_use(${itemId}) as used`.execute(trx);
  return r.rows[0]!.used;
}

export async function levelsOf(trx: Trx, warehouseId: string) {
  const r = await sql<{ item_id: string; code: string; name: string; spec: string; unit: string; active: boolean; min_qty: string; max_qty: string | null; on_hand: string }>`
    select l.item_id, i.code, i.name, i.spec, i.unit, i.active, l.min_qty::text as min_qty, l.max_qty::text as max_qty,
      coalesce((select sum(b.on_hand) from stock_batch b where b.warehouse_id = l.warehouse_id and b.item_id = l.item_id), 0)::text as on_hand
    from item_level l join relief_item i on i.id = l.item_id where l.warehouse_id = ${warehouseId} order by i.code`.execute(trx);
  return r.rows;
}

export type BatchRow = { id: string; seq: number; org_unit_id: string; warehouse_id: string; item_id: string; location_id: string | null; on_hand: string; unit_value_fen: number; production_date: string | null; expiry_date: string | null; lot_no: string | null; source_type: string; source_id: string | null };

/** Locks the batches (in id order, so two postings never wait on each other crosswise) and returns them. */
export async function lockBatches(trx: Trx, where: { warehouseId: string; itemIds?: string[]; batchIds?: string[] }) {
  const conds = [sql`warehouse_id = ${where.warehouseId}`];
  if (where.itemIds) conds.push(where.itemIds.length ? sql`item_id in (${sql.join(where.itemIds)}) and on_hand > 0` : sql`false`);
  if (where.batchIds) conds.push(where.batchIds.length ? sql`id in (${sql.join(where.batchIds)})` : sql`false`);
  const r = await sql<BatchRow>`select id, seq, org_unit_id, warehouse_id, item_id, location_id, on_hand::text as on_hand, unit_value_fen, production_date, expiry_date, lot_no, source_type, source_id
    from stock_batch where ${sql.join(conds, sql` and `)} order by id for update`.execute(trx);
  return r.rows;
}

export async function batchesByIds(trx: Trx, ids: string[]) {
  if (!ids.length) return [];
  const r = await sql<BatchRow & { warehouse_id: string }>`select id, seq, org_unit_id, warehouse_id, item_id, location_id, on_hand::text as on_hand, unit_value_fen, production_date, expiry_date, lot_no, source_type, source_id
    from stock_batch where id in (${sql.join(ids)})`.execute(trx);
  return r.rows;
}

/** Conditional update: takes `qty` only if that much is on hand. Returns false when it is not. */
export async function takeFromBatch(trx: Trx, batchId: string, qty: number) {
  const r = await sql<{ id: string }>`update stock_batch set on_hand = on_hand - ${q3(qty)}::numeric where id = ${batchId} and on_hand >= ${q3(qty)}::numeric returning id`.execute(trx);
  return r.rows.length === 1;
}
export async function addToBatch(trx: Trx, batchId: string, qty: number) {
  await sql`update stock_batch set on_hand = on_hand + ${q3(qty)}::numeric where id = ${batchId}`.execute(trx);
}

export async function insertBatch(trx: Trx, b: { org_unit_id: string; warehouse_id: string; item_id: string; location_id: string | null; source_type: string; source_id: string | null; origin_batch_id: string | null; document_id: string; lot_no: string | null; quantity: number; unit_value_fen: number; production_date: string | null; expiry_date: string | null; received_on: string }) {
  const id = crypto.randomUUID();
  // Inserted empty, then raised by its first movement: on-hand is only ever changed together with a movement.
  await trx
    .insertInto('stock_batch')
    .values({ id, org_unit_id: b.org_unit_id, warehouse_id: b.warehouse_id, item_id: b.item_id, location_id: b.location_id, source_type: b.source_type, source_id: b.source_id, origin_batch_id: b.origin_batch_id, document_id: b.document_id, lot_no: b.lot_no, received_qty: q3(b.quantity), on_hand: '0', unit_value_fen: b.unit_value_fen, production_date: b.production_date, expiry_date: b.expiry_date, received_on: b.received_on })
    .execute();
  return id;
}

export type MovementInput = { org_unit_id: string; batch_id: string; warehouse_id: string; item_id: string; document_id: string; kind: string; quantity: number; occurred_on: string };
export async function insertMovements(trx: Trx, rows: MovementInput[], now: Date) {
  if (!rows.length) return;
  await trx.insertInto('stock_movement').values(rows.map((m) => ({ ...m, quantity: q3(m.quantity), created_at: now }))).execute();
}

export type LineInput = { org_unit_id: string; to_unit_id: string | null; document_id: string; line_no: number; item_id: string; batch_id: string | null; location_id: string | null; quantity: number; unit_value_fen: number; production_date: string | null; expiry_date: string | null; lot_no: string | null };
export async function insertLines(trx: Trx, rows: LineInput[]) {
  if (!rows.length) return;
  await trx.insertInto('stock_document_line').values(rows.map((l) => ({ ...l, id: crypto.randomUUID(), quantity: q3(l.quantity) }))).execute();
}

export async function documentMovements(trx: Trx, documentId: string) {
  const r = await sql<{ batch_id: string; item_id: string; warehouse_id: string; org_unit_id: string; kind: string; quantity: string }>`
    select batch_id, item_id, warehouse_id, org_unit_id, kind, quantity::text as quantity from stock_movement where document_id = ${documentId} order by id`.execute(trx);
  return r.rows;
}

export const batchNo = (b: { seq: number | string; lot_no: string | null }) => b.lot_no || `B${String(b.seq).padStart(6, '0')}`;
