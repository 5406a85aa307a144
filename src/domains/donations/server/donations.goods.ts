import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Ctx, Trx } from '../../../platform/context.ts';
import { DomainError, type FieldError } from '../../../platform/errors.ts';
import { receiveGoodsInTrx } from '../../warehouses/server/warehouses.goods.ts';
import type { GateCheck, GoodsLine, GoodsLineInput } from '../donations.contract.ts';

/**
 * Goods donations (物资捐赠): the lines as the donor gave them — a catalogue item, whose
 * specification is part of its identity, with quantity, unit value and dates — and, on
 * confirmation, their receipt into the named warehouse in the same transaction (one 入库单 per
 * donation, its batches sourced from the donation). From there the warehouses domain follows them
 * through transfers and issue notes to the recipients.
 */

type Resolved = GoodsLineInput & { code: string; name: string; spec: string; unit: string; valueFen: number };

const num = (v: string | number) => Number(v);
const lineField = (i: number, f: string, message: string, code = 'invalid'): FieldError => ({ field: `goods.${i}.${f}`, code, message });

/** Checks each line against the catalogue (the item exists and is in use; count units take whole numbers) and values it. */
export async function resolveGoods(trx: Trx, lines: readonly GoodsLineInput[], warehouseId: string | undefined): Promise<Resolved[]> {
  if (lines.length === 0) return [];
  if (warehouseId) {
    const w = await trx.selectFrom('warehouse').select(['status']).where('id', '=', warehouseId).executeTakeFirst();
    if (!w) throw new DomainError('validation_failed', undefined, [{ field: 'warehouseId', code: 'not_found', message: '仓库不存在或不在您的管辖范围内' }]);
    if (w.status !== 'active') throw new DomainError('validation_failed', undefined, [{ field: 'warehouseId', code: 'closed', message: '该仓库已停用' }]);
  }
  const ids = [...new Set(lines.map((l) => l.itemId))];
  const items = new Map((await trx.selectFrom('relief_item').select(['id', 'code', 'name', 'spec', 'unit', 'count_unit', 'active']).where('id', 'in', ids).execute()).map((r) => [r.id, r]));
  const errors: FieldError[] = [];
  const out: Resolved[] = [];
  lines.forEach((l, i) => {
    const it = items.get(l.itemId);
    if (!it || !it.active) {
      errors.push(lineField(i, 'itemId', '物资不在目录中（或已停用）', 'not_found'));
      return;
    }
    if (it.count_unit && !Number.isInteger(l.quantity)) errors.push(lineField(i, 'quantity', `${it.name}以“${it.unit}”计，数量应为整数`));
    const valueFen = Math.round(l.quantity * l.unitValueFen);
    if (!Number.isSafeInteger(valueFen)) errors.push(lineField(i, 'unitValueFen', '金额过大'));
    out.push({ ...l, code: it.code, name: it.name, spec: it.spec, unit: it.unit, valueFen });
  });
  if (errors.length) throw new DomainError('validation_failed', undefined, errors);
  return out;
}

export async function insertGoodsLines(trx: Trx, donation: { id: string; unitId: string }, lines: readonly Resolved[]) {
  if (lines.length === 0) return;
  await trx
    .insertInto('donation_goods_line')
    .values(
      lines.map((l, i) => ({
        id: crypto.randomUUID(), donation_id: donation.id, org_unit_id: donation.unitId, seq: i + 1, item_id: l.itemId, item_code: l.code, item_name: l.name, spec: l.spec, unit: l.unit,
        quantity: l.quantity, unit_value_fen: l.unitValueFen, value_fen: l.valueFen, production_date: l.productionDate ?? null, expiry_date: l.expiryDate ?? null,
      })),
    )
    .execute();
}

export async function goodsLinesOf(trx: Trx, donationId: string): Promise<GoodsLine[]> {
  const rows = await trx.selectFrom('donation_goods_line').selectAll().where('donation_id', '=', donationId).orderBy('seq').execute();
  return rows.map((r) => ({
    id: r.id, seq: r.seq, itemId: r.item_id, itemCode: r.item_code, itemName: r.item_name, spec: r.spec, unit: r.unit, quantity: num(r.quantity),
    unitValueFen: r.unit_value_fen, valueFen: r.value_fen, productionDate: r.production_date, expiryDate: r.expiry_date,
  }));
}

/** On confirmation: the goods go into stock in the caller's transaction; the donation records the 入库单. */
export async function receiveDonationGoods(ctx: Ctx, trx: Trx, d: { id: string; number: string; received_on: string; warehouse_id: string | null; has_goods: boolean }) {
  if (!d.has_goods) return null;
  const lines = await goodsLinesOf(trx, d.id);
  const doc = await receiveGoodsInTrx(ctx, trx, {
    warehouseId: d.warehouse_id!,
    sourceType: 'donation',
    sourceId: d.id,
    occurredOn: d.received_on,
    sourceRef: d.number,
    note: `捐赠 ${d.number}`,
    lines: lines.map((l) => ({ itemId: l.itemId, quantity: l.quantity, unitValueFen: l.unitValueFen, productionDate: l.productionDate, expiryDate: l.expiryDate })),
  });
  await trx.updateTable('donation').set({ goods_document_id: doc.documentId }).where('id', '=', d.id).execute();
  return doc;
}

/**
 * The gate's goods check (the 2020 failure: N95 reported as KN95, totals that did not match): for
 * every confirmed goods donation of the period, what the report lists — item, specification,
 * quantity — must equal what the warehouse received for it, line by line.
 */
export async function goodsSpecificationCheck(trx: Trx, unit: { path: string }, from: string, to: string): Promise<GateCheck> {
  const hi = `${unit.path.slice(0, -1)}0`;
  // Compared by item, specification and quantity (names may be edited in the catalogue; the specification may not drift).
  const r = await sql<{ number: string; reported_key: string | null; received_key: string | null; reported: string | null; received: string | null }>`
    with gifts as (
      select d.id, d.number, d.goods_document_id from donation d join org_unit u on u.id = d.org_unit_id
      where d.status = 'confirmed' and d.has_goods and d.received_on between ${from} and ${to} and u.path >= ${unit.path} and u.path < ${hi}
    ),
    reported as (
      select g.id,
        string_agg(l.item_id::text || '|' || l.spec || '|' || trim_scale(l.quantity)::text, ';' order by l.item_id, l.spec, l.quantity) as k,
        string_agg(l.item_name || '（' || l.spec || '）×' || trim_scale(l.quantity)::text || l.unit, '；' order by l.seq) as s
      from gifts g join donation_goods_line l on l.donation_id = g.id group by g.id
    ),
    received as (
      select g.id,
        string_agg(dl.item_id::text || '|' || i.spec || '|' || trim_scale(dl.quantity)::text, ';' order by dl.item_id, i.spec, dl.quantity) as k,
        string_agg(i.name || '（' || i.spec || '）×' || trim_scale(dl.quantity)::text || i.unit, '；' order by dl.line_no) as s
      from gifts g join stock_document_line dl on dl.document_id = g.goods_document_id join relief_item i on i.id = dl.item_id
      group by g.id
    )
    select g.number, rp.k as reported_key, rc.k as received_key, rp.s as reported, rc.s as received
    from gifts g left join reported rp on rp.id = g.id left join received rc on rc.id = g.id
    order by g.number`.execute(trx);
  const off = r.rows.filter((x) => x.reported_key === null || x.reported_key !== x.received_key);
  if (r.rows.length === 0) return { code: 'goods_specification', ok: true, blocking: true, message: '本期没有物资捐赠', items: [] };
  return {
    code: 'goods_specification',
    ok: off.length === 0,
    blocking: true,
    message: off.length === 0 ? `${r.rows.length} 笔物资捐赠的品名、规格型号和数量与入库单一致` : `${off.length} 笔物资捐赠与入库单不一致`,
    items: off.map((x) => ({ ref: x.number, detail: `公示：${x.reported ?? '（无）'}；入库：${x.received ?? '（未入库）'}`, daysLeft: null })),
  };
}
