import { sql, type RawBuilder } from 'kysely';
import type { Ctx } from '../../../platform/context.ts';
import { DomainError } from '../../../platform/errors.ts';
import { shanghaiDate } from '../../../platform/i18n.ts';
import { requirePermission } from '../../../platform/permissions.ts';
import { unitBrief } from '../../orgs/server/orgs.service.ts';
import { movementKindLabels, writeOffReasonLabels, type AlertSummary, type Batch, type StockCard, type StockSummary } from '../warehouses.contract.ts';
import * as repo from './warehouses.repository.ts';

/** Stock card (收发存), summaries, one alert summary, reconciliation: aggregates in SQL, under the caller's jurisdiction. */

const { num } = repo;
const itemLabel = (i: { name: string; spec: string }) => (i.spec ? `${i.name}（${i.spec}）` : i.name);

function addDays(date: string, days: number) {
  return new Date(new Date(`${date}T00:00:00Z`).getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

export async function listBatches(ctx: Ctx, warehouseId: string, q: { itemId?: string | undefined; includeEmpty?: boolean | undefined }): Promise<Batch[]> {
  requirePermission(ctx, 'warehouses.read');
  const today = shanghaiDate(ctx.deps.clock.now());
  return ctx.run(async (trx) => {
    if (!(await repo.warehouseRow(trx, warehouseId))) throw new DomainError('warehouses.not_found');
    const r = await sql<Record<string, any>>`
      select b.id, b.seq, b.lot_no, b.warehouse_id, b.item_id, i.name, i.spec, i.unit, loc.code as location_code, b.source_type, b.source_id, b.on_hand::text as on_hand, b.received_qty::text as received_qty,
        b.unit_value_fen, b.production_date, b.expiry_date, b.received_on
      from stock_batch b join relief_item i on i.id = b.item_id left join warehouse_location loc on loc.id = b.location_id
      where b.warehouse_id = ${warehouseId} ${q.itemId ? sql`and b.item_id = ${q.itemId}` : sql``} ${q.includeEmpty ? sql`` : sql`and b.on_hand > 0`}
      order by i.code, b.expiry_date nulls last, b.seq limit 2000`.execute(trx);
    return r.rows.map((b) => ({ id: b.id, batchNo: repo.batchNo(b as { seq: number; lot_no: string | null }), warehouseId: b.warehouse_id, itemId: b.item_id, itemName: b.name, spec: b.spec, unit: b.unit, locationCode: b.location_code, sourceType: b.source_type, sourceId: b.source_id, onHand: num(b.on_hand), receivedQty: num(b.received_qty), unitValueFen: b.unit_value_fen, productionDate: b.production_date, expiryDate: b.expiry_date, expired: !!b.expiry_date && b.expiry_date < today, receivedOn: b.received_on }));
  });
}

export async function stockCard(ctx: Ctx, warehouseId: string, q: { itemId: string; from?: string | undefined; to?: string | undefined }): Promise<StockCard> {
  requirePermission(ctx, 'warehouses.read');
  return ctx.run(async (trx) => {
    const w = await repo.warehouseRow(trx, warehouseId);
    if (!w) throw new DomainError('warehouses.not_found');
    const item = (await repo.itemsByIds(trx, [q.itemId])).get(q.itemId);
    if (!item) throw new DomainError('warehouses.item_not_found', { field: 'itemId' }, [{ field: 'itemId', code: 'not_found', message: '物资不存在' }]);
    const opening = q.from
      ? num((await sql<{ s: string }>`select coalesce(sum(quantity), 0)::text as s from stock_movement where warehouse_id = ${w.id} and item_id = ${item.id} and occurred_on < ${q.from}`.execute(trx)).rows[0]!.s)
      : 0;
    const r = await sql<Record<string, any>>`
      select m.occurred_on, m.kind, m.quantity::text as quantity, d.id as document_id, d.number, d.kind as doc_kind, d.supplier, d.source_type, d.source_ref, coalesce(d.to_org_name, boai_unit_name(d.to_unit_id)) as to_name, boai_warehouse_name(d.warehouse_id) as from_warehouse, d.reason,
        e.name as event_name, rv.number as reverses_number, b.seq, b.lot_no
      from stock_movement m join stock_document d on d.id = m.document_id join stock_batch b on b.id = m.batch_id
        left join disaster_event e on e.id = d.event_id left join stock_document rv on rv.id = d.reverses
      where m.warehouse_id = ${w.id} and m.item_id = ${item.id} ${q.from ? sql`and m.occurred_on >= ${q.from}` : sql``} ${q.to ? sql`and m.occurred_on <= ${q.to}` : sql``}
      order by m.occurred_on, m.id`.execute(trx);
    const transit = await sql<{ s: string }>`select coalesce(sum(l.quantity), 0)::text as s from stock_document d join stock_document_line l on l.document_id = d.id
      where d.kind = 'transfer' and d.status = 'shipped' and d.warehouse_id = ${w.id} and l.item_id = ${item.id}`.execute(trx);
    let balance = opening;
    let totalIn = 0;
    let totalOut = 0;
    const rows = r.rows.map((m) => {
      const qty = num(m.quantity);
      balance = Number((balance + qty).toFixed(3));
      if (qty > 0) totalIn += qty;
      else totalOut -= qty;
      // In words for the exported card; as a kind and a code for screens in either language.
      const other: { counterparty: string | null; counterpartyKind: 'party' | 'write_off_reason' | 'stocktake' | 'reversal'; counterpartyCode: string | null } =
        m.kind === 'receive' ? { counterparty: m.supplier ?? m.source_ref ?? null, counterpartyKind: 'party', counterpartyCode: null }
        : m.kind === 'issue' ? { counterparty: [m.event_name, m.to_name].filter(Boolean).join(' · ') || null, counterpartyKind: 'party', counterpartyCode: null }
        : m.kind === 'transfer_out' ? { counterparty: m.to_name, counterpartyKind: 'party', counterpartyCode: null }
        : m.kind === 'transfer_in' ? { counterparty: m.from_warehouse, counterpartyKind: 'party', counterpartyCode: null }
        : m.kind === 'write_off' ? { counterparty: m.reason ? writeOffReasonLabels[m.reason as 'lost'].zh : null, counterpartyKind: 'write_off_reason', counterpartyCode: m.reason ?? null }
        : m.kind === 'reversal' ? { counterparty: `冲销 ${m.reverses_number ?? ''}`, counterpartyKind: 'reversal', counterpartyCode: m.reverses_number ?? null }
        : { counterparty: '盘点', counterpartyKind: 'stocktake', counterpartyCode: null };
      return { date: m.occurred_on, documentId: m.document_id, number: m.number, docKind: m.doc_kind, movement: movementKindLabels[m.kind]?.zh ?? m.kind, movementKind: m.kind, ...other, batchNo: repo.batchNo(m as { seq: number; lot_no: string | null }), in: qty > 0 ? qty : 0, out: qty < 0 ? -qty : 0, balance };
    });
    return {
      warehouseId: w.id, warehouseName: w.name, unitName: w.unit_name,
      item: { id: item.id, code: item.code, name: item.name, spec: item.spec, category: item.category as 'other', unit: item.unit, countUnit: item.count_unit, shelfLifeMonths: item.shelf_life_months, standard: item.standard, active: item.active, version: item.version },
      from: q.from ?? null, to: q.to ?? null, opening, totalIn: Number(totalIn.toFixed(3)), totalOut: Number(totalOut.toFixed(3)), closing: balance, inTransitOut: num(transit.rows[0]!.s), rows,
    };
  });
}

async function unitRange(ctx: Ctx, unitId: string) {
  const u = await unitBrief(ctx, unitId);
  if (!u) throw new DomainError('warehouses.unit_not_found', undefined, [{ field: 'unitId', code: 'not_found', message: '单位不存在或不在管辖范围内' }]);
  return { lo: u.path, hi: `${u.path.slice(0, -1)}0` };
}
async function scopeFilter(ctx: Ctx, unitId: string | undefined) {
  if (!unitId) return sql`true`;
  const r = await unitRange(ctx, unitId);
  return sql`u.path >= ${r.lo} and u.path < ${r.hi}`;
}

type SummaryFilter = { warehouseId?: string | undefined; category?: string | undefined };

/**
 * The summary's two statements, exported for bench/warehouses.probe.ts (EXPLAIN on the bench's data).
 * The warehouse and category filters go into the per-batch step too, so that one warehouse or one
 * category reads only its batches.
 */
export function stockSummarySql(inUnit: RawBuilder<unknown>, q: SummaryFilter) {
  const filters = sql`${inUnit} ${q.warehouseId ? sql`and w.id = ${q.warehouseId}` : sql``} ${q.category ? sql`and i.category = ${q.category}` : sql``}`;
  const batchFilter = sql`${q.warehouseId ? sql`and b.warehouse_id = ${q.warehouseId}` : sql``} ${q.category ? sql`and b.item_id in (select id from relief_item where category = ${q.category})` : sql``}`;
  const groups = sql<{ warehouse_id: string | null; category: string | null; org_unit_id: string | null; name: string | null; unit_name: string | null; value: string; items: number; warehouses: number }>`
      with s as (
        select b.warehouse_id, b.item_id, sum(b.on_hand * b.unit_value_fen) as value from stock_batch b where b.on_hand > 0 ${batchFilter} group by 1, 2)
      select case when grouping(w.id) = 0 then w.id end as warehouse_id, case when grouping(i.category) = 0 then i.category end as category,
        case when grouping(w.org_unit_id) = 0 then w.org_unit_id end as org_unit_id,
        min(w.name) as name, min(u.name) as unit_name, coalesce(sum(s.value), 0)::text as value, count(*)::int as items, count(distinct w.id)::int as warehouses
      from s join warehouse w on w.id = s.warehouse_id join relief_item i on i.id = s.item_id join org_unit u on u.id = w.org_unit_id
      where ${filters}
      group by grouping sets ((w.id), (i.category), (w.org_unit_id))`;
  // One row per (warehouse, item) with stock, goods in transit to it, or a level set: the three
  // sources, each already narrowed, merged by one grouping on plain columns. Before, a union of their
  // keys (a CTE, materialised as it was read twice) was joined back to each source: the planner took
  // the grouped batches behind the row policy for one row and re-scanned them per key in a nested
  // loop — n², 4 M comparisons for one province warehouse of 2,000 items, ~0.5 s (docs/benchmarks.md).
  // Full joins instead fixed PostgreSQL but not PGlite (their COALESCE keys, again taken for one row,
  // made the item join filter 0.5 M rows). Here every later join is on a key column, probed by
  // primary key whatever the estimate.
  const rows = sql<Record<string, any>>`
      with k as (
        select b.warehouse_id, b.item_id, sum(b.on_hand) as on_hand, sum(b.on_hand * b.unit_value_fen) as value, min(b.expiry_date) as nearest, null::numeric as q, null::numeric as min_qty, null::numeric as max_qty
        from stock_batch b where b.on_hand > 0 ${batchFilter} group by 1, 2
        union all
        select d.to_warehouse_id, l.item_id, null, null, null, sum(l.quantity), null, null from stock_document d join stock_document_line l on l.document_id = d.id
        where d.kind = 'transfer' and d.status = 'shipped' ${q.warehouseId ? sql`and d.to_warehouse_id = ${q.warehouseId}` : sql``} group by 1, 2
        union all
        select warehouse_id, item_id, null, null, null, null, min_qty, max_qty from item_level ${q.warehouseId ? sql`where warehouse_id = ${q.warehouseId}` : sql``}),
      kl as (
        select warehouse_id, item_id, max(on_hand) as on_hand, max(value) as value, min(nearest) as nearest, max(q) as q, max(min_qty) as min_qty, max(max_qty) as max_qty
        from k group by 1, 2)
      select w.id as warehouse_id, w.name as warehouse_name, u.name as unit_name, i.id as item_id, i.code, i.name, i.spec, i.category, i.unit,
        kl.on_hand::text as on_hand, kl.value::text as value, kl.q::text as transit, kl.min_qty::text as min_qty, kl.max_qty::text as max_qty, kl.nearest
      from kl join warehouse w on w.id = kl.warehouse_id join org_unit u on u.id = w.org_unit_id join relief_item i on i.id = kl.item_id
      where ${filters} order by u.path, w.code, i.code limit 20000`;
  return { groups, rows };
}

/** Stock by warehouse, category and unit; the item rows when a warehouse or a category narrows it. */
export async function stockSummary(ctx: Ctx, q: SummaryFilter & { unitId?: string | undefined }): Promise<StockSummary> {
  requirePermission(ctx, 'warehouses.read');
  const inUnit = await scopeFilter(ctx, q.unitId);
  return ctx.run(async (trx) => {
    const statements = stockSummarySql(inUnit, q);
    const groups = await statements.groups.execute(trx);
    let rows: StockSummary['rows'] = [];
    if (q.warehouseId || q.category) {
      const r = await statements.rows.execute(trx);
      rows = r.rows.map((x) => ({ warehouseId: x.warehouse_id, warehouseName: x.warehouse_name, unitName: x.unit_name, itemId: x.item_id, itemCode: x.code, itemName: x.name, spec: x.spec, category: x.category, unit: x.unit, onHand: num(x.on_hand), valueFen: Math.round(num(x.value)), inTransit: num(x.transit), minQty: x.min_qty === null ? null : num(x.min_qty), maxQty: x.max_qty === null ? null : num(x.max_qty), nearestExpiry: x.nearest }));
    }
    const g = groups.rows;
    return {
      rows,
      byWarehouse: g.filter((x) => x.warehouse_id).map((x) => ({ warehouseId: x.warehouse_id!, warehouseName: x.name!, unitName: x.unit_name!, valueFen: Math.round(num(x.value)), items: x.items })).sort((a, b) => b.valueFen - a.valueFen),
      byCategory: g.filter((x) => x.category).map((x) => ({ category: x.category as 'other', valueFen: Math.round(num(x.value)), items: x.items })).sort((a, b) => b.valueFen - a.valueFen),
      byUnit: g.filter((x) => x.org_unit_id).map((x) => ({ unitId: x.org_unit_id!, unitName: x.unit_name!, valueFen: Math.round(num(x.value)), warehouses: x.warehouses })).sort((a, b) => b.valueFen - a.valueFen),
      totalValueFen: Math.round(g.filter((x) => x.warehouse_id).reduce((s, x) => s + num(x.value), 0)),
    };
  });
}

/** Near-expiry, expired, below-minimum and above-maximum as ONE summary (not one message per item). */
export async function stockAlerts(ctx: Ctx, q: { days: number; warehouseId?: string | undefined }): Promise<AlertSummary> {
  requirePermission(ctx, 'warehouses.read');
  const today = shanghaiDate(ctx.deps.clock.now());
  const horizon = addDays(today, q.days);
  return ctx.run(async (trx) => {
    const wf = q.warehouseId ? sql`and w.id = ${q.warehouseId}` : sql`and w.status = 'active'`;
    const batches = await sql<Record<string, any>>`
      select w.name as warehouse_name, i.name, i.spec, i.unit, b.id, b.seq, b.lot_no, b.expiry_date, b.on_hand::text as on_hand
      from stock_batch b join warehouse w on w.id = b.warehouse_id join relief_item i on i.id = b.item_id
      where b.on_hand > 0 and b.expiry_date < ${horizon} ${wf} order by b.expiry_date, w.name`.execute(trx);
    const levels = await sql<Record<string, any>>`
      select w.name as warehouse_name, i.name, i.spec, i.unit, lv.min_qty::text as min_qty, lv.max_qty::text as max_qty,
        coalesce((select sum(b.on_hand) from stock_batch b where b.warehouse_id = lv.warehouse_id and b.item_id = lv.item_id and b.on_hand > 0 and (b.expiry_date is null or b.expiry_date >= ${today})), 0)::text as on_hand
      from item_level lv join warehouse w on w.id = lv.warehouse_id join relief_item i on i.id = lv.item_id where true ${wf} order by w.name, i.code`.execute(trx);
    const expired = batches.rows.filter((b) => b.expiry_date < today).map((b) => ({ warehouseName: b.warehouse_name, itemName: b.name, spec: b.spec, unit: b.unit, batchId: b.id, batchNo: repo.batchNo(b as { seq: number; lot_no: string | null }), expiryDate: b.expiry_date, onHand: num(b.on_hand) }));
    const near = batches.rows.filter((b) => b.expiry_date >= today).map((b) => ({ warehouseName: b.warehouse_name, itemName: b.name, spec: b.spec, unit: b.unit, batchId: b.id, batchNo: repo.batchNo(b as { seq: number; lot_no: string | null }), expiryDate: b.expiry_date, onHand: num(b.on_hand), daysLeft: Math.round((Date.parse(b.expiry_date) - Date.parse(today)) / 86_400_000) }));
    // Usable stock only: an expired batch does not count towards the minimum.
    const below = levels.rows.filter((l) => num(l.on_hand) < num(l.min_qty)).map((l) => ({ warehouseName: l.warehouse_name, itemName: l.name, spec: l.spec, unit: l.unit, onHand: num(l.on_hand), minQty: num(l.min_qty) }));
    const above = levels.rows.filter((l) => l.max_qty !== null && num(l.on_hand) > num(l.max_qty)).map((l) => ({ warehouseName: l.warehouse_name, itemName: l.name, spec: l.spec, unit: l.unit, onHand: num(l.on_hand), maxQty: num(l.max_qty) }));
    const parts = [
      expired.length ? `${expired.length} 个批次已过期` : '',
      near.length ? `${near.length} 个批次将在 ${q.days} 天内过期` : '',
      below.length ? `${below.length} 项物资低于最低库存` : '',
      above.length ? `${above.length} 项物资超过最高库存` : '',
    ].filter(Boolean);
    const cap = 200;
    return {
      days: q.days,
      counts: { expired: expired.length, nearExpiry: near.length, belowMin: below.length, aboveMax: above.length },
      headline: parts.length ? parts.join('，') : '库存正常：无过期、临期或低于最低库存的物资',
      expired: expired.slice(0, cap), nearExpiry: near.slice(0, cap), belowMin: below.slice(0, cap), aboveMax: above.slice(0, cap),
    };
  });
}

/** On hand must equal the sum of movements for every batch; this shows any difference (there should be none). */
export async function reconcile(ctx: Ctx, warehouseId?: string) {
  requirePermission(ctx, 'warehouses.read');
  return ctx.run(async (trx) => {
    const r = await sql<{ id: string; warehouse_name: string; name: string; spec: string; on_hand: string; moved: string; total: number }>`
      with m as (select batch_id, sum(quantity) as moved from stock_movement group by 1)
      select b.id, w.name as warehouse_name, i.name, i.spec, b.on_hand::text as on_hand, coalesce(m.moved, 0)::text as moved, count(*) over ()::int as total
      from stock_batch b join warehouse w on w.id = b.warehouse_id join relief_item i on i.id = b.item_id left join m on m.batch_id = b.id
      ${warehouseId ? sql`where b.warehouse_id = ${warehouseId}` : sql``}`.execute(trx);
    const differences = r.rows.filter((x) => num(x.on_hand) !== num(x.moved)).map((x) => ({ batchId: x.id, warehouseName: x.warehouse_name, itemName: itemLabel(x), onHand: num(x.on_hand), movements: num(x.moved) }));
    return { checkedBatches: r.rows.length, differences };
  });
}

/** Stock value per owning unit (the plan has no indicator for it: exposed here for screens and reports). */
export async function stockValueByUnit(ctx: Ctx) {
  requirePermission(ctx, 'warehouses.read');
  return ctx.run(async (trx) => {
    const r = await sql<{ id: string; name: string; path: string; kind: string; warehouses: number; value: string }>`
      select u.id, u.name, u.path, u.kind, count(distinct w.id)::int as warehouses,
        coalesce(sum((select sum(b.on_hand * b.unit_value_fen) from stock_batch b where b.warehouse_id = w.id and b.on_hand > 0)), 0)::text as value
      from warehouse w join org_unit u on u.id = w.org_unit_id where w.status = 'active' group by u.id order by u.path`.execute(trx);
    return r.rows.map((x) => ({ unitId: x.id, unitName: x.name, unitPath: x.path, kind: x.kind, warehouses: x.warehouses, valueFen: Math.round(num(x.value)) }));
  });
}

/** "Every county has a warehouse": each county in scope with its active warehouses (its own and its subtree's). */
export async function countyCoverage(ctx: Ctx) {
  requirePermission(ctx, 'warehouses.read');
  return ctx.run(async (trx) => {
    const r = await sql<{ id: string; name: string; n: number }>`
      select c.id, c.name, (select count(*)::int from warehouse w join org_unit u on u.id = w.org_unit_id where w.status = 'active' and starts_with(u.path, c.path)) as n
      from org_unit c where c.kind = 'county' order by c.path`.execute(trx);
    const counties = r.rows.map((x) => ({ unitId: x.id, unitName: x.name, warehouses: x.n }));
    return { counties, allCovered: counties.every((c) => c.warehouses > 0), missing: counties.filter((c) => c.warehouses === 0).map((c) => c.unitName) };
  });
}
